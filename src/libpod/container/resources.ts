// A container's cgroup limits, from its spec to the OCI spec and inspect:
// checked against what this host's cgroups can enforce (Podman's
// verifyContainerResources: a limit the kernel lacks is dropped with
// Podman's warning; rootless on cgroup v1 all limits are), block devices
// resolved to major:minor, then written as linux.resources and
// linux.cgroupsPath the way Podman 4.3.1 writes them.
import {existsSync, readFileSync, statSync} from 'node:fs'
import {CommandNotInvokable, InvalidArgument} from '../define/errors.js'
import type {OciResources} from '../spec/oci.js'
import {DEFAULT_CGROUP_PARENT} from '../define/cgroup.js'
import {hasLimits, parseCpuset, validateResourceSpec, type BlockDevice, type ContainerResources, type ResourceLimits, type ResourceSpec, type ThrottleDevice} from '../specgen/resources.js'

const CGROUP_ROOT = '/sys/fs/cgroup'
/** Podman's default parent with the cgroupfs manager (define/cgroup.ts: listings load it alone). */
export {DEFAULT_CGROUP_PARENT}
/** containers.conf pids_limit. */
export const DEFAULT_PIDS_LIMIT = 2048

/** What the host's cgroups offer (containers/common's sysinfo, for cgroup v1). */
export interface HostCgroups {
  v2: boolean
  /** Whether a controller file exists at the hierarchy's root (memory/memory.swappiness …). */
  has: (file: string) => boolean
  /** cpuset.cpus / cpuset.mems of the root cpuset. */
  cpus: string
  mems: string
}

function readRoot(file: string): string {
  try {
    return readFileSync(`${CGROUP_ROOT}/${file}`, 'utf8').trim()
  } catch {
    return ''
  }
}

export function hostCgroups(): HostCgroups {
  return {
    v2: existsSync(`${CGROUP_ROOT}/cgroup.controllers`),
    has: file => existsSync(`${CGROUP_ROOT}/${file}`),
    cpus: readRoot('cpuset/cpuset.cpus'),
    mems: readRoot('cpuset/cpuset.mems'),
  }
}

export interface ResolveContext {
  rootless: boolean
  /** The OCI runtime's name (runc cannot run without cgroups). */
  runtimeName?: string
  host?: HostCgroups
  /** Device path → major:minor (default: stat). */
  statDevice?: (path: string) => {major: number; minor: number}
}

export interface Resolved {
  resources: ContainerResources
  /** Podman's warnings, printed as plain lines on stderr. */
  warnings: string[]
}

function statDevice(path: string): {major: number; minor: number} {
  const r = statSync(path).rdev
  // glibc's gnu_dev_major/minor
  return {major: Number((BigInt(r) >> 8n) & 0xfffn) | Number((BigInt(r) >> 32n) & ~0xfffn), minor: (r & 0xff) | Number((BigInt(r) >> 12n) & ~0xffn)}
}

function errnoText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code
  return code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message
}

function resolveDevices<T extends BlockDevice>(list: T[] | undefined, stat: ResolveContext['statDevice'] & {}, what: (p: string) => string): T[] | undefined {
  return list?.map(d => {
    if (d.major !== undefined && d.minor !== undefined) return d
    try {
      return {...d, ...stat(d.path)}
    } catch (e) {
      throw new InvalidArgument(`${what(d.path)}: ${errnoText(e)}`)
    }
  })
}

/** A cpuset within the host's: Podman's IsCpusetCpusAvailable. */
function available(requested: string, host: string): boolean {
  const want = parseCpuset(requested) ?? []
  const have = new Set(parseCpuset(host) ?? [])
  return !host || want.every(n => have.has(n))
}

/**
 * The spec's resource options as the container keeps them. Throws Podman's
 * error for what cannot be (nothing is created then); drops, with Podman's
 * warning, what this host cannot enforce.
 */
