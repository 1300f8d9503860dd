// Users, namespaces and devices: the flag parsers (Podman 4.3.1's syntax and
// messages) and what spec/isolation.ts does to an OCI spec.
import {expect} from 'chai'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {toDevicesSpec, toUsersSpec} from '../../src/cli/namespace-spec.js'
import {generateSpec} from '../../src/libpod/spec/generate.js'
import type {SpecOptions} from '../../src/libpod/spec/options.js'
import {parseDevice, parseDeviceCgroupRule} from '../../src/libpod/specgen/devices.js'
import {parseIdMap, parseNamespaceOption, parseUsernsMode, usernsModeString, validateUsersConfig} from '../../src/libpod/specgen/namespaces.js'

const err = (f: () => unknown) => {
  try {
    f()
  } catch (e) {
    return (e as Error).message
  }
  return ''
}

describe('users, namespaces and devices', () => {
  describe('parsers', () => {
    it('--userns modes and options', () => {
      expect(parseUsernsMode('keep-id')).to.deep.equal({mode: 'keep-id'})
      expect(parseUsernsMode('keep-id:uid=200,gid=300')).to.deep.equal({mode: 'keep-id', uid: 200, gid: 300})
      expect(parseUsernsMode('auto:size=500,uidmapping=0:10:5')).to.deep.equal({mode: 'auto', size: 500, uidMappings: [{containerId: 0, hostId: 10, size: 5}]})
      expect(parseUsernsMode('ns:/proc/1/ns/user')).to.deep.equal({mode: 'ns', path: '/proc/1/ns/user'})
      expect(parseUsernsMode('')).to.deep.equal({mode: 'host'})
      expect(err(() => parseUsernsMode('bogus'))).to.equal('unrecognized namespace mode bogus passed')
      expect(err(() => parseUsernsMode('keep-id:foo=1'))).to.equal('unknown option specified: "foo"')
      expect(err(() => parseUsernsMode('keep-id:uid=-1'))).to.equal('strconv.ParseUint: parsing "-1": invalid syntax')
      expect(usernsModeString(parseUsernsMode('keep-id:uid=1,gid=2'))).to.equal('keep-id:uid=1,gid=2')
    })

    it('--uidmap/--gidmap triples', () => {
      expect(parseIdMap('0:100000:65536')).to.deep.equal({containerId: 0, hostId: 100000, size: 65536})
      expect(err(() => parseIdMap('0:1', 'GID'))).to.equal('initializing ID mappings: GID setting is malformed expected ["uint32:uint32:uint32"]: ["0:1"]')
      expect(err(() => parseIdMap('5:0:0'))).to.equal('container ID 5 cannot be mapped to a host ID')
    })

    it('--ipc/--pid/--uts', () => {
      expect(parseNamespaceOption('ipc', 'shareable')).to.equal('shareable')
      expect(parseNamespaceOption('pid', 'container:abc')).to.equal('container:abc')
      expect(err(() => parseNamespaceOption('uts', 'shareable'))).to.equal('unrecognized namespace mode shareable passed')
    })

    it('--device and --device-cgroup-rule', () => {
      expect(parseDevice('/dev/sda')).to.deep.equal({path: '/dev/sda', containerPath: '/dev/sda', permissions: 'rwm'})
      expect(parseDevice('/dev/sda:r')).to.deep.equal({path: '/dev/sda', containerPath: '/dev/sda', permissions: 'r'})
      expect(parseDevice('/dev/sda:/dev/xvda:rw')).to.deep.equal({path: '/dev/sda', containerPath: '/dev/xvda', permissions: 'rw'})
      expect(err(() => parseDevice('/dev/sda:/x:rr'))).to.equal('invalid device mode: rr')
      expect(err(() => parseDevice('a:b:c:d'))).to.equal('invalid device specification: a:b:c:d')
      expect(parseDeviceCgroupRule('c 1:* rwm')).to.deep.equal({type: 'c', major: 1, minor: undefined, access: 'rwm'})
      expect(err(() => parseDeviceCgroupRule('c 1:3'))).to.equal('invalid device cgroup rule requires type, major:Minor, and access rules: "c 1:3"')
    })

    it('flag values → typed spec fields (Go string slices split on commas)', () => {
      expect(toUsersSpec({'group-add': ['10,20'], uidmap: ['0:1:10'], umask: '077', passwd: false, ipc: 'host'})).to.deep.equal(
        {groupAdd: ['10', '20'], uidMap: [{containerId: 0, hostId: 1, size: 10}], umask: '077', passwd: false, ipc: 'host'})
      expect(toDevicesSpec({device: ['/dev/a,/dev/b:r']})).to.deep.equal({devices: [
        {path: '/dev/a', containerPath: '/dev/a', permissions: 'rwm'}, {path: '/dev/b', containerPath: '/dev/b', permissions: 'r'}]})
      expect(err(() => toUsersSpec({'group-add': ['keep-groups', '10']}))).to.equal("the '--group-add keep-groups' option is not allowed with any other --group-add options")
    })

    it('checks that need the mode', () => {
      expect(err(() => validateUsersConfig({userns: {mode: 'keep-id'}}, false))).to.equal('keep-id is only supported in rootless mode')
      expect(err(() => validateUsersConfig({userns: {mode: 'nomap'}, uidMap: [{containerId: 0, hostId: 1, size: 1}]}, true)))
        .to.equal('--userns and --uidmap/--gidmap/--subuidname/--subgidname are mutually exclusive')
      expect(err(() => validateUsersConfig({umask: '8'}, true))).to.equal('running container create option: invalid umask string 8: invalid argument')
      expect(err(() => validateUsersConfig({userns: {mode: 'keep-id'}}, true))).to.equal('')
    })
  })

  describe('the OCI spec', () => {
    let tmp: string
    before(() => {
      tmp = mkdtempSync(path.join(os.tmpdir(), 'peapod-ns-'))
      mkdirSync(path.join(tmp, 'etc'))
      writeFileSync(path.join(tmp, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n')
      writeFileSync(path.join(tmp, 'etc/group'), 'root:x:0:\n')
    })
    after(() => rmSync(tmp, {recursive: true, force: true}))
    const base = (o: Partial<SpecOptions>): SpecOptions => ({
      rootfs: tmp, hostname: 'h', image: {Cmd: ['sh']}, hostEnv: {}, security: {seccompProfile: 'unconfined'}, boundingSet: ['CAP_CHOWN'], seccompDefaultPaths: [], arch: 'amd64', kernel: '6.1.0',
      mountFlags: () => ({nosuid: false, nodev: false, noexec: false}), files: {hosts: '/ud/hosts', resolvConf: '/ud/resolv.conf', hostname: '/ud/hostname'}, ...o,
    })
    const zero = () => ({type: 'c' as const, major: 1, minor: 5, mode: 0o666, uid: 0, gid: 0})

    it('a user namespace with its maps; the host network\'s /sys becomes a bind', () => {
      const s = generateSpec(base({network: 'host', isolation: {userns: {path: '/run/u', uidMappings: [{containerId: 0, hostId: 1000, size: 10}], gidMappings: [{containerId: 0, hostId: 2000, size: 10}]}}}))
      expect(s.linux.namespaces).to.deep.include({type: 'user', path: '/run/u'})
      expect(s.linux.uidMappings).to.deep.equal([{containerID: 0, hostID: 1000, size: 10}])
      expect(s.linux.gidMappings).to.deep.equal([{containerID: 0, hostID: 2000, size: 10}])
      expect(s.mounts.find(m => m.destination === '/sys')).to.deep.include({type: 'bind', source: '/sys'})
    })

    it('rootful devices are nodes with cgroup rules; rootless ones binds', () => {
      const dev = {path: '/dev/zero', containerPath: '/dev/z', permissions: 'r'}
      const root = generateSpec(base({isolation: {devices: [dev], deviceCgroupRules: [{type: 'c', major: 42, access: 'rwm'}], statDevice: zero}}))
      expect(root.linux.devices).to.deep.equal([{path: '/dev/z', type: 'c', major: 1, minor: 5, fileMode: 0o666, uid: 0, gid: 0}])
      expect(root.linux.resources!.devices).to.deep.include({allow: true, type: 'c', major: 1, minor: 5, access: 'r'})
      expect(root.linux.resources!.devices).to.deep.include({allow: true, type: 'c', major: 42, access: 'rwm'})
      const rootless = generateSpec(base({rootless: true, isolation: {devices: [dev], statDevice: zero}}))
      expect(rootless.linux.devices).to.equal(undefined)
      expect(rootless.mounts.find(m => m.destination === '/dev/z')).to.deep.equal({destination: '/dev/z', type: 'bind', source: '/dev/zero', options: ['slave', 'nosuid', 'noexec', 'ro', 'rbind']})
    })

    it('personality, keep-groups, chroot dirs', () => {
      const s = generateSpec(base({groupAdd: ['5'], isolation: {personality: 'LINUX32', keepGroups: true, chrootDirs: ['/srv']}}))
      expect(s.linux.personality).to.deep.equal({domain: 'LINUX32'})
      expect(s.annotations!['run.oci.keep_original_groups']).to.equal('1')
      expect(s.process.user.additionalGids).to.equal(undefined)
      expect(s.mounts.find(m => m.destination === '/srv/etc/hosts')).to.deep.include({source: '/ud/hosts'})
      expect(s.mounts.find(m => m.destination === '/srv/etc/resolv.conf')).to.deep.include({source: '/ud/resolv.conf'})
    })
  })
})
