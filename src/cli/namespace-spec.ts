// The users, namespaces and devices flags' values → the spec's typed fields
// (flags in namespace-flags.ts; syntax and messages in specgen).
import type {ContainerDevicesConfig} from '../libpod/specgen/devices.js'
import {parseDevice, parseDeviceCgroupRule} from '../libpod/specgen/devices.js'
import type {ContainerUsersConfig} from '../libpod/specgen/namespaces.js'
import {checkGroupAdd, parseIdMap, parseNamespaceOption, parseUsernsMode} from '../libpod/specgen/namespaces.js'

/** Go's StringSlice: each value may hold several, comma-separated. */
function slice(v: unknown): string[] {
  return ((v as string[] | undefined) ?? []).flatMap(s => s.split(',')).filter(s => s !== '')
}

/** The users and namespaces flags → the spec's typed fields (only those given). */
export function toUsersSpec(f: Record<string, unknown>): ContainerUsersConfig {
  const out: ContainerUsersConfig = {}
  const str = (k: string) => f[k] as string | undefined
  if (str('userns') !== undefined) out.userns = parseUsernsMode(str('userns')!)
  const uid = slice(f.uidmap)
  const gid = slice(f.gidmap)
  if (uid.length) out.uidMap = uid.map(m => parseIdMap(m, 'UID'))
  if (gid.length) out.gidMap = gid.map(m => parseIdMap(m, 'GID'))
  if (str('subuidname')) out.subUidName = str('subuidname')
  if (str('subgidname')) out.subGidName = str('subgidname')
  for (const k of ['ipc', 'pid', 'uts'] as const) if (str(k) !== undefined) out[k] = parseNamespaceOption(k, str(k)!)
  const groups = slice(f['group-add'])
  if (groups.length) {
    checkGroupAdd(groups)
    out.groupAdd = groups
  }
  if (f.passwd === false) out.passwd = false
  if (str('passwd-entry') !== undefined) out.passwdEntry = str('passwd-entry')
  const hostUsers = slice(f.hostuser)
  if (hostUsers.length) out.hostUsers = hostUsers
  if (str('umask') !== undefined) out.umask = str('umask')
  if (str('personality') !== undefined) out.personality = str('personality')
  const chroot = slice(f.chrootdirs)
  if (chroot.length) out.chrootDirs = chroot
  return out
}

/** --device and --device-cgroup-rule → the spec's typed fields. */
export function toDevicesSpec(f: Record<string, unknown>): ContainerDevicesConfig {
  const out: ContainerDevicesConfig = {}
  const devices = slice(f.device)
  if (devices.length) out.devices = devices.map(parseDevice)
  const rules = ((f['device-cgroup-rule'] as string[] | undefined) ?? [])
  if (rules.length) out.deviceCgroupRules = rules.map(parseDeviceCgroupRule)
  return out
}
