// One `stats` report as text: Podman's table, a --format template, or JSON
// (one-space indent, as Podman's json.MarshalIndent(jstats, "", " ")).
import {isJSONFormat, renderRows} from '../format/table.js'
import {STATS_HEADERS, STATS_TABLE, statsJson, statsRow} from './format.js'
import type {ContainerStats} from './sample.js'

export interface RenderStatsOptions {
  format?: string
  noTrunc?: boolean
  /** Extra columns first (pod stats), with their headers. */
  table?: string
  headers?: Record<string, string>
  /** Extra template fields per row (pod stats: Pod). */
  extra?: (s: ContainerStats) => Record<string, unknown>
}

export function renderStats(stats: ContainerStats[], opts: RenderStatsOptions = {}): string {
  const rows = stats.map(s => ({...statsRow(s, Boolean(opts.noTrunc)), ...(opts.extra ? opts.extra(s) : {})}))
  if (opts.format !== undefined && isJSONFormat(opts.format)) return JSON.stringify(rows.map(statsJson), null, 1) + '\n'
  return renderRows(opts.format ?? opts.table ?? STATS_TABLE, rows, {...STATS_HEADERS, ...opts.headers}, {name: 'stats'})
}

/** What Podman (goterm) writes before each report on a terminal: clear, cursor home. */
export const CLEAR_SCREEN = '\x1b[2J\x1b[1;1H'
