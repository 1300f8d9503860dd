// `update` with the fake OCI runtime: a running container's new limits go to
// the runtime as a linux.resources file and into its config; a stopped one's
// only into its config; rootless on cgroup v1 they are dropped with Podman's
// warning. (The real runtime and cgroup files: test/e2e/resources.test.ts.)
import {expect} from 'chai'
import {mkdirSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import type {ContainerConfig, Runtime} from '../../src/libpod/index.js'
import type {FakeOciRuntime} from '../../src/libpod/oci/fake.js'

type Lib = typeof import('../../src/libpod/index.js')

describe('update with the fake OCI runtime', () => {
  let lib: Lib
  let dir: string
  let rt: Runtime
  let oci: FakeOciRuntime
  let sent: unknown[]

  const config = (id: string): ContainerConfig => ({
    id, name: `u${id.slice(0, 4)}`, imageId: 'f'.repeat(64), imageName: 'busybox', created: new Date().toISOString(),
    command: ['sleep', '100'], env: [], envFiles: [], envHost: false, labels: {}, annotations: {}, tty: false, interactive: false, remove: false,
    readOnly: false, privileged: false, init: false, capAdd: [], capDrop: [], security: {}, mounts: [], tmpfs: [], ulimits: [],
    network: 'none', stopSignal: 'SIGTERM', stopTimeout: 10, logDriver: 'k8s-file', logOptions: {}, runtime: 'runc', sigProxy: true,
    storageDriver: 'vfs', resources: {resourceLimits: {memory: {limit: 1 << 26, swap: 1 << 27}, pids: {limit: 50}}},
  })

  before(async () => {
    lib = await import('../../src/libpod/index.js')
  })

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'peapod-update-'))
    rt = await lib.Runtime.open({root: path.join(dir, 'root'), runroot: path.join(dir, 'run'), storageDriver: 'vfs'})
    const {FakeOciRuntime} = await import('../../src/libpod/oci/fake.js')
    oci = new FakeOciRuntime()
    sent = []
    const update = oci.update.bind(oci)
    oci.update = async (id, file) => {
      sent.push(JSON.parse(readFileSync(file, 'utf8')))
      return update(id, file)
    }
    rt.fixedOci = oci
    ;(rt.config as {rootless: boolean}).rootless = false
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  async function container(running: boolean): Promise<ContainerConfig> {
    const c = config((running ? 'aa' : 'bb').repeat(32))
    if (running) {
      await oci.create(c.id, {bundle: dir, pidFile: path.join(dir, 'pid')})
      await oci.start(c.id)
      mkdirSync((await lib.load.containerPaths()).containerPaths(rt, c.id).run, {recursive: true})
    }
    rt.containers.reserveName(c.name, c.id)
    rt.containers.create(c, {status: running ? 'running' : 'exited', restartCount: 0})
    return c
  }

  it('a running container: the runtime gets the merged limits, the config keeps them', async () => {
    const c = await container(true)
    const {updateContainer} = await lib.load.containerUpdate()
    const r = await updateContainer(rt, c.name, {cpu: {period: 100000, quota: 50000}, memory: {limit: 1 << 27, swap: 1 << 28}})
    expect(r).to.deep.equal({id: c.id, warnings: []})
    expect(oci.calls.filter(x => x[0] === 'update')).to.have.length(1)
    // no device rules: update takes the limits only
    expect(sent).to.deep.equal([{memory: {limit: 1 << 27, swap: 1 << 28}, cpu: {quota: 50000, period: 100000}, pids: {limit: 50}}])
    expect(rt.containers.read(c.id)!.config.resources?.resourceLimits).to.deep.equal({memory: {limit: 1 << 27, swap: 1 << 28}, cpu: {period: 100000, quota: 50000}, pids: {limit: 50}})
  })

  it('a stopped container: only its config changes (the next start applies it)', async () => {
    const c = await container(false)
    const {updateContainer} = await lib.load.containerUpdate()
    await updateContainer(rt, c.id, {cpu: {shares: 256}})
    expect(oci.calls.filter(x => x[0] === 'update')).to.deep.equal([])
    expect(rt.containers.read(c.id)!.config.resources?.resourceLimits?.cpu).to.deep.equal({shares: 256})
  })

  it('rootless on cgroup v1: Podman\'s warning, nothing sent', async function () {
    const {hostCgroups} = await import('../../src/libpod/container/resources.js')
    if (hostCgroups().v2) this.skip()
    const c = await container(true)
    ;(rt.config as {rootless: boolean}).rootless = true
    const {updateContainer} = await lib.load.containerUpdate()
    const r = await updateContainer(rt, c.id, {memory: {limit: 1 << 27}})
    expect(r.warnings).to.deep.equal(['Resource limits are not supported and ignored on cgroups V1 rootless systems'])
    expect(sent).to.deep.equal([])
  })

  it('an unknown container: Podman\'s error', async () => {
    const {updateContainer} = await lib.load.containerUpdate()
    const e = await updateContainer(rt, 'nosuch', {}).then(() => undefined, (x: Error) => x)
    expect(e?.message).to.equal('no container with name or ID "nosuch" found: no such container')
  })
})
