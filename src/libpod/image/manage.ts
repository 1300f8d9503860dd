// Image operations that change the index: create, tag, untag, remove, prune.
// Each runs under the store lock; layers no image uses any more are removed.
import {imageEvent} from '../events/log.js'
import {ImageInUse, InvalidArgument, NoSuchImage} from '../define/errors.js'
import type {Store} from '../storage/store.js'
import type {StagedLayer} from '../storage/layers.js'
import {sha256, type ImageDoc} from './images.js'
import {lookupImage} from './lookup.js'
import {normalizeLocalName} from './reference.js'
import {failpoint} from '../util/failpoint.js'

export interface NewImage {
  config: string
  manifest: string
  manifestMediaType: string
  /** Layers staged by LayerStore.stage, bottom to top; a string is the ID of a layer already stored. */
  staged: Array<StagedLayer | string>
  names: string[]
  /** Extra manifest digests to remember (e.g. the registry's). */
  digests?: string[]
}

/**
 * Commits staged layers and the image document. An image that already exists
 * gains the names; a name held by another image moves here (that one may
 * become dangling), as in Podman.
 */
export async function commitImage(store: Store, img: NewImage): Promise<ImageDoc> {
  const id = sha256(img.config).slice('sha256:'.length)
  const digest = sha256(img.manifest)
  return store.locked(() => {
    const layers = img.staged.map(s => typeof s === 'string' ? store.layers.get(s).id : store.layers.commit(s).id)
    failpoint('image.commit.after-layer')
    const existing = store.images.exists(id) ? store.images.get(id) : undefined
    const doc: ImageDoc = existing ?? {
      id, names: [], digests: [], digest, manifest: img.manifest, manifestMediaType: img.manifestMediaType,
      config: img.config, layers, added: new Date().toISOString(),
    }
    for (const d of [digest, ...(img.digests ?? [])]) if (!doc.digests.includes(d)) doc.digests.push(d)
    takeNames(store, doc, img.names)
    store.images.save(doc)
    return doc
  })
}

/** Moves `names` onto doc, removing them from any other image (saved). Under the lock. */
function takeNames(store: Store, doc: ImageDoc, names: string[]): void {
  if (names.length === 0) return
  for (const other of store.images.list()) {
    if (other.id === doc.id) continue
    const kept = other.names.filter(n => !names.includes(n))
    if (kept.length !== other.names.length) store.images.save({...other, names: kept})
  }
  for (const n of names) if (!doc.names.includes(n)) doc.names.push(n)
}

export async function tagImage(store: Store, nameOrId: string, newNames: string[], registries?: string[]): Promise<void> {
  const names = newNames.map(normalizeLocalName)
  await store.locked(() => {
    const doc = lookupImage(store.images.list(), nameOrId, registries)
    takeNames(store, doc, names)
    store.images.save(doc)
    for (const n of names) imageEvent(store.config, doc.id, n, 'tag')
  })
}

export async function untagImage(store: Store, nameOrId: string, names: string[], registries?: string[]): Promise<void> {
  await store.locked(() => {
    const doc = lookupImage(store.images.list(), nameOrId, registries)
    const before = [...doc.names]
    if (names.length === 0) {
      doc.names = []
    } else {
      for (const n of names.map(normalizeLocalName)) {
        if (!doc.names.includes(n)) throw new NoSuchImage(`${n}: tag not known`)
        doc.names = doc.names.filter(x => x !== n)
      }
    }
    store.images.save(doc)
    for (const n of before.filter(x => !doc.names.includes(x))) imageEvent(store.config, doc.id, n, 'untag')
  })
}

export interface RemoveResult {
  untagged: string[]
  deleted: string[]
}

/** Decides whether an image is used by a container; set by the runtime once containers exist. */
export type InUseCheck = (imageId: string) => string[]

/**
 * `rmi`: removing by a name that is one of several only untags it, as Podman;
 * by ID (or the last name) removes the image and its now unused layers.
 */
