// `image mount`/`image unmount`: an image's layers, read-only, at the top
// layer's merged dir (overlay/<top layer>/merged), as containers/storage
// mounts them; vfs layers are whole trees already. Rootless, as Podman, only
// inside `peapod unshare` (commands check it first).
// As containers/storage, each mount counts, on the image's top layer (so
// images that share it share the count; runroot/image-mounts.json, gone with
// the mounts at a reboot): an unmount takes one off, and the layers are
// really unmounted (and no longer listed) at zero, or at once with force.
import {mkdirSync, rmdirSync} from 'node:fs'
import path from 'node:path'
import {StorageError} from '../define/errors.js'
import {imageEvent} from '../events/log.js'
import type {Runtime} from '../runtime.js'
import {isMounted} from '../storage/mount.js'
import {readJson, writeJsonAtomic} from '../state/atomic.js'
import {withLock} from '../state/lock.js'
import {run} from '../util/process.js'
import type {ImageDoc} from './images.js'

export interface MountedImage {
  id: string
  /** The image's names (Podman's Repositories). */
  names: string[]
  path: string
}

/** Where the image's layers are (to be) mounted. */
export function imageMountPoint(rt: Runtime, img: ImageDoc): string {
  const top = img.layers[img.layers.length - 1]
  if (rt.store.driver.name === 'vfs') return rt.store.driver.dir(top)
  return path.join(path.dirname(rt.store.driver.dir(top)), 'merged')
}

type Counts = Record<string, number>
const countsFile = (rt: Runtime) => path.join(rt.config.runRoot, 'image-mounts.json')

/** What the count is kept on: the top layer (an image without layers: itself). */
const keyOf = (img: ImageDoc) => img.layers[img.layers.length - 1] ?? img.id

/** The image's mount count; an overlay no longer mounted (umount by hand) counts 0, one mounted without a count 1. */
function countOf(rt: Runtime, img: ImageDoc, counts: Counts): number {
  const n = counts[keyOf(img)] ?? 0
  if (rt.store.driver.name === 'vfs' || !img.layers.length) return n
  return isMounted(imageMountPoint(rt, img)) ? Math.max(n, 1) : 0
}

/** Runs fn on the mount counts under their lock and saves what it leaves. */
async function withCounts<T>(rt: Runtime, fn: (counts: Counts) => Promise<T>): Promise<T> {
  const file = countsFile(rt)
  return withLock(file, async () => {
    const counts = readJson<Counts>(file) ?? {}
    try {
      return await fn(counts)
    } finally {
      for (const [k, n] of Object.entries(counts)) if (n <= 0) delete counts[k]
      writeJsonAtomic(file, counts)
    }
  })
}

/** Mounts the image read-only, or counts one more mount of it; returns the mount point. */
export async function mountImage(rt: Runtime, ref: string): Promise<string> {
  const img = rt.lookupImage(ref)
  const target = imageMountPoint(rt, img)
  return withCounts(rt, async counts => {
    const n = countOf(rt, img, counts)
    if (n === 0 && rt.store.driver.name !== 'vfs' && img.layers.length) await mountLayers(rt, img, target)
    counts[keyOf(img)] = n + 1
    if (n === 0) imageEvent(rt.config, img.id, img.names[0] ?? img.id, 'mount')
    return target
  })
}

async function mountLayers(rt: Runtime, img: ImageDoc, target: string): Promise<void> {
  // Lower dirs only: overlay wants two at least, so an empty one goes under a single layer.
  const home = path.dirname(path.dirname(rt.store.driver.dir('x')))
  const lowers = [...img.layers].reverse().map(l => `${l}/diff`)
  if (lowers.length === 1) {
    mkdirSync(path.join(path.dirname(target), 'empty'), {recursive: true})
    lowers.push(path.relative(home, path.join(path.dirname(target), 'empty')))
  }
  mkdirSync(target, {recursive: true})
  const opts = [`lowerdir=${lowers.join(':')}`, ...(rt.config.rootless ? ['userxattr'] : [])].join(',')
  const program = rt.config.storageOptions.find(o => o.startsWith('overlay.mount_program='))?.split('=')[1]
  try {
    if (program) await run([program, '-o', opts, target], {cwd: home})
    else await run(['mount', '-t', 'overlay', '-o', `ro,${opts}`, 'overlay', target], {cwd: home})
  } catch (e) {
    throw new StorageError(`mounting image ${img.id}: ${((e as {stderr?: string}).stderr || (e as Error).message).trim()}`)
  }
}

/**
 * Takes one mount off the image (all of them with force), unmounting it at
 * zero; its ID, or undefined when it was not mounted (Podman prints nothing then).
 */
export async function unmountImage(rt: Runtime, ref: string, opts: {force?: boolean} = {}): Promise<string | undefined> {
  const img = rt.lookupImage(ref)
  return withCounts(rt, async counts => {
    const n = countOf(rt, img, counts)
    if (n === 0) {
      delete counts[keyOf(img)]
      return undefined
    }
    counts[keyOf(img)] = opts.force ? 0 : n - 1
    if (counts[keyOf(img)] > 0) return img.id
    if (rt.store.driver.name !== 'vfs' && img.layers.length) {
      const target = imageMountPoint(rt, img)
      try {
        await run(['umount', target])
      } catch {
        await run(['umount', '-l', target]).catch(() => {})
      }
      try {
        rmdirSync(target)
      } catch {
        // busy: left for the next unmount
      }
    }
    imageEvent(rt.config, img.id, img.names[0] ?? img.id, 'unmount')
    return img.id
  })
}

/** Every mounted image (a count above zero), in the store's order (the oldest first), as Podman lists and unmounts them. */
export function mountedImages(rt: Runtime): MountedImage[] {
  const counts = readJson<Counts>(countsFile(rt)) ?? {}
  const images = [...rt.listImages()].sort((x, y) => x.added.localeCompare(y.added))
  return images.filter(img => countOf(rt, img, counts) > 0).map(img => ({id: img.id, names: img.names, path: imageMountPoint(rt, img)}))
}
