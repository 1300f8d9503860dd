// `pod ps`: the pods it lists, with Podman's filters and sorts. The rows
// themselves are ps-row.ts's, loaded only when there is a pod to show.
// (`pod inspect` is pod/inspect.ts: its container inspection pulls in the
// spec and OCI runtime modules, which a listing never needs.)
import {InvalidArgument} from '../define/errors.js'
import type {Runtime} from '../runtime.js'
import {stateName} from '../container/list.js'
import type {Container} from '../container/types.js'
import {podStatus} from './status.js'
import type {PodConfig} from './types.js'
import {labelMatches} from '../util/filters.js'
import {collate} from '../util/collate.js'
import type {PodRow} from './ps-row.js'

export type {PodRow} from './ps-row.js'

export interface PodPsOptions {
  filters?: string[]
  noTrunc?: boolean
  latest?: boolean
  sort?: string
}

/** A filter's test of a pod; ROW is ps-row.js, loaded once there is a pod to test. */
type PodFilter = (p: PodConfig, list: Container[], row: typeof import('./ps-row.js')) => boolean

function filterFn(rt: Runtime, f: string): PodFilter {
  const eq = f.indexOf('=')
  if (eq === -1) throw new InvalidArgument(`invalid filter "${f}": must be in the format "filter=value"`)
  const key = f.slice(0, eq)
  const value = f.slice(eq + 1)
  switch (key) {
    case 'id': return p => p.id.startsWith(value)
    case 'name': return p => new RegExp(value).test(p.name)
    case 'label': return p => labelMatches(p.labels, value)
    case 'status': {
      const valid = ['stopped', 'running', 'paused', 'exited', 'dead', 'created', 'degraded']
      if (!valid.includes(value)) throw new InvalidArgument(`${value} is not a valid status`)
      return (_p, list) => podStatus(list).toLowerCase() === value
    }
    case 'ctr-names': return (_p, list) => list.some(c => new RegExp(value).test(c.config.name))
    case 'ctr-ids': return (_p, list) => list.some(c => c.config.id.startsWith(value))
    case 'ctr-number': return (_p, list) => list.length === Number(value)
    case 'ctr-status': return (_p, list) => list.some(c => stateName(c) === value)
    case 'network': return (_p, list, row) => list.some(c => c.config.isInfra && row.psNetworkInfo(c).networks.includes(value))
    default: throw new InvalidArgument(`${key} is an invalid filter`)
  }
}

export async function podRows(rt: Runtime, opts: PodPsOptions = {}): Promise<PodRow[]> {
  const filters = (opts.filters ?? []).map(f => filterFn(rt, f))
  const pods = rt.pods.list()
  const rows: PodRow[] = []
  // The containers are read once for all pods; with no pod, neither they
  // nor the row's modules (network info, cgroups, the Go type tables) are.
  if (pods.length) {
    const all = rt.containers.list()
    const [{podContainers}, row] = await Promise.all([import('./containers.js'), import('./ps-row.js')])
    const now = Date.now()
    for (const pod of pods) {
      const list = await podContainers(rt, pod, all)
      if (!filters.every(f => f(pod, list, row))) continue
      rows.push(row.podRow(rt, pod, list, opts.noTrunc ?? false, now))
    }
  }
  const by = opts.sort ?? 'created'
  const cmp: Record<string, (a: PodRow, b: PodRow) => number> = {
    created: (a, b) => collate(b.created, a.created),
    id: (a, b) => collate(a.Id, b.Id),
    name: (a, b) => collate(a.Name, b.Name),
    number: (a, b) => a.NumberOfContainers - b.NumberOfContainers,
    status: (a, b) => collate(a.Status, b.Status),
  }
  if (!cmp[by]) throw new InvalidArgument(`invalid option for --sort, options are: id, names, created, number, or status`)
  rows.sort(cmp[by])
  return opts.latest ? rows.slice(0, 1) : rows
}
