// Users and namespaces of a container, typed: --userns, --uidmap/--gidmap,
// --subuidname/--subgidname, --ipc/--pid/--uts, --group-add, --passwd*,
// --hostuser, --umask, --personality, --chrootdirs. The parsers of Podman's
// textual forms live here (CLI, Quadlet and kube play share them), with
// Podman 4.3.1's messages.
import {InvalidArgument} from '../define/errors.js'
import type {ContainerDevicesConfig} from './devices.js'

/** One line of a uid_map/gid_map: container IDs [containerId, +size) are hostId.. in the parent namespace. */
export interface IdMap {
  containerId: number
  hostId: number
  size: number
}

/** --userns, typed. */
export type UsernsMode =
  | {mode: 'host'}
  | {mode: 'private'}
  | {mode: 'keep-id'; uid?: number; gid?: number}
  | {mode: 'nomap'}
  | {mode: 'auto'; size?: number; uidMappings?: IdMap[]; gidMappings?: IdMap[]}
  | {mode: 'ns'; path: string}
  | {mode: 'container'; container: string}

/** --ipc/--pid/--uts: the namespace to use (shareable: a private IPC namespace others may join). */
export type NamespaceOption = 'host' | 'private' | 'shareable' | 'none' | `ns:${string}` | `container:${string}`

/** What the spec says about users and namespaces (Podman's ContainerSecurityConfig/NamespaceConfig parts). */
export interface ContainerUsersConfig {
  userns?: UsernsMode
  /** --uidmap: explicit mappings (a user namespace with them). */
  uidMap?: IdMap[]
  /** --gidmap; absent with uidMap: the same as uidMap. */
  gidMap?: IdMap[]
  /** --subuidname/--subgidname: map container 0.. to this /etc/subuid (subgid) range. */
  subUidName?: string
  subGidName?: string
  ipc?: NamespaceOption
  pid?: NamespaceOption
  uts?: NamespaceOption
  /** --group-add: names or GIDs; `keep-groups` alone keeps the caller's groups (rootless). */
  groupAdd?: string[]
  /** --passwd (default true): add the user to the container's /etc/passwd when missing. */
  passwd?: boolean
  /** --passwd-entry: the template of that line ($USERNAME, $UID, $GID, $NAME, $HOME). */
  passwdEntry?: string
  /** --hostuser: host users whose passwd entries are copied in. */
  hostUsers?: string[]
  /** --umask, octal. */
  umask?: string
  /** --personality: LINUX or LINUX32. */
  personality?: string
  /** --chrootdirs: paths inside the container that are chroot directories (they get /etc/hosts & co. too... recorded for inspect). */
  chrootDirs?: string[]
}

const NS_MODES = ['host', 'private']

function parseUint(s: string): number {
  if (!/^\d+$/.test(s) || Number(s) > 0xffffffff) throw new InvalidArgument(`strconv.ParseUint: parsing ${JSON.stringify(s)}: invalid syntax`)
  return Number(s)
}

/** `container_id:host_id:size` (Podman's --uidmap/--gidmap and the auto uidmapping= option). */
export function parseIdMap(s: string, kind: 'UID' | 'GID' = 'UID'): IdMap {
  const parts = s.split(':')
  if (parts.length !== 3 || parts.some(p => !/^\d+$/.test(p) || Number(p) > 0xffffffff)) {
    throw new InvalidArgument(`initializing ID mappings: ${kind} setting is malformed expected ["uint32:uint32:uint32"]: [${JSON.stringify(s)}]`)
  }
  const [containerId, hostId, size] = parts.map(Number)
  if (size === 0) throw new InvalidArgument(`container ID ${containerId} cannot be mapped to a host ID`)
  return {containerId, hostId, size}
}

/** --userns as Podman 4.3.1 reads it. */
export function parseUsernsMode(v: string): UsernsMode {
  const colon = v.indexOf(':')
  const [name, rest] = colon < 0 ? [v, ''] : [v.slice(0, colon), v.slice(colon + 1)]
  switch (name) {
    case '': case 'host': return {mode: 'host'}
    case 'private': return {mode: 'private'}
    case 'nomap': return {mode: 'nomap'}
    case 'keep-id': {
      const out: UsernsMode = {mode: 'keep-id'}
      for (const opt of rest ? rest.split(',') : []) {
        const [k, val = ''] = opt.split('=')
        if (k === 'uid') out.uid = parseUint(val)
        else if (k === 'gid') out.gid = parseUint(val)
        else throw new InvalidArgument(`unknown option specified: ${JSON.stringify(k)}`)
      }
      return out
    }
    case 'auto': {
      const out: UsernsMode = {mode: 'auto'}
      for (const opt of rest ? rest.split(',') : []) {
        const eq = opt.indexOf('=')
        const [k, val] = eq < 0 ? [opt, ''] : [opt.slice(0, eq), opt.slice(eq + 1)]
        if (k === 'size') out.size = parseUint(val)
        else if (k === 'uidmapping') (out.uidMappings ??= []).push(parseIdMap(val, 'UID'))
        else if (k === 'gidmapping') (out.gidMappings ??= []).push(parseIdMap(val, 'GID'))
        else throw new InvalidArgument(`unknown option specified: ${JSON.stringify(k)}`)
      }
      return out
    }
    case 'ns':
      if (!rest) throw new InvalidArgument('must provide a path to a namespace when specifying "ns:"')
      return {mode: 'ns', path: rest}
    case 'container':
      if (!rest) throw new InvalidArgument('must provide name or ID or a container when specifying "container:"')
      return {mode: 'container', container: rest}
    default:
      throw new InvalidArgument(`unrecognized namespace mode ${v} passed`)
  }
}

