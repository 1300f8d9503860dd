// `system df`: disk usage of images, containers and volumes, as Podman's
// (pkg/domain/infra/abi/system.go SystemDf): what is used, and what a
// prune could give back.
import path from 'node:path'
import type {Runtime} from '../runtime.js'
import {imageSize, createdOf} from '../image/inspect.js'
import {containerSize} from '../container/ps-row.js'
import {usedVolumes, volumeUsers} from '../volume/usage.js'
import {isActive} from '../define/state.js'
import {parseReference} from '../image/reference.js'
import type {ImageDoc} from '../image/images.js'

export interface DfImage { repository: string; tag: string; id: string; created: Date; size: number; sharedSize: number; uniqueSize: number; containers: number }
export interface DfContainer { id: string; image: string; command: string; localVolumes: number; size: number; created: Date; status: string; names: string; running: boolean }
import {dirBytes} from '../util/du.js'

export {dirBytes}

export interface DfVolume { name: string; links: number; size: number }
export interface DfReport { images: DfImage[]; containers: DfContainer[]; volumes: DfVolume[] }

interface Lineage { diffIds: string[]; history: string[] }

function lineageOf(doc: ImageDoc): Lineage {
  try {
    const c = JSON.parse(doc.config) as {rootfs?: {diff_ids?: string[]}; history?: Array<Record<string, unknown>>}
    return {diffIds: c.rootfs?.diff_ids ?? [], history: (c.history ?? []).map(h => JSON.stringify([h.created, h.created_by, h.comment, h.empty_layer, h.author]))}
  } catch {
    return {diffIds: [], history: []}
  }
}

/** libimage's areParentAndChild: the child's history and layers extend the parent's. */
function extendsImage(parent: Lineage, child: Lineage): boolean {
  if (parent.diffIds.length > child.diffIds.length || parent.history.length >= child.history.length) return false
  return parent.history.every((h, i) => h === child.history[i]) && parent.diffIds.every((d, i) => d === child.diffIds[i])
}

/**
 * Shared and unique size as libimage's diskUsageForImage: an image with
 * children (images built on it, on its top layer or the next) shares all of
 * itself; else one with a parent shares the parent's size.
 */
function sharing(rt: Runtime, docs: ImageDoc[]): Map<string, {size: number; shared: number; unique: number}> {
  const lin = new Map(docs.map(d => [d.id, lineageOf(d)]))
  const top = (d: ImageDoc) => d.layers[d.layers.length - 1]
  const near = (a: ImageDoc, b: ImageDoc) => b.layers.length - a.layers.length <= 1 && (top(a) === top(b) || b.layers[a.layers.length - 1] === top(a))
  const out = new Map<string, {size: number; shared: number; unique: number}>()
  for (const d of docs) {
    const size = imageSize(rt.store, d)
    const hasChild = docs.some(c => c.id !== d.id && near(d, c) && extendsImage(lin.get(d.id)!, lin.get(c.id)!))
    const parent = hasChild ? undefined : docs.find(p => p.id !== d.id && near(p, d) && extendsImage(lin.get(p.id)!, lin.get(d.id)!))
    if (hasChild) out.set(d.id, {size, shared: size, unique: 0})
    else if (parent) {
      const ps = imageSize(rt.store, parent)
      out.set(d.id, {size: ps + (size - ps), shared: ps, unique: size - ps})
    } else out.set(d.id, {size, shared: 0, unique: size})
  }
  return out
}

export function diskUsage(rt: Runtime): DfReport {
  const containers = rt.listContainers()
  const images: DfImage[] = []
  const docs = rt.listImages()
  const shares = sharing(rt, docs)
  const counts = rt.imageUserCounts()
  for (const doc of docs) {
    const {size, shared, unique} = shares.get(doc.id)!
    const users = counts.get(doc.id) ?? 0
    const names = doc.names.length ? doc.names : ['<none>:<none>']
    for (const n of names) {
      let repository = '<none>'
      let tag = '<none>'
      if (n !== '<none>:<none>') {
        const r = parseReference(n)
        repository = `${r.domain ? r.domain + '/' : ''}${r.path}`
        tag = r.tag ?? '<none>'
      }
      images.push({repository, tag, id: doc.id, created: createdOf(doc), size, sharedSize: shared, uniqueSize: unique, containers: users})
    }
  }
  const dfContainers = containers.map(c => ({
    id: c.id,
    image: c.config.imageName,
    command: [...c.config.entrypoint ?? [], ...c.config.command ?? []].join(' '),
    localVolumes: (c.config.mounts ?? []).filter(m => m.type === 'volume').length,
    size: containerSize(rt, c.data).rwSize,
    created: new Date(c.config.created),
    status: c.status,
    names: c.name,
    running: isActive(c.status),
  }))
  const volumes = rt.volumes.list().map(v => ({name: v.name, links: volumeUsers(rt, v.name).length, size: dirBytes(rt.volumes.dataDir(v.name))}))
  return {images, containers: dfContainers, volumes}
}

export interface DfSummaryRow { Type: string; Total: number; Active: number; RawSize: number; RawReclaimable: number }

/** The three summary rows of `system df`. */
export function dfSummary(rt: Runtime, r: DfReport): DfSummaryRow[] {
  const uniqImages = new Map(r.images.map(i => [i.id, i]))
  const imgs = [...uniqImages.values()]
  const used = usedVolumes(rt)
  return [
    {Type: 'Images', Total: imgs.length, Active: imgs.filter(i => i.containers > 0).length,
      RawSize: sum(imgs.map(i => i.size)), RawReclaimable: sum(imgs.filter(i => i.containers === 0).map(i => i.size))},
    {Type: 'Containers', Total: r.containers.length, Active: r.containers.filter(c => c.running).length,
      RawSize: sum(r.containers.map(c => c.size)), RawReclaimable: sum(r.containers.filter(c => !c.running).map(c => c.size))},
    {Type: 'Local Volumes', Total: r.volumes.length, Active: r.volumes.filter(v => used.has(v.name)).length,
      RawSize: sum(r.volumes.map(v => v.size)), RawReclaimable: sum(r.volumes.filter(v => !used.has(v.name)).map(v => v.size))},
  ]
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)
