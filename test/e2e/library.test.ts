// peapod as a library (issue 11): a program that imports only the package's
// public entry (`from 'peapod'`, the "exports" map) opens a Runtime on its own
// store, imports busybox, runs a pod of two containers, reads the echo
// container's logs, removes it all and finds the store empty. As root, and as
// the rootless test user inside peapod's user namespace (`peapod unshare`).
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {mkdirSync, symlinkSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {Env, REPO, unavailable, type Mode} from './helpers.js'
import {busyboxTar} from './fixtures.js'

// The program a user writes (README.md "Using peapod as a library" shows it).
// It checks itself and prints a JSON summary for the test to look at.
const PROGRAM = `
import {Runtime, createPod, createContainer} from 'peapod'

const [root, runroot, tarball] = process.argv.slice(2)
const rt = await Runtime.open({root, runroot})

const image = await rt.importImage({source: tarball, reference: 'busybox'})

const none = {netns: {mode: 'none'}}
const pod = await createPod(rt, {name: 'demo', network: none})
const echo = await createContainer(rt, {image: 'busybox', pod: pod.id, name: 'echo', command: ['echo', 'hello from the pod']})
await createContainer(rt, {image: 'busybox', pod: pod.id, name: 'sleeper', command: ['sleep', '1000']})

await rt.pod(pod.id).start()
const code = await rt.container(echo.id).wait()
const lines = []
await rt.container(echo.id).logs({}, line => lines.push(line.text))
const running = (await rt.container('sleeper').refresh()).status

await rt.pod(pod.id).remove({force: true, timeout: 0})
for (const img of rt.listImages()) await rt.image(img.id).remove()

const left = {containers: rt.listContainers().length, pods: rt.listPods().length, images: rt.listImages().length}
console.log(JSON.stringify({imageId: image.id, code, lines, running, left}))
`

for (const mode of ['root', 'rootless'] as Mode[]) {
  describe(`library (${mode})`, function () {
    this.timeout(90000)
    let env: Env
    let dir: string

    before(function () {
      if (unavailable(mode)) this.skip()
      env = new Env(mode)
      // A program outside the repo that depends on peapod: node_modules/peapod → the repo.
      dir = path.join(env.dir, 'program')
      mkdirSync(path.join(dir, 'node_modules'), {recursive: true})
      symlinkSync(REPO, path.join(dir, 'node_modules/peapod'))
      writeFileSync(path.join(dir, 'package.json'), JSON.stringify({type: 'module', dependencies: {peapod: '*'}}))
      writeFileSync(path.join(dir, 'main.mjs'), PROGRAM)
    })
    after(() => {
      if (!env) return
      env.removeContainers()
      env.cleanup()
    })

    it('runs a pod through the public API and leaves the store empty', function () {
      const argv = [path.join(dir, 'main.mjs'), env.root, env.runroot, busyboxTar()]
      // Rootless: the program runs inside peapod's user namespace, as `podman unshare` would give it.
      const r = mode === 'root'
        ? (() => {
          const p = spawnSync(process.execPath, argv, {cwd: dir, encoding: 'utf8', env: {PATH: process.env.PATH, HOME: '/root', LANG: 'C.UTF-8'}})
          return {code: p.status ?? -1, stdout: p.stdout, stderr: p.stderr}
        })()
        : env.run(['unshare', process.execPath, ...argv])
      expect(r.stderr, r.stderr).to.equal('')
      expect(r.code, r.stderr).to.equal(0)
      const out = JSON.parse(r.stdout)
      expect(out.imageId).to.match(/^[0-9a-f]{64}$/)
      expect(out.code).to.equal(0)
      expect(out.lines).to.deep.equal(['hello from the pod'])
      expect(out.running).to.equal('running')
      expect(out.left).to.deep.equal({containers: 0, pods: 0, images: 0})
      // the CLI sees the same empty store
      expect(env.run(['ps', '-a', '-q']).stdout).to.equal('')
      expect(env.run(['pod', 'ps', '-q']).stdout).to.equal('')
      expect(env.run(['images', '-q']).stdout).to.equal('')
    })
  })
}
