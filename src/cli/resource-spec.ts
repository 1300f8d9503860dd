// create/run/update's resource and cgroup flags → the spec's typed
// ResourceSpec (flag tables: resource-flags.ts). Sizes, rates and numbers are
// checked here with Podman's one-line errors; what needs the host (devices,
// cpusets, what the cgroups can enforce) is checked by the engine
// (container/resources.ts) before anything is created.
import {InvalidArgument} from '../libpod/define/errors.js'
import type {BlockIOLimits, CgroupNamespace, CgroupsMode, CpuLimits, MemoryLimits, ResourceLimits, ResourceSpec, ThrottleDevice, WeightDevice} from '../libpod/specgen/resources.js'

const SIZE_RE = /^(\d+(?:\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$/

/** Go's units.RAMInBytes (1024-based): `512m`, `1g`, `100`, `1.5G`, `64mb`. */
export function parseRamSize(v: string): number {
  const m = SIZE_RE.exec(v)
  if (!m || m[1].split('.').length > 2) throw new InvalidArgument(`invalid size: '${v}'`)
  const mult = {'': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5}[(m[2] ?? '').toLowerCase() as '']
  return Math.floor(Number(m[1]) * mult)
}

function memorySize(v: string): number {
  try {
    return parseRamSize(v)
  } catch (e) {
    throw new InvalidArgument(`invalid value for memory: ${(e as Error).message}`)
  }
}

type Kind = 'ParseInt' | 'ParseUint' | 'ParseFloat'

/** A numeric flag as pflag parses it, with its message for a bad value. */
function goNumber(v: string, flag: string, kind: Kind): number {
  const ok = kind === 'ParseFloat' ? /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v) : kind === 'ParseUint' ? /^\+?\d+$/.test(v) : /^[+-]?\d+$/.test(v)
  if (!ok) throw new InvalidArgument(`invalid argument "${v}" for "${flag}" flag: strconv.${kind}: parsing "${v}": invalid syntax`)
  return Number(v)
}

/** `PATH:VALUE` of the device flags, with Podman's checks of the form. */
function devicePair(v: string): [string, string] {
  const parts = v.split(':')
  if (parts.length !== 2) throw new InvalidArgument(`bad format: ${v}`)
  if (!parts[0].startsWith('/dev/')) throw new InvalidArgument(`bad format for device path: ${v}`)
  return [parts[0], parts[1]]
}

export function parseWeightDevice(v: string): WeightDevice {
  const [path, w] = devicePair(v)
  if (!/^\d+$/.test(w)) throw new InvalidArgument(`invalid weight for device: ${v}`)
  const weight = Number(w)
  if (weight > 0 && (weight < 10 || weight > 1000)) throw new InvalidArgument(`invalid weight for device: ${v}`)
  return {path, weight}
}

export function parseBpsDevice(v: string): ThrottleDevice {
  const [path, r] = devicePair(v)
  let rate: number
  try {
    rate = parseRamSize(r)
  } catch {
    throw new InvalidArgument(`invalid rate for device: ${v}. The correct format is <device-path>:<number>[<unit>]. Number must be a positive integer. Unit is optional and can be kb, mb, or gb`)
  }
  return {path, rate}
}

export function parseIopsDevice(v: string): ThrottleDevice {
  const [path, r] = devicePair(v)
  if (!/^\d+$/.test(r)) throw new InvalidArgument(`invalid rate for device: ${v}. The correct format is <device-path>:<number>. Number must be a positive integer`)
  return {path, rate: Number(r)}
}

/** The object without its undefined fields; undefined when none is left. */
function defined<T extends object>(o: T): T | undefined {
  const out = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T
  return Object.keys(out).length ? out : undefined
}

/** The cgroup limits the flags ask for; undefined when none. */
export function parseResourceLimits(f: Record<string, unknown>): ResourceLimits | undefined {
  const s = (k: string) => f[k] as string | undefined
  const list = (k: string) => (f[k] as string[] | undefined) ?? []

  const memory: MemoryLimits = {}
  if (s('memory') !== undefined) memory.limit = memorySize(s('memory')!)
  if (s('memory-reservation') !== undefined) memory.reservation = memorySize(s('memory-reservation')!)
  const swap = s('memory-swap')
  if (swap !== undefined && swap !== '') memory.swap = swap === '-1' ? -1 : memorySize(swap)
  if (s('memory-swappiness') !== undefined) {
    const n = goNumber(s('memory-swappiness')!, '--memory-swappiness', 'ParseInt')
    if (n >= 0) memory.swappiness = n
  }
  if (f['oom-kill-disable']) memory.disableOOMKiller = true
  // Podman: a memory limit without --memory-swap allows as much swap again
  if (memory.limit !== undefined && memory.limit > 0 && memory.swap === undefined) memory.swap = 2 * memory.limit
  // -1: unlimited swap, which is what no swap limit in the spec means
  if (memory.swap === -1 && memory.limit !== undefined) delete memory.swap

  const cpu: CpuLimits = {}
  const shares = s('cpu-shares') === undefined ? 0 : goNumber(s('cpu-shares')!, '-c, --cpu-shares', 'ParseUint')
  if (shares > 0) cpu.shares = shares
  const cpus = s('cpus') === undefined ? 0 : goNumber(s('cpus')!, '--cpus', 'ParseFloat')
  const period = s('cpu-period') === undefined ? 0 : goNumber(s('cpu-period')!, '--cpu-period', 'ParseUint')
  const quota = s('cpu-quota') === undefined ? 0 : goNumber(s('cpu-quota')!, '--cpu-quota', 'ParseInt')
  if (cpus > 0) {
    if (period > 0) throw new InvalidArgument('--cpu-period and --cpus cannot be set together')
    if (quota > 0) throw new InvalidArgument('--cpu-quota and --cpus cannot be set together')
    // Podman's CoresToPeriodAndQuota: a 100 ms period
    cpu.period = 100000
    cpu.quota = Math.trunc(cpus * 100000)
  } else {
    if (period > 0) cpu.period = period
    if (quota !== 0) cpu.quota = quota
  }
  const rtPeriod = s('cpu-rt-period') === undefined ? 0 : goNumber(s('cpu-rt-period')!, '--cpu-rt-period', 'ParseUint')
  const rtRuntime = s('cpu-rt-runtime') === undefined ? 0 : goNumber(s('cpu-rt-runtime')!, '--cpu-rt-runtime', 'ParseInt')
  if (rtPeriod > 0) cpu.realtimePeriod = rtPeriod
  if (rtRuntime !== 0) cpu.realtimeRuntime = rtRuntime
  if (s('cpuset-cpus')) cpu.cpus = s('cpuset-cpus')
  if (s('cpuset-mems')) cpu.mems = s('cpuset-mems')

  const blockIO: BlockIOLimits = {}
  const weight = s('blkio-weight')
  if (weight !== undefined && weight !== '') {
    if (!/^\d+$/.test(weight) || Number(weight) > 65535) throw new InvalidArgument(`invalid value for blkio-weight: strconv.ParseUint: parsing "${weight}": ${/^\d+$/.test(weight) ? 'value out of range' : 'invalid syntax'}`)
    blockIO.weight = Number(weight)
  }
  const devs = <T>(k: string, parse: (v: string) => T) => (list(k).length ? list(k).map(parse) : undefined)
  blockIO.weightDevice = devs('blkio-weight-device', parseWeightDevice)
  blockIO.throttleReadBpsDevice = devs('device-read-bps', parseBpsDevice)
  blockIO.throttleWriteBpsDevice = devs('device-write-bps', parseBpsDevice)
  blockIO.throttleReadIOPSDevice = devs('device-read-iops', parseIopsDevice)
  blockIO.throttleWriteIOPSDevice = devs('device-write-iops', parseIopsDevice)

  let pids: {limit: number} | undefined
  if (s('pids-limit') !== undefined) {
    const n = goNumber(s('pids-limit')!, '--pids-limit', 'ParseInt')
    // 0 and -1 both mean no limit: the spec's 0
    pids = {limit: n > 0 ? n : 0}
  }

  let unified: Record<string, string> | undefined
  for (const kv of list('cgroup-conf')) {
    const eq = kv.indexOf('=')
    if (eq <= 0) throw new InvalidArgument('--cgroup-conf must be formatted KEY=VALUE')
    ;(unified ??= {})[kv.slice(0, eq)] = kv.slice(eq + 1)
  }

  return defined({memory: defined(memory), cpu: defined(cpu), pids, blockIO: defined(blockIO), unified})
}

/** A logrus warning line on stderr, as Podman's CLI prints one. */
function warn(msg: string): void {
  process.stderr.write(`time="${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}" level=warning msg=${JSON.stringify(msg)}\n`)
}

/** create/run's resource and cgroup flags → the spec's ResourceSpec fields. */
export function toResourceSpec(f: Record<string, unknown>): ResourceSpec {
  const s = (k: string) => f[k] as string | undefined
  // Podman's own words: the flag is accepted and does nothing
  if (s('kernel-memory') !== undefined) warn('The --kernel-memory flag is no longer supported. This flag is a noop.')
  const out: ResourceSpec = {}
  const limits = parseResourceLimits(f)
  if (limits) out.resourceLimits = limits
  if (s('oom-score-adj') !== undefined) out.oomScoreAdj = goNumber(s('oom-score-adj')!, '--oom-score-adj', 'ParseInt')
  if (s('shm-size') !== undefined) {
    try {
      out.shmSize = parseRamSize(s('shm-size')!)
    } catch (e) {
      throw new InvalidArgument(`unable to translate --shm-size: ${(e as Error).message}`)
    }
  }
  if (s('cgroup-parent')) out.cgroupParent = s('cgroup-parent')
  if (s('cgroupns') !== undefined) out.cgroupns = s('cgroupns') as CgroupNamespace
  if (s('cgroups') !== undefined && s('cgroups') !== 'enabled') out.cgroupsMode = s('cgroups') as CgroupsMode
  return out
}