export function resolveResources(spec: ResourceSpec, ctx: ResolveContext): Resolved {
  validateResourceSpec(spec)
  const warnings: string[] = []
  const host = ctx.host ?? hostCgroups()
  const out: ContainerResources = {...spec}
  if (spec.cgroupsMode === 'disabled' && ctx.runtimeName && ctx.runtimeName !== 'crun') {
    throw new InvalidArgument(`requested OCI runtime ${ctx.runtimeName} is not compatible with NoCgroups: invalid argument`)
  }
  if (spec.cgroupns?.startsWith('ns:')) {
    const p = spec.cgroupns.slice(3)
    try {
      statSync(p)
    } catch (e) {
      throw new InvalidArgument(`cannot find specified cgroup namespace path: stat ${p}: ${errnoText(e)}`)
    }
  }
  const limits = spec.resourceLimits && structuredClone(spec.resourceLimits)
  delete out.resourceLimits
  if (!limits || !hasLimits(limits)) return {resources: out, warnings}
  if (ctx.rootless && !host.v2) {
    warnings.push('Resource limits are not supported and ignored on cgroups V1 rootless systems')
    return {resources: out, warnings}
  }
  if (!host.v2) {
    if (limits.unified && Object.keys(limits.unified).length) throw new InvalidArgument('cannot use --cgroup-conf without cgroup v2')
    verifyV1(limits, host, warnings)
  }
  const stat = ctx.statDevice ?? statDevice
  const b = limits.blockIO
  if (b) {
    if (b.weightDevice) b.weightDevice = resolveDevices(b.weightDevice, stat, p => `failed to inspect '${p}' in --blkio-weight-device`)
    const throttle = (p: string) => `could not parse throttle device at ${p}`
    for (const k of ['throttleReadBpsDevice', 'throttleWriteBpsDevice', 'throttleReadIOPSDevice', 'throttleWriteIOPSDevice'] as const) {
      if (b[k]) b[k] = resolveDevices(b[k], stat, throttle)
    }
  }
  out.resourceLimits = limits
  return {resources: out, warnings}
}

/** Podman's verifyContainerResourcesCgroupV1: drop what the kernel lacks, refuse what cannot be. */
function verifyV1(l: ResourceLimits, host: HostCgroups, warnings: string[]): void {
  const m = l.memory
  if (m) {
    if (m.limit !== undefined && !host.has('memory/memory.limit_in_bytes')) {
      warnings.push('Your kernel does not support memory limit capabilities or the cgroup is not mounted. Limitation discarded.')
      delete m.limit
      delete m.swap
    }
    if (m.swappiness !== undefined && !host.has('memory/memory.swappiness')) {
      warnings.push('Your kernel does not support memory swappiness capabilities, or the cgroup is not mounted. Memory swappiness discarded.')
      delete m.swappiness
    }
    if (m.reservation !== undefined && !host.has('memory/memory.soft_limit_in_bytes')) {
      warnings.push('Your kernel does not support memory soft limit capabilities or the cgroup is not mounted. Limitation discarded.')
      delete m.reservation
    }
    if (m.disableOOMKiller && !host.has('memory/memory.oom_control')) {
      warnings.push('Your kernel does not support OomKillDisable. OomKillDisable discarded.')
      delete m.disableOOMKiller
    }
  }
  // the pids hierarchy's root has no pids.max: its mount is what counts
  if (l.pids && l.pids.limit >= 0 && !host.has('pids/tasks')) {
    warnings.push('Your kernel does not support pids limit capabilities or the cgroup is not mounted. PIDs limit discarded.')
    delete l.pids
  }
  const c = l.cpu
  if (c) {
    if (c.shares !== undefined && !host.has('cpu/cpu.shares')) {
      warnings.push('Your kernel does not support CPU shares or the cgroup is not mounted. Shares discarded.')
      delete c.shares
    }
    if (c.period !== undefined && !host.has('cpu/cpu.cfs_period_us')) {
      warnings.push('Your kernel does not support CPU cfs period or the cgroup is not mounted. Period discarded.')
      delete c.period
    }
    if (c.quota !== undefined && !host.has('cpu/cpu.cfs_quota_us')) {
      warnings.push('Your kernel does not support CPU cfs quota or the cgroup is not mounted. Quota discarded.')
      delete c.quota
    }
    if ((c.cpus || c.mems) && !host.has('cpuset/cpuset.cpus')) {
      warnings.push('Your kernel does not support cpuset or the cgroup is not mounted. CPUset discarded.')
      delete c.cpus
      delete c.mems
    }
    if (c.cpus && !available(c.cpus, host.cpus)) throw new InvalidArgument(`requested CPUs are not available - requested ${c.cpus}, available: ${host.cpus}`)
    if (c.mems && !available(c.mems, host.mems)) throw new InvalidArgument(`requested memory nodes are not available - requested ${c.mems}, available: ${host.mems}`)
  }
  const b = l.blockIO
  if (b?.weight !== undefined) {
    if (!host.has('blkio/blkio.weight')) {
      warnings.push('Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.')
      delete b.weight
    } else if (b.weight > 1000 || b.weight < 10) {
      throw new InvalidArgument('range of blkio weight is from 10 to 1000')
    }
  }
}

