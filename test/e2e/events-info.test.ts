// `events` and `info` end to end, as root and as the rootless test user:
// what a test did shows up in the events log (Podman's file format, JSON
// lines), with filters, --since/--until, --format and streaming; `info`
// reports Podman's fields for root and rootless; and the global flags that
// place state (--tmpdir, --volumepath) or act before a command (--noout, the
// refused remote flags, --events-backend none, --runtime-flag).
import {expect} from 'chai'
import {existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {Env, TEST_USER, unavailable, waitUntil, expectError, type Mode} from './helpers.js'
import {busyboxTar} from './fixtures.js'

interface Ev { ID?: string; Name: string; Status: string; Type: string; Time: string; Image?: string; PodID?: string; ContainerExitCode?: number; Network?: string; Attributes: Record<string, string> | null }

for (const mode of ['root', 'rootless'] as Mode[]) {
  describe(`events (${mode})`, function () {
    let env: Env
    // Root: a private tmp dir (the default /run/libpod is shared with Podman and other suites).
    let g: string[]
    const logFile = () => mode === 'root' ? path.join(env.dir, 'tmp', 'events', 'events.log') : path.join(env.dir, 'xdg', 'libpod', 'tmp', 'events', 'events.log')

    before(function () {
      if (unavailable(mode)) this.skip()
      env = new Env(mode)
      g = mode === 'root' ? ['--tmpdir', path.join(env.dir, 'tmp')] : []
      const tar = busyboxTar()
      env.ok([...g, 'import', tar, 'bb'])
    })
    after(() => env?.cleanup())

    const events = (args: string[]): Ev[] => env.ok([...g, 'events', '--stream=false', '--format', 'json', ...args]).split('\n').filter(Boolean).map(l => JSON.parse(l) as Ev)

    it('a run shows as create, init, start, died (with the exit code), cleanup and remove, in order', () => {
      const r = env.run([...g, 'run', '--name', 'evrun', '--label', 'team=blue', 'bb', 'sh', '-c', 'exit 3'])
      expect(r.code).to.equal(3)
      env.ok([...g, 'rm', 'evrun'])
      const evs = events(['--filter', 'container=evrun'])
      expect(evs.map(e => e.Status)).to.deep.equal(['create', 'init', 'start', 'died', 'cleanup', 'remove'])
      const died = evs.find(e => e.Status === 'died')!
      expect(died.ContainerExitCode).to.equal(3)
      expect(died.Type).to.equal('container')
      expect(died.Image).to.equal('localhost/bb:latest')
      expect(died.Attributes).to.deep.equal({team: 'blue'})
      expect(died.ID).to.match(/^[0-9a-f]{64}$/)
      // The file itself: one JSON object per line, Podman's keys and time format.
      const lines = readFileSync(logFile(), 'utf8').trim().split('\n')
      const first = JSON.parse(lines.find(l => l.includes('"evrun"'))!) as Ev
      expect(Object.keys(first)).to.deep.equal(['ID', 'Image', 'Name', 'Status', 'Time', 'Type', 'Attributes'])
      expect(first.Time).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/)
    })

    it('prints Podman\'s human-readable line by default and Go templates with --format', () => {
      env.ok([...g, 'create', '--name', 'evfmt', 'bb', 'true'])
      const text = env.ok([...g, 'events', '--stream=false', '--filter', 'container=evfmt'])
      expect(text).to.match(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? \+0000 UTC container create [0-9a-f]{64} \(image=localhost\/bb:latest, name=evfmt\)\n$/)
      const trunc = env.ok([...g, 'events', '--stream=false', '--no-trunc=false', '--filter', 'container=evfmt'])
      expect(trunc).to.match(/container create [0-9a-f]{12} \(/)
      expect(env.ok([...g, 'events', '--stream=false', '--filter', 'container=evfmt', '--format', '{{.Type}}/{{.Status}}/{{.Name}}'])).to.equal('container/create/evfmt\n')
      env.ok([...g, 'rm', 'evfmt'])
    })

    it('filters by event, type, image, volume, pod, label and network; same keys OR, different keys AND', () => {
      env.ok([...g, 'volume', 'create', 'evvol'])
      env.ok([...g, 'volume', 'rm', 'evvol'])
      env.ok([...g, 'tag', 'bb', 'evtag'])
      env.ok([...g, 'untag', 'bb', 'localhost/evtag:latest'])
      env.ok([...g, 'pod', 'create', '--infra=false', '--name', 'evpod'])
      env.ok([...g, 'create', '--pod', 'evpod', '--name', 'evmember', '--label', 'tier=db', 'bb', 'true'])
      env.ok([...g, 'pod', 'rm', '-f', 'evpod'])
      env.ok([...g, 'network', 'create', 'evnet'])
      env.ok([...g, 'network', 'rm', 'evnet'])
      const vol = events(['--filter', 'volume=evvol'])
      expect(vol.map(e => `${e.Type} ${e.Status} ${e.Name}`)).to.deep.equal(['volume create evvol', 'volume remove evvol'])
      expect(events(['--filter', 'volume=evvol', '--filter', 'event=remove']).map(e => e.Status)).to.deep.equal(['remove'])
      const img = events(['--filter', 'type=image', '--filter', 'event=tag', '--filter', 'event=untag']).filter(e => e.Name.includes('evtag'))
      expect(img.map(e => e.Status)).to.deep.equal(['tag', 'untag'])
      expect(img[0].Name).to.equal('localhost/evtag:latest')
      const pod = events(['--filter', 'pod=evpod'])
      expect(pod.map(e => `${e.Type} ${e.Status}`)).to.deep.equal(['pod create', 'pod remove'])
      const member = events(['--filter', 'container=evmember'])
      expect(member.map(e => e.Status)).to.deep.equal(['create', 'remove'])
      expect(member[0].PodID).to.equal(pod[0].ID)
      const labelled = events(['--filter', 'label=tier=db'])
      expect(labelled.length).to.be.greaterThan(0)
      expect(labelled.every(e => e.Name === 'evmember')).to.equal(true)
      const net = events(['--filter', 'network=evnet'])
      expect(net.map(e => e.Status)).to.deep.equal(['create', 'remove'])
      expect(net[0].Network).to.equal('evnet')
      // --filter type=volume with --filter event=create: AND of two keys
      expect(events(['--filter', 'type=volume', '--filter', 'event=create']).every(e => e.Type === 'volume' && e.Status === 'create')).to.equal(true)
    })

    it('--since and --until bound the past; a bad filter or time is Podman\'s error (125)', () => {
      env.ok([...g, 'volume', 'create', 'evtime'])
      expect(events(['--filter', 'volume=evtime', '--since', '10m']).length).to.equal(1)
      expect(events(['--filter', 'volume=evtime', '--until', '2000-01-01T00:00:00Z'])).to.deep.equal([])
      expect(events(['--filter', 'volume=evtime', '--since', '2099-01-01'])).to.deep.equal([])
      expectError(env.run([...g, 'events', '--stream=false', '--filter', 'colour=red']), 125, /colour is an invalid filter/)
      expectError(env.run([...g, 'events', '--stream=false', '--since', 'yesterday']), 125, /failed to parse value as time or duration/)
      env.ok([...g, 'volume', 'rm', 'evtime'])
    })

    it('streams new events as they are written (no --since: only what comes after)', async () => {
      env.ok([...g, 'volume', 'create', 'evstream-old'])
      const p = env.spawn([...g, 'events', '--filter', 'type=volume', '--format', '{{.Status}} {{.Name}}'])
      let out = ''
      p.stdout.on('data', d => { out += d })
      try {
        // Once the follower is up, every new event must reach it.
        await waitUntil('the follower to start', () => {
          env.ok([...g, 'volume', 'create', '--ignore', 'evstream-probe'])
          env.ok([...g, 'volume', 'rm', 'evstream-probe'])
          return out.includes('evstream-probe')
        })
        env.ok([...g, 'volume', 'create', 'evstream-new'])
        await waitUntil('the streamed event', () => out.includes('create evstream-new'))
        expect(out).to.not.include('evstream-old')
      } finally {
        p.kill('SIGINT')
      }
      const code = await new Promise<number | null>(resolve => p.exitCode !== null ? resolve(p.exitCode) : p.once('exit', c => resolve(c)))
      expect(code === 0 || code === 130 || code === null).to.equal(true)
      env.ok([...g, 'volume', 'rm', 'evstream-old', 'evstream-new'])
    })

    it('concurrent commands append whole lines (one write each)', async () => {
      const procs = Array.from({length: 8}, (_, i) => env.spawn([...g, 'volume', 'create', `evpar${i}`]))
      await Promise.all(procs.map(p => new Promise(resolve => p.exitCode !== null ? resolve(null) : p.once('exit', resolve))))
      const lines = readFileSync(logFile(), 'utf8').split('\n').filter(Boolean)
      for (const l of lines) JSON.parse(l) // every line whole
      expect(events(['--filter', 'event=create', '--filter', 'type=volume']).filter(e => e.Name.startsWith('evpar')).length).to.equal(8)
      env.ok([...g, 'volume', 'rm', ...Array.from({length: 8}, (_, i) => `evpar${i}`)])
    })

    it('--events-backend none writes nothing, and events refuses to read', () => {
      const before = readFileSync(logFile(), 'utf8').length
      env.ok([...g, '--events-backend', 'none', 'volume', 'create', 'evnone'])
      env.ok([...g, '--events-backend', 'none', 'volume', 'rm', 'evnone'])
      expect(readFileSync(logFile(), 'utf8').length).to.equal(before)
      expectError(env.run([...g, '--events-backend', 'none', 'events', '--stream=false']), 125, /cannot read events with the "none" backend/)
    })

    it('system events is events', () => {
      env.ok([...g, 'volume', 'create', 'evsys'])
      expect(env.ok([...g, 'system', 'events', '--stream=false', '--filter', 'volume=evsys', '--format', '{{.Status}}'])).to.equal('create\n')
      env.ok([...g, 'volume', 'rm', 'evsys'])
    })
  })

  describe(`info (${mode})`, function () {
    let env: Env
    before(function () {
      if (unavailable(mode)) this.skip()
      env = new Env(mode)
    })
    after(() => env?.cleanup())

    it('--format templates see Podman\'s Go field names', () => {
      expect(env.ok(['info', '--format', '{{.Host.OCIRuntime.Name}}']).trim()).to.equal('runc')
      expect(env.ok(['info', '--format', '{{.Host.OCIRuntime.Path}}']).trim()).to.match(/\/runc$/)
      expect(env.ok(['info', '--format', '{{.Host.NetworkBackend}}']).trim()).to.equal('netavark')
      expect(env.ok(['info', '--format', '{{.Host.Security.Rootless}}']).trim()).to.equal(String(mode === 'rootless'))
      expect(env.ok(['info', '--format', '{{.Store.GraphRoot}} {{.Store.RunRoot}} {{.Store.GraphDriverName}}']).trim()).to.equal(`${env.root} ${env.runroot} overlay`)
      expect(env.ok(['info', '--format', '{{.Store.VolumePath}}']).trim()).to.equal(path.join(env.root, 'volumes'))
      expect(env.ok(['info', '--format', '{{.Store.ImageStore.Number}}']).trim()).to.equal('0')
      expect(env.ok(['info', '--format', '{{.Version.Version}}']).trim()).to.match(/^\d+\.\d+\.\d+/)
      expect(env.ok(['system', 'info', '--format', '{{.Host.EventLogger}}']).trim()).to.equal('file')
      const maps = env.ok(['info', '--format', '{{range .Host.IDMappings.UIDMap}}{{.ContainerID}}:{{.HostID}}:{{.Size}} {{end}}']).trim()
      if (mode === 'root') {
        expect(maps).to.equal('')
      } else {
        const uid = Number(env.ok(['unshare', 'cat', '/proc/self/uid_map']).trim().split(/\s+/)[1])
        const sub = readFileSync('/etc/subuid', 'utf8').split('\n').find(l => l.startsWith(TEST_USER + ':'))!.split(':')
        expect(maps).to.equal(`0:${uid}:1 1:${sub[1]}:${sub[2]}`)
      }
    })

    it('JSON has Podman\'s keys; the default view is YAML', () => {
      const j = JSON.parse(env.ok(['info', '--format', 'json'])) as Record<string, Record<string, unknown>>
      expect(Object.keys(j)).to.deep.equal(['host', 'store', 'registries', 'plugins', 'version'])
      expect(j.host).to.include.keys('arch', 'cgroupVersion', 'conmon', 'eventLogger', 'idMappings', 'ociRuntime', 'security', 'networkBackend', 'remoteSocket')
      expect(j.store).to.include.keys('graphRoot', 'runRoot', 'graphDriverName', 'volumePath', 'imageStore', 'containerStore')
      expect((j.host.ociRuntime as {name: string}).name).to.equal('runc')
      // Podman's zero build time, in Go's ANSIC layout (local time: TZ=UTC here)
      expect(j.version.BuiltTime).to.equal('Thu Jan  1 00:00:00 1970')
      expect(env.ok(['version'])).to.include('\nBuilt:        Thu Jan  1 00:00:00 1970\n')
      expect(env.ok(['version', '--format', '{{.Client.BuiltTime}}'])).to.equal('Thu Jan  1 00:00:00 1970\n')
      const yaml = env.ok(['info'])
      expect(yaml).to.match(/^host:\n {2}arch: /)
      expect(yaml).to.include(`  graphRoot: ${env.root}\n`)
    })

    it('counts images and containers; --volumepath moves the volumes', () => {
      env.ok(['import', busyboxTar(), 'bb'])
      env.ok(['create', '--name', 'infoc', 'bb', 'true'])
      expect(env.ok(['info', '--format', '{{.Store.ImageStore.Number}} {{.Store.ContainerStore.Number}} {{.Store.ContainerStore.Stopped}}']).trim()).to.equal('1 1 1')
      const vp = env.file('vols')
      expect(env.ok(['--volumepath', vp, 'info', '--format', '{{.Store.VolumePath}}']).trim()).to.equal(vp)
      env.ok(['--volumepath', vp, 'volume', 'create', 'moved'])
      expect(readdirSync(vp)).to.include('moved')
      expect(existsSync(path.join(env.root, 'volumes', 'moved'))).to.equal(false)
      env.ok(['--volumepath', vp, 'volume', 'rm', 'moved'])
      env.ok(['rm', 'infoc'])
    })
  })

  describe(`global flags (${mode})`, function () {
    let env: Env
    before(function () {
      if (unavailable(mode)) this.skip()
      env = new Env(mode)
    })
    after(() => env?.cleanup())

    it('--noout silences stdout, before or after the command', () => {
      expect(env.ok(['--noout', 'info', '--format', '{{.Host.OCIRuntime.Name}}'])).to.equal('')
      expect(env.ok(['volume', 'create', '--noout', 'quiet'])).to.equal('')
      expect(env.ok(['volume', 'ls', '-q'])).to.equal('quiet\n')
    })

    it('--url, --connection, --remote and --identity are refused (no remote client)', () => {
      for (const args of [['--url', 'unix:///x.sock', 'ps'], ['--connection', 'c', 'ps'], ['--remote', 'ps'], ['ps', '--identity', '/k']]) {
        expectError(env.run(args), 125, /has no remote client/)
      }
    })

    it('--hooks-dir: the OCI hooks that apply run at their stage with the container\'s state; bad hook files are refused', () => {
      env.ok(['import', busyboxTar(), 'bb'])
      const dir = env.file('hooks')
      const out = env.file('hook-state.json')
      mkdirSync(dir)
      writeFileSync(path.join(dir, 'a.json'), JSON.stringify({version: '1.0.0', hook: {path: '/bin/sh', args: ['sh', '-c', `cat > ${out}`]}, when: {commands: ['^/bin/true$', 'true']}, stages: ['prestart']}))
      writeFileSync(path.join(dir, 'b.json'), JSON.stringify({version: '1.0.0', hook: {path: '/bin/sh', args: ['sh', '-c', `touch ${out}.never`]}, when: {annotations: {'^nosuch$': '.*'}}, stages: ['poststop']}))
      env.chown(dir)
      const id = env.ok(['--hooks-dir', dir, 'run', '-d', 'bb', 'true']).trim()
      const state = JSON.parse(readFileSync(out, 'utf8')) as {id: string; status: string}
      expect(state.id).to.equal(id)
      expect(existsSync(`${out}.never`)).to.equal(false)
      // Without --hooks-dir, Podman's default directories (absent here): no hook.
      rmSync(out)
      env.ok(['run', '--rm', 'bb', 'true'])
      expect(existsSync(out)).to.equal(false)
      writeFileSync(path.join(dir, 'c.json'), JSON.stringify({version: '9', hook: {path: '/bin/true'}, when: {always: true}, stages: ['prestart']}))
      env.chown(dir)
      expectError(env.run(['--hooks-dir', dir, 'run', '--rm', 'bb', 'true']), 125, /unrecognized hook version/)
    })

    it('--network-cmd-path: rootless, that command sets the network up (slirp4netns)', function () {
      if (mode === 'root') this.skip() // root containers use netavark bridges
      const wrapper = env.file('slirp-wrapper')
      const marker = env.file('slirp-used')
      writeFileSync(wrapper, `#!/bin/sh\ntouch ${marker}\nexec /usr/bin/slirp4netns "$@"\n`, {mode: 0o755})
      env.chown(wrapper)
      expect(env.ok(['--network-cmd-path', wrapper, 'run', '--rm', 'bb', 'echo', 'up'])).to.equal('up\n')
      expect(existsSync(marker)).to.equal(true)
    })

    it('--runtime-flag passes global flags to the OCI runtime', () => {
      const r = env.run(['--runtime-flag', 'debug', 'run', '--rm', 'bb', 'echo', 'hi'])
      expect(r.code).to.equal(0)
      expect(r.stdout).to.equal('hi\n')
      expect(r.stderr).to.match(/level=debug msg="nsexec/) // runc --debug
      expect(env.run(['run', '--rm', 'bb', 'echo', 'hi']).stderr).to.not.match(/nsexec/)
    })

    it('--conmon is accepted with a warning that peapod uses its own monitor', () => {
      const r = env.run(['--conmon', '/usr/bin/conmon', 'volume', 'ls'])
      expect(r.code).to.equal(0)
      expect(r.stderr).to.match(/level=warning msg="--conmon is ignored: peapod runs each container under its own monitor/)
    })
  })
}
