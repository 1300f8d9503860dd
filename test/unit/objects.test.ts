// The engine's objects and the Runtime-level rules, on a temporary store with
// documents written directly (no OCI runtime, no root): --all/--latest/names
// selection, per-item reports, and the work that spans objects (a pod's
// infra, a volume or network in use).
import {expect} from 'chai'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import type {ContainerConfig, ContainerState, Runtime} from '../../src/libpod/index.js'

// Loaded with import(), as the Runtime loads its parts: mocha may require()
// a test file, and a CommonJS copy of the error classes would differ from
// the ESM copy the engine throws.
type Lib = typeof import('../../src/libpod/index.js')
let lib: Lib

let dir: string
let rt: Runtime
let seq = 0

function config(over: Partial<ContainerConfig> = {}): ContainerConfig {
  seq++
  const id = (seq.toString(16).padStart(2, '0') + 'ab').repeat(16)
  return {
    id, name: `c${seq}`, imageId: 'f'.repeat(64), imageName: 'busybox', created: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
    command: ['true'], env: [], envFiles: [], envHost: false, labels: {}, annotations: {}, tty: false, interactive: false, remove: false,
    readOnly: false, privileged: false, init: false, capAdd: [], capDrop: [], securityOpt: [], mounts: [], tmpfs: [], ulimits: [],
    network: 'none', stopSignal: 'TERM', stopTimeout: 10, logDriver: 'k8s-file', logOptions: {}, runtime: 'runc', sigProxy: true,
    storageDriver: 'vfs', ...over,
  }
}

function add(over: Partial<ContainerConfig> = {}, state: Partial<ContainerState> = {}): ContainerConfig {
  const c = config(over)
  rt.containers.reserveName(c.name, c.id)
  rt.containers.create(c, {status: 'exited', exitCode: 0, restartCount: 0, ...state})
  return c
}

