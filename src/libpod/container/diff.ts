// `diff`: what a container (or an image's top layer) changed, as
// containers/storage reports it. Overlay: the upper dir says it all —
// 0:0 character devices are deletions, opaque directories replace what was
// below, anything else is an addition unless a lower layer has it (then a
// change; a directory only copied up, with the same mode, size and mtime,
// is no change). vfs: the container's copy compared with the image's top
// layer. The files Podman puts into every container (/etc/hosts, /run ...)
// are left out, as Podman's GetDiff does.
import {lstatSync, readdirSync, readlinkSync, type Stats} from 'node:fs'
import path from 'node:path'
import {NoSuchContainer, NoSuchImage, NoSuchLayer} from '../define/errors.js'
import type {Runtime} from '../runtime.js'
import {rootfsDirs} from '../storage/mount.js'
import {FsRoot, walkTree} from './fsroot.js'
import {syncContainer} from './sync.js'
import {containerPaths} from './paths.js'
import {treeXattrs} from './xattrs.js'

export type ChangeKind = 'A' | 'C' | 'D'

export interface Change {
  path: string
  kind: ChangeKind
}

/** Podman's initInodes: created by libpod in every container, never reported. */
const INIT_INODES = new Set(['/dev', '/etc/hostname', '/etc/hosts', '/etc/resolv.conf', '/proc', '/run', '/run/notify', '/run/.containerenv', '/run/secrets', '/sys', '/etc/mtab'])

function isWhiteout(st: Stats): boolean {
  return st.isCharacterDevice() && st.rdev === 0
}

/** Whether a lower layer (top first) has path; its lstat when it does. */
function inLowers(lowers: string[], rel: string): Stats | undefined {
  for (const l of lowers) {
    const st = lstatSync(path.join(l, rel), {throwIfNoEntry: false})
    if (st) return isWhiteout(st) ? undefined : st
  }
  return undefined
}

/** Changes of an overlay upper dir over its lower layers (top first): containers/storage's overlayChanges. */
export async function overlayChanges(upper: string, lowers: string[]): Promise<Change[]> {
  const opaque = await treeXattrs(upper, 'overlay\\.opaque$')
  const changes: Change[] = []
  const changedDirs = new Set<string>()
  const root = new FsRoot(upper)
  try {
    let st: Stats | undefined
    let rel = ''
    for await (const _e of walkTree(root, '', '', {convert: (_x, s, r) => { st = s; rel = r; return undefined }})) {
      const s = st as Stats
      const p = '/' + rel
      let kind: ChangeKind
      if (isWhiteout(s)) kind = 'D'
      else if (s.isDirectory() && [...(opaque.get(rel)?.values() ?? [])].some(v => v.toString() === 'y') && inLowers(lowers, rel)) kind = 'D'
      else {
        kind = 'A'
        const low = inLowers(lowers, rel)
        if (low) {
          if (low.isDirectory() && s.isDirectory() && low.size === s.size && low.mode === s.mode && Math.floor(low.mtimeMs) === Math.floor(s.mtimeMs)) continue
          kind = 'C'
        }
      }
      if (s.isDirectory()) changedDirs.add(p)
      if (kind !== 'C') {
        const parent = path.posix.dirname(p)
        if (parent !== '/' && !changedDirs.has(parent)) {
          changes.push({path: parent, kind: 'C'})
          changedDirs.add(parent)
        }
      }
      changes.push({path: p, kind})
    }
  } finally {
    root.close()
  }
  return changes
}

function sameMeta(a: Stats, b: Stats): boolean {
  if ((a.mode & 0o170000) !== (b.mode & 0o170000)) return false
  if (a.mode !== b.mode || a.uid !== b.uid || a.gid !== b.gid || a.rdev !== b.rdev) return false
  if (Math.floor(a.mtimeMs * 1000) !== Math.floor(b.mtimeMs * 1000)) return false
  if (!a.isDirectory() && a.size !== b.size) return false
  return true
}