/** The --userns string a typed mode came from (inspect's HostConfig.UsernsMode). */
export function usernsModeString(u: UsernsMode | undefined): string {
  if (!u || u.mode === 'host') return ''
  switch (u.mode) {
    case 'keep-id': {
      const opts = [...u.uid !== undefined ? [`uid=${u.uid}`] : [], ...u.gid !== undefined ? [`gid=${u.gid}`] : []]
      return opts.length ? `keep-id:${opts.join(',')}` : 'keep-id'
    }
    case 'auto': return u.size !== undefined ? `auto:size=${u.size}` : 'auto'
    case 'ns': return `ns:${u.path}`
    case 'container': return `container:${u.container}`
    default: return u.mode
  }
}

/** --ipc (shareable allowed; none: a private namespace without /dev/shm... kept private here), --pid, --uts. */
export function parseNamespaceOption(kind: 'ipc' | 'pid' | 'uts', v: string): NamespaceOption {
  if (NS_MODES.includes(v)) return v as NamespaceOption
  if (kind === 'ipc' && (v === 'shareable' || v === 'none')) return v
  if (v.startsWith('ns:')) {
    if (v.length === 3) throw new InvalidArgument('must provide a path to a namespace when specifying "ns:"')
    return v as NamespaceOption
  }
  if (v.startsWith('container:')) {
    if (v.length === 'container:'.length) throw new InvalidArgument('must provide name or ID or a container when specifying "container:"')
    return v as NamespaceOption
  }
  throw new InvalidArgument(`unrecognized namespace mode ${v} passed`)
}

/** --group-add: keep-groups must be alone. */
export function checkGroupAdd(groups: readonly string[]): void {
  if (groups.includes('keep-groups') && groups.length > 1) throw new InvalidArgument("the '--group-add keep-groups' option is not allowed with any other --group-add options")
}

export const PERSONALITIES: readonly string[] = ['LINUX', 'LINUX32']

/** Checks of the users and namespaces part of a spec that need no store (the engine runs them at create). */
export function validateUsersConfig(s: ContainerUsersConfig, rootless: boolean): void {
  const explicitMaps = !!(s.uidMap?.length || s.gidMap?.length || s.subUidName || s.subGidName)
  if (explicitMaps && s.userns && s.userns.mode !== 'host') throw new InvalidArgument('--userns and --uidmap/--gidmap/--subuidname/--subgidname are mutually exclusive')
  if (s.userns && !rootless && (s.userns.mode === 'keep-id' || s.userns.mode === 'nomap')) throw new InvalidArgument(`${s.userns.mode} is only supported in rootless mode`)
  if (s.userns?.mode === 'private') throw new InvalidArgument('must provide at least one UID or GID mapping to configure a user namespace')
  checkGroupAdd(s.groupAdd ?? [])
  if (s.umask !== undefined && !/^[0-7]{1,4}$/.test(s.umask)) throw new InvalidArgument(`running container create option: invalid umask string ${s.umask}: invalid argument`)
  if (s.personality !== undefined && !PERSONALITIES.includes(s.personality)) throw new InvalidArgument(`invalid personality domain ${JSON.stringify(s.personality)}: must be LINUX or LINUX32`)
  for (const d of s.chrootDirs ?? []) if (!d.startsWith('/')) throw new InvalidArgument(`invalid chroot directory ${JSON.stringify(d)}: must be an absolute path`)
}

/** The host user a rootless container maps (keep-id) or copies into /etc/passwd (--hostuser). */
export interface HostUserEntry {
  name: string
  uid: number
  gid: number
  gecos: string
  home: string
  shell: string
}

/** What a container keeps of its users config: the spec's part, with the ID maps resolved at create. */
export interface StoredUsersConfig extends Omit<ContainerUsersConfig, 'ipc' | 'pid' | 'uts'> {
  /** The container's own user namespace: its maps, in IDs of the namespace peapod runs in. */
  idMappings?: {uidMap: IdMap[]; gidMap: IdMap[]}
  /** keep-id: the rootless user's passwd entry, added inside. */
  keepIdUser?: HostUserEntry
  /** --hostuser entries, looked up at create. */
  hostUserEntries?: HostUserEntry[]
}

/** pod create's users, namespaces and devices flags: the infra container gets them; members join its user namespace and get the devices. */
export type PodUsersSpec = Pick<ContainerUsersConfig, 'userns' | 'uidMap' | 'gidMap' | 'subUidName' | 'subGidName' | 'pid' | 'uts'> & Pick<ContainerDevicesConfig, 'devices'>
