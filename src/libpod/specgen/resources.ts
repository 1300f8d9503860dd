// The resource part of a ContainerSpec (Podman's ContainerResourceConfig and
// its cgroup options), typed: cgroup limits in the OCI runtime-spec's shape
// (linux.resources), block devices named by path until the engine resolves
// them to major:minor. The CLI parses --memory, --cpus … into these
// (src/cli/resource-flags.ts); the engine checks them against the host
// (container/resources.ts) and keeps what the host can enforce.
import {InvalidArgument} from '../define/errors.js'

/** A block device: by path in a spec; major/minor filled in by the engine. */
export interface BlockDevice {
  path: string
  major?: number
  minor?: number
}

export interface WeightDevice extends BlockDevice {
  weight: number
}

export interface ThrottleDevice extends BlockDevice {
  /** Bytes or operations per second. */
  rate: number
}

/** linux.resources.memory; bytes. swap is memory+swap (-1: unlimited). */
export interface MemoryLimits {
  limit?: number
  reservation?: number
  swap?: number
  swappiness?: number
  disableOOMKiller?: boolean
}

/** linux.resources.cpu; period/quota and the realtime pair in microseconds. */
export interface CpuLimits {
  shares?: number
  quota?: number
  period?: number
  realtimeRuntime?: number
  realtimePeriod?: number
  /** A cpuset list (0-3,5). */
  cpus?: string
  mems?: string
}

export interface BlockIOLimits {
  weight?: number
  weightDevice?: WeightDevice[]
  throttleReadBpsDevice?: ThrottleDevice[]
  throttleWriteBpsDevice?: ThrottleDevice[]
  throttleReadIOPSDevice?: ThrottleDevice[]
  throttleWriteIOPSDevice?: ThrottleDevice[]
}

/** Cgroup limits (Podman's ResourceLimits, an OCI LinuxResources). */
export interface ResourceLimits {
  memory?: MemoryLimits
  cpu?: CpuLimits
  /** 0: unlimited. */
  pids?: {limit: number}
  blockIO?: BlockIOLimits
  /** --cgroup-conf: cgroup v2 files and values. */
  unified?: Record<string, string>
}

/** --cgroups: whether the container (and its monitor) get cgroups. */
export const CGROUPS_MODES = ['enabled', 'disabled', 'no-conmon', 'split'] as const
export type CgroupsMode = typeof CGROUPS_MODES[number]

/** --cgroupns: host (the default on cgroup v1), private, ns:PATH, or container:ID (container/cgroupns.ts). */
export type CgroupNamespace = 'host' | 'private' | `ns:${string}` | `container:${string}`

/** Podman's ContainerResourceConfig and ContainerCgroupConfig, less --ulimit (security.ts). */
export interface ResourceSpec {
  /** Absent: no limits but the defaults (pids 2048 rootful). */
  resourceLimits?: ResourceLimits
  /** -1000..1000. */
  oomScoreAdj?: number
  /** /dev/shm size in bytes (default 64 MiB). */
  shmSize?: number
  /** The cgroup the container's cgroup goes under (default /libpod_parent). */
  cgroupParent?: string
  cgroupns?: CgroupNamespace
  /** Default enabled. */
  cgroupsMode?: CgroupsMode
}

/** What the container keeps: the limits the host can enforce, devices resolved. */
export type ContainerResources = ResourceSpec

/** Whether any cgroup limit is asked for (rootless on cgroup v1 they are dropped with a warning). */
export function hasLimits(l: ResourceLimits | undefined): boolean {
  if (!l) return false
  const some = (o: object | undefined) => Boolean(o && Object.values(o).some(v => v !== undefined && !(Array.isArray(v) && v.length === 0)))
  return some(l.memory) || some(l.cpu) || l.pids !== undefined || some(l.blockIO) || some(l.unified)
}

/** A cpuset list (`0-3,5`) → its numbers; undefined when malformed. */
export function parseCpuset(list: string): number[] | undefined {
  const out = new Set<number>()
  for (const part of list.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim())
    if (!m) return undefined
    const lo = Number(m[1])
    const hi = m[2] === undefined ? lo : Number(m[2])
    if (hi < lo) return undefined
    for (let i = lo; i <= hi; i++) out.add(i)
  }
  return [...out]
}

/** Checks of values that need no host (the CLI's parsers make these too; kube play and programs come here). */
export function validateResourceSpec(s: ResourceSpec): void {
  const l = s.resourceLimits
  const m = l?.memory
  if (m?.swappiness !== undefined && m.swappiness > 100) throw new InvalidArgument(`invalid value: ${m.swappiness}, valid memory swappiness range is 0-100`)
  if (m?.limit === undefined && m?.swap !== undefined && m.swap !== -1) throw new InvalidArgument('you should always set a memory limit when using a memoryswap limit, see usage')
  if (m?.limit !== undefined && m.swap !== undefined && m.swap !== -1 && m.swap < m.limit) throw new InvalidArgument('minimum memoryswap limit should be larger than memory limit, see usage')
  if (m?.limit !== undefined && m.reservation !== undefined && m.limit < m.reservation) throw new InvalidArgument('minimum memory limit cannot be less than memory reservation limit, see usage')
  const c = l?.cpu
  if (c?.period !== undefined && (c.period < 1000 || c.period > 1000000)) throw new InvalidArgument('CPU cfs period cannot be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)')
  if (c?.quota !== undefined && c.quota < 1000) throw new InvalidArgument('CPU cfs quota cannot be less than 1ms (i.e. 1000)')
  if (c?.cpus !== undefined && c.cpus !== '' && !parseCpuset(c.cpus)) throw new InvalidArgument(`invalid value ${c.cpus} for cpuset cpus`)
  if (c?.mems !== undefined && c.mems !== '' && !parseCpuset(c.mems)) throw new InvalidArgument(`invalid value ${c.mems} for cpuset mems`)
  if (s.oomScoreAdj !== undefined && !Number.isInteger(s.oomScoreAdj)) throw new InvalidArgument(`invalid oom score adj ${s.oomScoreAdj}`)
  if (s.cgroupsMode !== undefined && !(CGROUPS_MODES as readonly string[]).includes(s.cgroupsMode)) throw new InvalidArgument(`running container create option: invalid cgroup mode "${s.cgroupsMode}": invalid argument`)
  if (s.cgroupns !== undefined && s.cgroupns !== 'host' && s.cgroupns !== 'private' && !(s.cgroupns.startsWith('ns:') && s.cgroupns.length > 3) && !(s.cgroupns.startsWith('container:') && s.cgroupns.length > 10)) throw new InvalidArgument(`unrecognized namespace mode ${s.cgroupns} passed`)
  if (s.shmSize !== undefined && !(Number.isInteger(s.shmSize) && s.shmSize > 0)) throw new InvalidArgument(`invalid --shm-size ${s.shmSize}`)
}
