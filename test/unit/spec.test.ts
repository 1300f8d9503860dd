import {expect} from 'chai'
import {existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {ConfigError, InvalidArgument} from '../../src/libpod/define/errors.js'
import {ALL_CAPABILITIES, DEFAULT_CAPABILITIES, hostBoundingSet, mergeCapabilities, normalizeCapability} from '../../src/libpod/spec/caps.js'
import {parseEntrypoint, resolveCommand} from '../../src/libpod/spec/command.js'
import {finishEnv, mergeEnv, parseEnvFile} from '../../src/libpod/spec/env.js'
import {generateSpec} from '../../src/libpod/spec/generate.js'
import {hostMountFlags, processMountOptions, sortMounts} from '../../src/libpod/spec/mounts.js'
import {parseTmpfsFlag, parseVolumeFlag} from '../../src/cli/spec-mounts.js'
import {parseSecurityOpts, parseUlimitFlag as parseUlimit} from '../../src/cli/spec-security.js'
import type {TmpfsSpec} from '../../src/libpod/container/types.js'
import {specToJSON} from '../../src/libpod/spec/oci.js'
import type {OciMount, OciSpec} from '../../src/libpod/spec/oci.js'
import type {SpecOptions} from '../../src/libpod/spec/options.js'
import {secureJoin} from '../../src/libpod/spec/paths.js'
import {containerSeccomp, convertSeccompProfile, DEFAULT_SECCOMP_PATHS, parseSeccompProfile} from '../../src/libpod/spec/seccomp.js'
import type {SeccompProfile} from '../../src/libpod/spec/seccomp.js'
import {globMatch} from '../../src/libpod/spec/security.js'
import {parseSignal} from '../../src/libpod/spec/signals.js'
import {readHostLimits, RLIM_INFINITY, toOciRlimits} from '../../src/libpod/spec/ulimits.js'
import {additionalGroups, getExecUser} from '../../src/libpod/spec/user.js'

const PASSWD = 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\nalice:x:1000:1000::/home/alice:/bin/sh\n'
const GROUP = 'root:x:0:\ntty:x:5:\nwheel:x:10:alice,bob\nalice:x:1000:\nnobody:x:65534:\naudio:x:29:alice\n'

// A profile in Moby's format exercising every filter: arches, caps, minKernel, errno names.
const MOBY_PROFILE: SeccompProfile = {
  defaultAction: 'SCMP_ACT_ERRNO',
  defaultErrno: 'ENOSYS',
  archMap: [
    {architecture: 'SCMP_ARCH_X86_64', subArchitectures: ['SCMP_ARCH_X86', 'SCMP_ARCH_X32']},
    {architecture: 'SCMP_ARCH_AARCH64', subArchitectures: ['SCMP_ARCH_ARM']},
  ],
  syscalls: [
    {names: ['read', 'write'], action: 'SCMP_ACT_ALLOW', args: []},
    {names: ['clone'], action: 'SCMP_ACT_ALLOW', args: [{index: 0, value: 2114060288, valueTwo: 0, op: 'SCMP_CMP_MASKED_EQ'}], excludes: {caps: ['CAP_SYS_ADMIN'], arches: ['s390', 's390x']}},
    {names: ['clone'], action: 'SCMP_ACT_ALLOW', args: [{index: 1, value: 2114060288, valueTwo: 0, op: 'SCMP_CMP_MASKED_EQ'}], includes: {arches: ['s390', 's390x']}, excludes: {caps: ['CAP_SYS_ADMIN']}},
    {names: ['clone3'], action: 'SCMP_ACT_ERRNO', errno: 'ENOSYS', excludes: {caps: ['CAP_SYS_ADMIN']}},
    {names: ['bpf', 'clone', 'clone3', 'mount', 'setns'], action: 'SCMP_ACT_ALLOW', includes: {caps: ['CAP_SYS_ADMIN']}},
    {names: ['ptrace'], action: 'SCMP_ACT_ALLOW', includes: {minKernel: '4.8'}},
    {names: ['arch_prctl'], action: 'SCMP_ACT_ALLOW', includes: {arches: ['amd64', 'x32']}},
    {names: ['sync_file_range2'], action: 'SCMP_ACT_ALLOW', includes: {arches: ['ppc64le']}},
    {name: 'kcmp', action: 'SCMP_ACT_ALLOW', includes: {caps: ['CAP_SYS_PTRACE', 'CAP_SYS_ADMIN']}},
  ],
}

const NO_FLAGS = () => ({nosuid: false, nodev: false, noexec: false})

/** 'DEST[:opts]' → a stored tmpfs mount. */
function tmpfsList(list: string[]): TmpfsSpec[] {
  return list.map(t => {
    const i = t.indexOf(':')
    return i < 0 ? {destination: t, options: []} : {destination: t.slice(0, i), options: t.slice(i + 1).split(',')}
  })
}

describe('spec generation', () => {
  let tmp: string
  let rootfs: string
  let profilePath: string

  before(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'peapod-spec-'))
    rootfs = path.join(tmp, 'rootfs')
    mkdirSync(path.join(rootfs, 'etc'), {recursive: true})
    mkdirSync(path.join(rootfs, 'var/tmp'), {recursive: true})
    writeFileSync(path.join(rootfs, 'etc/passwd'), PASSWD)
    writeFileSync(path.join(rootfs, 'etc/group'), GROUP)
    // /tmp is a symlink in some images: a tmpfs there must land on its target
    symlinkSync('/var/tmp', path.join(rootfs, 'tmp'))
    profilePath = path.join(tmp, 'seccomp.json')
    writeFileSync(profilePath, JSON.stringify(MOBY_PROFILE))
  })

  after(() => rmSync(tmp, {recursive: true, force: true}))

  // Host facts fixed so the tests do not depend on the machine.
  const base = (o: Partial<SpecOptions> = {}): SpecOptions => ({
    rootfs,
    hostname: 'a5cd868e7cd7',
    image: {Cmd: ['/bin/sh', '-c', '/bin/sh']},
    hostEnv: {},
    boundingSet: [...ALL_CAPABILITIES],
    seccompDefaultPaths: [profilePath],
    arch: 'amd64',
    kernel: '6.1.0',
    mountFlags: NO_FLAGS,
    hostLimits: new Map([['nofile', {soft: 1024, hard: 4096}], ['nproc', {soft: 100, hard: 100}]]),
    canRaiseRlimits: false,
    files: {hosts: '/ud/hosts', resolvConf: '/ud/resolv.conf', hostname: '/ud/hostname', containerEnv: '/ud/.containerenv'},
    ...o,
  })
  const mount = (s: OciSpec, dest: string): OciMount | undefined => s.mounts.find(m => m.destination === dest)

  describe('defaults (as Podman 4.3.1 writes them)', () => {
    it('has the process Podman writes', () => {
      const s = generateSpec(base())
      expect(s.ociVersion).to.equal('1.0.2-dev')
      expect(s.process.terminal).to.equal(undefined)
      expect(s.process.user).to.deep.equal({uid: 0, gid: 0, umask: 18})
      expect(s.process.args).to.deep.equal(['/bin/sh', '-c', '/bin/sh'])
      expect(s.process.cwd).to.equal('/')
      expect(s.process.env).to.deep.equal([
        'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'TERM=xterm', 'container=podman', 'HOME=/root', 'HOSTNAME=a5cd868e7cd7',
      ])
      expect(s.process.capabilities).to.deep.equal({bounding: [...DEFAULT_CAPABILITIES], effective: [...DEFAULT_CAPABILITIES], permitted: [...DEFAULT_CAPABILITIES]})
      expect(DEFAULT_CAPABILITIES).to.have.length(11)
      expect(s.process).to.not.have.any.keys('rlimits', 'noNewPrivileges', 'oomScoreAdj', 'apparmorProfile')
      expect(s.root).to.deep.equal({path: rootfs})
      expect(s.hostname).to.equal('a5cd868e7cd7')
    })

    it('has Podman mounts, in an order the runtime can apply', () => {
      const s = generateSpec(base())
      expect(s.mounts).to.deep.equal([
        {destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev']},
        {destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'noexec', 'strictatime', 'mode=755', 'size=65536k']},
        {destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro']},
        {destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5']},
        {destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev']},
        {destination: '/etc/resolv.conf', type: 'bind', source: '/ud/resolv.conf', options: ['bind', 'rprivate']},
        {destination: '/etc/hosts', type: 'bind', source: '/ud/hosts', options: ['bind', 'rprivate']},
        {destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k']},
        {destination: '/run/.containerenv', type: 'bind', source: '/ud/.containerenv', options: ['bind', 'rprivate']},
        {destination: '/etc/hostname', type: 'bind', source: '/ud/hostname', options: ['bind', 'rprivate']},
        {destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['rprivate', 'nosuid', 'noexec', 'nodev', 'relatime', 'ro']},
      ])
    })

    it('binds a given shm directory like Podman, and sizes the tmpfs one', () => {
      expect(mount(generateSpec(base({shmPath: '/ud/shm'})), '/dev/shm')).to.deep.equal({destination: '/dev/shm', type: 'bind', source: '/ud/shm', options: ['bind', 'rprivate', 'nosuid', 'noexec', 'nodev']})
      expect(mount(generateSpec(base({shmSize: 1 << 30})), '/dev/shm')?.options).to.include('size=1048576k')
      expect(mount(generateSpec(base({ipc: 'host'})), '/dev/shm')?.source).to.equal('/dev/shm')
    })

    it('only binds the files it is given', () => {
      const s = generateSpec(base({files: {hosts: '/ud/hosts'}}))
      expect(s.mounts.filter(m => m.type === 'bind').map(m => m.destination)).to.deep.equal(['/etc/hosts'])
    })

    it('has Podman linux section', () => {
      const s = generateSpec(base({cgroupsPath: '/libpod_parent/libpod-x', pidsLimit: 2048}))
      expect(s.linux.namespaces).to.deep.equal([{type: 'pid'}, {type: 'network'}, {type: 'ipc'}, {type: 'uts'}, {type: 'mount'}])
      expect(s.linux.sysctl).to.deep.equal({'net.ipv4.ping_group_range': '0 0'})
      expect(s.linux.resources).to.deep.equal({devices: [{allow: false, access: 'rwm'}], pids: {limit: 2048}})
      expect(s.linux.cgroupsPath).to.equal('/libpod_parent/libpod-x')
      expect(s.linux.maskedPaths).to.deep.equal([
        '/proc/acpi', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list', '/proc/timer_stats',
        '/proc/sched_debug', '/proc/scsi', '/sys/firmware', '/sys/fs/selinux', '/sys/dev/block',
      ])
      expect(s.linux.readonlyPaths).to.deep.equal(['/proc/asound', '/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'])
      expect(s.linux.seccomp?.defaultAction).to.equal('SCMP_ACT_ERRNO')
      expect(s.annotations).to.deep.equal({'io.container.manager': 'libpod', 'org.opencontainers.image.stopSignal': '15'})
    })

    it('leaves pids and cgroupsPath out unless asked', () => {
      const s = generateSpec(base())
      expect(s.linux.resources).to.deep.equal({devices: [{allow: false, access: 'rwm'}]})
      expect(s.linux).to.not.have.property('cgroupsPath')
    })

    it('serializes to JSON', () => {
      const j = JSON.parse(specToJSON(generateSpec(base())))
      expect(j.process.user.umask).to.equal(18)
      expect(j.mounts).to.have.length(11)
    })
  })

  describe('namespaces and hostname', () => {
    it('network: none/private new, host none, ns:PATH joined', () => {
      const net = (network: SpecOptions['network']) => generateSpec(base({network})).linux.namespaces.filter(n => n.type === 'network')
      expect(net('none')).to.deep.equal([{type: 'network'}])
      expect(net('private')).to.deep.equal([{type: 'network'}])
      expect(net('host')).to.deep.equal([])
      expect(net('ns:/run/netns/x')).to.deep.equal([{type: 'network', path: '/run/netns/x'}])
    })

    it('host ipc/uts/pid leave only network and mount; no hostname; sysctls filtered', () => {
      const s = generateSpec(base({ipc: 'host', uts: 'host', pid: 'host'}))
      expect(s.linux.namespaces).to.deep.equal([{type: 'network'}, {type: 'mount'}])
      expect(s).to.not.have.property('hostname')
      expect(s.process.env).to.include('HOSTNAME=a5cd868e7cd7')
      expect(generateSpec(base({network: 'host'})).linux).to.not.have.property('sysctl')
      expect(() => generateSpec(base({network: 'host', sysctls: {'net.ipv4.ip_forward': '1'}}))).to.throw(InvalidArgument, "sysctl net.ipv4.ip_forward=1 can't be set since Network Namespace set to host")
    })

    it('never has a user namespace; cgroupns private adds a cgroup one', () => {
      expect(generateSpec(base({rootless: true})).linux.namespaces.map(n => n.type)).to.not.include('user')
      expect(generateSpec(base({cgroupns: 'private'})).linux.namespaces.at(-1)).to.deep.equal({type: 'cgroup'})
    })
  })

  describe('rootless', () => {
    it('has no devices cgroup rule and no cgroupsPath', () => {
      const s = generateSpec(base({rootless: true}))
      expect(s.linux.resources).to.deep.equal({})
      expect(s.linux).to.not.have.property('cgroupsPath')
      expect(mount(s, '/sys/fs/cgroup')?.type).to.equal('cgroup')
    })

    it('drops gid=5 when GID 5 is not mapped', () => {
      const s = generateSpec(base({rootless: true, gid5Mapped: false}))
      expect(mount(s, '/dev/pts')?.options).to.deep.equal(['rprivate', 'nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620'])
    })

    it('binds /sys and /sys/fs/cgroup with the host network, and masks /sys/kernel', () => {
      const s = generateSpec(base({rootless: true, network: 'host'}))
      expect(mount(s, '/sys')).to.deep.equal({destination: '/sys', type: 'bind', source: '/sys', options: ['rprivate', 'nosuid', 'noexec', 'nodev', 'ro', 'rbind']})
      expect(mount(s, '/sys/fs/cgroup')).to.deep.equal({destination: '/sys/fs/cgroup', type: 'bind', source: '/sys/fs/cgroup', options: ['rprivate', 'nosuid', 'noexec', 'nodev', 'ro', 'rbind']})
      expect(s.linux.maskedPaths?.[0]).to.equal('/sys/kernel')
      // rootful can still mount sysfs
      expect(mount(generateSpec(base({network: 'host'})), '/sys')?.type).to.equal('sysfs')
    })

    it('binds /dev/mqueue and /proc when sharing the host ipc/pid', () => {
      const s = generateSpec(base({rootless: true, ipc: 'host', pid: 'host'}))
      expect(mount(s, '/dev/mqueue')).to.deep.equal({destination: '/dev/mqueue', type: 'bind', source: '/dev/mqueue', options: ['bind', 'nosuid', 'noexec', 'nodev']})
      expect(mount(s, '/proc')).to.deep.equal({destination: '/proc', type: 'bind', source: '/proc', options: ['rbind', 'nosuid', 'noexec', 'nodev']})
    })

    it('skips supplementary groups outside the mapped GIDs', () => {
      expect(generateSpec(base({user: 'alice', availableGids: 20})).process.user.additionalGids).to.deep.equal([1000, 10])
    })
  })

  describe('privileged', () => {
    it('gets the whole bounding set, no masks, no seccomp, rw /sys and cgroup', () => {
      const bounding = ALL_CAPABILITIES.filter(c => c !== 'CAP_SYS_RESOURCE')
      const s = generateSpec(base({privileged: true, boundingSet: bounding}))
      expect(s.process.capabilities?.bounding).to.have.length(40)
      expect(s.process.capabilities?.effective).to.include('CAP_SYS_ADMIN').and.not.include('CAP_SYS_RESOURCE')
      expect(s.linux).to.not.have.any.keys('maskedPaths', 'readonlyPaths', 'seccomp')
      expect(mount(s, '/sys')).to.deep.equal({destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['rprivate', 'nosuid', 'noexec', 'nodev', 'rw']})
      expect(mount(s, '/sys/fs/cgroup')?.options?.at(-1)).to.equal('rw')
      expect(s.linux.resources?.devices).to.deep.equal([{allow: true, access: 'rwm'}])
    })

    it('keeps a seccomp profile the user names, and masks the user asks for', () => {
      const s = generateSpec(base({privileged: true, security: parseSecurityOpts([`seccomp=${profilePath}`, 'mask=/proc/x']), seccompDefaultPaths: ['/nonexistent']}))
      expect(s.linux.seccomp).to.be.an('object')
      expect(s.linux.maskedPaths).to.deep.equal(['/proc/x'])
    })
  })

  describe('security options', () => {
    it('parses Podman forms and rejects others', () => {
      const s = parseSecurityOpts(['no-new-privileges', 'seccomp=unconfined', 'label=disable', 'apparmor=unconfined', 'mask=/a:/b', 'unmask=/proc/*'])
      expect(s).to.deep.equal({noNewPrivileges: true, seccompProfile: 'unconfined', labelOpts: ['disable'], apparmorProfile: 'unconfined', mask: ['/a', '/b'], unmask: ['/proc/*']})
      expect(parseSecurityOpts(['systempaths=unconfined', 'no-new-privileges=false', 'proc-opts=a,b'])).to.deep.equal({unmask: ['ALL'], noNewPrivileges: false, procOpts: ['a', 'b']})
      expect(() => parseSecurityOpts(['systempaths=x'])).to.throw(InvalidArgument, 'invalid systempaths option "x", only `unconfined` is supported')
      expect(() => parseSecurityOpts(['no-new-privileges=maybe'])).to.throw(InvalidArgument, 'invalid --security-opt 2: "no-new-privileges=maybe"')
      expect(() => parseSecurityOpts(['bogus'])).to.throw(InvalidArgument, 'invalid --security-opt 1: "bogus"')
      expect(() => parseSecurityOpts(['foo=bar'])).to.throw(InvalidArgument, 'invalid --security-opt 2: "foo=bar"')
    })

    it('applies no-new-privileges, seccomp=unconfined, label=disable, apparmor=unconfined', () => {
      const s = generateSpec(base({security: parseSecurityOpts(['no-new-privileges', 'seccomp=unconfined', 'label=disable', 'apparmor=unconfined'])}))
      expect(s.process.noNewPrivileges).to.equal(true)
      expect(s.linux).to.not.have.property('seccomp')
      expect(s.process).to.not.have.property('apparmorProfile')
      expect(() => generateSpec(base({security: parseSecurityOpts(['apparmor=foo'])}))).to.throw(InvalidArgument, /Apparmor is not enabled/)
    })

    it('masks and unmasks paths with globs', () => {
      const s = generateSpec(base({security: parseSecurityOpts(['mask=/proc/foo:/sys/bar', 'unmask=/proc/kcore:/sys/f*'])}))
      expect(s.linux.maskedPaths).to.include.members(['/proc/foo', '/sys/bar', '/sys/dev/block']).and.not.include.members(['/proc/kcore', '/sys/firmware', '/sys/fs/selinux'])
      const all = generateSpec(base({security: parseSecurityOpts(['unmask=ALL'])}))
      expect(all.linux).to.not.have.any.keys('maskedPaths', 'readonlyPaths')
      expect(globMatch('/proc/*', '/proc/kcore')).to.equal(true)
      expect(globMatch('/proc/*', '/proc/a/b')).to.equal(false)
      expect(globMatch('/proc/[kl]core', '/proc/kcore')).to.equal(true)
    })
  })

  describe('environment', () => {
    it('merges defaults < image < env-file < -e, then adds container, HOME, HOSTNAME', () => {
      const host = {FROMHOST: 'h', HOSTY: 'y', HOSTZ: 'z'}
      const env = mergeEnv({
        imageEnv: ['PATH=/img/bin', 'A=image', 'B=image'],
        envFiles: ['# comment\n  B=file\n\nC=file\r\nFROMHOST\n'],
        env: ['C=cli', 'D', 'HOST*', 'E='],
        hostEnv: host,
      })
      expect([...env]).to.deep.equal([
        ['PATH', '/img/bin'], ['TERM', 'xterm'], ['A', 'image'], ['B', 'file'], ['C', 'cli'], ['FROMHOST', 'h'], ['HOSTY', 'y'], ['HOSTZ', 'z'], ['E', ''],
      ])
      expect(finishEnv(env, {home: '/root', hostname: 'h1'}).slice(-3)).to.deep.equal(['container=podman', 'HOME=/root', 'HOSTNAME=h1'])
      expect(finishEnv(new Map([['container', 'x'], ['HOME', '/h']]), {home: '/root'})).to.deep.equal(['container=x', 'HOME=/h'])
    })

    it('puts the host environment under the image with --env-host, and passes proxies by default', () => {
      const hostEnv = {PATH: '/host/bin', http_proxy: 'http://p', X: '1'}
      expect([...mergeEnv({envHost: true, imageEnv: ['X=img'], hostEnv})]).to.deep.include.members([['PATH', '/host/bin'], ['X', 'img']])
      expect(mergeEnv({hostEnv}).get('http_proxy')).to.equal('http://p')
      expect(mergeEnv({hostEnv, httpProxy: false}).has('http_proxy')).to.equal(false)
      expect(mergeEnv({hostEnv}).has('X')).to.equal(false)
    })

    it('rejects entries without a name', () => {
      expect(() => mergeEnv({env: ['=A'], hostEnv: {}})).to.throw(InvalidArgument, 'invalid environment variable: "=A"')
      expect(() => parseEnvFile('=x\n', {})).to.throw(InvalidArgument)
    })

    it('goes into the spec with TERM=xterm whatever the tty', () => {
      const s = generateSpec(base({tty: true, image: {Cmd: ['sh'], Env: ['FOO=bar']}, env: ['HOSTNAME=mine']}))
      expect(s.process.terminal).to.equal(true)
      expect(s.process.env).to.deep.equal([
        'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'TERM=xterm', 'FOO=bar', 'HOSTNAME=mine', 'container=podman', 'HOME=/root',
      ])
    })
  })

  describe('entrypoint and command', () => {
    const img = {imageEntrypoint: ['/ep'], imageCmd: ['c1', 'c2']}
    it('follows Podman rules', () => {
      expect(resolveCommand(img)).to.deep.equal(['/ep', 'c1', 'c2'])
      expect(resolveCommand({...img, command: ['x']})).to.deep.equal(['/ep', 'x'])
      expect(resolveCommand({...img, entrypoint: '/bin/echo'})).to.deep.equal(['/bin/echo'])
      expect(resolveCommand({...img, entrypoint: '["/bin/echo","a"]', command: ['x', 'y']})).to.deep.equal(['/bin/echo', 'a', 'x', 'y'])
      expect(resolveCommand({...img, entrypoint: '', command: ['ls']})).to.deep.equal(['ls'])
      expect(resolveCommand({...img, entrypoint: ['/a', 'b']})).to.deep.equal(['/a', 'b'])
      // an empty JSON array clears the entrypoint but keeps the image's Cmd
      expect(resolveCommand({...img, entrypoint: '[]'})).to.deep.equal(['c1', 'c2'])
      expect(resolveCommand({imageCmd: ['sh'], init: true})).to.deep.equal(['/run/podman-init', '--', 'sh'])
      expect(parseEntrypoint('{"a":1}')).to.deep.equal(['{"a":1}'])
    })

    it('fails with Podman message when nothing is left', () => {
      const msg = 'no command or entrypoint provided, and no CMD or ENTRYPOINT from image'
      expect(() => resolveCommand({})).to.throw(InvalidArgument, msg)
      expect(() => resolveCommand({...img, entrypoint: ''})).to.throw(InvalidArgument, msg)
      expect(() => generateSpec(base({image: {}}))).to.throw(InvalidArgument, msg)
    })

    it('mounts catatonit for --init', () => {
      const s = generateSpec(base({init: true}))
      expect(s.process.args.slice(0, 2)).to.deep.equal(['/run/podman-init', '--'])
      expect(mount(s, '/run/podman-init')).to.deep.equal({destination: '/run/podman-init', type: 'bind', source: '/usr/bin/catatonit', options: ['bind', 'ro', 'rprivate']})
    })

    it('takes workdir from -w, then the image, then /', () => {
      expect(generateSpec(base({workdir: '/w', image: {Cmd: ['a'], WorkingDir: '/img'}})).process.cwd).to.equal('/w')
      expect(generateSpec(base({image: {Cmd: ['a'], WorkingDir: '/img'}})).process.cwd).to.equal('/img')
      expect(() => generateSpec(base({workdir: 'rel'}))).to.throw(InvalidArgument)
    })

    it('records the stop signal as a number', () => {
      expect(generateSpec(base({stopSignal: 'SIGKILL'})).annotations?.['org.opencontainers.image.stopSignal']).to.equal('9')
      expect(generateSpec(base({image: {Cmd: ['a'], StopSignal: 'SIGQUIT'}})).annotations?.['org.opencontainers.image.stopSignal']).to.equal('3')
      expect(parseSignal('kill')).to.equal(9)
      expect(parseSignal('15')).to.equal(15)
      expect(parseSignal('RTMIN+3')).to.equal(37)
      expect(() => parseSignal('SIGFOO')).to.throw(InvalidArgument, 'invalid signal: SIGFOO')
    })

    it('keeps user annotations', () => {
      expect(generateSpec(base({annotations: {foo: 'bar'}})).annotations).to.include({foo: 'bar', 'io.container.manager': 'libpod'})
    })
  })

  describe('user resolution', () => {
    it('resolves names and numbers like runc', () => {
      expect(getExecUser('', PASSWD, GROUP)).to.deep.equal({uid: 0, gid: 0, home: '/root', sgids: []})
      expect(getExecUser('nobody', PASSWD, GROUP)).to.deep.equal({uid: 65534, gid: 65534, home: '/', sgids: []})
      expect(getExecUser('alice', PASSWD, GROUP)).to.deep.equal({uid: 1000, gid: 1000, home: '/home/alice', sgids: [10, 29]})
      expect(getExecUser('alice:tty', PASSWD, GROUP)).to.deep.include({uid: 1000, gid: 5, sgids: []})
      expect(getExecUser('1234:5678', PASSWD, GROUP)).to.deep.equal({uid: 1234, gid: 5678, home: '', sgids: []})
      expect(getExecUser('1234', undefined, undefined)).to.deep.equal({uid: 1234, gid: 0, home: '', sgids: []})
    })

    it('fails on unknown names with Podman messages', () => {
      expect(() => getExecUser('nosuch', PASSWD, GROUP)).to.throw(InvalidArgument, 'unable to find user nosuch: no matching entries in passwd file')
      expect(() => getExecUser('nobody', undefined, undefined)).to.throw(InvalidArgument, 'unable to find user nobody: no matching entries in passwd file')
      expect(() => getExecUser('0:nosuch', PASSWD, GROUP)).to.throw(InvalidArgument, 'unable to find group nosuch: no matching entries in group file')
      expect(() => getExecUser('-1', PASSWD, GROUP)).to.throw(InvalidArgument, /range/)
      expect(() => generateSpec(base({user: 'nosuch'}))).to.throw(InvalidArgument, 'unable to find user nosuch')
    })

    it('resolves --group-add', () => {
      expect(additionalGroups(['wheel', '42', 'audio'], GROUP)).to.deep.equal([10, 42, 29])
      expect(() => additionalGroups(['nogroup'], GROUP)).to.throw(InvalidArgument, 'Unable to find group nogroup')
    })

    it('puts the user in the spec as Podman does (primary gid in additionalGids, HOME)', () => {
      const nobody = generateSpec(base({user: 'nobody'}))
      expect(nobody.process.user).to.deep.equal({uid: 65534, gid: 65534, umask: 18, additionalGids: [65534]})
      expect(nobody.process.env).to.include('HOME=/')
      const num = generateSpec(base({user: '4321:4321'}))
      expect(num.process.user.additionalGids).to.deep.equal([4321])
      expect(num.process.env.some(e => e.startsWith('HOME='))).to.equal(false)
      expect(generateSpec(base({user: 'alice'})).process.user.additionalGids).to.deep.equal([1000, 10, 29])
      expect(generateSpec(base({image: {Cmd: ['a'], User: 'nobody'}})).process.user.uid).to.equal(65534)
      expect(generateSpec(base({groupAdd: ['wheel']})).process.user).to.deep.equal({uid: 0, gid: 0, umask: 18, additionalGids: [10]})
    })

    it('reads /etc/passwd through symlinks inside the rootfs only', () => {
      const r = path.join(tmp, 'linkroot')
      mkdirSync(path.join(r, 'real'), {recursive: true})
      symlinkSync('/real', path.join(r, 'etc'))
      writeFileSync(path.join(r, 'real/passwd'), 'bob:x:7:7::/b:/bin/sh\n')
      expect(generateSpec(base({rootfs: r, user: 'bob'})).process.user.uid).to.equal(7)
      expect(secureJoin(r, '/etc/../../../x')).to.equal(path.join(r, 'x'))
    })
  })

  describe('capabilities', () => {
    it('normalizes names', () => {
      expect(normalizeCapability('net_admin')).to.equal('CAP_NET_ADMIN')
      expect(normalizeCapability('CAP_NET_ADMIN')).to.equal('CAP_NET_ADMIN')
      expect(normalizeCapability('cap_net_admin')).to.equal('CAP_NET_ADMIN')
      expect(normalizeCapability('all')).to.equal('ALL')
      expect(() => normalizeCapability('foo')).to.throw(InvalidArgument, '"CAP_FOO": unknown capability')
    })

    it('adds and drops like Podman', () => {
      const all = [...ALL_CAPABILITIES]
      const caps = mergeCapabilities(DEFAULT_CAPABILITIES, ['net_admin', 'CAP_SYS_ADMIN'], ['chown'], all)
      expect(caps).to.include.members(['CAP_NET_ADMIN', 'CAP_SYS_ADMIN']).and.not.include('CAP_CHOWN')
      expect(caps).to.have.length(12)
      expect(mergeCapabilities(DEFAULT_CAPABILITIES, ['kill'], ['ALL'], all)).to.deep.equal(['CAP_KILL'])
      expect(mergeCapabilities(DEFAULT_CAPABILITIES, ['all'], ['kill'], all)).to.have.length(all.length - 1)
      expect(() => mergeCapabilities(DEFAULT_CAPABILITIES, ['all'], ['all'], all)).to.throw(InvalidArgument, 'adding all caps and removing all caps not allowed')
      expect(() => mergeCapabilities(DEFAULT_CAPABILITIES, ['kill'], ['KILL'], all)).to.throw(InvalidArgument, 'capability "CAP_KILL" cannot be dropped and added')
      expect(() => generateSpec(base({capAdd: ['CAP_FOO']}))).to.throw(InvalidArgument, '"CAP_FOO": unknown capability')
    })

    it('sorts --cap-add all the Go way and limits it to the bounding set', () => {
      const s = generateSpec(base({capAdd: ['all'], boundingSet: ['CAP_SYS_ADMIN', 'CAP_SYSLOG', 'CAP_CHOWN']}))
      expect(s.process.capabilities?.bounding).to.deep.equal(['CAP_CHOWN', 'CAP_SYSLOG', 'CAP_SYS_ADMIN'])
    })

    it('gives a non-root user only its --cap-add in effective/permitted/ambient', () => {
      expect(generateSpec(base({user: 'nobody'})).process.capabilities).to.deep.equal({bounding: [...DEFAULT_CAPABILITIES]})
      const c = generateSpec(base({user: '1000', capAdd: ['net_raw']})).process.capabilities
      for (const k of ['effective', 'permitted', 'inheritable', 'ambient'] as const) expect(c?.[k]).to.deep.equal(['CAP_NET_RAW'])
      expect(generateSpec(base({user: 'root'})).process.capabilities?.effective).to.have.length(11)
    })

    it('reads the bounding set from /proc/self/status', () => {
      const caps = hostBoundingSet('CapBnd:\t000001fffeffffff\n')
      expect(caps).to.have.length(40)
      expect(caps).to.not.include('CAP_SYS_RESOURCE')
    })
  })

  describe('seccomp', () => {
    const ctx = (caps: readonly string[], arch = 'amd64') => ({boundingCaps: caps, arch, kernel: '6.18.4'})
    const names = (caps: readonly string[], arch?: string) => convertSeccompProfile(MOBY_PROFILE, ctx(caps, arch))?.syscalls?.map(s => s.names.join(','))

    it('resolves arches, errno names and conditional clone rules', () => {
      const s = convertSeccompProfile(MOBY_PROFILE, ctx(DEFAULT_CAPABILITIES))
      expect(s?.defaultAction).to.equal('SCMP_ACT_ERRNO')
      expect(s?.defaultErrnoRet).to.equal(38)
      expect(s?.architectures).to.deep.equal(['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32'])
      expect(s?.syscalls?.[1]).to.deep.equal({names: ['clone'], action: 'SCMP_ACT_ALLOW', args: [{index: 0, value: 2114060288, op: 'SCMP_CMP_MASKED_EQ'}]})
      expect(s?.syscalls?.[2]).to.deep.equal({names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: 38})
      expect(names(DEFAULT_CAPABILITIES)).to.deep.equal(['read,write', 'clone', 'clone3', 'ptrace', 'arch_prctl'])
    })

    it('applies includes.caps and excludes.caps against the bounding set', () => {
      expect(names([...DEFAULT_CAPABILITIES, 'CAP_SYS_ADMIN'])).to.deep.equal(['read,write', 'bpf,clone,clone3,mount,setns', 'ptrace', 'arch_prctl'])
      // every listed cap is needed
      expect(names(['CAP_SYS_PTRACE'])).to.not.include('kcmp')
      expect(names(['CAP_SYS_PTRACE', 'CAP_SYS_ADMIN'])).to.include('kcmp')
    })

    it('applies arches and minKernel', () => {
      expect(names(DEFAULT_CAPABILITIES, 's390x')).to.deep.equal(['read,write', 'clone', 'clone3', 'ptrace'])
      expect(convertSeccompProfile(MOBY_PROFILE, ctx([], 's390x'))?.syscalls?.[1].args?.[0].index).to.equal(1)
      expect(convertSeccompProfile(MOBY_PROFILE, ctx([], 'arm64'))?.architectures).to.deep.equal(['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM'])
      const old = convertSeccompProfile(MOBY_PROFILE, {boundingCaps: [], arch: 'amd64', kernel: '4.4.0'})
      expect(old?.syscalls?.map(s => s.names[0])).to.not.include('ptrace')
    })

    it('rejects malformed profiles', () => {
      expect(() => convertSeccompProfile({defaultAction: 'SCMP_ACT_ERRNO', architectures: ['SCMP_ARCH_X86_64'], archMap: [{architecture: 'SCMP_ARCH_X86_64'}]}, ctx([]))).to.throw(InvalidArgument, /use either 'architectures' or 'archMap'/)
      expect(() => convertSeccompProfile({defaultAction: 'SCMP_ACT_ERRNO', syscalls: [{name: 'a', names: ['b'], action: 'SCMP_ACT_ALLOW'}]}, ctx([]))).to.throw(InvalidArgument, /use either 'name' or 'names'/)
      expect(() => convertSeccompProfile({defaultAction: 'SCMP_ACT_ERRNO', syscalls: [{names: ['a'], action: 'SCMP_ACT_ERRNO', errno: 'EBOGUS'}]}, ctx([]))).to.throw(InvalidArgument, 'unknown errno EBOGUS')
      expect(() => parseSeccompProfile('{')).to.throw(InvalidArgument, /decoding seccomp profile failed/)
      expect(convertSeccompProfile({}, ctx([]))).to.equal(undefined)
    })

    it('picks the profile: unconfined, a path, the default, none when privileged', () => {
      const c = {boundingCaps: DEFAULT_CAPABILITIES, arch: 'amd64', kernel: '6.1', defaultPaths: [profilePath]}
      expect(containerSeccomp('unconfined', false, c)).to.equal(undefined)
      expect(containerSeccomp(undefined, true, c)).to.equal(undefined)
      expect(containerSeccomp(undefined, false, c)?.syscalls).to.have.length(5)
      expect(containerSeccomp(profilePath, true, {...c, defaultPaths: []})).to.be.an('object')
      expect(() => containerSeccomp('/nonexistent.json', false, c)).to.throw(InvalidArgument, /opening seccomp profile failed/)
      expect(() => containerSeccomp(undefined, false, {...c, defaultPaths: ['/nonexistent.json']})).to.throw(ConfigError, /no seccomp profile found/)
    })

    const installed = DEFAULT_SECCOMP_PATHS.find(p => existsSync(p))
    ;(installed ? it : it.skip)('converts containers-common seccomp.json as Podman 4.3.1 did', () => {
      const s = containerSeccomp(undefined, false, {boundingCaps: DEFAULT_CAPABILITIES, arch: 'amd64', kernel: '6.1'})
      expect(s?.defaultAction).to.equal('SCMP_ACT_ERRNO')
      expect(s?.defaultErrnoRet).to.equal(38)
      expect(s?.architectures).to.deep.equal(['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32'])
      const rules = s?.syscalls ?? []
      expect(rules.find(r => r.names.includes('clone'))?.action).to.equal('SCMP_ACT_ALLOW')
      // CAP_SYS_CHROOT is a default cap: chroot allowed; CAP_SYS_ADMIN is not: bpf & co get EPERM
      expect(rules.find(r => r.names.includes('chroot'))?.action).to.equal('SCMP_ACT_ALLOW')
      expect(rules.find(r => r.names.includes('bpf'))).to.deep.include({action: 'SCMP_ACT_ERRNO', errnoRet: 1})
      const admin = containerSeccomp(undefined, false, {boundingCaps: [...DEFAULT_CAPABILITIES, 'CAP_SYS_ADMIN'], arch: 'amd64', kernel: '6.1'})
      expect(admin?.syscalls?.find(r => r.names.includes('bpf'))?.action).to.equal('SCMP_ACT_ALLOW')
      expect(rules.find(r => r.names[0] === 'personality')?.args?.[0]).to.deep.equal({index: 0, value: 0, op: 'SCMP_CMP_EQ'})
    })
  })

  describe('volumes and tmpfs', () => {
    it('parses -v like Podman', () => {
      expect(parseVolumeFlag('/src:/dst:ro,z')).to.deep.equal({type: 'bind', source: '/src', destination: '/dst', readonly: true, relabel: 'shared'})
      expect(parseVolumeFlag('/src:/dst/')).to.deep.equal({type: 'bind', source: '/src', destination: '/dst'})
      expect(parseVolumeFlag('./rel:/d', '/home/u')).to.deep.include({type: 'bind', source: '/home/u/rel'})
      expect(parseVolumeFlag('vol:/d:nocopy,U,rshared,noexec')).to.deep.equal({type: 'volume', name: 'vol', destination: '/d', copy: false, chown: true, propagation: 'rshared', noexec: true})
      expect(parseVolumeFlag('/d')).to.deep.equal({type: 'volume', destination: '/d'})
      expect(parseVolumeFlag('/a:/b:bind,Z,idmap')).to.deep.equal({type: 'bind', source: '/a', destination: '/b', recursive: false, relabel: 'private', idmap: ''})
    })

    it('rejects bad -v values with Podman messages', () => {
      expect(() => parseVolumeFlag('/tmp:x')).to.throw(InvalidArgument, 'invalid container path "x", must be an absolute path')
      expect(() => parseVolumeFlag('/tmp:/x:foo')).to.throw(InvalidArgument, 'invalid option type "foo"')
      expect(() => parseVolumeFlag('/tmp:/x:ro,rw')).to.throw(InvalidArgument, `invalid options "ro, rw", can only specify 1 'rw' or 'ro' option`)
      expect(() => parseVolumeFlag('/tmp:/x:/y:z')).to.throw(InvalidArgument, 'incorrect volume format')
      expect(() => parseVolumeFlag(':/x')).to.throw(InvalidArgument, 'host directory cannot be empty')
    })

    it('parses --tmpfs', () => {
      expect(parseTmpfsFlag('/tmp:rw,size=64m,mode=1777')).to.deep.equal({type: 'tmpfs', destination: '/tmp', readonly: false, size: '64m', mode: 0o1777})
      expect(parseTmpfsFlag('/run/')).to.deep.equal({type: 'tmpfs', destination: '/run'})
      expect(parseTmpfsFlag('/x:U,notmpcopyup,uid=1,gid=2,noexec')).to.deep.equal({type: 'tmpfs', destination: '/x', chown: true, tmpcopyup: false, uid: 1, gid: 2, noexec: true})
      expect(() => parseTmpfsFlag('tmp')).to.throw(InvalidArgument, 'invalid container path "tmp", must be an absolute path')
      expect(() => parseTmpfsFlag('/x:size=1m,foo')).to.throw(InvalidArgument, 'unknown mount option "foo": invalid mount option')
      expect(() => parseTmpfsFlag('/x:ro,rw')).to.throw(InvalidArgument, /duplicate mount option/)
      expect(() => parseTmpfsFlag('/x:z')).to.throw(InvalidArgument, "the 'z' and 'Z' options are not allowed with tmpfs mounts")
    })

    it('processes mount options like Podman', () => {
      expect(processMountOptions(['ro', 'z'], {tmpfs: false})).to.deep.equal(['ro', 'z', 'rprivate', 'rbind'])
      expect(processMountOptions(['rshared'], {tmpfs: false, sourceFlags: {nosuid: true, nodev: true, noexec: false}})).to.deep.equal(['rshared', 'rw', 'nosuid', 'nodev', 'rbind'])
      expect(processMountOptions(['bind-propagation=rslave'], {tmpfs: false})).to.deep.equal(['rslave', 'rw', 'rbind'])
      expect(processMountOptions(['rw', 'size=64m', 'mode=1777'], {tmpfs: true})).to.deep.equal(['rw', 'size=64m', 'mode=1777', 'rprivate', 'nosuid', 'nodev', 'tmpcopyup'])
      expect(processMountOptions(['notmpcopyup'], {tmpfs: true})).to.deep.equal(['rw', 'rprivate', 'nosuid', 'nodev'])
      expect(() => processMountOptions(['size=1m', 'foo'], {tmpfs: true})).to.throw(InvalidArgument, 'unknown mount option "foo": invalid mount option')
      expect(() => processMountOptions(['size=1m'], {tmpfs: false})).to.throw(InvalidArgument, /only allowed with tmpfs/)
      expect(() => processMountOptions(['ro', 'rw'], {tmpfs: true})).to.throw(InvalidArgument, /duplicate mount option/)
    })

    it('puts binds and tmpfs in the spec, superseding defaults', () => {
      const s = generateSpec(base({
        binds: [{source: '/tmp/x', destination: '/data', options: ['ro', 'z']}, {source: '/etc', destination: '/etc/hosts', options: ['U']}],
        tmpfs: tmpfsList(['/run:U', '/dev/shm:size=1m']),
        user: 'nobody',
      }))
      expect(mount(s, '/data')).to.deep.equal({destination: '/data', type: 'bind', source: '/tmp/x', options: ['ro', 'rprivate', 'rbind']})
      expect(s.mounts.filter(m => m.destination === '/etc/hosts')).to.deep.equal([{destination: '/etc/hosts', type: 'bind', source: '/etc', options: ['rw', 'rprivate', 'rbind']}])
      expect(mount(s, '/run')?.options).to.deep.equal(['uid=65534', 'gid=65534', 'rw', 'rprivate', 'nosuid', 'nodev', 'tmpcopyup'])
      expect(mount(s, '/dev/shm')).to.deep.equal({destination: '/dev/shm', type: 'tmpfs', source: 'tmpfs', options: ['size=1m', 'rw', 'rprivate', 'nosuid', 'nodev', 'tmpcopyup']})
      // a mount on /run hides /run/.containerenv: Podman does not bind it then
      expect(mount(s, '/run/.containerenv')).to.equal(undefined)
      expect(() => generateSpec(base({tmpfs: tmpfsList(['/x', '/x/'])}))).to.throw(InvalidArgument, '/x: duplicate mount destination')
      expect(() => generateSpec(base({binds: [{source: 'rel', destination: '/x', options: []}]}))).to.throw(InvalidArgument)
    })

    it('resolves tmpfs destinations through symlinks in the rootfs', () => {
      expect(mount(generateSpec(base({tmpfs: tmpfsList(['/tmp'])})), '/var/tmp')?.type).to.equal('tmpfs')
    })

    it('gives a read-only container tmpfs on /tmp, /var/tmp and /run, and read-only libpod files', () => {
      const s = generateSpec(base({readOnly: true, tmpfs: tmpfsList(['/var/tmp:size=1m'])}))
      expect(s.root.readonly).to.equal(true)
      expect(mount(s, '/run')).to.deep.equal({destination: '/run', type: 'tmpfs', source: 'tmpfs', options: ['rw', 'rprivate', 'nosuid', 'nodev', 'tmpcopyup']})
      expect(mount(s, '/var/tmp')?.options?.[0]).to.equal('size=1m')
      expect(mount(s, '/etc/hosts')?.options).to.deep.equal(['bind', 'rprivate', 'ro', 'nosuid', 'noexec', 'nodev'])
      expect(mount(s, '/dev/shm')?.options).to.not.include('ro')
      expect(generateSpec(base({readOnly: true, readOnlyTmpfs: false})).mounts.some(m => m.destination === '/run')).to.equal(false)
    })

    it('orders parents before children', () => {
      const m = (d: string): OciMount => ({destination: d, type: 'bind', source: '/'})
      expect(sortMounts([m('/a/b/c'), m('/a'), m('/b/c'), m('/c')]).map(x => x.destination)).to.deep.equal(['/a', '/c', '/b/c', '/a/b/c'])
    })

    it('reads host mount flags from mountinfo', () => {
      const info = [
        '22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw',
        '30 22 0:25 / /tmp rw,nosuid,nodev shared:2 - tmpfs tmpfs rw',
        '31 30 0:26 / /tmp/my\\040dir rw,noexec shared:3 - tmpfs tmpfs rw',
      ].join('\n')
      expect(hostMountFlags('/tmp/a', info)).to.deep.equal({nosuid: true, nodev: true, noexec: false})
      expect(hostMountFlags('/tmp/my dir/x', info)).to.deep.equal({nosuid: false, nodev: false, noexec: true})
      expect(hostMountFlags('/usr', info)).to.deep.equal({nosuid: false, nodev: false, noexec: false})
    })
  })

  describe('ulimits', () => {
    it('parses --ulimit like Podman', () => {
      expect(parseUlimit('nofile=1024:2048')).to.deep.equal({name: 'nofile', soft: 1024, hard: 2048})
      expect(parseUlimit('nproc=10')).to.deep.equal({name: 'nproc', soft: 10, hard: 10})
      expect(parseUlimit('core=-1')).to.deep.equal({name: 'core', soft: -1, hard: -1})
      expect(() => parseUlimit('nofile=5:2')).to.throw(InvalidArgument, 'ulimit option "nofile=5:2" requires name=SOFT:HARD, failed to be parsed: ulimit soft limit must be less than or equal to hard limit: 5 > 2')
      expect(() => parseUlimit('foo=1')).to.throw(InvalidArgument, 'invalid ulimit type: foo')
      expect(() => parseUlimit('nofile')).to.throw(InvalidArgument, 'invalid ulimit argument')
      expect(() => parseUlimit('nofile=1:2:3')).to.throw(InvalidArgument, 'too many limit value arguments')
    })

    it('has no rlimits unless asked', () => {
      expect(generateSpec(base()).process).to.not.have.property('rlimits')
    })

    it('clamps to the host hard limit, and fails rootless when soft is above it', () => {
      const host = new Map([['nofile', {soft: 1024, hard: 4096}]])
      expect(toOciRlimits([parseUlimit('nofile=1024:8192')], {rootless: true, canRaise: false, hostLimits: host})).to.deep.equal([{type: 'RLIMIT_NOFILE', hard: 4096, soft: 1024}])
      expect(toOciRlimits([parseUlimit('nofile=8192')], {rootless: false, canRaise: false, hostLimits: host})).to.deep.equal([{type: 'RLIMIT_NOFILE', hard: 4096, soft: 4096}])
      expect(toOciRlimits([parseUlimit('nofile=8192')], {rootless: false, canRaise: true, hostLimits: host})).to.deep.equal([{type: 'RLIMIT_NOFILE', hard: 8192, soft: 8192}])
      expect(() => toOciRlimits([parseUlimit('nofile=8192')], {rootless: true, canRaise: false, hostLimits: host})).to.throw(InvalidArgument, /soft limit 8192 exceeds the host's hard limit 4096/)
      expect(generateSpec(base({ulimits: ['nofile=1024:2048'].map(parseUlimit)})).process.rlimits).to.deep.equal([{type: 'RLIMIT_NOFILE', hard: 2048, soft: 1024}])
    })

    it('writes unlimited as uint64 max', () => {
      const r = toOciRlimits([parseUlimit('core=-1')], {rootless: false, canRaise: true, hostLimits: new Map()})
      expect(r[0].hard).to.equal(RLIM_INFINITY)
      const spec = generateSpec(base({ulimits: ['core=-1'].map(parseUlimit), canRaiseRlimits: true}))
      expect(specToJSON(spec)).to.contain('"hard":18446744073709551615')
    })

    it('reads /proc/self/limits', () => {
      const text = 'Limit                     Soft Limit           Hard Limit           Units     \nMax open files            20000                20000                files     \nMax core file size        0                    unlimited            bytes     \n'
      const l = readHostLimits(text)
      expect(l.get('nofile')).to.deep.equal({soft: 20000, hard: 20000})
      expect(l.get('core')).to.deep.equal({soft: 0, hard: Infinity})
    })
  })

  describe('other process settings', () => {
    it('sets umask and oom_score_adj', () => {
      expect(generateSpec(base({umask: '0077'})).process.user.umask).to.equal(0o77)
      expect(() => generateSpec(base({umask: '99'}))).to.throw(InvalidArgument)
      expect(generateSpec(base({oomScoreAdj: 100})).process.oomScoreAdj).to.equal(100)
      expect(generateSpec(base({oomScoreAdj: -100, rootless: true, currentOomScoreAdj: 0})).process.oomScoreAdj).to.equal(0)
    })
  })
})
