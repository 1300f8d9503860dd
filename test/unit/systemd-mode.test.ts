// --systemd's decision and its additions to the OCI spec (spec/systemd.ts), against Podman 4.3.1's config.json.
import {expect} from 'chai'
import {applySystemdMode, useSystemdMode, validateSystemdMode} from '../../src/libpod/spec/systemd.js'
import type {OciSpec} from '../../src/libpod/spec/oci.js'

const ID = 'ac665df33639bdeedebfd1707a7fe3d13bb3043df23aeeb663079eadcaab5ca3'
const V1_MOUNTINFO = '40 30 0:37 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:10 - cgroup cgroup rw,name=systemd\n'

const base = (): OciSpec => ({
  ociVersion: '1.0.0',
  process: {user: {uid: 0, gid: 0}, args: ['/sbin/init'], env: ['PATH=/bin', 'container=podman'], cwd: '/'},
  root: {path: '/r'},
  mounts: [
    {destination: '/proc', type: 'proc', source: 'proc'},
    {destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['ro']},
    {destination: '/run/.containerenv', type: 'bind', source: '/x', options: ['bind']},
  ],
  linux: {namespaces: [{type: 'mount'}], maskedPaths: ['/proc/kcore']},
})

describe('systemd mode (spec/systemd.ts)', () => {
  it('is on for init and systemd commands (past /bin/sh -c), always with always, never with false', () => {
    for (const cmd of [['/sbin/init'], ['/usr/sbin/init'], ['/usr/local/sbin/init'], ['/lib/systemd/systemd', '--x'], ['systemd'], ['/bin/sh', '-c', '/sbin/init']]) {
      expect(useSystemdMode('true', cmd), cmd.join(' ')).to.equal(true)
      expect(useSystemdMode(undefined, cmd)).to.equal(true)
      expect(useSystemdMode('false', cmd)).to.equal(false)
    }
    for (const cmd of [['sh', '-c', '/sbin/init'], ['/bin/init'], ['/run/podman-init', '--', '/sbin/init'], []]) expect(useSystemdMode('true', cmd), cmd.join(' ')).to.equal(false)
    expect(useSystemdMode('always', ['sleep'])).to.equal(true)
    expect(() => validateSystemdMode('yes')).to.throw('invalid config provided: --systemd values must be one of "true, false, always": invalid configuration')
  })

  it('adds Podman 4.3.1\'s tmpfs mounts, container_uuid and the name=systemd bind on cgroup v1', () => {
    const spec = base()
    applySystemdMode(spec, ID, {cgroupV2: false, mountinfo: V1_MOUNTINFO})
    const tmpfs = {type: 'tmpfs', source: 'tmpfs', options: ['rw', 'rprivate', 'nosuid', 'nodev', 'tmpcopyup']}
    expect(spec.mounts).to.deep.include({destination: '/run', ...tmpfs})
    expect(spec.mounts).to.deep.include({destination: '/run/lock', ...tmpfs})
    expect(spec.mounts).to.deep.include({destination: '/tmp', ...tmpfs})
    expect(spec.mounts).to.deep.include({destination: '/var/log/journal', ...tmpfs})
    expect(spec.mounts).to.deep.include({destination: '/sys/fs/cgroup/systemd', type: 'bind', source: '/sys/fs/cgroup/systemd', options: ['bind', 'rprivate', 'nodev', 'noexec', 'nosuid']})
    // the file stays bound over the /run tmpfs (mounted after it)
    const dests = spec.mounts!.map(m => m.destination)
    expect(dests.indexOf('/run/.containerenv')).to.be.greaterThan(dests.indexOf('/run'))
    expect(spec.linux!.maskedPaths).to.deep.equal(['/proc/kcore', '/sys/fs/cgroup/systemd/release_agent'])
    expect(spec.process!.env).to.deep.equal(['PATH=/bin', 'container=podman', `container_uuid=${ID.slice(0, 32)}`])
  })

  it('keeps the user\'s mounts and container_uuid; cgroup v2 gets /sys/fs/cgroup writable', () => {
    const spec = base()
    spec.mounts!.push({destination: '/tmp', type: 'tmpfs', source: 'tmpfs', options: ['size=1m']})
    spec.process!.env!.push('container_uuid=mine')
    applySystemdMode(spec, ID, {cgroupV2: true})
    expect(spec.mounts!.filter(m => m.destination === '/tmp')).to.deep.equal([{destination: '/tmp', type: 'tmpfs', source: 'tmpfs', options: ['size=1m']}])
    expect(spec.mounts!.filter(m => m.destination === '/sys/fs/cgroup')).to.deep.equal([{destination: '/sys/fs/cgroup', type: 'bind', source: '/sys/fs/cgroup', options: ['bind', 'private', 'rw']}])
    expect(spec.process!.env!.filter(e => e.startsWith('container_uuid='))).to.deep.equal(['container_uuid=mine'])
    const ns = base()
    ns.linux!.namespaces!.push({type: 'cgroup'})
    applySystemdMode(ns, ID, {cgroupV2: true})
    expect(ns.mounts!.filter(m => m.destination === '/sys/fs/cgroup')).to.deep.equal([{destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['private', 'rw']}])
  })
})
