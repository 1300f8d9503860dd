// A container's cgroup v1 counters, read from the controllers' files the way
// Podman 4.3.1 (containers/common pkg/cgroups) reads them: cpuacct.usage,
// memory.usage_in_bytes (no cache subtracted), memory.limit_in_bytes,
// blkio.throttle.io_service_bytes_recursive and pids.current. The container's
// cgroup per controller comes from /proc/PID/cgroup of its init process, so
// wherever runc put it (runc, without a cgroupsPath, nests /ID under its own
// cgroup of each hierarchy) is where we read.
import {existsSync, readFileSync} from 'node:fs'

const ROOT = '/sys/fs/cgroup'

export interface CgroupCounters {
  /** cpuacct.usage: total CPU time, ns. */
  cpuNano: number
  /** cpuacct.usage_sys: kernel CPU time, ns. */
  cpuSystemNano: number
  /** cpuacct.usage_percpu, ns per CPU. */
  perCpu: number[]
  memUsage: number
  memLimit: number
  blockRead: number
  blockWrite: number
  pids: number
}

/** Whether /sys/fs/cgroup is the unified (v2) hierarchy. */
export function cgroupV2Unified(): boolean {
  return existsSync(`${ROOT}/cgroup.controllers`)
}

/** controller → cgroup path, from /proc/PID/cgroup (v1 hierarchies only). */
export function cgroupPaths(pid: number): Map<string, string> {
  const out = new Map<string, string>()
  for (const line of readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n')) {
    const m = /^\d+:([^:]*):(.*)$/.exec(line)
    if (!m || !m[1]) continue
    for (const ctl of m[1].split(',')) out.set(ctl, m[2]!)
  }
  return out
}

function read(paths: Map<string, string>, ctl: string, file: string): string | undefined {
  const p = paths.get(ctl)
  if (p === undefined) return undefined
  try {
    return readFileSync(`${ROOT}/${ctl}${p === '/' ? '' : p}/${file}`, 'utf8')
  } catch {
    return undefined
  }
}

const num = (s: string | undefined): number => {
  const n = Number((s ?? '').trim())
  return Number.isFinite(n) ? n : 0
}

/** Bytes read and written, from a blkio io_service_bytes file ("MAJ:MIN Read N" lines). */
export function parseBlkio(text: string | undefined): {read: number; write: number} {
  let read = 0
  let write = 0
  for (const line of (text ?? '').split('\n')) {
    const f = line.trim().split(/\s+/)
    if (f.length !== 3) continue
    const op = f[1]!.toLowerCase()
    if (op === 'read') read += Number(f[2])
    else if (op === 'write') write += Number(f[2])
  }
  return {read, write}
}

/** The counters of the cgroups a process is in. */
export function readCgroupCounters(pid: number): CgroupCounters {
  const paths = cgroupPaths(pid)
  const blk = parseBlkio(read(paths, 'blkio', 'blkio.throttle.io_service_bytes_recursive') ?? read(paths, 'blkio', 'blkio.throttle.io_service_bytes'))
  return {
    cpuNano: num(read(paths, 'cpuacct', 'cpuacct.usage')),
    cpuSystemNano: num(read(paths, 'cpuacct', 'cpuacct.usage_sys')),
    perCpu: (read(paths, 'cpuacct', 'cpuacct.usage_percpu') ?? '').trim().split(/\s+/).filter(Boolean).map(Number),
    memUsage: num(read(paths, 'memory', 'memory.usage_in_bytes')),
    memLimit: num(read(paths, 'memory', 'memory.limit_in_bytes')),
    blockRead: blk.read,
    blockWrite: blk.write,
    pids: num(read(paths, 'pids', 'pids.current')),
  }
}

/**
 * Bytes received and sent on the container's interfaces, from
 * /proc/PID/net/dev (its network namespace). Podman counts the interfaces
 * of the container's networks, so loopback is left out.
 */
export function readNetIO(pid: number): {rx: number; tx: number} {
  let rx = 0
  let tx = 0
  let text: string
  try {
    text = readFileSync(`/proc/${pid}/net/dev`, 'utf8')
  } catch {
    return {rx, tx}
  }
  for (const line of text.split('\n').slice(2)) {
    const i = line.indexOf(':')
    if (i < 0) continue
    if (line.slice(0, i).trim() === 'lo') continue
    const f = line.slice(i + 1).trim().split(/\s+/).map(Number)
    rx += f[0] ?? 0
    tx += f[8] ?? 0
  }
  return {rx, tx}
}
