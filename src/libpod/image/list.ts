// `images`: one row per name (a nameless image is one <none> row), filtered
// and sorted as Podman does.
import {goReporter, goTimeString, goView} from '../format/go-view.js'
import {PODMAN_TYPES} from '../format/podman-types.js'
import {InvalidArgument} from '../define/errors.js'
import type {Runtime} from '../runtime.js'
import {humanSize, timeAgo} from '../util/human.js'
import type {ImageDoc} from './images.js'
import {createdOf, imageSize, parseConfig, repoDigests, type ImageRow} from './inspect.js'
import {parseReference} from './reference.js'
import {labelMatches} from '../util/filters.js'
import {collate} from '../util/collate.js'

export interface ListOptions {
  filters?: string[]
  sort?: string
  noTrunc?: boolean
}

type Filter = (doc: ImageDoc, rt: Runtime) => boolean

/** Containers per image, counted on first use for the whole listing (not a store read per image). */
function userCounter(rt: Runtime): (imageId: string) => number {
  let counts: Map<string, number> | undefined
  return id => (counts ??= rt.imageUserCounts()).get(id) ?? 0
}

function parseFilter(rt: Runtime, f: string, users: (imageId: string) => number): Filter {
  const eq = f.indexOf('=')
  if (eq === -1) throw new InvalidArgument(`invalid image filter "${f}": must be in the format "filter=value"`)
  const key = f.slice(0, eq)
  const value = f.slice(eq + 1)
  switch (key) {
    case 'reference': return doc => doc.names.some(n => referenceMatches(n, value))
    case 'dangling': return doc => (doc.names.length === 0) === (value === 'true')
    case 'label': return doc => labelMatches(parseConfig(doc).config?.Labels ?? {}, value)
    case 'id': return doc => doc.id.startsWith(value.replace(/^sha256:/, ''))
    case 'digest': return doc => doc.digests.includes(value)
    case 'readonly': return () => value === 'false'
    case 'before':
    case 'since': {
      const ref = rt.lookupImage(value)
      const t = createdOf(ref).getTime()
      return key === 'before' ? doc => createdOf(doc).getTime() < t : doc => createdOf(doc).getTime() > t
    }
    case 'intermediate': return () => value === 'false'
    case 'containers': return doc => (users(doc.id) > 0) === (value === 'true')
    default: throw new InvalidArgument(`unsupported image filter "${key}"`)
  }
}

/** Podman's reference filter: a glob over the name, matched against full and short forms. */
function referenceMatches(name: string, pattern: string): boolean {
  const re = new RegExp('^' + pattern.split('*').map(p => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*') + '$')
  const r = parseReference(name)
  const repo = `${r.domain}/${r.path}`
  const candidates = [name, repo, r.path, `${r.path}:${r.tag}`, r.path.split('/').pop()!, `${r.path.split('/').pop()}:${r.tag}`]
  return candidates.some(c => re.test(c))
}

export function imageRows(rt: Runtime, opts: ListOptions = {}): ImageRow[] {
  const users = userCounter(rt)
  const filters = (opts.filters ?? []).map(f => parseFilter(rt, f, users))
  const docs = rt.listImages().filter(d => filters.every(f => f(d, rt)))
  const rows: ImageRow[] = []
  for (const doc of docs) {
    const created = createdOf(doc)
    const bytes = imageSize(rt.store, doc)
    const base = {
      ID: opts.noTrunc ? `sha256:${doc.id}` : doc.id.slice(0, 12),
      Id: doc.id,
      Names: doc.names,
      Digest: doc.digest,
      RepoDigests: repoDigests(doc),
      Created: timeAgo(created),
      CreatedSince: timeAgo(created),
      CreatedAt: created.toISOString().replace(/\.\d+Z$/, 'Z'),
      CreatedTime: created,
      Size: humanSize(bytes),
      VirtualSize: humanSize(bytes),
      SharedSize: humanSize(0),
      Labels: parseConfig(doc).config?.Labels ?? null,
      Containers: users(doc.id),
      Dangling: doc.names.length === 0,
      ReadOnly: false,
      IsDangling: doc.names.length === 0,
      IsReadOnly: false,
      ParentId: '',
      RepoTags: doc.names,
      History: doc.names,
      bytes,
    }
    if (doc.names.length === 0) rows.push({...base, Repository: '<none>', Tag: '<none>'})
    for (const n of doc.names) {
      const r = parseReference(n)
      rows.push({...base, Repository: `${r.domain ? r.domain + '/' : ''}${r.path}`, Tag: r.tag ?? '<none>'})
    }
  }
  return sortRows(rows, opts.sort ?? 'created')
}

function sortRows(rows: ImageRow[], by: string): ImageRow[] {
  const cmp: Record<string, (a: ImageRow, b: ImageRow) => number> = {
    created: (a, b) => b.CreatedTime.getTime() - a.CreatedTime.getTime(),
    id: (a, b) => collate(a.Id, b.Id),
    repository: (a, b) => collate(a.Repository, b.Repository),
    tag: (a, b) => collate(a.Tag, b.Tag),
    size: (a, b) => a.bytes - b.bytes,
  }
  const c = cmp[by]
  if (!c) throw new InvalidArgument(`"${by}" is not a valid option for --sort: valid options are created, id, repository, size, tag`)
  return rows.sort((a, b) => c(a, b) || collate(a.Repository, b.Repository) || collate(a.Tag, b.Tag))
}

/**
 * What images' templates see for a row: Podman's imageReporter, its fields
 * Repository and Tag and an embedded entities.ImageSummary (raw sizes, the
 * Labels map: promoted, and `.ImageSummary.X`), under its methods (Size
 * human, History joined, CreatedAt and CreatedTime as time.Time prints).
 */
export function imageTemplateRow(row: ImageRow): Record<string, unknown> {
  const json = imageSummaryJson(row)
  const summary = goView(PODMAN_TYPES, 'entities.ImageSummary', {...json, RepoTags: row.RepoTags, Names: row.Names, History: row.History, Dangling: row.Dangling, ReadOnly: row.ReadOnly})
  const at = goTimeString(row.CreatedAt)
  return goReporter('images.imageReporter', {Repository: row.Repository, Tag: row.Tag, ImageSummary: summary}, 'ImageSummary', {
    Created: row.Created, CreatedAt: at, CreatedSince: row.Created, CreatedTime: at, History: row.History.join(', '), ID: row.ID, Id: row.Id,
    IsDangling: row.IsDangling, IsReadOnly: row.IsReadOnly, Size: row.Size, json})
}

/** The JSON form `images --format json` prints (Podman's ImageSummary). */
export function imageSummaryJson(row: ImageRow): Record<string, unknown> {
  return {
    Id: row.Id,
    ParentId: '',
    RepoTags: null,
    RepoDigests: row.RepoDigests,
    Size: row.bytes,
    SharedSize: 0,
    VirtualSize: row.bytes,
    Labels: row.Labels,
    Containers: row.Containers,
    Names: row.Names.length ? row.Names : undefined,
    Digest: row.Digest,
    History: row.History.length ? row.History : undefined,
    Created: Math.floor(row.CreatedTime.getTime() / 1000),
    CreatedAt: row.CreatedAt,
  }
}
