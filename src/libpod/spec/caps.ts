// Capability names and --cap-add/--cap-drop merging, as containers/common's
// pkg/capabilities does it (MergeCapabilities, NormalizeCapabilities).
import {readFileSync} from 'node:fs'
import {InvalidArgument} from '../define/errors.js'
import type {OciCapabilities} from './oci.js'

/** Every capability the kernel knows, indexed by number (CAP_CHOWN = 0). */
export const ALL_CAPABILITIES: readonly string[] = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_DAC_READ_SEARCH', 'CAP_FOWNER', 'CAP_FSETID',
  'CAP_KILL', 'CAP_SETGID', 'CAP_SETUID', 'CAP_SETPCAP', 'CAP_LINUX_IMMUTABLE',
  'CAP_NET_BIND_SERVICE', 'CAP_NET_BROADCAST', 'CAP_NET_ADMIN', 'CAP_NET_RAW', 'CAP_IPC_LOCK',
  'CAP_IPC_OWNER', 'CAP_SYS_MODULE', 'CAP_SYS_RAWIO', 'CAP_SYS_CHROOT', 'CAP_SYS_PTRACE',
  'CAP_SYS_PACCT', 'CAP_SYS_ADMIN', 'CAP_SYS_BOOT', 'CAP_SYS_NICE', 'CAP_SYS_RESOURCE',
  'CAP_SYS_TIME', 'CAP_SYS_TTY_CONFIG', 'CAP_MKNOD', 'CAP_LEASE', 'CAP_AUDIT_WRITE',
  'CAP_AUDIT_CONTROL', 'CAP_SETFCAP', 'CAP_MAC_OVERRIDE', 'CAP_MAC_ADMIN', 'CAP_SYSLOG',
  'CAP_WAKE_ALARM', 'CAP_BLOCK_SUSPEND', 'CAP_AUDIT_READ', 'CAP_PERFMON', 'CAP_BPF',
  'CAP_CHECKPOINT_RESTORE',
]

/** containers.conf `default_capabilities` as shipped by containers-common. */
export const DEFAULT_CAPABILITIES: readonly string[] = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL', 'CAP_NET_BIND_SERVICE',
  'CAP_SETFCAP', 'CAP_SETGID', 'CAP_SETPCAP', 'CAP_SETUID', 'CAP_SYS_CHROOT',
]

/**
 * containers/common's built-in default set (pkg/config's DefaultCapabilities,
 * before containers.conf narrows it): Podman's inspect reports HostConfig's
 * CapAdd and CapDrop against it.
 */
export const BUILTIN_DEFAULT_CAPABILITIES: readonly string[] = [
  'CAP_AUDIT_WRITE', 'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL', 'CAP_MKNOD',
  'CAP_NET_BIND_SERVICE', 'CAP_NET_RAW', 'CAP_SETFCAP', 'CAP_SETGID', 'CAP_SETPCAP', 'CAP_SETUID', 'CAP_SYS_CHROOT',
]

const ALL = 'ALL'

/** Go's sort.Strings order (byte order), which Podman's lists come in. */
export function sortCaps(caps: Iterable<string>): string[] {
  return [...new Set(caps)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}

/** `net_admin`, `CAP_NET_ADMIN` → `CAP_NET_ADMIN`; `all` → `ALL`. Unknown names throw. */
export function normalizeCapability(name: string): string {
  let c = name.toUpperCase()
  if (c === ALL) return c
  if (!c.startsWith('CAP_')) c = 'CAP_' + c
  if (!ALL_CAPABILITIES.includes(c)) throw new InvalidArgument(`"${c}": unknown capability`)
  return c
}

export function normalizeCapabilities(names: readonly string[]): string[] {
  return sortCaps(names.map(normalizeCapability))
}

/**
 * The capability bounding set of this process (/proc/self/status CapBnd),
 * which caps "all" and --privileged: a container cannot get more.
 */
export function hostBoundingSet(status?: string): string[] {
  let text = status
  if (text === undefined) {
    try {
      text = readFileSync('/proc/self/status', 'utf8')
    } catch {
      return [...ALL_CAPABILITIES]
    }
  }
  const m = /^CapBnd:\s*([0-9a-f]+)/m.exec(text)
  if (!m) return [...ALL_CAPABILITIES]
  const mask = BigInt('0x' + m[1])
  return sortCaps(ALL_CAPABILITIES.filter((_c, i) => (mask >> BigInt(i)) & 1n))
}

/**
 * base + adds - drops, sorted. "all" in drops keeps only adds; "all" in adds
 * starts from the bounding set. Adding and dropping the same cap is an error.
 */
export function mergeCapabilities(base: readonly string[], adds: readonly string[], drops: readonly string[], boundingSet: readonly string[]): string[] {
  let b = normalizeCapabilities(base)
  if (adds.length === 0 && drops.length === 0) return b
  const capDrop = normalizeCapabilities(drops)
  let capAdd = normalizeCapabilities(adds)
  if (capDrop.includes(ALL)) {
    if (capAdd.includes(ALL)) throw new InvalidArgument('adding all caps and removing all caps not allowed')
    return capAdd
  }
  if (capAdd.includes(ALL)) {
    b = sortCaps(boundingSet)
    capAdd = []
  }
  for (const c of capAdd) {
    if (capDrop.includes(c)) throw new InvalidArgument(`capability "${c}" cannot be dropped and added`)
  }
  const out = b.filter(c => !capDrop.includes(c))
  for (const c of capAdd) if (!b.includes(c)) out.push(c)
  return sortCaps(out)
}

/** What a container's capabilities come from (its create options). */
export interface CapabilityOptions {
  privileged?: boolean
  capAdd?: readonly string[]
  capDrop?: readonly string[]
  defaultCapabilities?: readonly string[]
}

/** Bounding/effective/permitted as Podman sets them; non-root users only get their --cap-add. */
export function containerCapabilities(o: CapabilityOptions, userSpec: string, bounding: readonly string[]): OciCapabilities {
  const caps = o.privileged
    ? [...bounding]
    : mergeCapabilities(o.defaultCapabilities ?? DEFAULT_CAPABILITIES, o.capAdd ?? [], o.capDrop ?? [], bounding).filter(c => bounding.includes(c))
  const out: OciCapabilities = {bounding: caps}
  const user = userSpec.split(':')[0]
  if (user === '' || user === 'root' || user === '0') {
    out.effective = caps
    out.permitted = caps
    return out
  }
  const userCaps = mergeCapabilities([], o.capAdd ?? [], [], bounding).filter(c => bounding.includes(c))
  if (userCaps.length) {
    out.effective = userCaps
    out.permitted = userCaps
    out.inheritable = userCaps
    out.ambient = userCaps
  }
  return out
}

/**
 * inspect's HostConfig.CapAdd/CapDrop as Podman reports them: the bounding
 * set against the built-in default set, or for --privileged against every
 * capability (what the host's bounding set lacks shows as dropped).
 */
export function capabilityChanges(bounding: readonly string[], privileged = false): {CapAdd: string[]; CapDrop: string[]} {
  const reference = privileged ? ALL_CAPABILITIES : BUILTIN_DEFAULT_CAPABILITIES
  return {
    CapAdd: sortCaps(bounding.filter(c => !reference.includes(c))),
    CapDrop: sortCaps(reference.filter(c => !bounding.includes(c))),
  }
}
