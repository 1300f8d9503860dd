// The everyday read-only commands as the start-up work (issue 16) left them:
// the same answers from less work. `images` counts each image's containers
// from one read of the store; a command's name or filter never comes from
// stdin (Podman reads none); a listing writes nothing in the store.
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {readdirSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {Env, REPO, unavailable, type Mode} from './helpers.js'
import {busyboxTar} from './fixtures.js'

/** Every path below dir with its mtime: a read-only command must leave it as it was. */
function snapshot(dir: string): Map<string, number> {
  const out = new Map<string, number>()
  const walk = (d: string): void => {
    for (const e of readdirSync(d, {withFileTypes: true})) {
      const p = path.join(d, e.name)
      out.set(p, statSync(p).mtimeMs)
      if (e.isDirectory()) walk(p)
    }
  }
  walk(dir)
  return out
}

for (const mode of ['root', 'rootless'] as Mode[]) {
  describe(`read path (${mode})`, function () {
    let env: Env

    before(function () {
      const why = unavailable(mode)
      if (why) this.skip()
      env = new Env(mode)
      env.ok(['import', busyboxTar(), 'bb'])
    })
    after(() => env?.cleanup())

    it('images counts the containers of each image, with and without --filter containers', () => {
      env.ok(['create', '--name', 'c1', 'bb', 'true'])
      env.ok(['commit', '-q', 'c1', 'other'])
      env.ok(['create', '--name', 'c2', 'bb', 'true'])
      env.ok(['create', '--name', 'c3', 'other', 'true'])
      const counts = env.ok(['images', '--format', '{{.Repository}} {{.Containers}}']).trim().split('\n').sort()
      expect(counts).to.deep.equal(['localhost/bb 2', 'localhost/other 1'])
      expect(env.ok(['images', '--filter', 'containers=true', '--format', '{{.Repository}}']).trim().split('\n').sort())
        .to.deep.equal(['localhost/bb', 'localhost/other'])
      env.ok(['rm', 'c3'])
      expect(env.ok(['images', '--filter', 'containers=false', '--format', '{{.Repository}}']).trim()).to.equal('localhost/other')
      const json = JSON.parse(env.ok(['images', '--format', 'json'])) as Array<{Names: string[]; Containers: number}>
      expect(json.map(i => `${i.Names[0]} ${i.Containers}`).sort()).to.deep.equal(['localhost/bb:latest 2', 'localhost/other:latest 0'])
      env.ok(['rm', 'c1', 'c2'])
      env.ok(['rmi', 'other'])
    })

    it('images and inspect take no name from stdin, as Podman', () => {
      env.ok(['create', '--name', 'c4', 'bb', 'true'])
      // Piped in, "nomatch" is not `images nomatch`: bb is listed.
      expect(env.ok(['images', '--format', '{{.Repository}}'], {input: 'nomatch\n'}).trim()).to.equal('localhost/bb')
      // `inspect` without a name is Podman's error, not `inspect c4`.
      for (const args of [['inspect'], ['container', 'inspect']]) {
        const r = env.run(args, {input: 'c4\n'})
        expect([r.code, r.stdout, r.stderr], args.join(' ')).to.deep.equal([125, '', 'Error: no names or ids specified\n'])
      }
      env.ok(['rm', 'c4'])
    })

    it('ps shows ports and networks from the container config alone', () => {
      env.ok(['create', '--name', 'web', '-p', '18093:80', '-p', '127.0.0.1:18094:81/udp', 'bb', 'true'])
      const row = env.ok(['ps', '-a', '--filter', 'name=web', '--format', '{{.Ports}}|{{.Networks}}|{{.Status}}']).trim()
      const inspect = JSON.parse(env.ok(['inspect', 'web']))[0]
      const nets = Object.keys(inspect.NetworkSettings.Networks ?? {}).join(',')
      expect(row).to.equal(`0.0.0.0:18093->80/tcp, 127.0.0.1:18094->81/udp|${nets}|Created`)
      const [json] = JSON.parse(env.ok(['ps', '-a', '--filter', 'name=web', '--format', 'json']))
      expect(json.Ports).to.deep.equal([
        {host_ip: '', container_port: 80, host_port: 18093, range: 1, protocol: 'tcp'},
        {host_ip: '127.0.0.1', container_port: 81, host_port: 18094, range: 1, protocol: 'udp'},
      ])
      expect(json.Networks).to.deep.equal(nets ? nets.split(',') : [])
      env.ok(['rm', 'web'])
    })

    it('the listings load none of Node\'s crypto, child_process, dgram, readline', function () {
      if (mode === 'rootless') this.skip() // the same code; root runs bin/run.cjs directly
      env.ok(['create', '--name', 'c6', '-p', '18095:80', 'bb', 'true'])
      env.ok(['pod', 'create', '--name', 'p6'])
      env.ok(['volume', 'create', 'v6'])
      const preload = env.file('modules.cjs')
      writeFileSync(preload, "process.on('exit', () => process.stderr.write('\\nMODULES ' + process.moduleLoadList.join(',')))\n")
      for (const args of [['ps', '-a'], ['images'], ['pod', 'ps'], ['volume', 'ls'], ['inspect', 'c6'], ['port', 'c6']]) {
        const r = spawnSync(process.execPath, ['-r', preload, path.join(REPO, 'bin/run.cjs'), '--root', env.root, '--runroot', env.runroot, ...args], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']})
        expect(r.status, args.join(' ')).to.equal(0)
        const loaded = r.stderr.split('\nMODULES ')[1]!.split(',')
        expect(loaded.filter(m => /^NativeModule (crypto|child_process|dgram|readline)$/.test(m)), args.join(' ')).to.deep.equal([])
      }
      env.removeContainers()
      env.ok(['volume', 'rm', 'v6'])
    })

    it('the listings write nothing in the store', () => {
      env.ok(['create', '--name', 'c5', 'bb', 'true'])
      env.ok(['pod', 'create', '--name', 'p5'])
      env.ok(['volume', 'create', 'v5'])
      const before = snapshot(env.root)
      for (const args of [['ps', '-a'], ['images'], ['pod', 'ps'], ['volume', 'ls'], ['inspect', 'c5'], ['port', 'c5']]) env.ok(args)
      expect([...snapshot(env.root)].filter(([p, t]) => before.get(p) !== t)).to.deep.equal([])
      env.removeContainers()
      env.ok(['volume', 'rm', 'v5'])
    })
  })
}
