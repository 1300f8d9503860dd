import {expect} from 'chai'
import {chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import type {Config} from '../../src/libpod/config/config.js'
import {RuntimeFailure} from '../../src/libpod/define/errors.js'
import {OciCliRuntime, OciRuntimeError} from '../../src/libpod/oci/cli.js'
import {Crun} from '../../src/libpod/oci/crun.js'
import {FakeOciRuntime} from '../../src/libpod/oci/fake.js'
import {Runc} from '../../src/libpod/oci/runc.js'
import {containerRuntime, ociImplementation, resolveRuntime} from '../../src/libpod/oci/runtime.js'
import {Runsc} from '../../src/libpod/oci/runsc.js'

const ROOT = '/run/peapod/runc'

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p
  } catch (e) {
    return e as Error
  }
  throw new Error('expected a rejection')
}

describe('OCI runtimes: argv', () => {
  const runc = new Runc('runc', '/usr/sbin/runc', {root: ROOT, rootless: false})
  const runcRootless = new Runc('runc', '/usr/sbin/runc', {root: ROOT, rootless: true})
  const crun = new Crun('crun', '/usr/bin/crun', {root: ROOT, rootless: true})
  const runsc = new Runsc('runsc', '/usr/bin/runsc', {root: ROOT, rootless: false, network: 'bridge'})
  const runscRootlessNone = new Runsc('runsc', '/usr/bin/runsc', {root: ROOT, rootless: true, network: 'none'})

  it('computes the global args in one place', () => {
    expect(runc.globalArgs()).to.deep.equal(['--root', ROOT])
    expect(runcRootless.globalArgs()).to.deep.equal(['--root', ROOT, '--rootless', 'true'])
    // crun finds out by itself that it runs rootless
    expect(crun.globalArgs()).to.deep.equal(['--root', ROOT])
    expect(new Runc('runc', '/r', {root: ROOT, rootless: false, systemdCgroup: true}).globalArgs()).to.deep.equal(['--root', ROOT, '--systemd-cgroup'])
    expect(runcRootless.globalArgs({log: '/x/log', logFormat: 'json', debug: true})).to.deep.equal(
      ['--root', ROOT, '--rootless', 'true', '--debug', '--log', '/x/log', '--log-format', 'json'])
  })

  it('gives runsc its sandbox flags, and no --debug', () => {
    expect(runsc.globalArgs()).to.deep.equal(['--root', ROOT, '--network=host'])
    expect(runscRootlessNone.globalArgs({debug: true, log: '/l', logFormat: 'json'})).to.deep.equal(
      ['--root', ROOT, '--network=none', '--ignore-cgroups', '--log', '/l', '--log-format', 'json'])
  })

  it('builds the argv the monitor runs (`run`)', () => {
    expect(runcRootless.run('abc', {bundle: '/b', pidFile: '/b/pid'})).to.deep.equal(
      ['/usr/sbin/runc', '--root', ROOT, '--rootless', 'true', 'run', '--bundle', '/b', '--pid-file', '/b/pid', 'abc'])
    expect(runsc.run('abc', {bundle: '/b', pidFile: '/b/pid', noPivot: true})).to.deep.equal(
      ['/usr/bin/runsc', '--root', ROOT, '--network=host', 'run', '--bundle', '/b', '--pid-file', '/b/pid', '--no-pivot', 'abc'])
  })

  it('builds exec argv, the same global args for every runtime as for run', () => {
    expect(runc.exec('abc', {process: '/s/process.json', pidFile: '/s/pid', log: '/s/log', logFormat: 'json', debug: true, preserveFds: 2})).to.deep.equal(
      ['/usr/sbin/runc', '--root', ROOT, '--debug', '--log', '/s/log', '--log-format', 'json', 'exec', '--process', '/s/process.json', '--pid-file', '/s/pid', '--preserve-fds', '2', 'abc'])
    expect(runscRootlessNone.exec('abc', {process: '/p', pidFile: '/pid', detach: true})).to.deep.equal(
      ['/usr/bin/runsc', '--root', ROOT, '--network=none', '--ignore-cgroups', 'exec', '-d', '--process', '/p', '--pid-file', '/pid', 'abc'])
  })

  it('picks the implementation by name', () => {
    const o = {root: ROOT, rootless: false}
    expect(ociImplementation('runc', '/r', o)).to.be.instanceOf(Runc)
    expect(ociImplementation('crun', '/c', o)).to.be.instanceOf(Crun)
    expect(ociImplementation('runsc', '/s', o)).to.be.instanceOf(Runsc)
    const other = ociImplementation('youki', '/y', o)
    expect(other).to.be.instanceOf(OciCliRuntime)
    expect(other).to.not.be.instanceOf(Runc)
  })
})

