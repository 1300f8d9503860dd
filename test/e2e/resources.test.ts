// Resource limits end to end, checked against Podman 4.3.1 on this cgroup v1
// hybrid host: rootful, the limits are read back from the container's own
// cgroup v1 files and from inspect; rootless, Podman ignores them with its
// warning and so do we. `update` changes a running container's limits.
import {expect} from 'chai'
import {existsSync, readdirSync, readFileSync, rmdirSync, statSync} from 'node:fs'
import {Containers, Env, expectError, waitUntil, type Mode} from './helpers.js'
import {busyboxEnv} from './fixtures.js'

const ROOTLESS_WARNING = 'Resource limits are not supported and ignored on cgroups V1 rootless systems'
const NO_NET = ['--network', 'none']

/** A block device of this host for the throttle flags. */
function blockDevice(): string | undefined {
  return ['/dev/vda', '/dev/sda', '/dev/nvme0n1', '/dev/loop0'].find(d => existsSync(d) && statSync(d).isBlockDevice())
}

/** Bad values, one kind each, with Podman's messages. */
const BAD: Array<[string[], RegExp]> = [
  [['--memory', '12x'], /^Error: invalid value for memory: invalid size: '12x'$/],
  [['-m', '-5'], /^Error: invalid value for memory: invalid size: '-5'$/],
  [['--memory-reservation', 'lots'], /^Error: invalid value for memory: invalid size: 'lots'$/],
  [['--shm-size', 'abc'], /^Error: unable to translate --shm-size: invalid size: 'abc'$/],
  [['--cpus', 'abc'], /^Error: invalid argument "abc" for "--cpus" flag: strconv.ParseFloat: parsing "abc": invalid syntax$/],
  [['--cpus', '1', '--cpu-period', '1000'], /^Error: --cpu-period and --cpus cannot be set together$/],
  [['-c', 'x'], /^Error: invalid argument "x" for "-c, --cpu-shares" flag: strconv.ParseUint: parsing "x": invalid syntax$/],
  [['--pids-limit', 'abc'], /^Error: invalid argument "abc" for "--pids-limit" flag: strconv.ParseInt: parsing "abc": invalid syntax$/],
  [['--memory-swap', '32m'], /^Error: you should always set a memory limit when using a memoryswap limit, see usage$/],
  [['--memory-swappiness', '101'], /^Error: invalid value: 101, valid memory swappiness range is 0-100$/],
  [['--cpuset-cpus', 'abc'], /^Error: invalid value abc for cpuset cpus$/],
  [['--device-read-bps', '/dev/sda'], /^Error: bad format: \/dev\/sda$/],
  [['--device-write-bps', '/dev/sda:1xb'], /^Error: invalid rate for device: \/dev\/sda:1xb\. The correct format is <device-path>:<number>\[<unit>\]\. Number must be a positive integer\. Unit is optional and can be kb, mb, or gb$/],
  [['--device-read-iops', '/dev/sda:abc'], /^Error: invalid rate for device: \/dev\/sda:abc\. The correct format is <device-path>:<number>\. Number must be a positive integer$/],
  [['--blkio-weight-device', '/dev/sda:5000'], /^Error: invalid weight for device: \/dev\/sda:5000$/],
  [['--oom-score-adj', 'abc'], /^Error: invalid argument "abc" for "--oom-score-adj" flag: strconv.ParseInt: parsing "abc": invalid syntax$/],
  [['--cgroups', 'foo'], /^Error: running container create option: invalid cgroup mode "foo": invalid argument$/],
  [['--cgroupns', 'foo'], /^Error: unrecognized namespace mode foo passed$/],
  [['--cgroup-conf', 'foo'], /^Error: --cgroup-conf must be formatted KEY=VALUE$/],
]