describe('engine objects (Runtime, no OCI runtime)', () => {
  before(async () => {
    lib = await import('../../src/libpod/index.js')
  })

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'peapod-objects-'))
    rt = await lib.Runtime.open({root: path.join(dir, 'root'), runroot: path.join(dir, 'run'), storageDriver: 'vfs'})
  })

  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  it('looks containers up by name, ID and prefix as objects', () => {
    const c = add()
    expect(rt.container(c.name).id).to.equal(c.id)
    expect(rt.container(c.id.slice(0, 12)).name).to.equal(c.name)
    expect(rt.container(c.id).status).to.equal('exited')
    expect(() => rt.container('nope')).to.throw(lib.NoSuchContainer, 'no container with name or ID "nope" found: no such container')
  })

  it('resolves --latest to the newest container and --all with its filter', () => {
    const a = add({}, {status: 'running'})
    const b = add()
    const c = add({}, {status: 'removing'})
    expect(rt.containerRefs({latest: true})).to.deep.equal([b.id])
    expect(rt.containerRefs({all: true}).sort()).to.deep.equal([a.id, b.id].sort())
    expect(rt.containerRefs({all: true, filter: x => x.active})).to.deep.equal([a.id])
    expect(rt.containerRefs({refs: ['x', c.name]})).to.deep.equal(['x', c.name])
    expect(rt.latestContainer()?.id).to.equal(b.id)
  })

  it('returns a report per container: the value, or the error of that one', async () => {
    const a = add()
    const reports = await rt.forContainers({refs: [a.name, 'missing']}, async c => c.name.toUpperCase())
    expect(reports).to.have.length(2)
    expect(reports[0]).to.deep.include({ref: a.name, id: a.id, value: a.name.toUpperCase()})
    expect(reports[1].ref).to.equal('missing')
    expect(reports[1].error).to.be.instanceOf(lib.NoSuchContainer)
  })

  it('resolves pods by --latest and reports a missing one', async () => {
    rt.pods.write({id: '1'.repeat(64), name: 'p1', created: '2026-01-01T00:00:00Z', labels: {}, share: [], exitPolicy: 'continue'})
    rt.pods.reserveName('p1', '1'.repeat(64))
    rt.pods.write({id: '2'.repeat(64), name: 'p2', created: '2026-01-02T00:00:00Z', labels: {}, share: [], exitPolicy: 'continue'})
    rt.pods.reserveName('p2', '2'.repeat(64))
    expect(rt.podRefs({latest: true})).to.deep.equal(['2'.repeat(64)])
    expect(rt.pod('p1').id).to.equal('1'.repeat(64))
    const reports = await rt.forPods({refs: ['p2', 'nope']}, async p => p.name)
    expect(reports[0].value).to.equal('p2')
    expect(reports[1].error).to.be.instanceOf(lib.NoSuchPod)
  })

  it('keeps a pod\'s infra unless its pod goes too; the Runtime removes the pod (hooks)', async () => {
    const podId = '3'.repeat(64)
    const infra = add({pod: podId, isInfra: true})
    rt.pods.write({id: podId, name: 'pod', created: '2026-01-01T00:00:00Z', labels: {}, share: [], exitPolicy: 'continue', infraId: infra.id})
    await rt.container(infra.id).remove().then(() => expect.fail('removed'), e => expect(e).to.be.instanceOf(lib.InfraContainerRemoval))
    const removedPods: string[] = []
    rt.hooks.removePod = async (_rt, id) => {
      removedPods.push(id)
    }
    expect(await rt.container(infra.id).remove({withPod: true})).to.deep.equal([infra.id])
    expect(removedPods).to.deep.equal([podId])
  })

  it('starts no infra for a member whose infra runs, and applies exit policy only to the last member', async () => {
    const {beforeMemberStart, afterMemberExit} = await import('../../src/libpod/runtime/pods.js')
    const podId = '4'.repeat(64)
    const infra = add({pod: podId, isInfra: true}, {status: 'running'})
    const m1 = add({pod: podId}, {status: 'running'})
    const m2 = add({pod: podId})
    rt.pods.write({id: podId, name: 'pod4', created: '2026-01-01T00:00:00Z', labels: {}, share: [], exitPolicy: 'stop', infraId: infra.id})
    await beforeMemberStart(rt, m2) // the infra runs: nothing to start
    await afterMemberExit(rt, m2) // m1 still runs: the infra stays
    expect(rt.containers.read(infra.id)?.state.status).to.equal('running')
    // An infra that is gone is an error for a member's start.
    rt.pods.write({id: podId, name: 'pod4', created: '2026-01-01T00:00:00Z', labels: {}, share: [], exitPolicy: 'stop', infraId: 'e'.repeat(64)})
    await beforeMemberStart(rt, m1).then(() => expect.fail('started'), e => expect(e).to.be.instanceOf(lib.InvalidArgument))
  })

  it('refuses to remove a volume in use unless forced; forced, its containers go first', async () => {
    await rt.volumes.create({name: 'data'} as never)
    const user = add({mounts: [{type: 'volume', source: 'data', destination: '/data', options: []}]})
    await rt.volume('data').remove().then(() => expect.fail('removed'), e => {
      expect(e).to.be.instanceOf(lib.VolumeInUse)
      expect((e as Error).message).to.equal(`volume data is being used by the following container(s): ${user.id}: volume is being used`)
    })
    expect(await rt.volume('data').users()).to.deep.equal([user.id])
    expect(await rt.volume('data').remove({force: true})).to.equal('data')
    expect(rt.containers.find(user.id)).to.equal(undefined)
    expect(rt.volumes.list()).to.have.length(0)
  })

  it('prunes only the volumes no container uses', async () => {
    await rt.volumes.create({name: 'used'} as never)
    await rt.volumes.create({name: 'free'} as never)
    add({mounts: [{type: 'volume', source: 'used', destination: '/u', options: []}]})
    expect(await rt.volumePruneCandidates()).to.deep.equal(['free'])
    expect(await rt.pruneVolumes()).to.deep.equal(['free'])
    expect(rt.volumes.list().map(v => v.name)).to.deep.equal(['used'])
  })
})