describe('OCI runtimes: short calls', () => {
  let dir: string
  let stub: string
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'oci-test-'))
    stub = path.join(dir, 'runc')
    // A stand-in runtime: `state` prints JSON, `kill` fails as runc does, the rest log their argv.
    writeFileSync(stub, `#!/bin/sh
echo "$@" >> "${dir}/calls"
for a; do last=$a; done
case " $* " in
  *" state "*) echo '{"ociVersion":"1.0.2","id":"'$last'","status":"running","pid":42,"bundle":"/b"}' ;;
  *" kill "*) echo 'time="2024" level=error msg="container not running"' >&2; exit 1 ;;
  *" features "*) echo 'unknown command' >&2; exit 1 ;;
esac
`)
    chmodSync(stub, 0o755)
  })
  after(() => rmSync(dir, {recursive: true, force: true}))

  it('parses state', async () => {
    const r = new Runc('runc', stub, {root: ROOT, rootless: true})
    expect(await r.state('c1')).to.deep.equal({ociVersion: '1.0.2', id: 'c1', status: 'running', pid: 42, bundle: '/b'})
  })

  it('folds the runtime stderr into a typed error', async () => {
    const r = new Runc('runc', stub, {root: ROOT, rootless: false})
    const e = await rejection(r.kill('c1', 'TERM'))
    expect(e).to.be.instanceOf(OciRuntimeError).and.instanceOf(RuntimeFailure)
    expect(e.message).to.equal(`${stub} kill: time="2024" level=error msg="container not running"`)
    expect((e as OciRuntimeError).verb).to.equal('kill')
  })

  it('passes verbs and their flags', async () => {
    const r = new Runsc('runsc', stub, {root: ROOT, rootless: false, network: 'none'})
    await r.delete('c1', {force: true})
    await r.pause('c1')
    await r.resume('c1')
    await r.start('c1')
    await r.create('c1', {bundle: '/b', pidFile: '/p'})
    await rejection(r.kill('c1', 'KILL', {all: true}))
    const {readFileSync} = await import('node:fs')
    expect(readFileSync(path.join(dir, 'calls'), 'utf8').trim().split('\n').slice(-6)).to.deep.equal([
      `--root ${ROOT} --network=none delete --force c1`,
      `--root ${ROOT} --network=none pause c1`,
      `--root ${ROOT} --network=none resume c1`,
      `--root ${ROOT} --network=none start c1`,
      `--root ${ROOT} --network=none create --bundle /b --pid-file /p c1`,
      `--root ${ROOT} --network=none kill --all c1 KILL`,
    ])
  })

  it('gives no features for a runtime without the verb', async () => {
    expect(await new Runc('runc', stub, {root: ROOT, rootless: false}).features()).to.deep.equal({})
  })
})

describe('resolveRuntime', () => {
  let bin: string
  before(() => {
    bin = mkdtempSync(path.join(tmpdir(), 'oci-bin-'))
    for (const n of ['crun', 'runc', 'runsc']) {
      writeFileSync(path.join(bin, n), '#!/bin/sh\n')
      chmodSync(path.join(bin, n), 0o755)
    }
    mkdirSync(path.join(bin, 'only-runc'))
    writeFileSync(path.join(bin, 'only-runc', 'runc'), '#!/bin/sh\n')
    chmodSync(path.join(bin, 'only-runc', 'runc'), 0o755)
  })
  after(() => rmSync(bin, {recursive: true, force: true}))
  const opts = {root: ROOT, rootless: false}

  it('prefers crun, and runc on hybrid cgroups', () => {
    const a = resolveRuntime('', {}, false, opts, {hybrid: false, search: [bin]})
    expect([a.name, a.path]).to.deep.equal(['crun', path.join(bin, 'crun')])
    expect(a).to.be.instanceOf(Crun)
    const b = resolveRuntime('', {}, false, opts, {hybrid: true, search: [bin]})
    expect([b.name, b.path]).to.deep.equal(['runc', path.join(bin, 'runc')])
    expect(b).to.be.instanceOf(Runc)
  })

  it('falls back from a configured crun to runc on hybrid cgroups, not from --runtime crun', () => {
    expect(resolveRuntime('crun', {}, false, opts, {hybrid: true, search: [bin]}).name).to.equal('runc')
    expect(resolveRuntime('crun', {}, true, opts, {hybrid: true, search: [bin]}).name).to.equal('crun')
    expect(resolveRuntime('crun', {}, false, opts, {hybrid: false, search: [bin]}).name).to.equal('crun')
  })

  it('takes configured paths first, and a runtime given by path', () => {
    const only = path.join(bin, 'only-runc', 'runc')
    expect(resolveRuntime('runc', {runc: [only]}, false, opts, {search: [bin]}).path).to.equal(only)
    const byPath = resolveRuntime(path.join(bin, 'runsc'), {}, true, opts, {search: []})
    expect(byPath).to.be.instanceOf(Runsc)
    expect(byPath.name).to.equal('runsc')
  })

  it('keeps Podman\'s messages for a missing runtime', () => {
    expect(() => resolveRuntime('/nope/runc', {}, true, opts, {search: [bin]})).to.throw(RuntimeFailure, 'cannot find OCI runtime "/nope/runc": no such file')
    expect(() => resolveRuntime('kata', {kata: ['/opt/kata']}, true, opts, {search: [bin]})).to.throw(RuntimeFailure,
      'could not find a working binary (configured options: [/opt/kata]): default OCI runtime "kata" not found: invalid argument')
    expect(() => resolveRuntime('', {}, false, opts, {search: [path.join(bin, 'none')]})).to.throw(RuntimeFailure, 'no OCI runtime found: install runc or crun')
  })

  it('chooses a container\'s runtime: --runtime, then its own, then containers.conf', () => {
    const config = (runtime: string, explicit: boolean) => ({
      runtime, runtimeExplicit: explicit, runtimePaths: {runc: [path.join(bin, 'runc')], crun: [path.join(bin, 'crun')], runsc: [path.join(bin, 'runsc')]},
      runRoot: '/run/x', rootless: true,
    }) as unknown as Config
    expect(containerRuntime(config('runc', true), {runtime: 'runsc'}).name).to.equal('runc')
    const own = containerRuntime(config('runc', false), {runtime: 'runsc', network: 'none'})
    expect(own.name).to.equal('runsc')
    expect(own.globalArgs()).to.deep.equal(['--root', '/run/x/runc', '--network=none', '--ignore-cgroups'])
    expect(containerRuntime(config('runc', false), {}).globalArgs()).to.deep.equal(['--root', '/run/x/runc', '--rootless', 'true'])
  })
})

