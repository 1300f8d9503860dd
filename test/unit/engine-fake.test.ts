// The engine's objects (Container, Pod, Volume) driven with the fake OCI
// runtime (src/libpod/oci/fake.ts), on a temporary store, as root or as a
// non-root user, without the e2e setup.
//
// What needs root or real mounts, and how the tests get around it:
// - create/init/start prepare a rootfs from an image (storage/mount.ts) and
//   spawn the monitor (src/conmon): neither works here. Containers are put in
//   the store as documents (as `create` leaves them), and a "running" one is
//   made the way start would leave it: the fake runtime knows it as running,
//   and its state names a live monitor pid.
// - The monitor is a stand-in process whose command line names conmon (what
//   monitorAlive() checks). When the fake runtime stops the container, the
//   test's FakeMonitor does what conmon does: writes the exit file and exits.
//   The engine then notices the exit by itself (syncContainer, waitForState).
// - pause: rootless on cgroup v1 (this machine) Podman refuses it before the
//   OCI runtime is asked; that refusal is tested, and the pause/unpause path
//   itself is run with the Runtime's config marked as root's.
import {expect} from 'chai'
import {spawn, type ChildProcess} from 'node:child_process'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import type {ContainerConfig, ContainerState, Runtime} from '../../src/libpod/index.js'
import type {FakeOciRuntime} from '../../src/libpod/oci/fake.js'

// Loaded with import(): a CommonJS copy of the error classes would differ
// from the ESM copy the engine throws (see objects.test.ts).
type Lib = typeof import('../../src/libpod/index.js')
let lib: Lib
let FakeOci: typeof FakeOciRuntime
let containerPaths: typeof import('../../src/libpod/container/paths.js').containerPaths
let cgroupV2: typeof import('../../src/libpod/container/pause.js').cgroupV2

let dir: string
let rt: Runtime
let oci: FakeOciRuntime
let seq = 0
const monitors = new Map<string, ChildProcess>()

function config(over: Partial<ContainerConfig> = {}): ContainerConfig {
  seq++
  const id = (seq.toString(16).padStart(2, '0') + 'cd').repeat(16)
  return {
    id, name: `f${seq}`, imageId: 'f'.repeat(64), imageName: 'busybox', created: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
    command: ['sleep', '100'], env: [], envFiles: [], envHost: false, labels: {}, annotations: {}, tty: false, interactive: false, remove: false,
    readOnly: false, privileged: false, init: false, capAdd: [], capDrop: [], securityOpt: [], mounts: [], tmpfs: [], ulimits: [],
    network: 'none', stopSignal: 'TERM', stopTimeout: 10, logDriver: 'k8s-file', logOptions: {}, runtime: 'runc', sigProxy: true,
    storageDriver: 'vfs', ...over,
  }
}

/** A container as `create` leaves it (Podman's Configured, shown as created). */
function created(over: Partial<ContainerConfig> = {}): ContainerConfig {
  const c = config(over)
  rt.containers.reserveName(c.name, c.id)
  rt.containers.create(c, {status: 'created', restartCount: 0})
  return c
}

/** A container as start leaves it: running in the (fake) OCI runtime, with a live monitor. */
async function running(over: Partial<ContainerConfig> = {}, state: Partial<ContainerState> = {}): Promise<ContainerConfig> {
  const c = config(over)
  const bundle = path.join(dir, 'bundles', c.id)
  await oci.create(c.id, {bundle, pidFile: path.join(bundle, 'pid')})
  await oci.start(c.id)
  // argv names conmon, as monitorAlive() requires of a monitor
  const mon = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e6)', 'conmon'], {stdio: 'ignore'})
  monitors.set(c.id, mon)
  rt.containers.reserveName(c.name, c.id)
  rt.containers.create(c, {status: 'running', restartCount: 0, pid: oci.container(c.id)!.pid, monitorPid: mon.pid, startedAt: new Date().toISOString(), ...state})
  return c
}

/**
 * The fake runtime plus what the monitor does when the container's process
 * ends: conmon writes the exit file and exits. Nothing else is simulated.
 */
function fakeWithMonitor(): FakeOciRuntime {
  const f = new FakeOci()
  const kill = f.kill.bind(f)
  f.kill = async (id, signal, o) => {
    await kill(id, signal, o)
    await monitorSees(f, id)
  }
  return f
}

/** The container's process exits by itself with `code`; its monitor records it. */
async function exitByItself(id: string, code: number): Promise<void> {
  oci.exit(id, code)
  await monitorSees(oci, id)
}

