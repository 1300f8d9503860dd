// What `stats` prints, as Podman 4.3.1's cmd/podman/containers/stats.go:
// the template fields (the ContainerStats struct plus its helper methods),
// the default table, and the `--format json` objects.
import {formatGoDuration} from '../util/duration.js'
import type {ContainerStats} from './sample.js'

const DECIMAL = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB']
const BINARY = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB']

function unitSize(n: number, base: number, units: string[]): string {
  let size = n
  let i = 0
  while (size >= base && i < units.length - 1) {
    size /= base
    i++
  }
  // Go's %.4g: four significant digits, no trailing zeros.
  return `${Number(size.toPrecision(4))}${units[i]}`
}

/** go-units HumanSize: "1.03MB", "0B". */
export const humanSize = (n: number): string => unitSize(n, 1000, DECIMAL)
/** go-units BytesSize: "1.5MiB". */
export const bytesSize = (n: number): string => unitSize(n, 1024, BINARY)

/**
 * Podman's floatToPercentString: utils.RemoveScientificNotationFromFloat
 * (which keeps only the mantissa of what Go's %v prints in e-notation,
 * below 1e-4 and from 1e6, strconv.FormatFloat(f, 'g', -1)) then "%.2f%".
 */
export function percent(f: number): string {
  let v = f
  if (v !== 0 && Number.isFinite(v)) {
    const exp = Math.floor(Math.log10(Math.abs(v)))
    if (exp < -4 || exp >= 6) v = Number(v.toExponential().split('e')[0])
  }
  return `${v.toFixed(2)}%`
}

/** The template data of one container: the struct's fields, then the methods shadowing or adding to them. */
export function statsRow(s: ContainerStats, noTrunc: boolean) {
  const {DataPoints: _points, ...fields} = s
  return {
    ...fields,
    UpTime: formatGoDuration(s.UpTime),
    ID: noTrunc ? s.ContainerID : s.ContainerID.slice(0, 12),
    CPUPerc: percent(s.CPU),
    AVGCPU: percent(s.AvgCPU),
    Up: formatGoDuration(s.UpTime),
    MemPerc: percent(s.MemPerc),
    NetIO: `${humanSize(s.NetInput)} / ${humanSize(s.NetOutput)}`,
    BlockIO: `${humanSize(s.BlockInput)} / ${humanSize(s.BlockOutput)}`,
    PIDS: String(s.PIDs),
    MemUsage: `${humanSize(s.MemUsage)} / ${humanSize(s.MemLimit)}`,
    MemUsageBytes: `${bytesSize(s.MemUsage)} / ${bytesSize(s.MemLimit)}`,
  }
}

export type StatsRow = ReturnType<typeof statsRow>

/** `--format json`: Podman's jstat, in its key order. */
export function statsJson(r: StatsRow) {
  return {id: r.ID, name: r.Name, cpu_time: r.Up, cpu_percent: r.CPUPerc, avg_cpu: r.AVGCPU, mem_usage: r.MemUsage,
    mem_percent: r.MemPerc, net_io: r.NetIO, block_io: r.BlockIO, pids: r.PIDS}
}

export const STATS_TABLE = 'table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDS}}\t{{.UpTime}}\t{{.AVGCPU}}'

export const STATS_HEADERS: Record<string, string> = {
  ID: 'ID', UpTime: 'CPU TIME', CPUPerc: 'CPU %', AVGCPU: 'Avg CPU %', MemUsage: 'MEM USAGE / LIMIT', MemUsageBytes: 'MEM USAGE / LIMIT',
  MemPerc: 'MEM %', NetIO: 'NET IO', BlockIO: 'BLOCK IO', PIDS: 'PIDS',
}
