// Template fields Podman 4.3.1 offers (and its completion lists) that gave
// `<no value>` here: images {{.IsDangling}} {{.IsReadOnly}} {{.ParentId}}
// {{.RepoTags}}, pod ps {{.InfraId}}, history {{.CreatedSince}} (and its
// --human=false times, which carried milliseconds Podman does not print). The values
// are Podman's for the same store.
import {expect} from 'chai'
import {Env, unavailable, type Mode} from './helpers.js'
import {busyboxTar, busyboxEnv} from './fixtures.js'

describe('template fields as Podman names them (root)', function () {
  let env: Env

  before(function () {
    if (unavailable('root')) this.skip()
    env = new Env('root')
    env.ok(['import', busyboxTar(), 'bb'])
  })
  after(() => {
    env?.removeContainers()
    env?.cleanup()
  })

  it('images: IsDangling, IsReadOnly, ParentId, RepoTags', () => {
    expect(env.ok(['images', '--format', '{{.IsDangling}}|{{.IsReadOnly}}|{{.ParentId}}|{{.RepoTags}}']).trim()).to.equal('false|false||[localhost/bb:latest]')
    // The JSON form is Podman's ImageSummary: no template-only names in it.
    expect(env.ok(['images', '--format', 'json'])).not.to.match(/IsDangling|IsReadOnly/)
  })

  it('pod ps: InfraId is the infra container\'s short ID', () => {
    env.ok(['pod', 'create', '--name', 'p'])
    const infra = env.ok(['pod', 'inspect', 'p', '--format', '{{.InfraContainerID}}']).trim()
    expect(env.ok(['pod', 'ps', '--format', '{{.InfraId}}']).trim()).to.equal(infra.slice(0, 12))
    env.ok(['pod', 'rm', '-f', 'p'])
  })

  it('history: CreatedAt as time.Time prints, .ImageHistoryLayer the raw layer; JSON on one line as Podman', () => {
    const id = env.ok(['image', 'inspect', 'bb', '--format', '{{.Id}}']).trim()
    const [at, lid, created, size, comment] = env.ok(['history', 'bb', '--format', '{{.CreatedAt}}|{{.ImageHistoryLayer.ID}}|{{.ImageHistoryLayer.Created}}|{{.ImageHistoryLayer.Size}}|{{.Comment}}']).trim().split('|')
    expect(at).to.match(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000 UTC$/)
    expect(lid).to.equal(id)
    expect(created.startsWith(at!.replace(' +0000 UTC', ''))).to.equal(true)
    expect(Number(size)).to.be.greaterThan(1_000_000)
    expect(comment).to.equal('imported from tarball')
    const json = env.ok(['history', 'bb', '--format', 'json'])
    expect(json.trim().split('\n')).to.have.length(1)
    expect(JSON.parse(json)[0]).to.include({id, size: Number(size)})
  })

  it('history: CreatedSince is Created (a human age; with --human=false the time in whole seconds)', () => {
    expect(env.ok(['history', 'bb', '--format', '{{.CreatedSince}}|{{.Created}}']).trim()).to.match(/^(.+ ago)\|\1$/)
    expect(env.ok(['history', '--human=false', 'bb', '--format', '{{.CreatedSince}}|{{.Created}}']).trim())
      .to.match(/^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)\|\1$/)
  })
})

