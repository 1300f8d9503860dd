// Users, namespaces and devices in the OCI spec beyond Podman's defaults:
// the container's own user namespace (and the mounts it can no longer make),
// --device nodes or binds, --device-cgroup-rule, --personality,
// --group-add keep-groups and --chrootdirs.
import {readdirSync, statSync} from 'node:fs'
import path from 'node:path'
import {InvalidArgument} from '../define/errors.js'
import type {DeviceSpec} from '../specgen/devices.js'
import type {OciDevice, OciDeviceCgroup, OciMount, OciSpec} from './oci.js'
import type {IsolationOptions, SpecOptions} from './options.js'

export interface HostDevice {
  type: 'b' | 'c'
  major: number
  minor: number
  mode: number
  uid: number
  gid: number
}

/** A host device node's numbers (undefined: not a device). */
export function statDevice(p: string): HostDevice | undefined {
  const st = statSync(p, {bigint: true})
  if (!st.isCharacterDevice() && !st.isBlockDevice()) return undefined
  const rdev = st.rdev
  // glibc's gnu_dev_major/minor
  const major = Number(((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & ~0xfffn))
  const minor = Number((rdev & 0xffn) | ((rdev >> 12n) & ~0xffn))
  return {type: st.isCharacterDevice() ? 'c' : 'b', major, minor, mode: Number(st.mode & 0o777n), uid: Number(st.uid), gid: Number(st.gid)}
}

function errnoText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code
  return code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message
}

/**
 * The device nodes a --device names: itself, or every device below a
 * directory (at the same place below the container path), as Podman does.
 */
export function expandDevice(d: DeviceSpec, stat: (p: string) => HostDevice | undefined = statDevice): Array<{host: string; container: string; dev: HostDevice}> {
  let isDir = false
  try {
    isDir = statSync(d.path).isDirectory()
  } catch (e) {
    throw new InvalidArgument(`stat ${d.path}: ${errnoText(e)}`)
  }
  if (!isDir) {
    const dev = stat(d.path)
    if (!dev) throw new InvalidArgument(`${d.path} is not a valid device: not a device node`)
    return [{host: d.path, container: d.containerPath, dev}]
  }
  const out: Array<{host: string; container: string; dev: HostDevice}> = []
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, {withFileTypes: true})) {
      const p = path.join(dir, e.name)
      if (e.isDirectory()) walk(p)
      else if (e.isCharacterDevice() || e.isBlockDevice()) {
        const dev = stat(p)
        if (dev) out.push({host: p, container: path.join(d.containerPath, path.relative(d.path, p)), dev})
      }
    }
  }
  walk(d.path)
  return out
}

function addDevices(spec: OciSpec, iso: IsolationOptions, rootless: boolean): void {
  const nodes = (iso.devices ?? []).flatMap(d => expandDevice(d, iso.statDevice).map(n => ({...n, permissions: d.permissions})))
  for (const n of nodes) {
    if (rootless || iso.userns) {
      // a user namespace cannot make device nodes: Podman binds the host's (rootful, the cgroup still allows it)
      spec.mounts.push({destination: n.container, type: 'bind', source: n.host, options: ['slave', 'nosuid', 'noexec', n.permissions.includes('w') ? 'rw' : 'ro', 'rbind']})
      if (!rootless) addRule(spec, {allow: true, type: n.dev.type, major: n.dev.major, minor: n.dev.minor, access: n.permissions})
      continue
    }
    const dev: OciDevice = {path: n.container, type: n.dev.type, major: n.dev.major, minor: n.dev.minor, fileMode: n.dev.mode, uid: n.dev.uid, gid: n.dev.gid}
    ;(spec.linux.devices ??= []).push(dev)
    addRule(spec, {allow: true, type: n.dev.type, major: n.dev.major, minor: n.dev.minor, access: n.permissions})
  }
  if (!rootless) {
    for (const r of iso.deviceCgroupRules ?? []) {
      addRule(spec, {allow: true, type: r.type, ...r.major !== undefined ? {major: r.major} : {}, ...r.minor !== undefined ? {minor: r.minor} : {}, access: r.access})
    }
  }
}

function addRule(spec: OciSpec, rule: OciDeviceCgroup): void {
  const res = (spec.linux.resources ??= {})
  ;(res.devices ??= []).push(rule)
}

/**
 * A new user namespace owns only the namespaces made in it (peapod makes a
 * container's network namespace inside it, a pod's members share the infra's):
 * sysfs needs the network namespace's owner, mqueue the IPC one's, so with
 * the host's they become binds of the host's (as Podman does).
 */
function adjustMountsForUserns(spec: OciSpec, o: SpecOptions): void {
  const netJoined = o.network === 'host'
  const ipcJoined = o.ipc === 'host'
  spec.mounts = spec.mounts.flatMap((m): OciMount[] => {
    if (netJoined && m.destination === '/sys' && m.type === 'sysfs') {
      const r = o.privileged ? 'rw' : 'ro'
      return [{destination: '/sys', type: 'bind', source: '/sys', options: ['rprivate', 'nosuid', 'noexec', 'nodev', r, 'rbind']}]
    }
    if (netJoined && m.destination === '/sys/fs/cgroup' && m.type === 'cgroup') {
      const r = o.privileged ? 'rw' : 'ro'
      return [{destination: '/sys/fs/cgroup', type: 'bind', source: '/sys/fs/cgroup', options: ['rprivate', 'nosuid', 'noexec', 'nodev', r, 'rbind']}]
    }
    if (ipcJoined && m.destination === '/dev/mqueue' && m.type === 'mqueue') {
      return [{destination: '/dev/mqueue', type: 'bind', source: '/dev/mqueue', options: ['bind', 'nosuid', 'noexec', 'nodev']}]
    }
    return [m]
  })
  if (netJoined && !o.privileged && !(spec.linux.maskedPaths ?? []).includes('/sys/kernel')) {
    spec.linux.maskedPaths = ['/sys/kernel', ...spec.linux.maskedPaths ?? []]
  }
}

const CHROOT_FILES = ['/etc/hosts', '/etc/resolv.conf', '/etc/hostname']

/** Applies `o.isolation` to a spec generateSpec made. */
export function applyIsolation(spec: OciSpec, o: SpecOptions): void {
  const iso = o.isolation
  if (!iso) return
  const u = iso.userns
  if (u) {
    spec.linux.namespaces.push(u.path ? {type: 'user', path: u.path} : {type: 'user'})
    if (u.uidMappings) spec.linux.uidMappings = u.uidMappings.map(m => ({containerID: m.containerId, hostID: m.hostId, size: m.size}))
    if (u.gidMappings) spec.linux.gidMappings = u.gidMappings.map(m => ({containerID: m.containerId, hostID: m.hostId, size: m.size}))
    adjustMountsForUserns(spec, o)
  }
  addDevices(spec, iso, !!o.rootless)
  if (iso.personality) spec.linux.personality = {domain: iso.personality}
  if (iso.keepGroups) {
    spec.annotations = {...spec.annotations, 'run.oci.keep_original_groups': '1'}
    delete spec.process.user.additionalGids
  }
  for (const dir of iso.chrootDirs ?? []) {
    for (const f of CHROOT_FILES) {
      const m = spec.mounts.find(x => x.destination === f && x.type === 'bind')
      if (m) spec.mounts.push({...m, destination: path.posix.join(dir, f)})
    }
  }
}
