// `stats`: Podman 4.3.1's define.ContainerStats for each container asked
// for, computed as libpod's GetContainerStats does: CPU % over the time since
// the previous sample (or since the container started, for the first one),
// the average over the samples so far, memory capped at the host's RAM.
import {totalmem} from 'node:os'
import {InvalidArgument, NoSuchContainer, PeapodError, Unsupported} from '../define/errors.js'
import type {Runtime} from '../runtime.js'
import {syncContainer} from '../container/sync.js'
import type {Container} from '../container/types.js'
import {cgroupV2Unified, readCgroupCounters, readNetIO} from './cgroup.js'
import {isRunningOrPaused} from '../define/state.js'

/** Podman's define.ContainerStats (numbers in bytes and nanoseconds). */
export interface ContainerStats {
  AvgCPU: number
  ContainerID: string
  Name: string
  PerCPU: number[]
  CPU: number
  CPUNano: number
  CPUSystemNano: number
  SystemNano: number
  MemUsage: number
  MemLimit: number
  MemPerc: number
  NetInput: number
  NetOutput: number
  BlockInput: number
  BlockOutput: number
  PIDs: number
  /** CPU time, ns (a time.Duration). */
  UpTime: number
  Duration: number
  /** Samples taken so far (for AvgCPU). */
  DataPoints: number
}

export interface StatsOptions {
  all?: boolean
  latest?: boolean
  /** Seconds between reports (only checked here). */
  interval?: number
}

/** Podman's checks before any container is looked at. */
export function checkStatsOptions(rt: Runtime, names: string[], opts: StatsOptions): void {
  if ([opts.all, opts.latest, names.length > 0].filter(Boolean).length > 1) throw new InvalidArgument('--all, --latest and containers cannot be used together')
  if (opts.interval !== undefined && opts.interval < 1) throw new InvalidArgument('invalid interval, must be a positive number greater zero')
  if (rt.config.rootless && !cgroupV2Unified()) throw new Unsupported('stats is not supported in rootless mode without cgroups v2')
}

const byCreated = (a: Container, b: Container) => a.config.created.localeCompare(b.config.created)

/**
 * The containers a report covers, looked up afresh for every report: the
 * named ones, the latest, all, or (by default) the running ones.
 */
export async function statsTargets(rt: Runtime, names: string[], opts: StatsOptions): Promise<Container[]> {
  const wrap = (e: unknown): never => {
    if (e instanceof PeapodError) throw new (e.constructor as typeof PeapodError)(`unable to get list of containers: ${e.message}`)
    throw e
  }
  if (names.length) {
    const out: Container[] = []
    for (const n of names) {
      try {
        out.push(await syncContainer(rt, rt.containers.lookup(n)))
      } catch (e) {
        wrap(e instanceof NoSuchContainer ? new NoSuchContainer(`unable to look up container ${n}: ${e.message}`) : e)
      }
    }
    return out
  }
  const list = rt.containers.list().filter(c => c.state.status !== 'removing').sort(byCreated)
  if (opts.latest) {
    const newest = list[list.length - 1]
    if (!newest) wrap(new NoSuchContainer('no such container'))
    return [await syncContainer(rt, newest!)]
  }
  const synced = await Promise.all(list.map(c => syncContainer(rt, c)))
  return opts.all ? synced : synced.filter(c => c.state.status === 'running')
}

const live = (c: Container) => isRunningOrPaused(c.state.status) && Boolean(c.state.pid)

/** Zero values with the container's ID and name: what Podman reports for one not running. */
export function emptyStats(c: Container): ContainerStats {
  return {AvgCPU: 0, ContainerID: c.config.id, Name: c.config.name, PerCPU: [], CPU: 0, CPUNano: 0, CPUSystemNano: 0, SystemNano: 0,
    MemUsage: 0, MemLimit: 0, MemPerc: 0, NetInput: 0, NetOutput: 0, BlockInput: 0, BlockOutput: 0, PIDs: 0, UpTime: 0, Duration: 0, DataPoints: 0}
}

/** One sample of a container, against its previous one (if any). */
export function containerStats(c: Container, prev?: ContainerStats, now = Date.now() * 1e6): ContainerStats {
  const stats = emptyStats(c)
  if (!live(c)) return stats
  const pid = c.state.pid!
  const cg = readCgroupCounters(pid)
  const net = c.config.network === 'host' ? {rx: 0, tx: 0} : readNetIO(pid)
  const prevSystem = prev ? prev.SystemNano : c.state.startedAt ? Date.parse(c.state.startedAt) * 1e6 : 0
  const cpuDelta = cg.cpuNano - (prev?.CPUNano ?? 0)
  const systemDelta = now - prevSystem
  const cpu = systemDelta > 0 && cpuDelta > 0 ? (cpuDelta / systemDelta) * 100 : 0
  const points = prev?.DataPoints ?? 0
  const memLimit = Math.min(cg.memLimit > 0 ? cg.memLimit : Infinity, totalmem())
  return {
    ...stats,
    PerCPU: cg.perCpu,
    CPU: cpu,
    AvgCPU: ((prev?.AvgCPU ?? 0) * points + cpu) / (points + 1),
    DataPoints: points + 1,
    CPUNano: cg.cpuNano,
    CPUSystemNano: cg.cpuSystemNano,
    SystemNano: now,
    UpTime: cg.cpuNano,
    Duration: cg.cpuNano,
    MemUsage: cg.memUsage,
    MemLimit: memLimit,
    MemPerc: (cg.memUsage / memLimit) * 100,
    NetInput: net.rx,
    NetOutput: net.tx,
    BlockInput: cg.blockRead,
    BlockOutput: cg.blockWrite,
    PIDs: cg.pids,
  }
}

/**
 * One report: a sample of every target. `previous` (by ID) is read for the
 * CPU deltas and updated. A container that stops while being read reports
 * zeros; in the default (running containers) mode it drops out instead.
 */
export async function statsReport(rt: Runtime, targets: Container[], previous: Map<string, ContainerStats>, dropGone = false): Promise<ContainerStats[]> {
  const out: ContainerStats[] = []
  for (const c of targets) {
    let s: ContainerStats
    try {
      s = containerStats(c, previous.get(c.config.id))
    } catch (e) {
      const now = await syncContainer(rt, c).catch(() => undefined)
      if (now && live(now)) throw e
      if (dropGone) continue
      s = emptyStats(c)
    }
    previous.set(c.config.id, s)
    out.push(s)
  }
  return out
}