export async function removeImages(store: Store, refs: string[], opts: {force?: boolean; all?: boolean; inUse?: InUseCheck; registries?: string[]}): Promise<RemoveResult> {
  return store.locked(() => {
    const res: RemoveResult = {untagged: [], deleted: []}
    const all = store.images.list()
    const targets: Array<{doc: ImageDoc; byName?: string}> = []
    if (opts.all) for (const doc of all) targets.push({doc})
    for (const ref of refs) {
      const doc = lookupImage(all, ref, opts.registries)
      const byName = doc.id.startsWith(ref.replace(/^sha256:/, '')) ? undefined : doc.names.find(n => nameMatches(n, ref))
      targets.push({doc, byName})
    }
    for (const {doc: stale, byName} of targets) {
      if (!store.images.exists(stale.id)) continue
      const doc = store.images.get(stale.id)
      if (byName && doc.names.length > 1 && !opts.force) {
        doc.names = doc.names.filter(n => n !== byName)
        store.images.save(doc)
        res.untagged.push(byName)
        imageEvent(store.config, doc.id, byName, 'untag')
        continue
      }
      const users = opts.inUse?.(doc.id) ?? []
      if (users.length && !opts.force) {
        throw new ImageInUse(`image used by ${users[0]}: image is in use by a container: consider listing external containers and force-removing image`)
      }
      if (doc.names.length > 1 && !opts.force && !opts.all && !byName) {
        throw new ImageInUse(`unable to delete image "${doc.id}" by ID with more than one tag (${doc.names.join(', ')}): please force removal`)
      }
      res.untagged.push(...doc.names)
      store.images.remove(doc.id)
      for (const n of doc.names) imageEvent(store.config, doc.id, n, 'untag')
      imageEvent(store.config, doc.id, doc.names[0] ?? doc.id, 'remove')
      res.deleted.push(doc.id)
      failpoint('image.rm.after-untag')
    }
    removeUnusedLayers(store)
    return res
  })
}

function nameMatches(full: string, ref: string): boolean {
  try {
    const n = normalizeLocalName(ref)
    return full === n || full.endsWith('/' + ref) || full.endsWith('/' + ref + ':latest') || full === ref
  } catch {
    return false
  }
}

/** Layers no image refers to. Under the lock. */
export function removeUnusedLayers(store: Store, keep: Set<string> = new Set()): string[] {
  const used = new Set<string>(keep)
  for (const img of store.images.list()) for (const l of img.layers) used.add(l)
  // A layer's parents are used too.
  const docs = new Map(store.layers.list().map(l => [l.id, l]))
  for (const id of [...used]) {
    let p = docs.get(id)?.parent
    while (p && !used.has(p)) {
      used.add(p)
      p = docs.get(p)?.parent
    }
  }
  const removed: string[] = []
  // Children before parents (vfs copies don't care; overlay only cares for mounts).
  for (const l of [...docs.values()].reverse()) {
    if (!used.has(l.id)) {
      store.layers.remove(l.id)
      removed.push(l.id)
    }
  }
  return removed
}

/** `image prune`: dangling images (no names), or with all=true every image no container uses. */
export async function pruneImages(store: Store, opts: {all?: boolean; inUse?: InUseCheck; filter?: (d: ImageDoc) => boolean}): Promise<string[]> {
  return store.locked(() => {
    const removed: string[] = []
    for (const doc of store.images.list()) {
      if (!opts.all && doc.names.length > 0) continue
      if ((opts.inUse?.(doc.id) ?? []).length) continue
      if (opts.filter && !opts.filter(doc)) continue
      store.images.remove(doc.id)
      imageEvent(store.config, doc.id, doc.names[0] ?? doc.id, 'remove')
      removed.push(doc.id)
    }
    removeUnusedLayers(store)
    return removed
  })
}

export function assertValidNames(names: string[]): void {
  for (const n of names) {
    try {
      normalizeLocalName(n)
    } catch {
      throw new InvalidArgument(`invalid reference format: "${n}"`)
    }
  }
}