/** linux.cgroupsPath: the parent (default /libpod_parent) and libpod-ID; none when cgroups are disabled or rootless on v1 without a parent. */
export function cgroupsPathOf(id: string, r: ContainerResources | undefined, o: {rootless: boolean; v2?: boolean; podParent?: string}): string | undefined {
  if (r?.cgroupsMode === 'disabled') return undefined
  const parent = r?.cgroupParent ?? o.podParent
  // Rootless on cgroup v1 the runtime cannot make cgroups; an explicit parent is still asked for (and fails) as Podman does.
  if (o.rootless && !o.v2 && !parent) return undefined
  return `${parent ?? DEFAULT_CGROUP_PARENT}/libpod-${id}`
}

const mm = (d: BlockDevice) => ({major: d.major ?? 0, minor: d.minor ?? 0})
const rates = (l: ThrottleDevice[] | undefined) => (l?.length ? l.map(d => ({...mm(d), rate: d.rate})) : undefined)

const prune = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T

/**
 * linux.resources as Podman writes it: devices, memory, cpu, pids, blockIO,
 * unified (in that order); the pids default rootful.
 */
export function ociResources(r: ContainerResources | undefined, o: {rootless: boolean; privileged?: boolean; v2?: boolean}): OciResources {
  const out: OciResources = {}
  // the devices cgroup cannot be set up from inside a user namespace
  if (!o.rootless) out.devices = [{allow: !!o.privileged, access: 'rwm'}]
  if (r?.cgroupsMode === 'disabled') return out
  const l = r?.resourceLimits
  // the fields in the runtime-spec's (Go struct) order, as Podman's JSON has them
  const m = l?.memory && prune({limit: l.memory.limit, reservation: l.memory.reservation, swap: l.memory.swap, swappiness: l.memory.swappiness, disableOOMKiller: l.memory.disableOOMKiller})
  if (m && Object.keys(m).length) out.memory = m
  const c = l?.cpu && prune({shares: l.cpu.shares, quota: l.cpu.quota, period: l.cpu.period, realtimeRuntime: l.cpu.realtimeRuntime, realtimePeriod: l.cpu.realtimePeriod, cpus: l.cpu.cpus, mems: l.cpu.mems})
  if (c && Object.keys(c).length) out.cpu = c
  if (l?.pids) out.pids = {limit: l.pids.limit}
  else if (!o.rootless || o.v2) out.pids = {limit: DEFAULT_PIDS_LIMIT}
  const b = l?.blockIO
  if (b) {
    out.blockIO = prune({
      weight: b.weight,
      weightDevice: b.weightDevice?.length ? b.weightDevice.map(d => ({...mm(d), weight: d.weight})) : undefined,
      throttleReadBpsDevice: rates(b.throttleReadBpsDevice),
      throttleWriteBpsDevice: rates(b.throttleWriteBpsDevice),
      throttleReadIOPSDevice: rates(b.throttleReadIOPSDevice),
      throttleWriteIOPSDevice: rates(b.throttleWriteIOPSDevice),
    })
  }
  if (l?.unified && Object.keys(l.unified).length) out.unified = {...l.unified}
  return out
}

