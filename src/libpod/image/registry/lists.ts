// Local manifest lists (`manifest create/add/annotate/remove/inspect/push/rm`):
// one JSON document per list under <graphRoot>/manifests, holding the list's
// entries and where each instance can be copied from when the list is
// pushed (a registry reference by digest, or a stored image).
import {randomBytes} from 'node:crypto'
import {existsSync, readdirSync, rmSync} from 'node:fs'
import path from 'node:path'
import {InvalidArgument, NoSuchImage} from '../../define/errors.js'
import {readJson, writeJsonAtomic} from '../../state/atomic.js'
import type {Store} from '../../storage/store.js'
import {normalizeName} from '../archive/names.js'
import {MEDIA, type Descriptor, type ManifestList, type Platform} from './manifest.js'

export interface ListEntry {
  mediaType: string
  digest: string
  size: number
  platform?: Platform
  annotations?: Record<string, string>
  urls?: string[]
}

export interface ListDoc {
  id: string
  names: string[]
  entries: ListEntry[]
  annotations?: Record<string, string>
  /** Where each instance comes from: `docker://host/repo@digest` or `containers-storage:<image id>`. */
  sources: Record<string, string>
  created: string
}

export class ListStore {
  private readonly dir: string
  constructor(private readonly store: Store) {
    this.dir = path.join(store.config.graphRoot, 'manifests')
  }

  private file(id: string): string {
    return path.join(this.dir, `${id}.json`)
  }

  all(): ListDoc[] {
    if (!existsSync(this.dir)) return []
    return readdirSync(this.dir).filter(f => f.endsWith('.json') && !f.startsWith('.')).map(f => readJson<ListDoc>(path.join(this.dir, f))).filter((d): d is ListDoc => !!d)
  }

  find(nameOrId: string): ListDoc | undefined {
    const all = this.all()
    const hex = nameOrId.replace(/^sha256:/, '')
    if (/^[0-9a-f]{3,64}$/.test(hex)) {
      const byId = all.filter(d => d.id.startsWith(hex))
      if (byId.length === 1) return byId[0]
    }
    let name: string
    try {
      name = normalizeName(nameOrId)
    } catch {
      return undefined
    }
    return all.find(d => d.names.includes(name)) ?? all.find(d => d.names.some(n => n.endsWith(`/${nameOrId}`) || n.endsWith(`/${nameOrId}:latest`)))
  }

  get(nameOrId: string): ListDoc {
    const d = this.find(nameOrId)
    if (!d) throw new NoSuchImage(`${nameOrId}: image not known`)
    return d
  }

  /** A new empty list named `name` (refused when the name is taken by an image or a list). */
  async create(name: string): Promise<ListDoc> {
    const full = normalizeName(name)
    return this.store.locked(() => {
      if (this.all().some(d => d.names.includes(full))) throw new InvalidArgument(`image name "${full}" is already associated with image "${this.all().find(d => d.names.includes(full))!.id}": that name is already in use`)
      const img = this.store.images.list().find(i => i.names.includes(full))
      if (img) throw new InvalidArgument(`image name "${full}" is already associated with image "${img.id}": that name is already in use`)
      const doc: ListDoc = {id: randomBytes(32).toString('hex'), names: [full], entries: [], sources: {}, created: new Date().toISOString()}
      writeJsonAtomic(this.file(doc.id), doc)
      return doc
    })
  }

  /** Read-modify-write of a list under the store lock. */
  async update(nameOrId: string, fn: (doc: ListDoc) => void): Promise<ListDoc> {
    return this.store.locked(() => {
      const doc = this.get(nameOrId)
      fn(doc)
      writeJsonAtomic(this.file(doc.id), doc)
      return doc
    })
  }

  async remove(nameOrId: string): Promise<ListDoc> {
    return this.store.locked(() => {
      const doc = this.get(nameOrId)
      rmSync(this.file(doc.id), {force: true})
      return doc
    })
  }
}

/** Adds or replaces (same digest) an entry. */
export function putEntry(doc: ListDoc, e: ListEntry, source: string): void {
  const i = doc.entries.findIndex(x => x.digest === e.digest)
  if (i >= 0) doc.entries[i] = e
  else doc.entries.push(e)
  doc.sources[e.digest] = source
}

function platformJson(p: Platform | undefined, withFeatures: boolean): Platform | undefined {
  if (!p) return undefined
  const out: Platform = {architecture: p.architecture ?? '', os: p.os ?? ''}
  if (p['os.version']) out['os.version'] = p['os.version']
  if (p['os.features']?.length) out['os.features'] = p['os.features']
  if (p.variant) out.variant = p.variant
  if (withFeatures && p.features?.length) out.features = p.features
  return out
}

/** The list as a Docker manifest list or an OCI index (field order as Go's structs marshal them). */
export function renderList(doc: ListDoc, kind: 'docker' | 'oci'): ManifestList {
  if (kind === 'docker') {
    return {
      schemaVersion: 2,
      mediaType: MEDIA.dockerList,
      manifests: doc.entries.map(e => ({
        mediaType: e.mediaType, size: e.size, digest: e.digest,
        ...(e.urls?.length ? {urls: e.urls} : {}),
        platform: platformJson(e.platform, true) ?? {architecture: '', os: ''},
      })) as Descriptor[],
    }
  }
  return {
    schemaVersion: 2,
    mediaType: MEDIA.ociIndex,
    manifests: doc.entries.map(e => ({
      mediaType: e.mediaType, digest: e.digest, size: e.size,
      ...(e.urls?.length ? {urls: e.urls} : {}),
      ...(e.annotations && Object.keys(e.annotations).length ? {annotations: e.annotations} : {}),
      ...(e.platform ? {platform: platformJson(e.platform, false)} : {}),
    })) as Descriptor[],
    ...(doc.annotations && Object.keys(doc.annotations).length ? {annotations: doc.annotations} : {}),
  }
}
