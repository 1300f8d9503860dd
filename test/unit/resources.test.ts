// Resource flags → typed limits → linux.resources / inspect, with Podman
// 4.3.1's messages (checked against `podman create` on this host).
import {expect} from 'chai'
import {parseBpsDevice, parseIopsDevice, parseRamSize, parseResourceLimits, parseWeightDevice, toResourceSpec} from '../../src/cli/resource-spec.js'
import {cgroupsPathOf, inspectResources, ociResources, resolveResources, type HostCgroups} from '../../src/libpod/container/resources.js'
import {mergeLimits} from '../../src/libpod/container/update.js'
import {InvalidArgument} from '../../src/libpod/define/errors.js'
import {generateSpec} from '../../src/libpod/spec/index.js'
import {hasLimits, parseCpuset} from '../../src/libpod/specgen/resources.js'

const fails = (f: () => unknown, message: string) => {
  expect(f).to.throw(InvalidArgument).with.property('message', message)
}

/** This host's cgroup v1 as sysinfo sees it: no blkio.weight (no CFQ/BFQ). */
const HOST: HostCgroups = {
  v2: false,
  has: f => f !== 'blkio/blkio.weight' && f !== 'blkio/blkio.weight_device',
  cpus: '0-1',
  mems: '0',
}
const DEV = () => ({major: 254, minor: 0})