// container inspect and pod inspect templates see Podman's Go structs: every
// field (the JSON leaves the empty ones out), with Go's zero values and names.
for (const mode of ['root', 'rootless'] as Mode[]) {
  describe(`inspect templates see every field of Podman's structs (${mode})`, function () {
    let env: Env

    before(function () {
      if (unavailable(mode)) this.skip()
      env = new Env(mode)
      env.ok(['import', busyboxTar(), 'bb'])
      env.ok(['create', '--name', 'c', 'bb', 'true'])
    })
    after(() => {
      env?.removeContainers()
      env?.cleanup()
    })

    it('container inspect: fields the JSON omits print Go zero values (Podman 4.3.1 for a created container)', () => {
      const f = '{{.OCIConfigPath}}|{{.SizeRw}}|{{.SizeRootFs}}|{{.State.Checkpointed}}|{{.State.ConmonPid}}|{{.State.CgroupPath}}|{{.State.Healthcheck}}'
        + '|{{.Config.DomainName}}|{{.Config.SdNotifyMode}}|{{.Config.Volumes}}|{{.Config.OnBuild}}|{{.Config.Secrets}}|{{.HostConfig.Init}}'
        + '|{{.HostConfig.IDMappings}}|{{.HostConfig.VolumesFrom}}|{{.GraphDriver.Data}}|{{.NetworkSettings.IPAddress}}|{{.NetworkSettings.SecondaryIPAddresses}}'
      expect(env.ok(['container', 'inspect', 'c', '--format', f]).trim())
        .to.equal('|<nil>|0|false|0||{ 0 []}||container|map[]|<nil>|[]|false|<nil>|[]|map[]||[]')
      // Embedded structs by their type's name; .Id as .ID; times as Go prints them, json as JSON.
      expect(env.ok(['container', 'inspect', 'c', '--format', '{{.InspectContainerData.Name}}|{{.NetworkSettings.InspectBasicNetworkConfig.MacAddress}}|{{eq .Id .ID}}']).trim()).to.equal('c||true')
      expect(env.ok(['container', 'inspect', 'c', '--format', '{{.State.StartedAt}}|{{json .State.StartedAt}}|{{json .Config.Volumes}}|{{json .HostConfig.RestartPolicy}}']).trim())
        .to.equal('0001-01-01 00:00:00 +0000 UTC|"0001-01-01T00:00:00Z"|null|{"Name":"","MaximumRetryCount":0}')
      // A field of a nil pointer is Podman's error.
      const r = env.run(['container', 'inspect', 'c', '--format', '{{.Config.Healthcheck.Test}}'])
      expect(r.code).to.equal(125)
      expect(r.stderr).to.include('nil pointer evaluating *manifest.Schema2HealthConfig.Test')
    })

    it('container inspect --size (and inspect -s): SizeRw and SizeRootFs; JSON indented as Podman does', () => {
      const [rw, rootfs] = env.ok(['container', 'inspect', '--size', 'c', '--format', '{{.SizeRw}} {{.SizeRootFs}}']).trim().split(' ').map(Number)
      expect(rw).to.equal(0)
      expect(rootfs).to.be.greaterThan(1_000_000) // the busybox image
      expect(env.ok(['inspect', '-s', 'c', '--format', '{{.SizeRootFs}}']).trim()).to.equal(String(rootfs))
      const json = env.ok(['container', 'inspect', '-s', 'c'])
      expect(json).to.match(/^\[\n {5}\{\n {10}"Id": /)
      expect(JSON.parse(json)[0]).to.include({SizeRw: 0, SizeRootFs: rootfs})
      expect(JSON.parse(env.ok(['container', 'inspect', 'c']))[0]).not.to.have.any.keys('SizeRw', 'SizeRootFs')
    })

    it('pod inspect: the resource fields, zero without flags', () => {
      env.ok(['pod', 'create', '--name', 'p0'])
      const f = '{{.CPUPeriod}}|{{.CPUQuota}}|{{.CPUShares}}|{{.CPUSetCPUs}}|{{.CPUSetMems}}|{{.Mounts}}|{{.Devices}}|{{.BlkioDeviceReadBps}}|{{.BlkioDeviceWriteBps}}'
        + '|{{.VolumesFrom}}|{{.SecurityOpts}}|{{.MemoryLimit}}|{{.MemorySwap}}|{{.BlkioWeight}}|{{.BlkioWeightDevice}}|{{.Namespace}}'
        + '|{{.InfraConfig.CPUPeriod}}|{{.InfraConfig.CPUQuota}}|{{.InfraConfig.CPUSetCPUs}}|{{.InfraConfig.PidNS}}|{{.InfraConfig.StaticIP}}|{{.InfraConfig.DNSServer}}'
      expect(env.ok(['pod', 'inspect', 'p0', '--format', f]).trim()).to.equal('0|0|0|||[]|[]|[]|[]|[]|[]|0|0|0|[]||0|0||private|<nil>|[]')
      expect(env.ok(['pod', 'inspect', 'p0', '--format', '{{.InspectPodData.Name}}|{{range .Containers}}{{.ID}}{{end}}']).trim())
        .to.equal('p0|' + env.ok(['pod', 'inspect', 'p0', '--format', '{{.InfraContainerID}}']).trim())
      env.ok(['pod', 'rm', '-f', 'p0'])
    })

    it('pod inspect: --cpus --cpuset-* --memory-swap -v --volumes-from --security-opt as Podman 4.3.1 shows them', function () {
      if (mode === 'rootless') this.skip() // cgroup v1: no limits rootless
      env.ok(['create', '--name', 'vsrc', '-v', `${env.dir}:/mnt`, 'bb', 'true'])
      env.ok(['pod', 'create', '--name', 'p2', '--cpus', '1.5', '--cpuset-cpus', '0', '--cpuset-mems', '0', '-m', '100m', '--memory-swap', '200m',
        '--security-opt', 'label=disable', '--volumes-from', 'vsrc', '-v', `${env.dir}:/data`])
      const f = '{{.CPUPeriod}}|{{.CPUQuota}}|{{.CPUSetCPUs}}|{{.CPUSetMems}}|{{.Mounts}}|{{.VolumesFrom}}|{{.SecurityOpts}}|{{.MemoryLimit}}|{{.MemorySwap}}'
        + '|{{.InfraConfig.CPUPeriod}}|{{.InfraConfig.CPUQuota}}|{{.InfraConfig.CPUSetCPUs}}'
      expect(env.ok(['pod', 'inspect', 'p2', '--format', f]).trim())
        .to.equal(`100000|150000|0|0|[{bind  ${env.dir} /data   [rbind] true rprivate}]|[vsrc]|[label=disable]|104857600|209715200|100000|150000|0`)
      const doc = JSON.parse(env.ok(['pod', 'inspect', 'p2']))
      const keys = Object.keys(doc)
      expect(keys.slice(keys.indexOf('cpu_period'))).to.deep.equal(['cpu_period', 'cpu_quota', 'cpuset_cpus', 'cpuset_mems', 'mounts', 'volumes_from', 'security_opt', 'memory_limit', 'memory_swap'])
      expect(doc).to.deep.include({volumes_from: ['vsrc'], security_opt: ['label=disable']})
      env.ok(['pod', 'rm', '-f', 'p2'])
    })
  })
}

// ps and pod ps rows are Podman's reporters: their methods over an embedded
// entities.ListContainer / ListPodsReport whose fields are promoted.
for (const mode of ['root', 'rootless'] as Mode[]) {
  describe(`ps and pod ps templates as Podman's reporters (${mode})`, function () {
    let env: Env
    busyboxEnv(mode, e => { env = e })

    it('ps: .Cgroup and .User are the cgroup and user namespaces (with --ns), .Namespaces their struct, .ListContainer the embedded one', () => {
      env.ok(['run', '-d', '--name', 'up', '--network=none', 'bb', 'sleep', '1000'])
      const id = env.ok(['inspect', 'up', '--format', '{{.Id}}']).trim()
      const f = '{{.Cgroup}}|{{.User}}|{{.Namespaces}}|{{.ListContainer.Names}}|{{.ListContainer.ID}}|{{.ListContainer.Status}}|{{.ListContainer.Size}}|{{.RunningFor}}'
      // Without --ns the namespaces are not read: blanks, as in Podman.
      expect(env.ok(['ps', '--format', f]).trim()).to.match(new RegExp(`^\\|\\|\\{ {6}\\}\\|\\[up\\]\\|${id}\\|\\|<nil>\\|(\\d+ seconds?|Less than a second|About a minute) ago$`))
      const ns = env.ok(['ps', '--ns', '--format', '{{.CGROUPNS}} {{.USERNS}} {{.MNT}} {{.IPC}} {{.NET}} {{.PIDNS}} {{.UTS}}']).trim().split(' ')
      expect(ns.every(n => /^\d+$/.test(n))).to.equal(true)
      const [cg, user, mnt, ipc, net, pid, uts] = ns
      expect(env.ok(['ps', '--ns', '--format', '{{.Cgroup}}|{{.User}}|{{.Namespaces}}|{{.Namespaces.User}}']).trim())
        .to.equal(`${cg}|${user}|{${mnt} ${cg} ${ipc} ${net} ${pid} ${uts} ${user}}|${user}`)
      expect(JSON.parse(env.ok(['ps', '--ns', '--format', 'json']))[0].Namespaces).to.deep.equal({Mnt: mnt, Cgroup: cg, Ipc: ipc, Net: net, Pidns: pid, Uts: uts, User: user})
      // --size fills the embedded Size.
      const [rw, rootfs] = env.ok(['ps', '--size', '--format', '{{.ListContainer.Size.RwSize}} {{.ListContainer.Size.RootFsSize}}']).trim().split(' ').map(Number)
      expect(rootfs).to.be.greaterThan(rw)
      env.ok(['rm', '-f', '-t', '0', 'up'])
    })

    it('pod ps: .Cgroup is the pod\'s cgroup parent, .Containers its members, .Id the short ID, .ListPodsReport the embedded report', () => {
      env.ok(['pod', 'create', '--name', 'p'])
      env.ok(['create', '--pod', 'p', '--name', 'm', 'bb', 'true'])
      const [id, parent] = env.ok(['pod', 'inspect', 'p', '--format', '{{.ID}} {{.CgroupParent}}']).trim().split(' ')
      expect(parent).to.equal('/libpod_parent') // Podman 4.3.1 on this host, root and rootless
      const f = '{{.Cgroup}}|{{.Id}}|{{range .Containers}}{{.Names}}:{{.Status}},{{end}}|{{.ListPodsReport.Id}}|{{.ListPodsReport.Name}}|{{.ListPodsReport.Networks}}|{{.Namespace}}'
      expect(env.ok(['pod', 'ps', '--format', f]).trim()).to.match(new RegExp(`^/libpod_parent\\|${id!.slice(0, 12)}\\|[0-9a-f]{12}-infra:created,m:created,\\|${id}\\|p\\|\\[${mode === 'root' ? 'podman' : ''}\\]\\|$`)) // rootless: slirp4netns, no network (Podman too)
      expect(JSON.parse(env.ok(['pod', 'ps', '--format', 'json']))[0]).to.include({Cgroup: '/libpod_parent', Id: id})
      env.ok(['pod', 'rm', '-f', 'p'])
    })
  })
}

describe('volume templates: Podman\'s InspectVolumeData, every field (root)', function () {
  let env: Env

  before(function () {
    if (unavailable('root')) this.skip()
    env = new Env('root')
  })
  after(() => env?.cleanup())

  it('volume ls and inspect: StorageID and the embedded VolumeConfigResponse / InspectVolumeData, zero values as Podman 4.3.1', () => {
    env.ok(['volume', 'create', '--label', 'v=w', 'v1'])
    const f = '{{.Name}}|{{.StorageID}}|{{.Status}}|{{.Labels}}|{{.Options}}|{{.UID}}|{{.Anonymous}}|{{.MountCount}}|{{.NeedsCopyUp}}|{{.Timeout}}'
      + '|{{.VolumeConfigResponse.Name}}|{{.InspectVolumeData.Scope}}|{{.VolumeConfigResponse.InspectVolumeData.StorageID}}'
    const want = 'v1||map[]|map[v:w]|map[]|0|false|0|true|0|v1|local|'
    expect(env.ok(['volume', 'ls', '--format', f]).trim()).to.equal(want)
    expect(env.ok(['volume', 'inspect', 'v1', '--format', f]).trim()).to.equal(want)
    expect(env.ok(['volume', 'inspect', 'v1', '--format', '{{.CreatedAt}}']).trim()).to.match(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? \+0000 UTC$/)
    const r = env.run(['volume', 'ls', '--format', '{{.Nope}}'])
    expect(r.code).to.equal(125)
    expect(r.stderr).to.include("can't evaluate field Nope in type entities.VolumeListReport")
  })
})

describe('images templates: Podman\'s imageReporter over ImageSummary (root)', function () {
  let env: Env

  before(function () {
    if (unavailable('root')) this.skip()
    env = new Env('root')
    env.ok(['import', busyboxTar(), 'bb'])
  })
  after(() => env?.cleanup())

  it('VirtualSize and SharedSize are the raw numbers, Labels a map, CreatedAt/CreatedTime as time.Time prints, History joined; .ImageSummary.X', () => {
    const id = env.ok(['image', 'inspect', 'bb', '--format', '{{.Id}}']).trim()
    const bytes = JSON.parse(env.ok(['images', '--format', 'json']))[0].Size
    const f = '{{.VirtualSize}}|{{.SharedSize}}|{{.Labels}}|{{.History}}|{{.Id}}|{{.ImageSummary.ID}}|{{.ImageSummary.Size}}|{{.ImageSummary.Names}}|{{.ImageSummary.Dangling}}'
    expect(env.ok(['images', '--format', f]).trim()).to.equal(`${bytes}|0|map[]|localhost/bb:latest|${id}|${id}|${bytes}|[localhost/bb:latest]|false`)
    const [at, time] = env.ok(['images', '--format', '{{.CreatedAt}}|{{.CreatedTime}}']).trim().split('|')
    expect(at).to.match(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000 UTC$/)
    expect(time).to.equal(at)
  })
})

describe('network ls templates: Podman\'s ListPrintReports over types.Network (root)', function () {
  let env: Env

  before(function () {
    if (unavailable('root')) this.skip()
    env = new Env('root')
  })
  after(() => env?.cleanup())

  it('.Network is the embedded network (full ID, labels as a map); .ID and .Labels the list\'s forms', () => {
    env.ok(['network', 'create', '--label', 'a=b', 'n1'])
    const id = env.ok(['network', 'inspect', 'n1', '--format', '{{.ID}}']).trim()
    expect(env.ok(['network', 'ls', '--filter', 'name=n1', '--format', '{{.ID}}|{{.Labels}}|{{.Network.ID}}|{{.Network.Labels}}|{{.Network.Name}}|{{.DNSEnabled}}']).trim())
      .to.equal(`${id.slice(0, 12)}|a=b|${id}|map[a:b]|n1|true`)
    env.ok(['network', 'rm', 'n1'])
  })
})

describe('info templates: fields Podman\'s structs have that its JSON omits (root)', function () {
  let env: Env

  before(function () {
    if (unavailable('root')) this.skip()
    env = new Env('root')
  })
  after(() => env?.cleanup())

  it('Host.Distribution.Variant, Host.RemoteSocket.Exists, Host.RuntimeInfo, Plugins.Authorization', () => {
    const out = env.ok(['info', '--format', '{{.Host.Distribution.Variant}}|{{.Host.RemoteSocket.Exists}}|{{.Host.RuntimeInfo}}|{{.Plugins.Authorization}}|{{json .Plugins.Authorization}}']).trim()
    expect(out).to.match(/^\|(true|false)\|map\[\]\|\[\]\|null$/)
  })
})
