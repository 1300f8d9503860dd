// `pod ps`: pod rows as Podman prints them, with its filters and sorts.
// (`pod inspect` is pod/inspect.ts: its container inspection pulls in the
// spec and OCI runtime modules, which a listing never needs.)
import {InvalidArgument} from '../define/errors.js'
import type {Runtime} from '../runtime.js'
import {stateName} from '../container/list.js'
import {psNetworkInfo} from '../network/info.js'
import type {Container} from '../container/types.js'
import {timeAgo} from '../util/human.js'
import {podContainers} from './containers.js'
import {podStatus} from './status.js'
import type {PodConfig} from './types.js'
import {inspectPodCgroup} from './cgroup-parent.js'
import {labelMatches} from '../util/filters.js'
import {goReporter, goView} from '../format/go-view.js'
import {PODMAN_TYPES} from '../format/podman-types.js'
import {collate} from '../util/collate.js'

export interface PodPsOptions {
  filters?: string[]
  noTrunc?: boolean
  latest?: boolean
  sort?: string
}

export interface PodRow {
  ID: string
  Id: string
  Name: string
  Status: string
  Created: string
  InfraID: string
  /** Podman's template field for the same. */
  InfraId: string
  NumberOfContainers: number
  ContainerNames: string
  ContainerIds: string
  ContainerStatuses: string
  Labels: Record<string, string>
  Networks: string
  Cgroup: string
  Namespace: string
  json: Record<string, unknown>
  created: string
}

function filterFn(rt: Runtime, f: string): (p: PodConfig, list: Container[]) => boolean {
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
    case 'network': return (_p, list) => list.some(c => c.config.isInfra && psNetworkInfo(c).networks.includes(value))
    default: throw new InvalidArgument(`${key} is an invalid filter`)
  }
}

export async function podRows(rt: Runtime, opts: PodPsOptions = {}): Promise<PodRow[]> {
  const filters = (opts.filters ?? []).map(f => filterFn(rt, f))
  const pods = rt.pods.list()
  // The containers are read once for all pods, and not at all when there is none.
  const all = pods.length ? rt.containers.list() : []
  const now = Date.now()
  const rows: PodRow[] = []
  for (const pod of pods) {
    const list = await podContainers(rt, pod, all)
    if (!filters.every(f => f(pod, list))) continue
    rows.push(row(rt, pod, list, opts.noTrunc ?? false, now))
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

/**
 * What pod ps's templates see for a row: Podman's ListPodReporter, which
 * embeds *entities.ListPodsReport (its fields promoted, `.ListPodsReport.X`
 * too: .Containers is its list of {Id Names Status}) under its own methods.
 */
export function podTemplateRow(row: PodRow): Record<string, unknown> {
  const report = goView(PODMAN_TYPES, 'entities.ListPodsReport', row.json)
  const {ID, Id, ContainerIds, ContainerNames, ContainerStatuses, Created, InfraID, InfraId, Labels, Networks, NumberOfContainers, json, created} = row
  return goReporter('pods.ListPodReporter', {ListPodsReport: report}, 'ListPodsReport',
    {ID, Id, ContainerIds, ContainerNames, ContainerStatuses, Created, InfraID, InfraId, Labels, Networks, NumberOfContainers, json, created})
}

function row(rt: Runtime, pod: PodConfig, list: Container[], noTrunc: boolean, now: number): PodRow {
  const short = (id: string) => (noTrunc ? id : id.slice(0, 12))
  const status = podStatus(list)
  const infra = list.find(c => c.config.isInfra)
  const networks = infra ? psNetworkInfo(infra).networks : []
  const cgroup = (inspectPodCgroup(pod).CgroupParent as string | undefined) ?? ''
  return {
    ID: short(pod.id),
    Id: short(pod.id), // Podman's template method: truncated as ID
    Name: pod.name,
    Status: status,
    Created: timeAgo(pod.created, now),
    InfraID: pod.infraId ? short(pod.infraId) : '',
    InfraId: pod.infraId ? short(pod.infraId) : '',
    NumberOfContainers: list.length,
    ContainerNames: list.map(c => c.config.name).join(','),
    ContainerIds: list.map(c => short(c.config.id)).join(','),
    ContainerStatuses: list.map(c => stateName(c)).join(','),
    Labels: pod.labels,
    Networks: networks.join(','),
    Cgroup: cgroup,
    Namespace: '',
    created: pod.created,
    json: {
      Cgroup: cgroup,
      Containers: list.map(c => ({Id: c.config.id, Names: c.config.name, Status: stateName(c)})),
      Created: pod.created,
      Id: pod.id,
      InfraId: pod.infraId ?? '',
      Name: pod.name,
      Namespace: '',
      Networks: networks,
      Status: status,
      Labels: pod.labels,
    },
  }
}