/** Changes of a full copy (vfs) against the tree it started from: containers/storage's ChangesDirs. */
export async function treeChanges(newDir: string, oldDir: string | undefined): Promise<Change[]> {
  const changes: Change[] = []
  const root = new FsRoot(newDir)
  const addedDirs = new Set<string>()
  try {
    let st: Stats | undefined
    let rel = ''
    let at = ''
    for await (const _e of walkTree(root, '', '', {convert: (_x, s, r, a) => { st = s; rel = r; at = a; return undefined }})) {
      const s = st as Stats
      const p = '/' + rel
      const parent = path.posix.dirname(p)
      if (addedDirs.has(parent)) {
        changes.push({path: p, kind: 'A'})
        if (s.isDirectory()) addedDirs.add(p)
        continue
      }
      const old = oldDir === undefined ? undefined : lstatSync(path.join(oldDir, rel), {throwIfNoEntry: false})
      if (!old) {
        changes.push({path: p, kind: 'A'})
        if (s.isDirectory()) addedDirs.add(p)
        continue
      }
      let changed = !sameMeta(old, s)
      if (!changed && s.isSymbolicLink()) changed = readlinkSync(path.join(oldDir as string, rel)) !== readlinkSync(at)
      if (changed) changes.push({path: p, kind: 'C'})
      if (s.isDirectory() && old.isDirectory()) {
        const now = new Set(readdirSync(at))
        for (const name of readdirSync(path.join(oldDir as string, rel)).sort()) {
          if (!now.has(name)) changes.push({path: path.posix.join(p, name), kind: 'D'})
        }
      }
    }
    // what the root itself lost
    if (oldDir !== undefined) {
      const now = new Set(readdirSync(newDir))
      for (const name of readdirSync(oldDir).sort()) if (!now.has(name)) changes.push({path: '/' + name, kind: 'D'})
    }
  } finally {
    root.close()
  }
  return changes
}

const filterInit = (changes: Change[]) => changes.filter(c => !INIT_INODES.has(c.path))

/** A container's changes to its image. */
export async function containerChanges(rt: Runtime, ref: string, notFound?: (ref: string) => Error): Promise<Change[]> {
  const found = rt.containers.find(ref)
  if (!found) throw (notFound ?? ((r: string) => new NoSuchContainer(`${r} not found: container not known`)))(ref)
  const c = await syncContainer(rt, found)
  const dirs = rootfsDirs(containerPaths(rt, c.config.id).dir)
  // --rootfs DIR:O: the changes are the upper dir's over DIR; plain DIR has no layer of its own
  if (c.config.rootfs) return c.config.rootfs.overlay && rt.store.driver.name !== 'vfs' ? filterInit(await overlayChanges(dirs.upper, [c.config.rootfs.path])) : []
  const image = rt.store.images.get(c.config.imageId)
  const top = image.layers[image.layers.length - 1]
  if (rt.store.driver.name === 'vfs') return filterInit(await treeChanges(dirs.merged, top ? rt.store.driver.dir(top) : undefined))
  const lowers = [...image.layers].reverse().map(l => rt.store.driver.dir(l))
  return filterInit(await overlayChanges(dirs.upper, lowers))
}

/** An image's top layer against its parent. */
export async function imageChanges(rt: Runtime, ref: string): Promise<Change[]> {
  let doc
  try {
    doc = rt.lookupImage(ref)
  } catch (e) {
    if (e instanceof NoSuchImage) throw new NoSuchLayer(`${ref} not found: layer not known`)
    throw e
  }
  const layers = doc.layers
  if (layers.length === 0) return []
  const top = layers[layers.length - 1]
  if (rt.store.driver.name === 'vfs') {
    const parent = layers.length > 1 ? rt.store.driver.dir(layers[layers.length - 2]) : undefined
    return filterInit(await treeChanges(rt.store.driver.dir(top), parent))
  }
  const lowers = layers.slice(0, -1).reverse().map(l => rt.store.driver.dir(l))
  return filterInit(await overlayChanges(rt.store.driver.dir(top), lowers))
}

/** `diff` (no topic): a container, else an image. */
export async function anyChanges(rt: Runtime, ref: string): Promise<Change[]> {
  if (rt.containers.find(ref)) return containerChanges(rt, ref)
  return imageChanges(rt, ref)
}

/** Podman's `--format json`: changed, added, deleted (empty lists left out). */
export function changesJson(changes: Change[]): string {
  const out: Record<string, string[]> = {}
  const pick = (k: ChangeKind) => changes.filter(c => c.kind === k).map(c => c.path)
  const changed = pick('C')
  const added = pick('A')
  const deleted = pick('D')
  if (changed.length) out.changed = changed
  if (added.length) out.added = added
  if (deleted.length) out.deleted = deleted
  return JSON.stringify(out, null, 5)
}
