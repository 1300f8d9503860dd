import {expect} from 'chai'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {parseKeyValues, resolveEnvFlags, toContainerSpec} from '../../src/cli/container-spec.js'
import {parseAddHost, parseNetworkFlags, toNetworkSpec} from '../../src/cli/network-spec.js'
import {parseExitPolicy, parseShare} from '../../src/cli/pod-spec.js'
import {parseMountFlag, parseVolumesFromFlag, splitCsv} from '../../src/cli/spec-mounts.js'
import {parseUlimitFlag} from '../../src/cli/spec-security.js'
import {upgradeConfig} from '../../src/libpod/container/legacy.js'
import {CONFIG_VERSION, type ContainerConfig} from '../../src/libpod/container/types.js'
import {InvalidArgument} from '../../src/libpod/define/errors.js'
import {mountOptions, securityOptStrings, signalName, validateContainerSpec, validatePodSpec} from '../../src/libpod/specgen/index.js'

describe('specgen', () => {
  describe('--mount → typed mounts', () => {
    it('parses bind mounts', () => {
      expect(parseMountFlag('type=bind,src=/a,dst=/b,ro,bind-propagation=rslave,relabel=private,U', '/cwd')).to.deep.equal(
        {type: 'bind', source: '/a', destination: '/b', readonly: true, propagation: 'rslave', relabel: 'private', chown: true})
      expect(parseMountFlag('type=bind,source=rel,target=/b/,readonly=false,bind-nonrecursive', '/cwd')).to.deep.equal(
        {type: 'bind', source: '/cwd/rel', destination: '/b', recursive: false})
      expect(parseMountFlag('type=bind,dst=/b,rw=false,nosuid,nodev,exec', '/cwd')).to.deep.include({source: '/b', readonly: true, nosuid: true, nodev: true, noexec: false})
    })

    it('parses volume, tmpfs and image mounts', () => {
      expect(parseMountFlag('type=volume,src=v,dst=/d,volume-opt=o=size=1m,volume-nocopy,ro')).to.deep.equal(
        {type: 'volume', name: 'v', destination: '/d', driverOptions: ['o=size=1m'], copy: false, readonly: true})
      expect(parseMountFlag('type=volume,dst=/d')).to.deep.equal({type: 'volume', destination: '/d'})
      expect(parseMountFlag('type=tmpfs,dst=/t,tmpfs-size=1m,tmpfs-mode=700,notmpcopyup')).to.deep.equal(
        {type: 'tmpfs', destination: '/t', size: '1m', mode: 0o700, tmpcopyup: false})
      expect(parseMountFlag('type=image,src=busybox,dst=/img,rw=false')).to.deep.equal({type: 'image', source: 'busybox', destination: '/img'})
    })

    it('rejects bad --mount values with Podman messages', () => {
      const bad = (v: string, msg: string | RegExp) => expect(() => parseMountFlag(v), v).to.throw(InvalidArgument, msg)
      bad('src=/a,dst=/b', 'incorrect mount format: should be --mount type=<bind|tmpfs|volume>')
      bad('type=foo,dst=/b', 'invalid filesystem type "foo"')
      bad('type=bind,src=/a', 'must set volume destination')
      bad('type=bind,src=/a,dst=b', 'invalid container path "b", must be an absolute path')
      bad('type=bind,src=/a,dst=/b,ro,rw', "cannot pass 'readonly', 'ro', or 'rw' options more than once: must provide an argument for option")
      bad('type=bind,src=/a,dst=/b,ro=maybe', `'readonly', 'ro', or 'rw' must be set to true or false, instead received "maybe"`)
      bad('type=bind,src=/a,dst=/b,bogus', 'bogus: invalid mount option')
      bad('type=bind,src=/a,dst=/b,bind-propagation=sideways', 'invalid option type "sideways"')
      bad('type=bind,src=/a,dst=/b,relabel=x', "relabel mount option must be 'private' or 'shared': invalid mount option")
      bad('type=bind,src=,dst=/b', 'host directory cannot be empty')
      bad('type=tmpfs,src=/a,dst=/b', 'source is not supported with tmpfs mounts')
      bad('type=tmpfs,dst=/b,tmpfs-mode=abc', /invalid tmpfs mode/)
      bad('type=volume,dst=/b,volume-label=x', 'the --volume-label option is not presently implemented')
      bad('type=image,dst=/b', 'must set source and destination for image volume')
      bad('type=image,src=i,dst=/b,rw=true', 'read-write image mounts (rw=true) are not supported by peapod')
      bad('type=devpts,dst=/b', '--mount type=devpts is not supported by peapod')
      bad('type=bind,"src=/a,dst=/b', 'extraneous or missing " in quoted-field')
    })

    it('splits CSV like Go', () => {
      expect(splitCsv('type=bind,"src=/a,b",dst=/c')).to.deep.equal(['type=bind', 'src=/a,b', 'dst=/c'])
    })

    it('parses --volumes-from', () => {
      expect(parseVolumesFromFlag('c1')).to.deep.equal({container: 'c1'})
      expect(parseVolumesFromFlag('c1:ro,z')).to.deep.equal({container: 'c1', readonly: true, relabel: true})
      expect(() => parseVolumesFromFlag('c1:ro,rw')).to.throw(InvalidArgument, 'cannot set ro or rw options more than once')
      expect(() => parseVolumesFromFlag('c1:z,z')).to.throw(InvalidArgument, 'cannot set :z more than once in mount options')
      expect(() => parseVolumesFromFlag('c1:Z')).to.throw(InvalidArgument, 'volumes from another container can only use z,ro,rw options')
    })

    it('rejects overlay volumes', () => {
      expect(() => toContainerSpec({volume: ['/a:/b:O']}, 'img', [])).to.throw(InvalidArgument, 'overlay volumes (:O) are not supported: /b')
    })
  })

  describe('typed mounts → stored options', () => {
    it('writes mount(8) words in a fixed order', () => {
      expect(mountOptions({type: 'bind', source: '/a', destination: '/b', readonly: true, relabel: 'shared'})).to.deep.equal(['ro', 'z'])
      expect(mountOptions({type: 'volume', name: 'v', destination: '/b', propagation: 'rshared', nosuid: false, chown: true, copy: false})).to.deep.equal(['rshared', 'suid', 'U', 'nocopy'])
      expect(mountOptions({type: 'tmpfs', destination: '/t', readonly: false, size: '64m', mode: 0o1777, tmpcopyup: false})).to.deep.equal(['rw', 'size=64m', 'mode=1777', 'notmpcopyup'])
      expect(mountOptions({type: 'image', source: 'i', destination: '/i'})).to.deep.equal(['ro'])
      expect(mountOptions({type: 'bind', source: '/a', destination: '/b', recursive: false, idmap: 'uids=0-1-1'})).to.deep.equal(['bind', 'idmap=uids=0-1-1'])
    })
  })

  describe('--ulimit, key=value, env', () => {
    it('parses ulimits', () => {
      expect(parseUlimitFlag('nofile=1024:2048')).to.deep.equal({name: 'nofile', soft: 1024, hard: 2048})
      expect(() => parseUlimitFlag('nofile=x')).to.throw(InvalidArgument, 'ulimit option "nofile=x" requires name=SOFT:HARD, failed to be parsed: strconv.ParseInt: parsing "x": invalid syntax')
    })

    it('parses key=value lists', () => {
      expect(parseKeyValues(['a=1', 'b', 'c=x=y'], 'label')).to.deep.equal({a: '1', b: '', c: 'x=y'})
      expect(() => parseKeyValues(['=1'], 'label')).to.throw(InvalidArgument, 'invalid label "=1": must be key=value')
    })

    it('resolves env files then -e against the host', () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'specgen-'))
      try {
        writeFileSync(path.join(dir, 'e'), '# c\nA=file\nB=file\nHOSTVAR\n')
        expect(resolveEnvFlags([path.join(dir, 'e')], ['B=flag', 'C', 'P*'], {HOSTVAR: 'h', C: 'c', P1: 'p1', P2: 'p2'})).to.deep.equal(
          {A: 'file', B: 'flag', HOSTVAR: 'h', C: 'c', P1: 'p1', P2: 'p2'})
        expect(() => resolveEnvFlags([path.join(dir, 'missing')], [])).to.throw(InvalidArgument, `open ${path.join(dir, 'missing')}: no such file or directory`)
        expect(() => resolveEnvFlags([], ['=x'])).to.throw(InvalidArgument, 'invalid environment variable: "=x"')
      } finally {
        rmSync(dir, {recursive: true, force: true})
      }
    })
  })

  describe('network flags → typed network', () => {
    it('parses modes and named networks', () => {
      expect(parseNetworkFlags(['host'])).to.deep.equal({netns: {mode: 'host'}})
      expect(parseNetworkFlags(['slirp4netns:allow_host_loopback=true'])).to.deep.equal({netns: {mode: 'slirp4netns', options: ['allow_host_loopback=true']}})
      expect(parseNetworkFlags(['container:c1'])).to.deep.equal({netns: {mode: 'container', container: 'c1'}})
      expect(parseNetworkFlags(['private'])).to.deep.equal({})
      expect(parseNetworkFlags(['n1:alias=a,ip=10.1.0.5', 'bridge'])).to.deep.equal({netns: {mode: 'bridge'}, networks: [{name: 'n1', aliases: ['a'], staticIPs: ['10.1.0.5']}, {}]})
      expect(() => parseNetworkFlags(['host', 'n1'])).to.throw(InvalidArgument, 'cannot set multiple networks without bridge network mode, selected mode host: invalid argument')
      expect(() => parseNetworkFlags(['n1:bogus=1'])).to.throw(InvalidArgument, 'unknown network option "bogus"')
      expect(() => parseNetworkFlags(['n1:ip=nope'])).to.throw(InvalidArgument, 'invalid ip address "nope"')
      expect(() => parseNetworkFlags(['ns:rel'])).to.throw(InvalidArgument, 'invalid network namespace path "rel": must be absolute')
      expect(() => parseNetworkFlags(['container:'])).to.throw(InvalidArgument, 'container: network mode requires a container name or ID')
    })

    it('parses ports, expose, dns and hosts', () => {
      const n = toNetworkSpec({publish: ['8080:80', '127.0.0.1::53/udp'], expose: ['90-91'], dns: ['1.1.1.1,8.8.8.8'], 'add-host': ['h:10.0.0.1', 'v6:[::1]'], ip: '10.88.0.9'})
      expect(n.portMappings).to.deep.equal([
        {host_ip: '', container_port: 80, host_port: 8080, range: 1, protocol: 'tcp'},
        {host_ip: '127.0.0.1', container_port: 53, host_port: 0, range: 1, protocol: 'udp'},
      ])
      expect(n.expose).to.deep.equal([{port: 90, protocol: 'tcp'}, {port: 91, protocol: 'tcp'}])
      expect(n.dnsServers).to.deep.equal(['1.1.1.1', '8.8.8.8'])
      expect(n.hostAdd).to.deep.equal([{host: 'h', ip: '10.0.0.1'}, {host: 'v6', ip: '::1'}])
      expect(n.staticIP).to.equal('10.88.0.9')
      expect(() => parseAddHost('nohost')).to.throw(InvalidArgument, 'bad format for add-host: "nohost"')
      expect(() => toNetworkSpec({'no-hosts': true, 'add-host': ['h:1.2.3.4']})).to.throw(InvalidArgument, '--no-hosts and --add-host cannot be set together')
    })
  })

  describe('create flags → ContainerSpec', () => {
    it('fills the spec once, typed', () => {
      const {spec, newPod} = toContainerSpec({
        env: ['A=1'], label: ['l=v'], tmpfs: ['/t:size=1m'], ulimit: ['nproc=5'], 'security-opt': ['no-new-privileges'],
        'stop-signal': 'KILL', volume: ['/a:/b:ro'], mount: ['type=tmpfs,dst=/m'], rm: true, tty: true,
      }, 'busybox', ['sh'], '/cwd')
      expect(newPod).to.equal(undefined)
      expect(spec).to.deep.include({image: 'busybox', command: ['sh'], env: {A: '1'}, labels: {l: 'v'}, stopSignal: 9, remove: true, terminal: true})
      expect(spec.tmpfs).to.deep.equal([{type: 'tmpfs', destination: '/t', size: '1m'}])
      expect(spec.mounts).to.deep.equal([{type: 'tmpfs', destination: '/m'}, {type: 'bind', source: '/a', destination: '/b', readonly: true}])
      expect(spec.ulimits).to.deep.equal([{name: 'nproc', soft: 5, hard: 5}])
      expect(spec.security).to.deep.equal({noNewPrivileges: true})
    })

    it('moves published ports to a new pod', () => {
      const {spec, newPod} = toContainerSpec({pod: 'new:p1', publish: ['8080:80'], dns: ['1.1.1.1']}, 'busybox', [])
      expect(newPod).to.deep.include({name: 'p1', network: {portMappings: [{host_ip: '', container_port: 80, host_port: 8080, range: 1, protocol: 'tcp'}]}})
      expect(spec.network).to.deep.equal({dnsServers: ['1.1.1.1']})
      expect(spec.pod).to.equal(undefined)
      expect(() => toContainerSpec({pod: 'new:'}, 'busybox', [])).to.throw(InvalidArgument, 'new pod name must be at least one character')
      expect(toContainerSpec({pod: 'p2'}, 'busybox', []).spec.pod).to.equal('p2')
    })

    it('rejects bad flags with Podman messages', () => {
      expect(() => toContainerSpec({'stop-signal': 'NOPE'}, 'i', [])).to.throw(InvalidArgument, 'invalid signal: NOPE')
      expect(() => toContainerSpec({'health-on-failure': 'explode'}, 'i', [])).to.throw(InvalidArgument, 'invalid on-failure action "explode" for health check')
      expect(() => toContainerSpec({'health-cmd': 'true', 'no-healthcheck': true}, 'i', [])).to.throw(InvalidArgument, 'cannot specify both --no-healthcheck and --health-cmd')
    })
  })

  describe('pod flags → PodSpec', () => {
    it('parses --share and --exit-policy', () => {
      expect(parseShare(undefined)).to.equal(undefined)
      expect(parseShare('+pid')).to.deep.equal(['ipc', 'net', 'pid', 'uts'])
      expect(parseShare('none')).to.deep.equal([])
      expect(() => parseShare('foo')).to.throw(InvalidArgument, 'invalid kernel namespace to share: foo. Options are: cgroup, ipc, net, pid, uts or none')
      expect(parseExitPolicy('stop')).to.equal('stop')
      expect(() => parseExitPolicy('x')).to.throw(InvalidArgument, 'invalid pod exit policy: "x"')
    })
  })

  describe('validation', () => {
    const ok = {image: 'busybox'}
    it('accepts a minimal spec and rejects bad values', () => {
      validateContainerSpec(ok)
      const bad = (extra: object, msg: string | RegExp) => expect(() => validateContainerSpec({...ok, ...extra}), JSON.stringify(extra)).to.throw(InvalidArgument, msg)
      bad({image: ''}, 'no image specified')
      bad({capAdd: ['bogus']}, '"CAP_BOGUS": unknown capability')
      bad({ulimits: [{name: 'nofile', soft: 5, hard: 2}]}, 'ulimit soft limit must be less than or equal to hard limit: 5 > 2')
      bad({ulimits: [{name: 'foo', soft: 1, hard: 1}]}, 'invalid ulimit type: foo')
      bad({stopSignal: 99}, 'invalid signal: 99')
      bad({stopTimeout: -1}, 'invalid argument "-1" for "--stop-timeout" flag')
      bad({logDriver: 'syslog'}, 'invalid log driver: syslog')
      bad({mounts: [{type: 'bind', source: 'rel', destination: '/x'}]}, 'invalid host path "rel", must be an absolute path')
      bad({mounts: [{type: 'volume', destination: 'x'}]}, 'invalid container path "x", must be an absolute path')
      bad({mounts: [{type: 'volume', destination: '/x'}], tmpfs: [{type: 'tmpfs', destination: '/x'}]}, '/x: duplicate mount destination')
      bad({env: {'': 'x'}}, 'invalid environment variable: "=x"')
      bad({security: {mask: ['rel']}}, 'mask path "rel" is not an absolute path')
      bad({healthcheck: {test: ['CMD', 'true'], interval: 0, timeout: 1, retries: 0, startPeriod: 0}}, 'healthcheck-retries must be greater than 0')
    })

    it('checks pod specs', () => {
      validatePodSpec({name: 'p'})
      expect(() => validatePodSpec({infra: false, network: {portMappings: [{host_ip: '', container_port: 1, host_port: 1, range: 1, protocol: 'tcp'}]}}))
        .to.throw(InvalidArgument, 'cannot set network options (--network, --publish, --dns, --add-host, --ip, --mac-address) without an infra container: invalid argument')
      expect(() => validatePodSpec({infra: false, share: ['ipc']})).to.throw(InvalidArgument, 'you must have an infra container to share namespaces: invalid argument')
      validatePodSpec({infra: false, share: []})
    })

    it('names signals canonically', () => {
      expect(signalName(15)).to.equal('SIGTERM')
      expect(signalName(9)).to.equal('SIGKILL')
      expect(signalName(40)).to.equal('40')
    })
  })

  describe('old config documents', () => {
    // the shape today's main wrote (no version; flag strings)
    const old = {
      id: 'a'.repeat(64), name: 'old', imageId: 'b'.repeat(64), imageName: 'busybox', created: '2026-01-01T00:00:00.000Z',
      command: ['sh'], env: ['A=1'], envFiles: ['B=2'], envHost: false, labels: {}, annotations: {}, tty: false, interactive: false,
      remove: false, readOnly: false, privileged: false, init: false, capAdd: [], capDrop: [],
      securityOpt: ['seccomp=unconfined', 'no-new-privileges', 'label=disable', 'mask=/a:/b', 'unmask=ALL', 'systempaths=unconfined', 'apparmor=unconfined', 'proc-opts=x'],
      mounts: [{type: 'bind', source: '/a', destination: '/b', options: ['ro']}],
      tmpfs: ['/t', '/u:size=1m,mode=1777'],
      ulimits: ['nofile=1024:2048', 'nproc=5', 'core=-1'],
      network: 'none', stopSignal: 'SIGTERM', stopTimeout: 10, logDriver: 'k8s-file', logOptions: {}, runtime: 'runc', sigProxy: true, storageDriver: 'vfs',
    }

    it('upgrades them on read without losing anything', () => {
      const c = upgradeConfig(old as unknown as ContainerConfig)
      expect(c.version).to.equal(CONFIG_VERSION)
      expect(c).to.not.have.property('securityOpt')
      expect(c.security).to.deep.equal({seccompProfile: 'unconfined', noNewPrivileges: true, labelOpts: ['disable'], mask: ['/a', '/b'], unmask: ['ALL', 'ALL'], apparmorProfile: 'unconfined', procOpts: ['x']})
      expect(c.tmpfs).to.deep.equal([{destination: '/t', options: []}, {destination: '/u', options: ['size=1m', 'mode=1777']}])
      expect(c.ulimits).to.deep.equal([{name: 'nofile', soft: 1024, hard: 2048}, {name: 'nproc', soft: 5, hard: 5}, {name: 'core', soft: -1, hard: -1}])
      expect(c.envFiles).to.deep.equal(['B=2'])
      expect(c.mounts).to.deep.equal(old.mounts)
      expect(securityOptStrings(c.security)).to.deep.equal(['no-new-privileges', 'label=disable', 'apparmor=unconfined', 'seccomp=unconfined', 'mask=/a:/b', 'unmask=ALL', 'unmask=ALL', 'proc-opts=x'])
    })

    it('leaves current documents alone', () => {
      const c = upgradeConfig(old as unknown as ContainerConfig)
      expect(upgradeConfig(c)).to.equal(c)
    })
  })
})