describe('the fake OCI runtime', () => {
  const bundle = {bundle: '/b', pidFile: '/b/pid'}

  it('goes created → running → paused → running → stopped → deleted', async () => {
    const f = new FakeOciRuntime()
    await f.create('c', bundle)
    expect((await f.state('c')).status).to.equal('created')
    await f.start('c')
    expect((await f.state('c')).status).to.equal('running')
    await f.pause('c')
    expect((await f.state('c')).status).to.equal('paused')
    await f.resume('c')
    expect((await f.state('c')).status).to.equal('running')
    await f.kill('c', 'WINCH')
    expect((await f.state('c')).status).to.equal('running')
    await f.kill('c', 'SIGTERM')
    const s = await f.state('c')
    expect([s.status, s.pid]).to.deep.equal(['stopped', 0])
    expect(f.container('c')?.exitCode).to.equal(143)
    await f.delete('c')
    expect(f.container('c')).to.equal(undefined)
    expect(f.calls.map(c => c[0])).to.deep.equal(['create', 'state', 'start', 'state', 'pause', 'state', 'resume', 'state', 'kill', 'state', 'kill', 'state', 'delete'])
  })

  it('refuses what runc refuses', async () => {
    const f = new FakeOciRuntime()
    expect((await rejection(f.start('x'))).message).to.equal('/fake/bin/oci start: container does not exist')
    await f.create('c', bundle)
    expect((await rejection(f.create('c', bundle))).message).to.match(/container with id exists: c/)
    expect((await rejection(f.pause('c'))).message).to.match(/pause: container not running/)
    await f.start('c')
    expect((await rejection(f.start('c'))).message).to.match(/cannot start an already running container/)
    expect((await rejection(f.resume('c'))).message).to.match(/resume: container not paused/)
    expect((await rejection(f.delete('c'))).message).to.match(/cannot delete container c that is not stopped: running/)
    await f.pause('c')
    expect((await rejection(f.pause('c'))).message).to.match(/pause: container not running/)
    await f.kill('c', '9')
    expect(f.container('c')?.stoppedBy).to.equal('KILL')
    const e = await rejection(f.kill('c', 'KILL'))
    expect(e).to.be.instanceOf(RuntimeFailure)
    expect(e.message).to.match(/kill: container not running/)
    expect((await rejection(f.start('c'))).message).to.match(/cannot start a container that has stopped/)
    expect(() => f.exec('c', {process: '/p', pidFile: '/pid'})).to.throw(/cannot exec in a stopped container/)
    await f.delete('c')
    expect((await rejection(f.delete('c'))).message).to.match(/delete: container does not exist/)
    await f.delete('c', {force: true})
  })

  it('force-deletes a running container; run and exec give argv', async () => {
    const f = new FakeOciRuntime()
    expect(f.run('c', bundle)).to.deep.equal(['/fake/bin/oci', 'run', '--bundle', '/b', '--pid-file', '/b/pid', 'c'])
    expect((await f.state('c')).status).to.equal('running')
    expect(f.exec('c', {process: '/p', pidFile: '/pid', detach: true})).to.deep.equal(['/fake/bin/oci', 'exec', '-d', '--process', '/p', '--pid-file', '/pid', 'c'])
    f.exit('c', 3)
    expect(f.container('c')).to.include({status: 'stopped', exitCode: 3})
    f.run('c', bundle)
    await f.delete('c', {force: true})
    expect(f.container('c')).to.equal(undefined)
  })
})