/** The generateSpec options a container's resources set. */
export function resourceSpecOptions(id: string, r: ContainerResources | undefined, o: {rootless: boolean; privileged?: boolean; podParent?: string}): {
  resources: OciResources; cgroupsPath?: string; oomScoreAdj?: number; shmSize?: number; cgroupns?: 'private' | 'host' | `ns:${string}`
} {
  const v2 = hostCgroups().v2
  // split puts the container's cgroup under the caller's own, which Podman finds on the unified hierarchy only
  if (r?.cgroupsMode === 'split' && !v2) throw new CommandNotInvokable('could not find cgroup mount in "/proc/self/cgroup"')
  return prune({
    resources: ociResources(r, {...o, v2}),
    cgroupsPath: cgroupsPathOf(id, r, {...o, v2}),
    oomScoreAdj: r?.oomScoreAdj,
    shmSize: r?.shmSize,
    // container:ID is joined at start (cgroupns.ts)
    cgroupns: r?.cgroupns?.startsWith('container:') ? undefined : r?.cgroupns as 'private' | 'host' | `ns:${string}` | undefined,
  })
}

// Podman lists the devices only when the spec has a blockIO section (else null)
const throttle = (b: object | undefined, l: ThrottleDevice[] | undefined) => (b ? (l ?? []).map(d => ({Path: d.path, Rate: d.rate})) : null)

/** inspect's HostConfig fields of the resources (Podman reads them back from the spec). */
export function inspectResources(r: ContainerResources | undefined, o: {rootless: boolean}): Record<string, unknown> {
  const spec = ociResources(r, {rootless: o.rootless, v2: hostCgroups().v2})
  const l = r?.resourceLimits
  const m = spec.memory
  const c = spec.cpu
  const b = l?.blockIO
  const period = c?.period ?? 0
  const quota = c?.quota ?? 0
  return {
    CgroupMode: r?.cgroupns === 'private' ? 'private' : r?.cgroupns?.startsWith('ns:') || r?.cgroupns?.startsWith('container:') ? r.cgroupns : 'host',
    Cgroups: r?.cgroupsMode === 'disabled' ? 'disabled' : 'default',
    CgroupParent: r?.cgroupParent ?? '',
    OomScoreAdj: r?.oomScoreAdj ?? 0,
    ShmSize: r?.shmSize ?? 65536000,
    CpuShares: c?.shares ?? 0,
    Memory: m?.limit ?? 0,
    // Podman: only with the default 100 ms period
    NanoCpus: period === 100000 ? quota * 10000 : 0,
    BlkioWeight: b?.weight ?? 0,
    BlkioWeightDevice: b ? (b.weightDevice ?? []).map(d => ({Path: d.path, Weight: d.weight})) : null,
    BlkioDeviceReadBps: throttle(b, b?.throttleReadBpsDevice),
    BlkioDeviceWriteBps: throttle(b, b?.throttleWriteBpsDevice),
    BlkioDeviceReadIOps: throttle(b, b?.throttleReadIOPSDevice),
    BlkioDeviceWriteIOps: throttle(b, b?.throttleWriteIOPSDevice),
    CpuPeriod: period,
    CpuQuota: quota,
    CpuRealtimePeriod: c?.realtimePeriod ?? 0,
    CpuRealtimeRuntime: c?.realtimeRuntime ?? 0,
    CpusetCpus: c?.cpus ?? '',
    CpusetMems: c?.mems ?? '',
    MemoryReservation: m?.reservation ?? 0,
    MemorySwap: m?.swap ?? 0,
    MemorySwappiness: m ? m.swappiness ?? -1 : 0,
    OomKillDisable: m?.disableOOMKiller ?? false,
    PidsLimit: spec.pids?.limit ?? 0,
    CgroupConf: spec.unified ?? null,
  }
}
