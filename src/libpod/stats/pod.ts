// `pod stats`, as Podman 4.3.1's: every container of the pods asked for
// (all pods by default), each sampled against nothing (CPU % since it
// started), printed as entities.PodStatsReport: all strings, with "--" for
// zero values, and a header row before every report, whatever the format.
import {InvalidArgument, PeapodError, Unsupported} from '../define/errors.js'
import {compileFormat, isJSONFormat, headerRow, tabwriteText} from '../format/table.js'
import type {Runtime} from '../runtime.js'
import {podContainers} from '../pod/containers.js'
import type {PodConfig} from '../pod/types.js'
import {cgroupV2Unified} from './cgroup.js'
import {bytesSize, humanSize, percent} from './format.js'
import {statsReport} from './sample.js'

export interface PodStatsReport {
  CPU: string
  MemUsage: string
  MemUsageBytes: string
  Mem: string
  NetIO: string
  BlockIO: string
  PIDS: string
  Pod: string
  CID: string
  Name: string
}

export interface PodStatsOptions {
  all?: boolean
  latest?: boolean
}

export function checkPodStatsOptions(rt: Runtime, names: string[], opts: PodStatsOptions): void {
  if ([opts.all, opts.latest, names.length > 0].filter(Boolean).length > 1) throw new InvalidArgument('--all, --latest and arguments cannot be used together')
  if (rt.config.rootless && !cgroupV2Unified()) throw new Unsupported('pod stats is not supported in rootless mode without cgroups v2')
}

function pods(rt: Runtime, names: string[], opts: PodStatsOptions): PodConfig[] {
  const store = rt.pods
  try {
    if (names.length) return names.map(n => store.lookup(n))
    const list = store.list().sort((a, b) => a.created.localeCompare(b.created))
    if (opts.latest) return list.slice(-1)
    return list
  } catch (e) {
    if (e instanceof PeapodError) throw new (e.constructor as typeof PeapodError)(`unable to get list of pods: ${e.message}`)
    throw e
  }
}

const dash = (f: number): string => (f === 0 ? '--' : percent(f))
const pair = (a: number, b: number, f: (n: number) => string): string => (a === 0 && b === 0 ? '-- / --' : `${f(a)} / ${f(b)}`)

/** One report: a row per container of each pod. */
export async function podStatsReport(rt: Runtime, names: string[], opts: PodStatsOptions): Promise<PodStatsReport[]> {
  const out: PodStatsReport[] = []
  for (const pod of pods(rt, names, opts)) {
    const stats = await statsReport(rt, await podContainers(rt, pod), new Map())
    for (const s of stats) {
      out.push({
        CPU: dash(s.CPU),
        MemUsage: pair(s.MemUsage, s.MemLimit, humanSize),
        MemUsageBytes: pair(s.MemUsage, s.MemLimit, bytesSize),
        Mem: dash(s.MemPerc),
        NetIO: pair(s.NetInput, s.NetOutput, humanSize),
        BlockIO: pair(s.BlockInput, s.BlockOutput, humanSize),
        PIDS: s.PIDs === 0 ? '--' : String(s.PIDs),
        Pod: pod.id.slice(0, 12),
        CID: s.ContainerID.slice(0, 12),
        Name: s.Name,
      })
    }
  }
  return out
}

export const POD_STATS_ROW = '{{.Pod}}\t{{.CID}}\t{{.Name}}\t{{.CPU}}\t{{.MemUsage}}\t{{.Mem}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDS}}'
const HEADERS = {CPU: 'CPU %', MemUsage: 'MEM USAGE/ LIMIT', MemUsageBytes: 'MEM USAGE/ LIMIT', Mem: 'MEM %', PIDS: 'PIDS'}

/** Podman prints JSON with a five-space indent here. */
export function renderPodStats(rows: PodStatsReport[], format?: string): string {
  if (format !== undefined && isJSONFormat(format)) return JSON.stringify(rows, null, 5) + '\n'
  // Podman's default table shows a row of "--" when there is nothing to show; a --format shows nothing.
  if (!rows.length && format !== undefined) return ''
  const tmpl = compileFormat(format ?? POD_STATS_ROW, 'stats')
  if (!rows.length) {
    const dashes = {CPU: '--', MemUsage: '--', MemUsageBytes: '--', Mem: '--', NetIO: '--', BlockIO: '--', PIDS: '--', Pod: '--', CID: '--', Name: '--'}
    return tabwriteText(tmpl.execute([headerRow(dashes, HEADERS), dashes]))
  }
  return tabwriteText(tmpl.execute([headerRow(rows[0], HEADERS)]) + tmpl.execute(rows))
}
