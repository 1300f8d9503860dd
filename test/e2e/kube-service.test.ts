// kube play --service-container: the service container's life follows the
// play's pods, as Podman 4.3.1's (libpod/service.go), root and rootless:
// stopped (killed, exit 137: its stop timeout is 0) once every pod is done,
// up while one runs, started again by `pod start`, removed with the last pod.
// Rootless Podman 4.3.1 runs here (vfs), so the exit case is compared with it.
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {existsSync, mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {Env, TEST_USER, unavailable, waitUntil, type Mode} from './helpers.js'
import {busyboxTar} from './fixtures.js'

const NETAVARK_LOCK = existsSync('/run/lock') ? '/run/lock/peapod-netavark.flock' : '/tmp/peapod-netavark.flock'
const serviceName = (text: string) => `${createHash('sha256').update(text).digest('hex').slice(0, 12)}-service`

const EXITS = 'apiVersion: v1\nkind: Pod\nmetadata: {name: ex}\nspec:\n  restartPolicy: Never\n  containers: [{name: c, image: bb, command: [/bin/sh, -c, "exit 3"]}]\n'
const TWO = `apiVersion: v1
kind: Pod
metadata: {name: lg}
spec:
  containers: [{name: c, image: bb, command: [/bin/sleep, "1000"]}]
---
apiVersion: v1
kind: Pod
metadata: {name: sh}
spec:
  restartPolicy: Never
  containers: [{name: c, image: bb, command: [/bin/true]}]
`

for (const mode of ['root', 'rootless'] as Mode[]) {
  describe(`kube play --service-container: the service follows its pods (${mode})`, function () {
    this.timeout(120000)
    let env: Env

    before(function () {
      if (unavailable(mode)) this.skip()
      if (mode === 'root' && spawnSync('flock', ['-w', '15', NETAVARK_LOCK, 'true']).status !== 0) this.skip()
      env = new Env(mode)
      env.ok(['import', busyboxTar(), 'bb'])
    })
    after(() => {
      if (!env) return
      env.removeContainers()
      env.cleanup()
    })
    afterEach(() => env?.removeContainers())

    const yaml = (name: string, text: string) => {
      const f = env.file(name)
      writeFileSync(f, text)
      env.chown(f)
      return f
    }
    const state = (name: string) => env.run(['inspect', '--format', '{{.State.Status}} {{.State.ExitCode}}', name]).stdout.trim()
    const podState = (name: string) => env.ok(['pod', 'inspect', '--format', '{{.State}}', name]).trim()

    it('a pod whose container exits: the service container is stopped (exit 137, as Podman 4.3.1); kube down removes it', async () => {
      const f = yaml('exits.yaml', EXITS)
      env.ok(['kube', 'play', '--service-container', f])
      const svc = serviceName(EXITS)
      expect(await waitUntil('the service container to stop', () => state(svc).startsWith('exited') && state(svc))).to.equal('exited 137')
      expect(state('ex-c')).to.equal('exited 3')
      expect(podState('ex')).to.equal('Exited')
      env.ok(['kube', 'down', f])
      expect(env.ok(['ps', '-a', '--format', '{{.Names}}']).trim()).to.equal('')
    })

    it('while one pod runs the service stays up; pod stop stops it, pod start starts it again, the last pod\'s removal removes it', async () => {
      const f = yaml('two.yaml', TWO)
      env.ok(['kube', 'play', '--service-container', f])
      const svc = serviceName(TWO)
      await waitUntil('pod sh to exit', () => podState('sh') === 'Exited')
      expect(state('sh-c')).to.equal('exited 0')
      expect(state(svc)).to.equal('running 0')
      env.ok(['pod', 'stop', '-t', '0', 'lg'])
      expect(state(svc)).to.equal('exited 137')
      env.ok(['pod', 'start', 'lg'])
      expect(state(svc)).to.match(/^running /)
      expect(state('lg-c')).to.match(/^running /)
      // one pod of the service left: the service stays
      env.ok(['pod', 'rm', '-f', '-t', '0', 'sh'])
      expect(state(svc)).to.match(/^running /)
      env.ok(['pod', 'rm', '-f', '-t', '0', 'lg'])
      expect(env.ok(['ps', '-a', '--format', '{{.Names}}']).trim()).to.equal('')
    })

    it('a long-running pod keeps the service up until kube down', async () => {
      const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: up}\nspec:\n  containers: [{name: c, image: bb, command: [/bin/sh, -c, "sleep 1; exit 1"]}]\n'
      const f = yaml('up.yaml', text)
      env.ok(['kube', 'play', '--service-container', f])
      // a member that exits and is restarted by its policy (Always) is not the pod's end
      await waitUntil('up-c to be restarted', () => Number(env.ok(['inspect', '--format', '{{.RestartCount}}', 'up-c']).trim()) >= 2)
      expect(state(serviceName(text))).to.equal('running 0')
      env.ok(['kube', 'down', f])
      expect(env.ok(['ps', '-a', '--format', '{{.Names}}']).trim()).to.equal('')
    })

    if (mode === 'rootless') {
      it('Podman 4.3.1 (rootless, vfs) does the same with the same YAML', async function () {
        if (spawnSync('podman', ['--version']).status !== 0) this.skip()
        const dir = env.file('podman')
        mkdirSync(path.join(dir, 'xdg'), {recursive: true, mode: 0o700})
        env.chown(dir)
        const podman = (args: string[]) => {
          const r = spawnSync('setpriv', ['--reuid', TEST_USER, '--regid', TEST_USER, '--init-groups', '--', 'podman', '--root', path.join(dir, 'root'), '--runroot', path.join(dir, 'run'),
            '--storage-driver', 'vfs', '--runtime', 'runc', '--cgroup-manager', 'cgroupfs', '--events-backend', 'file', ...args],
          {env: {PATH: process.env.PATH, HOME: dir, XDG_RUNTIME_DIR: path.join(dir, 'xdg'), XDG_CONFIG_HOME: path.join(dir, 'config')}, encoding: 'utf8', cwd: dir})
          if (r.status !== 0) throw new Error(`podman ${args.join(' ')}: ${r.stderr}`)
          return r.stdout
        }
        const f = yaml('exits-podman.yaml', EXITS)
        try {
          podman(['import', busyboxTar(), 'localhost/bb'])
          podman(['kube', 'play', '--service-container=true', f])
          const svc = serviceName(EXITS)
          const st = (n: string) => podman(['inspect', '--format', '{{.State.Status}} {{.State.ExitCode}}', n]).trim()
          expect(await waitUntil('podman\'s service container to stop', () => st(svc).startsWith('exited') && st(svc))).to.equal('exited 137')
          expect(st('ex-c')).to.equal('exited 3')
          podman(['kube', 'down', f])
          expect(podman(['ps', '-a', '--format', '{{.Names}}']).trim()).to.equal('')
        } finally {
          spawnSync('setpriv', ['--reuid', TEST_USER, '--regid', TEST_USER, '--init-groups', '--', 'podman', '--root', path.join(dir, 'root'), '--runroot', path.join(dir, 'run'), '--storage-driver', 'vfs', 'system', 'reset', '-f'],
            {env: {PATH: process.env.PATH, HOME: dir, XDG_RUNTIME_DIR: path.join(dir, 'xdg')}, stdio: 'ignore'})
        }
      })
    }
  })
}