describe('resources', () => {
  describe('sizes (Go units.RAMInBytes)', () => {
    it('reads bytes and binary units', () => {
      expect(parseRamSize('512')).to.equal(512)
      expect(parseRamSize('64m')).to.equal(64 * 1024 ** 2)
      expect(parseRamSize('1g')).to.equal(1024 ** 3)
      expect(parseRamSize('1GB')).to.equal(1024 ** 3)
      expect(parseRamSize('1.5k')).to.equal(1536)
      expect(parseRamSize('2MiB')).to.equal(2 * 1024 ** 2)
      expect(parseRamSize('10b')).to.equal(10)
    })
    it('refuses the rest with Podman\'s words', () => {
      for (const v of ['abc', '1x', '-5', '', 'm', '1.2.3m']) fails(() => parseRamSize(v), `invalid size: '${v}'`)
      fails(() => parseResourceLimits({memory: 'abc'}), "invalid value for memory: invalid size: 'abc'")
      fails(() => parseResourceLimits({'memory-reservation': 'xx'}), "invalid value for memory: invalid size: 'xx'")
      fails(() => parseResourceLimits({memory: '1g', 'memory-swap': 'xx'}), "invalid value for memory: invalid size: 'xx'")
      fails(() => toResourceSpec({'shm-size': 'abc'}), "unable to translate --shm-size: invalid size: 'abc'")
    })
  })

  describe('flags → limits', () => {
    it('memory: swap is twice the limit unless given; -1 is unlimited', () => {
      expect(parseResourceLimits({memory: '64m'})).to.deep.equal({memory: {limit: 67108864, swap: 134217728}})
      expect(parseResourceLimits({memory: '64m', 'memory-swap': '-1'})).to.deep.equal({memory: {limit: 67108864}})
      expect(parseResourceLimits({memory: '64m', 'memory-swap': '100m', 'memory-reservation': '32m', 'memory-swappiness': '10', 'oom-kill-disable': true}))
        .to.deep.equal({memory: {limit: 67108864, swap: 104857600, reservation: 33554432, swappiness: 10, disableOOMKiller: true}})
      expect(parseResourceLimits({'memory-swappiness': '-1'})).to.equal(undefined)
    })
    it('cpus is a 100 ms period and its quota, and excludes --cpu-period/--cpu-quota', () => {
      expect(parseResourceLimits({cpus: '1.5'})).to.deep.equal({cpu: {period: 100000, quota: 150000}})
      expect(parseResourceLimits({cpus: '0'})).to.equal(undefined)
      expect(parseResourceLimits({'cpu-period': '50000', 'cpu-quota': '20000', 'cpu-shares': '512', 'cpuset-cpus': '0', 'cpuset-mems': '0', 'cpu-rt-period': '1000', 'cpu-rt-runtime': '500'}))
        .to.deep.equal({cpu: {period: 50000, quota: 20000, shares: 512, cpus: '0', mems: '0', realtimePeriod: 1000, realtimeRuntime: 500}})
      fails(() => parseResourceLimits({cpus: '1', 'cpu-period': '1000'}), '--cpu-period and --cpus cannot be set together')
      fails(() => parseResourceLimits({cpus: '1', 'cpu-quota': '1000'}), '--cpu-quota and --cpus cannot be set together')
      fails(() => parseResourceLimits({cpus: 'abc'}), 'invalid argument "abc" for "--cpus" flag: strconv.ParseFloat: parsing "abc": invalid syntax')
      fails(() => parseResourceLimits({'cpu-shares': '-1'}), 'invalid argument "-1" for "-c, --cpu-shares" flag: strconv.ParseUint: parsing "-1": invalid syntax')
    })
    it('pids: 0 and -1 are unlimited', () => {
      expect(parseResourceLimits({'pids-limit': '100'})).to.deep.equal({pids: {limit: 100}})
      expect(parseResourceLimits({'pids-limit': '-1'})).to.deep.equal({pids: {limit: 0}})
      fails(() => parseResourceLimits({'pids-limit': 'abc'}), 'invalid argument "abc" for "--pids-limit" flag: strconv.ParseInt: parsing "abc": invalid syntax')
    })
    it('block I/O devices and weights', () => {
      expect(parseBpsDevice('/dev/vda:1mb')).to.deep.equal({path: '/dev/vda', rate: 1048576})
      expect(parseIopsDevice('/dev/vda:1000')).to.deep.equal({path: '/dev/vda', rate: 1000})
      expect(parseWeightDevice('/dev/vda:100')).to.deep.equal({path: '/dev/vda', weight: 100})
      fails(() => parseBpsDevice('/dev/sda'), 'bad format: /dev/sda')
      fails(() => parseBpsDevice('sda:1mb'), 'bad format for device path: sda:1mb')
      fails(() => parseBpsDevice('/dev/sda:1xb'), 'invalid rate for device: /dev/sda:1xb. The correct format is <device-path>:<number>[<unit>]. Number must be a positive integer. Unit is optional and can be kb, mb, or gb')
      fails(() => parseIopsDevice('/dev/sda:abc'), 'invalid rate for device: /dev/sda:abc. The correct format is <device-path>:<number>. Number must be a positive integer')
      fails(() => parseWeightDevice('/dev/sda:5000'), 'invalid weight for device: /dev/sda:5000')
      fails(() => parseResourceLimits({'blkio-weight': 'abc'}), 'invalid value for blkio-weight: strconv.ParseUint: parsing "abc": invalid syntax')
    })
    it('cgroup options', () => {
      expect(toResourceSpec({'cgroup-parent': '/mine', cgroupns: 'private', cgroups: 'no-conmon', 'oom-score-adj': '100', 'shm-size': '1g'}))
        .to.deep.equal({cgroupParent: '/mine', cgroupns: 'private', cgroupsMode: 'no-conmon', oomScoreAdj: 100, shmSize: 1024 ** 3})
      expect(toResourceSpec({cgroups: 'enabled'})).to.deep.equal({})
      fails(() => parseResourceLimits({'cgroup-conf': ['foo']}), '--cgroup-conf must be formatted KEY=VALUE')
      expect(parseResourceLimits({'cgroup-conf': ['memory.high=1']})).to.deep.equal({unified: {'memory.high': '1'}})
    })
    it('cpusets', () => {
      expect(parseCpuset('0-3,5')).to.deep.equal([0, 1, 2, 3, 5])
      expect(parseCpuset('abc')).to.equal(undefined)
      expect(parseCpuset('3-1')).to.equal(undefined)
      expect(hasLimits({cpu: {}})).to.equal(false)
      expect(hasLimits({pids: {limit: 0}})).to.equal(true)
    })
  })

  describe('against the host', () => {
    const resolve = (f: Record<string, unknown>, rootless = false) =>
      resolveResources(toResourceSpec(f), {rootless, host: HOST, statDevice: DEV})

    it('rootless on cgroup v1: limits dropped with Podman\'s warning, the rest kept', () => {
      const r = resolve({memory: '64m', 'oom-score-adj': '100'}, true)
      expect(r.warnings).to.deep.equal(['Resource limits are not supported and ignored on cgroups V1 rootless systems'])
      expect(r.resources).to.deep.equal({oomScoreAdj: 100})
      expect(resolve({'shm-size': '1m'}, true).warnings).to.deep.equal([])
    })
    it('what the kernel lacks is dropped with a warning (blkio weight here)', () => {
      const r = resolve({'blkio-weight': '300'})
      expect(r.warnings).to.deep.equal(['Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.'])
      expect(r.resources.resourceLimits).to.deep.equal({blockIO: {}})
    })
    it('refuses what cannot be, before anything is created', () => {
      fails(() => resolve({'cpuset-cpus': 'abc'}), 'invalid value abc for cpuset cpus')
      fails(() => resolve({'cpuset-cpus': '0-99'}), 'requested CPUs are not available - requested 0-99, available: 0-1')
      fails(() => resolve({'cpuset-mems': '5'}), 'requested memory nodes are not available - requested 5, available: 0')
      fails(() => resolve({'memory-swap': '32m'}), 'you should always set a memory limit when using a memoryswap limit, see usage')
      fails(() => resolve({memory: '64m', 'memory-swap': '32m'}), 'minimum memoryswap limit should be larger than memory limit, see usage')
      fails(() => resolve({'memory-swappiness': '101'}), 'invalid value: 101, valid memory swappiness range is 0-100')
      fails(() => resolve({'cpu-period': '500'}), 'CPU cfs period cannot be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)')
      fails(() => resolve({'cpu-quota': '500'}), 'CPU cfs quota cannot be less than 1ms (i.e. 1000)')
      fails(() => resolve({'cgroup-conf': ['memory.high=1']}), 'cannot use --cgroup-conf without cgroup v2')
      fails(() => resolve({cgroups: 'foo'}), 'running container create option: invalid cgroup mode "foo": invalid argument')
      fails(() => resolve({cgroupns: 'foo'}), 'unrecognized namespace mode foo passed')
      fails(() => resolveResources({cgroupsMode: 'disabled'}, {rootless: false, runtimeName: 'runc', host: HOST}), 'requested OCI runtime runc is not compatible with NoCgroups: invalid argument')
      fails(() => resolveResources({resourceLimits: parseResourceLimits({'device-read-bps': ['/dev/nonexist:1mb']})}, {rootless: false, host: HOST}),
        'could not parse throttle device at /dev/nonexist: no such file or directory')
      fails(() => resolveResources({resourceLimits: parseResourceLimits({'blkio-weight-device': ['/dev/nonexist:100']})}, {rootless: false, host: HOST}),
        "failed to inspect '/dev/nonexist' in --blkio-weight-device: no such file or directory")
    })
  })

  describe('→ the OCI spec and inspect, as Podman 4.3.1 writes them', () => {
    const resolved = (f: Record<string, unknown>) => resolveResources({resourceLimits: parseResourceLimits(f)}, {rootless: false, host: HOST, statDevice: DEV}).resources

    it('linux.resources in Podman\'s order, with the pids default', () => {
      const r = resolved({memory: '64m', 'memory-reservation': '32m', 'memory-swap': '128m', 'memory-swappiness': '10', 'oom-kill-disable': true,
        cpus: '1.5', 'cpu-shares': '512', 'cpuset-cpus': '0', 'cpuset-mems': '0', 'pids-limit': '100', 'device-read-bps': ['/dev/vda:1mb']})
      expect(JSON.stringify(ociResources(r, {rootless: false}))).to.equal(JSON.stringify({
        devices: [{allow: false, access: 'rwm'}],
        memory: {limit: 67108864, reservation: 33554432, swap: 134217728, swappiness: 10, disableOOMKiller: true},
        cpu: {shares: 512, quota: 150000, period: 100000, cpus: '0', mems: '0'},
        pids: {limit: 100},
        blockIO: {throttleReadBpsDevice: [{major: 254, minor: 0, rate: 1048576}]},
      }))
      expect(ociResources(undefined, {rootless: false})).to.deep.equal({devices: [{allow: false, access: 'rwm'}], pids: {limit: 2048}})
      expect(ociResources(undefined, {rootless: true})).to.deep.equal({})
      expect(ociResources({cgroupsMode: 'disabled'}, {rootless: false})).to.deep.equal({devices: [{allow: false, access: 'rwm'}]})
    })
    it('cgroupsPath under /libpod_parent or --cgroup-parent', () => {
      expect(cgroupsPathOf('abc', undefined, {rootless: false})).to.equal('/libpod_parent/libpod-abc')
      expect(cgroupsPathOf('abc', {cgroupParent: 'foo'}, {rootless: false})).to.equal('foo/libpod-abc')
      expect(cgroupsPathOf('abc', undefined, {rootless: true})).to.equal(undefined)
      expect(cgroupsPathOf('abc', {cgroupParent: '/x'}, {rootless: true})).to.equal('/x/libpod-abc')
      expect(cgroupsPathOf('abc', {cgroupsMode: 'disabled'}, {rootless: false})).to.equal(undefined)
    })
    it('generateSpec takes them: resources, cgroupsPath, oom score, /dev/shm size, cgroup namespace', () => {
      const spec = generateSpec({rootfs: '/nonexistent', hostname: 'h', command: ['true'], resources: {pids: {limit: 5}}, cgroupsPath: '/p/libpod-x', oomScoreAdj: 100, shmSize: 1024 * 1024,
        cgroupns: 'private', boundingSet: [], security: {seccompProfile: 'unconfined'}, mountFlags: () => ({nosuid: false, nodev: false, noexec: false})} as never)
      expect(spec.linux.resources).to.deep.equal({pids: {limit: 5}})
      expect(spec.linux.cgroupsPath).to.equal('/p/libpod-x')
      expect(spec.process.oomScoreAdj).to.equal(100)
      expect(spec.mounts.find(m => m.destination === '/dev/shm')?.options).to.include('size=1024k')
      expect(spec.linux.namespaces).to.deep.include({type: 'cgroup'})
    })
    it('inspect\'s HostConfig, Podman\'s names and derived values', () => {
      const h = inspectResources(resolved({memory: '64m', cpus: '0.5', 'pids-limit': '50'}), {rootless: false})
      expect(h).to.deep.include({Memory: 67108864, MemorySwap: 134217728, MemorySwappiness: -1, NanoCpus: 500000000, CpuPeriod: 100000, CpuQuota: 50000, PidsLimit: 50,
        BlkioWeightDevice: null, CgroupConf: null, Cgroups: 'default', CgroupMode: 'host', ShmSize: 65536000})
      // NanoCpus only with the default period
      expect(inspectResources(resolved({'cpu-period': '50000', 'cpu-quota': '20000'}), {rootless: false})).to.deep.include({NanoCpus: 0, CpuPeriod: 50000, CpuQuota: 20000})
      expect(inspectResources(undefined, {rootless: false})).to.deep.include({Memory: 0, MemorySwappiness: 0, PidsLimit: 2048})
      expect(inspectResources(undefined, {rootless: true})).to.deep.include({PidsLimit: 0})
      expect(inspectResources(resolved({'device-read-bps': ['/dev/vda:1mb']}), {rootless: false})).to.deep.include({BlkioDeviceReadBps: [{Path: '/dev/vda', Rate: 1048576}], BlkioWeightDevice: []})
    })
    it('update merges the new limits over the old', () => {
      expect(mergeLimits({memory: {limit: 1, swap: 2}, pids: {limit: 5}}, {memory: {limit: 10, swap: 20}, cpu: {shares: 3}}))
        .to.deep.equal({memory: {limit: 10, swap: 20}, cpu: {shares: 3}, pids: {limit: 5}})
    })
  })
})