for (const mode of ['root', 'rootless'] as Mode[]) {
  describe(`resources (${mode})`, function () {
    let env: Env
    busyboxEnv(mode, e => { env = e })

    it('bad values: Podman\'s one-line error, exit 125, nothing created', async () => {
      for (const [flags, message] of BAD) expectError(env.run(['create', ...flags, 'bb', 'true']), 125, message)
      // run parses the same flags: a few suffice
      for (const [flags, message] of BAD.slice(0, 3)) expectError(env.run(['run', '--rm', ...flags, 'bb', 'true']), 125, message)
      if (mode === 'root') {
        expectError(env.run(['create', '--cpuset-cpus', '0-999', 'bb', 'true']), 125, /^Error: requested CPUs are not available - requested 0-999, available: [\d,-]+$/)
        expectError(env.run(['create', '--device-read-bps', '/dev/nonexist:1mb', 'bb', 'true']), 125, /^Error: could not parse throttle device at \/dev\/nonexist: no such file or directory$/)
        expectError(env.run(['create', '--cgroup-conf', 'memory.high=1', 'bb', 'true']), 125, /^Error: cannot use --cgroup-conf without cgroup v2$/)
        expectError(env.run(['create', '--cgroups', 'disabled', 'bb', 'true']), 125, /^Error: requested OCI runtime runc is not compatible with NoCgroups: invalid argument$/)
      }
      expect(env.ok(['ps', '-aq'])).to.equal('')
      await new Containers(env).settled()
    })

    it('--cgroups: no-conmon runs (the monitor is in no cgroup of its own anyway); split fails on cgroup v1 as Podman does', () => {
      expect(env.run(['run', '--rm', ...NO_NET, '--cgroups', 'no-conmon', 'bb', 'true']).code).to.equal(0)
      expectError(env.run(['run', '--rm', ...NO_NET, '--cgroups', 'split', 'bb', 'true']), 126, /^Error: could not find cgroup mount in "\/proc\/self\/cgroup"$/)
      expect(env.ok(['ps', '-aq'])).to.equal('')
    })

    it('--kernel-memory is a no-op with Podman\'s warning', () => {
      const r = env.run(['run', '--rm', ...NO_NET, '--kernel-memory', '10m', 'bb', 'true'])
      expect(r.code, r.stderr).to.equal(0)
      expect(r.stderr).to.match(/level=warning msg="The --kernel-memory flag is no longer supported\. This flag is a noop\."/)
    })

    it('--oom-score-adj and --shm-size apply (no cgroup needed)', () => {
      const r = env.run(['run', '--rm', ...NO_NET, '--oom-score-adj', '100', '--shm-size', '1m', 'bb', 'sh', '-c', 'cat /proc/self/oom_score_adj; df -k /dev/shm | tail -1'])
      expect(r.code, r.stderr).to.equal(0)
      expect(r.stderr).to.equal('')
      const [adj, df] = r.stdout.trim().split('\n')
      expect(adj).to.equal('100')
      expect(df.split(/\s+/)[1]).to.equal('1024')
      const id = env.ok(['create', ...NO_NET, '--oom-score-adj', '100', '--shm-size', '1g', 'bb', 'true']).trim()
      expect(env.ok(['inspect', '--format', '{{.HostConfig.OomScoreAdj}} {{.HostConfig.ShmSize}}', id]).trim()).to.equal('100 1073741824')
      env.ok(['rm', id])
    })

    if (mode === 'rootless') {
      it('limits are ignored with Podman\'s warning on cgroup v1', () => {
        const r = env.run(['run', '--rm', ...NO_NET, '--memory', '64m', '--cpus', '1', '--pids-limit', '50', 'bb', 'cat', '/proc/self/cgroup'])
        expect(r.code, r.stderr).to.equal(0)
        expect(r.stderr.trim().split('\n')).to.deep.equal([ROOTLESS_WARNING])
        const c = env.run(['create', ...NO_NET, '--memory', '64m', '--cpus', '1', 'bb', 'true'])
        expect(c.stderr.trim()).to.equal(ROOTLESS_WARNING)
        const id = c.stdout.trim()
        expect(env.ok(['inspect', '--format', '{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}}', id]).trim()).to.equal('0 0 0')
        // no warning without a limit
        expect(env.run(['create', ...NO_NET, '--oom-score-adj', '5', 'bb', 'true']).stderr).to.equal('')
        env.ok(['rm', '-a'])
      })

      it('pod create: limits ignored with the same warning, --shm-size applied', () => {
        const r = env.run(['pod', 'create', '--network', 'none', '--memory', '64m', '--shm-size', '1m'])
        expect(r.code, r.stderr).to.equal(0)
        expect(r.stderr.trim()).to.equal(ROOTLESS_WARNING)
        const pod = r.stdout.trim()
        expect(env.ok(['run', '--rm', '--pod', pod, 'bb', 'sh', '-c', 'df -k /dev/shm | tail -1']).trim().split(/\s+/)[1]).to.equal('1024')
        env.ok(['pod', 'rm', '-f', pod])
      })

      it('update: ignored with the same warning', () => {
        const id = env.ok(['run', '-d', ...NO_NET, 'bb', 'sleep', '1000']).trim()
        const r = env.run(['update', '--memory', '64m', id])
        expect(r.code, r.stderr).to.equal(0)
        expect(r.stderr.trim()).to.equal(ROOTLESS_WARNING)
        expect(r.stdout.trim()).to.equal(id)
        expect(env.ok(['inspect', '--format', '{{.HostConfig.Memory}}', id]).trim()).to.equal('0')
        env.ok(['rm', '-f', '-t', '0', id])
      })
      return
    }

    it('memory limits in the container\'s memory cgroup', () => {
      const out = env.ok(['run', '--rm', ...NO_NET, '-m', '64m', '--memory-reservation', '32m', '--memory-swap', '100m', '--memory-swappiness', '10', '--oom-kill-disable',
        'bb', 'sh', '-c', 'cd /sys/fs/cgroup/memory; cat memory.limit_in_bytes memory.soft_limit_in_bytes memory.memsw.limit_in_bytes memory.swappiness; grep oom_kill_disable memory.oom_control'])
      expect(out.trim().split('\n')).to.deep.equal(['67108864', '33554432', '104857600', '10', 'oom_kill_disable 1'])
      // without --memory-swap: as much swap again (Podman)
      expect(env.ok(['run', '--rm', ...NO_NET, '--memory', '32m', 'bb', 'cat', '/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes']).trim()).to.equal('67108864')
    })

    it('cpu, cpuset and pids limits in their cgroups; the pids default is 2048', () => {
      const out = env.ok(['run', '--rm', ...NO_NET, '--cpus', '0.5', '-c', '512', '--cpuset-cpus', '0', '--cpuset-mems', '0', '--pids-limit', '77',
        'bb', 'sh', '-c', 'cd /sys/fs/cgroup; cat cpu/cpu.cfs_quota_us cpu/cpu.cfs_period_us cpu/cpu.shares cpuset/cpuset.cpus cpuset/cpuset.mems pids/pids.max'])
      expect(out.trim().split('\n')).to.deep.equal(['50000', '100000', '512', '0', '0', '77'])
      expect(env.ok(['run', '--rm', ...NO_NET, '--cpu-period', '50000', '--cpu-quota', '20000', 'bb', 'sh', '-c', 'cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.cfs_period_us']).trim().split('\n'))
        .to.deep.equal(['20000', '50000'])
      expect(env.ok(['run', '--rm', ...NO_NET, 'bb', 'cat', '/sys/fs/cgroup/pids/pids.max']).trim()).to.equal('2048')
      expect(env.ok(['run', '--rm', ...NO_NET, '--pids-limit', '-1', 'bb', 'cat', '/sys/fs/cgroup/pids/pids.max']).trim()).to.equal('max')
    })

    it('block I/O throttles by major:minor; a weight the kernel lacks is dropped with Podman\'s warning', function () {
      const dev = blockDevice()
      if (!dev) this.skip()
      const rdev = statSync(dev!).rdev
      const mm = `${Math.floor(rdev / 256) & 0xfff}:${rdev & 0xff}`
      const r = env.run(['run', '--rm', ...NO_NET, '--device-read-bps', `${dev}:1mb`, '--device-write-iops', `${dev}:100`, '--blkio-weight', '300',
        'bb', 'sh', '-c', 'cd /sys/fs/cgroup/blkio; cat blkio.throttle.read_bps_device blkio.throttle.write_iops_device'])
      expect(r.code, r.stderr).to.equal(0)
      expect(r.stdout.trim().split('\n')).to.deep.equal([`${mm} 1048576`, `${mm} 100`])
      if (!existsSync('/sys/fs/cgroup/blkio/blkio.weight')) {
        expect(r.stderr.trim()).to.equal('Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.')
      }
    })

    it('limits this kernel refuses reach the runtime and fail there, as with Podman (realtime budget, BFQ weight_device)', function () {
      const rt = env.run(['run', '--rm', ...NO_NET, '--cpu-rt-period', '1000000', '--cpu-rt-runtime', '1000', 'bb', 'cat', '/sys/fs/cgroup/cpu/cpu.rt_runtime_us'])
      // a kernel whose parent cgroups have a realtime budget takes it
      if (rt.code === 0) expect(rt.stdout.trim()).to.equal('1000')
      else expect(rt.stderr).to.match(/cpu\.rt_runtime_us: invalid argument/)
      const dev = blockDevice()
      if (dev && !existsSync('/sys/fs/cgroup/blkio/blkio.weight_device')) {
        const w = env.run(['run', '--rm', ...NO_NET, '--blkio-weight-device', `${dev}:100`, 'bb', 'true'])
        expect(w.code).to.not.equal(0)
        expect(w.stderr).to.match(/weight_device: no such file or directory/)
      }
      expect(env.ok(['ps', '-aq'])).to.equal('')
    })

    it('inspect shows the limits under Podman\'s HostConfig names', () => {
      const dev = blockDevice()
      const id = env.ok(['create', ...NO_NET, '-m', '64m', '--cpus', '1.5', '-c', '256', '--pids-limit', '100', '--cpuset-cpus', '0', '--memory-swappiness', '20',
        ...dev ? ['--device-read-bps', `${dev}:2mb`] : [], 'bb', 'true']).trim()
      const h = JSON.parse(env.ok(['inspect', '--format', '{{json .HostConfig}}', id])) as Record<string, unknown>
      expect(h).to.deep.include({Memory: 67108864, MemorySwap: 134217728, MemorySwappiness: 20, NanoCpus: 1500000000, CpuPeriod: 100000, CpuQuota: 150000,
        CpuShares: 256, PidsLimit: 100, CpusetCpus: '0', CgroupParent: '', Cgroups: 'default', CgroupMode: 'host'})
      if (dev) expect(h.BlkioDeviceReadBps).to.deep.equal([{Path: dev, Rate: 2097152}])
      const plain = env.ok(['create', ...NO_NET, 'bb', 'true']).trim()
      expect(env.ok(['inspect', '--format', '{{.HostConfig.Memory}} {{.HostConfig.PidsLimit}} {{.HostConfig.MemorySwappiness}} {{.HostConfig.NanoCpus}}', plain]).trim()).to.equal('0 2048 0 0')
      env.ok(['rm', id, plain])
    })

    it('--cgroup-parent and --cgroupns', () => {
      const parent = `/peapod-e2e-${process.pid}`
      try {
        const id = env.ok(['create', ...NO_NET, '--cgroup-parent', parent, 'bb', 'cat', '/proc/self/cgroup']).trim()
        env.ok(['start', id])
        // start returns once cat runs, not once it has printed: its exit
        env.ok(['wait', id])
        const lines = env.ok(['logs', id]).trim().split('\n')
        expect(lines.find(l => /:memory:/.test(l))).to.match(new RegExp(`:memory:${parent}/libpod-${id}$`))
        expect(env.ok(['inspect', '--format', '{{.HostConfig.CgroupParent}}', id]).trim()).to.equal(parent)
        env.ok(['rm', id])
        // the default parent, and a private cgroup namespace that shows the container's cgroup as /
        expect(env.ok(['run', '--rm', ...NO_NET, 'bb', 'grep', ':memory:', '/proc/self/cgroup']).trim()).to.match(/:memory:\/libpod_parent\/libpod-[0-9a-f]{64}$/)
        expect(env.ok(['run', '--rm', ...NO_NET, '--cgroupns', 'private', 'bb', 'grep', ':memory:', '/proc/self/cgroup']).trim()).to.match(/:memory:\/$/)
      } finally {
        for (const ctl of readdirSync('/sys/fs/cgroup')) {
          try {
            rmdirSync(`/sys/fs/cgroup/${ctl}${parent}`)
          } catch {
            // not made in that hierarchy
          }
        }
      }
    })

    it('pod create: the pod\'s cgroup holds its limits, members below it; removed with the pod', () => {
      const pod = env.ok(['pod', 'create', '--network', 'none', '--memory', '64m', '--cpus', '0.5', '--cpu-shares', '100', '--shm-size', '1m']).trim()
      const cg = `/libpod_parent/${pod}`
      try {
        expect(env.ok(['pod', 'inspect', '--format', '{{.CgroupPath}} {{.CgroupParent}}', pod]).trim()).to.equal(`${cg} /libpod_parent`)
        const i = JSON.parse(env.ok(['pod', 'inspect', pod])) as Record<string, unknown>
        expect(i).to.deep.include({CreateCgroup: true, memory_limit: 67108864, memory_swap: 134217728, cpu_period: 100000, cpu_quota: 50000, cpu_shares: 100})
        const out = env.ok(['run', '--rm', '--pod', pod, 'bb', 'sh', '-c', 'grep :memory: /proc/self/cgroup; df -k /dev/shm | tail -1']).trim().split('\n')
        expect(out[0]).to.match(new RegExp(`:memory:${cg}/libpod-[0-9a-f]{64}$`))
        expect(out[1].split(/\s+/)[1]).to.equal('1024')
        const file = (ctl: string, f: string) => readFileSync(`/sys/fs/cgroup/${ctl}${cg}/${f}`, 'utf8').trim()
        expect([file('memory', 'memory.limit_in_bytes'), file('cpu', 'cpu.cfs_quota_us'), file('cpu', 'cpu.shares')]).to.deep.equal(['67108864', '50000', '100'])
      } finally {
        env.ok(['pod', 'rm', '-f', pod])
      }
      expect(readdirSync('/sys/fs/cgroup').filter(ctl => existsSync(`/sys/fs/cgroup/${ctl}${cg}`))).to.deep.equal([])
      expectError(env.run(['pod', 'create', '--memory', 'abc']), 125, /^Error: invalid value for memory: invalid size: 'abc'$/)
      expect(env.ok(['pod', 'ps', '-q'])).to.equal('')
    })

    it('update changes a running container\'s limits, and its config', async () => {
      const id = env.ok(['run', '-d', ...NO_NET, '-m', '64m', 'bb', 'sleep', '1000']).trim()
      const read = () => env.ok(['exec', id, 'sh', '-c', 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.shares']).trim().split('\n')
      expect(read()).to.deep.equal(['67108864', '-1', '1024'])
      expect(env.ok(['update', '--memory', '128m', '--cpus', '1', '-c', '256', id]).trim()).to.equal(id)
      expect(read()).to.deep.equal(['134217728', '100000', '256'])
      expect(env.ok(['inspect', '--format', '{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.NanoCpus}} {{.HostConfig.CpuShares}}', id]).trim()).to.equal('134217728 268435456 1000000000 256')
      // kept: a restart applies them again
      env.ok(['stop', '-t', '0', id])
      await waitUntil('stopped', () => env.ok(['inspect', '--format', '{{.State.Status}}', id]).trim() === 'exited')
      env.ok(['update', '--memory', '96m', id])
      env.ok(['start', id])
      expect(read()).to.deep.equal(['100663296', '100000', '256'])
      expectError(env.run(['update', '--memory', 'xx', id]), 125, /^Error: invalid value for memory: invalid size: 'xx'$/)
      expectError(env.run(['update', '--memory', '1g', 'nosuch']), 125, /^Error: no container with name or ID "nosuch" found: no such container$/)
      expectError(env.run(['update', '--memory', '1g']), 125, /^Error: accepts 1 arg\(s\), received 0$/)
      env.ok(['rm', '-f', '-t', '0', id])
    })
  })
}
