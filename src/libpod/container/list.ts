// `ps`: the containers it lists, with Podman's filters and sorts. The rows
// themselves are ps-row.ts's, loaded only when there is a container to show.
import {InvalidArgument} from '../define/errors.js'
import type {Runtime} from '../runtime.js'
import type {Container} from './types.js'
import {displayState, isRunningOrPaused} from '../define/state.js'
import {labelMatches} from '../util/filters.js'
import {collate} from '../util/collate.js'
import type {PsRow} from './ps-row.js'

export type {PsRow} from './ps-row.js'

export interface PsOptions {
  all?: boolean
  filters?: string[]
  last?: number
  latest?: boolean
  noTrunc?: boolean
  sort?: string
  /** -s: the container's writable layer and total sizes. */
  size?: boolean
  /** --ns: the namespaces of each running container (.CGROUPNS, .IPC ...). */
  namespaces?: boolean
}

/** Podman's state names: created, running, paused, exited (stopped shows as exited). */
export function stateName(c: Container): string {
  return displayState(c.state.status)
}

function filterFn(rt: Runtime, f: string): (c: Container) => boolean {
  const eq = f.indexOf('=')
  if (eq === -1) throw new InvalidArgument(`invalid filter "${f}": must be in the format "filter=value or filter!=value"`)
  const key = f.slice(0, eq)
  const value = f.slice(eq + 1)
  switch (key) {
    case 'status': {
      const valid = ['created', 'initialized', 'running', 'paused', 'stopped', 'exited', 'unknown', 'removing', 'stopping']
      if (!valid.includes(value)) throw new InvalidArgument(`unknown container state: ${value}: invalid argument`)
      return c => stateName(c) === value || (value === 'stopped' && stateName(c) === 'exited')
    }
    case 'name': return c => new RegExp(value).test(c.config.name)
    case 'id': return c => c.config.id.startsWith(value)
    case 'label': return c => labelMatches(c.config.labels, value)
    case 'exited': return c => stateName(c) === 'exited' && c.state.exitCode === Number(value)
    case 'pod': {
      const pod = rt.pods.find(value)
      return c => Boolean(c.config.pod) && c.config.pod === pod?.id
    }
    case 'ancestor': {
      let imageId: string | undefined
      try {
        imageId = rt.lookupImage(value).id
      } catch {
        imageId = undefined
      }
      return c => c.config.imageId === imageId || c.config.imageName === value || c.config.imageName.split('/').pop()?.split(':')[0] === value
    }
    case 'before':
    case 'since': {
      const ref = rt.containers.lookup(value)
      return key === 'before' ? c => c.config.created < ref.config.created : c => c.config.created > ref.config.created
    }
    default: throw new InvalidArgument(`${key} is an invalid filter`)
  }
}

/** `--filter` of start, stop and rm: ps's filters over container documents, all of them must match. */
export function containerFilters(rt: Runtime, filters: readonly string[]): (c: Container) => boolean {
  const fns = filters.map(f => filterFn(rt, f))
  return c => fns.every(f => f(c))
}

export async function psRows(rt: Runtime, opts: PsOptions = {}): Promise<PsRow[]> {
  const filters = (opts.filters ?? []).map(f => filterFn(rt, f))
  const stored = rt.containers.list()
  // With no containers, the row's modules (health checks, networks, image
  // sizes, templates) are not loaded: an empty `ps` is a common first command.
  if (!stored.length) return sortRows([], opts.sort ?? 'created')
  const [{syncContainer}, {psRow, containerSize}] = await Promise.all([import('./sync.js'), import('./ps-row.js')])
  let list = await Promise.all(stored.map(c => syncContainer(rt, c)))
  list = list.filter(c => c.state.status !== 'removing')
  const showAll = opts.all || opts.last !== undefined || opts.latest || filters.length > 0
  if (!showAll) list = list.filter(c => isRunningOrPaused(c.state.status))
  list = list.filter(c => filters.every(f => f(c)))
  list.sort((a, b) => collate(b.config.created, a.config.created))
  if (opts.latest) list = list.slice(0, 1)
  if (opts.last !== undefined && opts.last >= 0) list = list.slice(0, opts.last)
  const now = Date.now()
  const rows = list.map(c => psRow(rt, c, opts.noTrunc ?? false, now, opts.size ? containerSize(rt, c) : undefined, opts.namespaces ?? false))
  return sortRows(rows, opts.sort ?? 'created')
}

function sortRows(rows: PsRow[], by: string): PsRow[] {
  const cmp: Record<string, (a: PsRow, b: PsRow) => number> = {
    created: (a, b) => collate(b.container.config.created, a.container.config.created),
    id: (a, b) => collate(a.Id, b.Id),
    image: (a, b) => collate(a.Image, b.Image),
    names: (a, b) => collate(a.Names, b.Names),
    command: (a, b) => collate(a.Command, b.Command),
    status: (a, b) => collate(a.Status, b.Status),
    runningfor: (a, b) => collate(b.container.config.created, a.container.config.created),
    size: () => 0,
  }
  const c = cmp[by]
  if (!c) throw new InvalidArgument(`invalid option for --sort, options are: command, created, id, image, names, runningfor, size, or status`)
  return rows.sort(c)
}