/** What conmon does once the container's process has ended: the exit file, then it exits. */
async function monitorSees(f: FakeOciRuntime, id: string): Promise<void> {
  const after = f.container(id)
  const mon = monitors.get(id)
  if (after?.status !== 'stopped' || !mon) return
  const exitFile = containerPaths(rt, id).exitFile
  mkdirSync(path.dirname(exitFile), {recursive: true})
  writeFileSync(exitFile, JSON.stringify({exitCode: after.exitCode, finishedAt: new Date().toISOString()}))
  monitors.delete(id)
  // returns once the monitor is gone, so that what follows sees it dead (no race with the signal)
  const gone = new Promise(resolve => mon.once('exit', resolve))
  mon.kill('SIGKILL')
  await gone
}

async function rejects(p: Promise<unknown>, cls: new (...a: never[]) => Error, message: string): Promise<Error> {
  const e = await p.then(() => expect.fail('did not throw'), (x: Error) => x)
  expect(e).to.be.instanceOf(cls)
  expect(e.message).to.equal(message)
  return e
}

describe('engine objects with the fake OCI runtime', function () {
  // the engine's own liveness tick (500 ms) notices a monitor that is gone
  this.timeout(20_000)

  before(async () => {
    lib = await import('../../src/libpod/index.js')
    FakeOci = (await import('../../src/libpod/oci/fake.js')).FakeOciRuntime
    containerPaths = (await import('../../src/libpod/container/paths.js')).containerPaths
    cgroupV2 = (await import('../../src/libpod/container/pause.js')).cgroupV2
  })

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'peapod-fake-'))
    rt = await lib.Runtime.open({root: path.join(dir, 'root'), runroot: path.join(dir, 'run'), storageDriver: 'vfs'})
    oci = fakeWithMonitor()
    rt.fixedOci = oci
  })

  afterEach(() => {
    for (const m of monitors.values()) m.kill('SIGKILL')
    monitors.clear()
    rmSync(dir, {recursive: true, force: true})
  })

  it('refuses to kill a created container (Podman\'s message)', async () => {
    const c = created()
    const ctr = rt.container(c.name)
    expect(ctr.status).to.equal('created')
    await rejects(ctr.kill(), lib.ContainerStateImproper, `can only kill running containers. ${c.id} is in state created: container state improper`)
    expect(oci.calls).to.deep.equal([])
  })

  it('start stops short of the OCI runtime without a rootfs: exited 125, as Podman; a running one is left alone', async () => {
    // start needs the image's layers mounted (prepareBundle) and a real monitor:
    // here the image is missing, so the engine's failure path is what runs.
    const c = created()
    const e = await rejects(rt.container(c.id).start(), lib.NoSuchImage, `${'f'.repeat(64)}: image not known`)
    const after = rt.container(c.id)
    expect(after.status).to.equal('exited')
    expect(after.state.exitCode).to.equal(125)
    expect(after.state.error).to.equal(e.message)
    expect(oci.calls).to.deep.equal([])

    const r = await running()
    await rt.container(r.id).start()
    expect(oci.calls.filter(x => x[1] === r.id).map(x => x[0])).to.deep.equal(['create', 'start'])
    expect(rt.container(r.id).status).to.equal('running')
  })

  it('kills a running container through the OCI runtime; the exit is noticed', async () => {
    const c = await running()
    const ctr = rt.container(c.name)
    expect(ctr.active).to.equal(true)
    await ctr.kill('TERM')
    expect(oci.calls.at(-1)).to.deep.equal(['kill', c.id, 'TERM'])
    expect(oci.container(c.id)?.status).to.equal('stopped')
    expect(await ctr.wait()).to.equal(143)
    await ctr.refresh()
    expect(ctr.status).to.equal('exited')
    expect(ctr.state.exitCode).to.equal(143)
  })

  it('a process that exits by itself: the container is exited with its code, and can be removed', async () => {
    const c = await running()
    await exitByItself(c.id, 3)
    const ctr = rt.container(c.id)
    expect(ctr.status).to.equal('running') // as last read: the object syncs when asked
    expect(await ctr.wait()).to.equal(3)
    await ctr.refresh()
    expect(ctr.status).to.equal('exited')
    expect(ctr.state.stoppedByUser).to.not.equal(true)
    expect(await ctr.remove()).to.deep.equal([c.id])
    expect(oci.container(c.id)).to.equal(undefined)
  })

  it('rootless on cgroup v1 refuses pause before the OCI runtime is asked', async function () {
    if (!rt.config.rootless || cgroupV2()) this.skip()
    const c = await running()
    await rejects(rt.container(c.id).pause(), lib.NoCgroups, 'can not pause containers on rootless containers with cgroup V1: this container does not have a cgroup')
    expect(oci.calls.filter(x => x[0] === 'pause')).to.deep.equal([])
  })

  it('goes running → paused → running → exited → removed, with the illegal steps refused', async () => {
    // The cgroup check is the one step the fake cannot stand in for (see above).
    const rootless = rt.config.rootless
    ;(rt.config as {rootless: boolean}).rootless = false
    const c = await running()
    const ctr = rt.container(c.name)
    await rejects(ctr.unpause(), lib.ContainerStateImproper, `"${c.id}" is not paused, can't unpause: container state improper`)

    await ctr.pause()
    expect(ctr.status).to.equal('paused')
    expect(oci.container(c.id)?.status).to.equal('paused')
    await rejects(ctr.pause(), lib.ContainerStateImproper, `"${c.id}" is already paused: container state improper`)
    await rejects(ctr.remove(), lib.ContainerStateImproper,
      `cannot remove container ${c.id} as it is paused - running or paused containers cannot be removed without force: container state improper`)

    await ctr.unpause()
    expect(ctr.status).to.equal('running')
    expect(oci.calls.map(x => x[0])).to.include.members(['pause', 'resume'])
    ;(rt.config as {rootless: boolean}).rootless = rootless

    // stop: the stop signal through the runtime, the monitor's exit noticed
    await ctr.stop()
    expect(oci.calls.find(x => x[0] === 'kill')).to.deep.equal(['kill', c.id, 'TERM'])
    expect(ctr.status).to.equal('exited')
    expect(ctr.state.exitCode).to.equal(143)
    expect(ctr.state.stoppedByUser).to.equal(true)

    await rejects(ctr.pause(), lib.ContainerStateImproper, '"exited" is not running, can\'t pause: container state improper')
    await rejects(ctr.kill(), lib.ContainerStateImproper, `can only kill running containers. ${c.id} is in state exited: container state improper`)
    // stopping an exited container is a no-op, as Podman's
    await ctr.stop()
    expect(oci.calls.filter(x => x[0] === 'kill')).to.have.length(1)

    expect(await ctr.remove()).to.deep.equal([c.id])
    expect(rt.containers.find(c.id)).to.equal(undefined)
    expect(() => rt.container(c.id)).to.throw(lib.NoSuchContainer)
  })

  it('removes a running container only with force, stopping it first with its stop signal, as Podman', async () => {
    const c = await running()
    await rejects(rt.container(c.id).remove(), lib.ContainerStateImproper,
      `cannot remove container ${c.id} as it is running - running or paused containers cannot be removed without force: container state improper`)
    expect(oci.container(c.id)?.status).to.equal('running')
    expect(await rt.container(c.id).remove({force: true})).to.deep.equal([c.id])
    expect(oci.calls.filter(x => x[0] === 'kill')).to.deep.equal([['kill', c.id, 'TERM']])
    expect(oci.container(c.id)).to.equal(undefined) // deleted from the runtime
    expect(rt.containers.find(c.id)).to.equal(undefined)
  })

  it('a pod\'s members: pod rm refuses a running member, forced removes members, document and infra', async () => {
    const podId = '5'.repeat(64)
    const infra = await running({pod: podId, isInfra: true})
    const member = await running({pod: podId})
    const idle = created({pod: podId})
    rt.pods.reserveName('pod5', podId)
    rt.pods.write({id: podId, name: 'pod5', created: '2026-01-01T00:00:00Z', labels: {}, share: [], exitPolicy: 'continue', infraId: infra.id})
    const pod = rt.pod('pod5')
    expect((await pod.containers()).map(x => x.config.id).sort()).to.deep.equal([infra.id, member.id, idle.id].sort())
    // the infra goes with its pod only
    await rejects(rt.container(infra.id).remove({force: true}), lib.InfraContainerRemoval,
      `container ${infra.id} is the infra container of pod ${podId} and cannot be removed without removing the pod`)

    await rejects(pod.remove(), lib.PodNotReady,
      `removing container ${member.id} from pod ${podId}: cannot remove container ${member.id} as it is running - running or paused containers cannot be removed without force: container state improper`)
    expect(rt.containers.find(member.id)?.state.status).to.equal('running')

    expect(await pod.remove({force: true, timeout: 5})).to.equal(podId)
    for (const id of [infra.id, member.id, idle.id]) expect(rt.containers.find(id)).to.equal(undefined)
    expect(() => rt.pod(podId)).to.throw(lib.NoSuchPod)
    // both running ones were stopped with their stop signal through the runtime
    expect(oci.calls.filter(x => x[0] === 'kill').map(x => x[1]).sort()).to.deep.equal([infra.id, member.id].sort())
  })

  it('pod rm -f without -t stops each member with its own stop timeout, as Podman (0: SIGKILL at once)', async () => {
    const podId = '9'.repeat(64)
    const infra = await running({pod: podId, isInfra: true, stopTimeout: 0})
    const quick = await running({pod: podId, stopTimeout: 0})
    const graceful = await running({pod: podId, stopTimeout: 5})
    rt.pods.reserveName('pod9', podId)
    rt.pods.write({id: podId, name: 'pod9', created: '2026-01-01T00:00:00Z', labels: {}, share: [], exitPolicy: 'continue', infraId: infra.id})
    oci.calls.length = 0
    expect(await rt.pod('pod9').remove({force: true})).to.equal(podId)
    const kills = oci.calls.filter(x => x[0] === 'kill')
    // a timeout of 0 goes straight to SIGKILL; the other gets its stop signal first
    expect(kills.filter(x => x[1] === quick.id)).to.deep.equal([['kill', quick.id, 'KILL']])
    expect(kills.filter(x => x[1] === graceful.id)).to.deep.equal([['kill', graceful.id, 'TERM']])
  })

  // The storm (test/e2e/storm.test.ts): `rm -af` failed over an infra whose pod had gained a member
  // (a `run -d --pod` next to it) after rm listed the containers.
  it('rm -af of an infra whose pod gained a member since the listing: the pod goes with it (forced only)', async () => {
    const podId = '7'.repeat(64)
    const infra = await running({pod: podId, isInfra: true})
    const late = await running({pod: podId})
    rt.pods.reserveName('pod7', podId)
    rt.pods.write({id: podId, name: 'pod7', created: '2026-01-01T00:00:00Z', labels: {}, share: [], exitPolicy: 'continue', infraId: infra.id})
    await rejects(rt.container(infra.id).remove({withPod: true}), lib.InfraContainerRemoval,
      `container ${infra.id} is the infra container of pod ${podId} and cannot be removed without removing the pod`)
    expect(await rt.container(infra.id).remove({force: true, timeout: 0, withPod: true})).to.deep.equal([infra.id])
    for (const id of [infra.id, late.id]) expect(rt.containers.find(id)).to.equal(undefined)
    expect(() => rt.pod(podId)).to.throw(lib.NoSuchPod)
  })

  it('pod kill: members first, the infra last, through the runtime; none running is Podman\'s error', async () => {
    const podId = '6'.repeat(64)
    const infra = await running({pod: podId, isInfra: true})
    const member = await running({pod: podId})
    rt.pods.reserveName('pod6', podId)
    rt.pods.write({id: podId, name: 'pod6', created: '2026-01-01T00:00:00Z', labels: {}, share: [], exitPolicy: 'continue', infraId: infra.id})
    await rt.pod('pod6').kill()
    expect(oci.calls.filter(x => x[0] === 'kill')).to.deep.equal([['kill', member.id, 'KILL'], ['kill', infra.id, 'KILL']])
    // the monitors' exits are noticed when the containers are next looked at
    const states = (await rt.pod('pod6').containers()).map(c => [c.config.id, c.state.status, c.state.exitCode])
    expect(states).to.have.deep.members([[infra.id, 'exited', 137], [member.id, 'exited', 137]])
    await rejects(rt.pod('pod6').kill(), lib.InvalidArgument, `no containers in pod ${podId} are running: pod has no containers`)
  })

  it('removing a volume in use: refused without force; forced, its (running) containers go first', async () => {
    await rt.volumes.create({name: 'vol'} as never)
    const mounts = [{type: 'volume' as const, source: 'vol', destination: '/data', options: []}]
    const a = await running({mounts})
    const b = created({mounts})
    expect((await rt.volume('vol').users()).sort()).to.deep.equal([a.id, b.id].sort())
    await rejects(rt.volume('vol').remove(), lib.VolumeInUse,
      `volume vol is being used by the following container(s): ${[a.id, b.id].sort().join(', ')}: volume is being used`)
    expect(rt.containers.find(a.id)?.state.status).to.equal('running')

    expect(await rt.volume('vol').remove({force: true})).to.equal('vol')
    expect(rt.containers.find(a.id)).to.equal(undefined)
    expect(rt.containers.find(b.id)).to.equal(undefined)
    expect(oci.calls.filter(x => x[0] === 'kill')).to.deep.equal([['kill', a.id, 'TERM']])
    expect(rt.volumes.list()).to.have.length(0)
  })
})
