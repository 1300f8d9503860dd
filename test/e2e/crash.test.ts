// Crash consistency (issue 17): a command killed at any step leaves a store
// the next command can use, with nothing leaked. Regression tests of what
// storms found (a container stuck in `removing`, leaked pod name
// reservations, a container wedged by a missing runtime, a leaked monitor),
// then every failpoint (src/libpod/util/failpoint.ts) in turn, root and
// rootless, each followed by the invariants, and `system check`.
import {expect} from 'chai'
import {existsSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {Containers, Env, pidGone, processes, waitUntil, type Mode, type Result} from './helpers.js'
import {busyboxEnvs} from './fixtures.js'

const MODES: Mode[] = ['root', 'rootless']

/** SIGKILL shows as no status (128) from spawnSync, or 137 through a parent. */
function killed(r: Result): boolean {
  return r.code === 128 || r.code === 137
}

function ls(dir: string): string[] {
  try {
    return readdirSync(dir)
  } catch {
    return []
  }
}

/** Runs with a failpoint set; expects the command to have died there. */
function crash(env: Env, point: string, args: string[]): void {
  const r = env.run(args, {env: {PEAPOD_FAILPOINT: point}})
  expect(killed(r), `${point}: ${args.join(' ')} was not killed there (exit ${r.code}): ${r.stderr}`).to.equal(true)
}

/** rm -af and pod rm -af leave nothing of ours, and `system check` finds nothing. */
async function cleanAndCheck(env: Env, ct: Containers): Promise<void> {
  env.ok(['pod', 'rm', '-af'])
  env.ok(['rm', '-af', '-t', '0'])
  expect(ls(path.join(env.root, 'pod-names'))).to.deep.equal([])
  expect(ls(path.join(env.root, 'pods'))).to.deep.equal([])
  await ct.settled()
  const check = env.run(['system', 'check'])
  expect(check.stdout + check.stderr, 'system check').to.equal('')
  expect(check.code).to.equal(0)
}


describe('crash consistency', function () {
  this.timeout(600_000)
  const envs = busyboxEnvs()

  it('system check reports each kind of damage, --repair --force fixes it, and it is clean after (root)', async function () {
    const e = envs.get('root')
    if (!e) this.skip()
    const {env, ct} = e!
    const root = env.root
    // an orphaned layer
    const ghost = 'f'.repeat(64)
    writeFileSync(path.join(root, 'layers', `${ghost}.json`), JSON.stringify({id: ghost, diffId: `sha256:${ghost}`, size: 0, created: new Date().toISOString()}))
    // a container whose rootfs is gone
    const broken = env.ok(['create', '--name', 'broken', 'bb', 'true']).trim()
    rmSync(path.join(root, 'containers', broken, 'rootfs'), {recursive: true, force: true})
    // a container marked running with no monitor
    const ghostRun = env.ok(['create', '--name', 'ghostrun', 'bb', 'true']).trim()
    const stateFile = path.join(root, 'containers', ghostRun, 'state.json')
    writeFileSync(stateFile, JSON.stringify({...JSON.parse(readFileSync(stateFile, 'utf8')), status: 'running', monitorPid: 999999999, pid: 999999999}))
    // a dangling name reservation (its creator gone) and a stale lock
    writeFileSync(path.join(root, 'names', 'ghostname'), `${'e'.repeat(64)}\n999999999:1\n`)
    mkdirSync(path.join(root, 'container-locks', 'x.lock'), {recursive: true})
    utimesSync(path.join(root, 'container-locks', 'x.lock'), new Date(0), new Date(0))
    // a pod whose infra container is gone
    env.ok(['pod', 'create', '--name', 'noinfra'])
    const infra = env.ok(['pod', 'inspect', 'noinfra', '--format', '{{.InfraContainerID}}']).trim()
    rmSync(path.join(root, 'containers', infra, 'config.json'))
    // a volume whose directory is gone
    env.ok(['volume', 'create', 'novol'])
    rmSync(path.join(root, 'volumes', 'novol', '_data'), {recursive: true})

    const check = env.run(['system', 'check'])
    expect(check.code, check.stderr).to.equal(125)
    for (const kind of ['orphaned layer', 'container whose layer is gone', 'container marked running with no monitor', 'dangling container name reservation',
      'stale lock', 'pod with missing infra container', 'container directory without a document', 'volume whose directory is missing']) {
      expect(check.stdout, kind).to.include(`${kind}: `)
    }
    expect(check.stderr.trim()).to.match(/^Error: \d+ problems found in the store: run system check --repair to fix$/)
    // without --force the damaged container stays (its data would be lost)
    const repair = env.run(['system', 'check', '--repair'])
    expect(repair.code).to.equal(125)
    expect(repair.stdout).to.include('Repaired orphaned layer: ')
    const forced = env.run(['system', 'check', '--repair', '--force'])
    expect(forced.code, forced.stdout + forced.stderr).to.equal(0)
    expect(forced.stdout).to.include(`Repaired container whose layer is gone: ${broken}`)
    const after = env.run(['system', 'check'])
    expect(after.stdout + after.stderr).to.equal('')
    expect(after.code).to.equal(0)
    expect(env.ok(['ps', '-a', '--format', '{{.Names}} {{.Status}}']).trim()).to.match(/^ghostrun Exited \(137\)/)
    expect(env.ok(['volume', 'ls', '-q']).trim()).to.equal('novol')
    env.ok(['volume', 'rm', 'novol'])
    await cleanAndCheck(env, ct)
  })

  for (const mode of MODES) {
    describe(mode, function () {
      const get = () => {
        const e = envs.get(mode)
        if (!e) this.ctx.skip()
        return e!
      }

      it('an rm killed after marking the container removing: ps -a shows it, rm -af removes it, its name is free', async function () {
        const {env, ct} = get()
        env.ok(['run', '-d', '--name', 'fixed', 'bb', 'sleep', '1000'])
        crash(env, 'container.rm.after-mark', ['rm', '-f', '-t', '0', 'fixed'])
        expect(env.ok(['ps', '-a', '--format', '{{.Names}} {{.Status}}'])).to.match(/^fixed Exited/)
        env.ok(['rm', '-af', '-t', '0'])
        env.ok(['create', '--name', 'fixed', 'bb', 'true'])
        env.ok(['rm', 'fixed'])
        // and the same once more, finished by a plain `rm NAME`
        env.ok(['create', '--name', 'fixed', 'bb', 'true'])
        crash(env, 'container.rm.after-mark', ['rm', 'fixed'])
        expect(env.ok(['rm', 'fixed']).trim()).to.equal('fixed')
        await cleanAndCheck(env, ct)
      })

      it('pod creates and removes killed mid-way leak no name reservation; the name is free again', async function () {
        const {env, ct} = get()
        crash(env, 'pod.create.after-reserve', ['pod', 'create', '--name', 'p1'])
        crash(env, 'pod.create.after-infra', ['pod', 'create', '--name', 'p2'])
        env.ok(['pod', 'create', '--name', 'p3'])
        crash(env, 'pod.rm.after-document', ['pod', 'rm', '-f', 'p3'])
        crash(env, 'container.create.after-reserve', ['create', '--name', 'c1', 'bb', 'true'])
        // the names are free at once (their creators are gone)
        env.ok(['pod', 'create', '--name', 'p1'])
        env.ok(['create', '--name', 'c1', 'bb', 'true'])
        env.ok(['pod', 'rm', '-af'])
        env.ok(['rm', '-af', '-t', '0'])
        expect(ls(path.join(env.root, 'pod-names'))).to.deep.equal([])
        expect(ls(path.join(env.root, 'names'))).to.deep.equal([])
        env.ok(['pod', 'create', '--name', 'p2'])
        await cleanAndCheck(env, ct)
      })

      it('create refuses a runtime that does not exist; a never-started container is removed without its runtime', async function () {
        const {env, ct} = get()
        const conf = env.file('nosuchrt.conf')
        writeFileSync(conf, '[engine]\nruntime = "nosuchrt"\n')
        env.chown(conf)
        const r = env.run(['create', '--name', 'nort', 'bb', 'true'], {env: {CONTAINERS_CONF: conf}})
        expect(r.code, r.stderr).to.equal(125)
        expect(r.stderr.trim()).to.equal('Error: default OCI runtime "nosuchrt" not found: invalid argument')
        expect(env.ok(['ps', '-aq'])).to.equal('')
        env.ok(['create', '--name', 'nort', 'bb', 'true'])
        expect(env.run(['--runtime', 'nosuchrt', 'rm', '-f', '-t', '0', 'nort'], {env: {CONTAINERS_CONF: conf}}).code).to.equal(0)
        env.ok(['create', '--name', 'nort', 'bb', 'true'])
        expect(env.run(['rm', '-af', '-t', '0'], {env: {CONTAINERS_CONF: conf}}).code).to.equal(0)
        await cleanAndCheck(env, ct)
      })

      it('a start killed after its monitor ran: rm -af leaves no monitor; start again works', async function () {
        const {env, ct} = get()
        env.ok(['create', '--name', 'lm', 'bb', 'sleep', '1000'])
        crash(env, 'container.start.after-monitor', ['start', 'lm'])
        env.ok(['start', 'lm'])
        expect(env.ok(['ps', '--format', '{{.Names}}']).trim()).to.equal('lm')
        env.ok(['create', '--name', 'lm2', 'bb', 'sleep', '1000'])
        crash(env, 'container.start.after-monitor', ['start', 'lm2'])
        env.ok(['rm', '-af', '-t', '0'])
        await cleanAndCheck(env, ct)
      })

      // The storm (storm.test.ts): rootless, `ps` noticed the dead monitor outside the namespace and
      // nobody cleaned up: the container ran on, shown Exited, and `start` failed with runc's
      // "container with given ID already exists".
      it('a monitor SIGKILLed, noticed by ps: the container is cleaned up and start works again', async function () {
        const {env, ct} = get()
        env.ok(['run', '-d', '--name', 'mk', 'bb', 'sleep', '1000'])
        const state = JSON.parse(env.ok(['inspect', 'mk']))[0].State
        process.kill(state.ConmonPid, 'SIGKILL')
        expect(env.ok(['ps', '-a', '--format', '{{.Names}} {{.Status}}'])).to.match(/^mk Exited \(137\)/)
        await pidGone(state.Pid)
        const id = env.ok(['inspect', '--format', '{{.Id}}', 'mk']).trim()
        await waitUntil('the runtime state released', () => !existsSync(path.join(env.runroot, 'runc', id)))
        env.ok(['start', 'mk'])
        expect(env.ok(['ps', '--format', '{{.Names}}']).trim()).to.equal('mk')
        env.ok(['rm', '-f', '-t', '0', 'mk'])
        await cleanAndCheck(env, ct)
      })

      it('a start killed after its monitor ran, then the monitor SIGKILLed: start works again', async function () {
        const {env, ct} = get()
        env.ok(['create', '--name', 'mk2', 'bb', 'sleep', '1000'])
        crash(env, 'container.start.after-monitor', ['start', 'mk2'])
        const id = env.ok(['inspect', '--format', '{{.Id}}', 'mk2']).trim()
        const mon = processes().find(p => p.cmdline.includes(`${env.runroot}/`) && p.cmdline.includes('conmon/main.cjs'))
        expect(mon, 'the monitor of the killed start').to.not.equal(undefined)
        process.kill(mon!.pid, 'SIGKILL')
        await pidGone(mon!.pid)
        expect(existsSync(path.join(env.runroot, 'runc', id)), 'the runtime state left behind').to.equal(true)
        env.ok(['start', 'mk2'])
        expect(env.ok(['ps', '--format', '{{.Names}}']).trim()).to.equal('mk2')
        env.ok(['rm', '-f', '-t', '0', 'mk2'])
        await cleanAndCheck(env, ct)
      })
    })
  }
})
