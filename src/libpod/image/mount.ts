// `image mount`/`image unmount`: an image's layers, read-only, at the top
// layer's merged dir (overlay/<top layer>/merged), as containers/storage
// mounts them; vfs layers are whole trees already. Rootless, as Podman, only
// inside `peapod unshare` (commands check it first).
import {mkdirSync, rmdirSync} from 'node:fs'
import path from 'node:path'
import {StorageError} from '../define/errors.js'
import {imageEvent} from '../events/log.js'
import type {Runtime} from '../runtime.js'
import {isMounted} from '../storage/mount.js'
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

function mounted(rt: Runtime, img: ImageDoc): boolean {
  return rt.store.driver.name !== 'vfs' && img.layers.length > 0 && isMounted(imageMountPoint(rt, img))
}

/** Mounts the image read-only (idempotent); returns the mount point. */
export async function mountImage(rt: Runtime, ref: string): Promise<string> {
  const img = rt.lookupImage(ref)
  const target = imageMountPoint(rt, img)
  if (rt.store.driver.name === 'vfs' || !img.layers.length || isMounted(target)) return target
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
  imageEvent(rt.config, img.id, img.names[0] ?? img.id, 'mount')
  return target
}

/** Unmounts the image (a no-op when it is not mounted); returns its ID. */
export async function unmountImage(rt: Runtime, ref: string): Promise<string> {
  const img = rt.lookupImage(ref)
  if (mounted(rt, img)) {
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
    imageEvent(rt.config, img.id, img.names[0] ?? img.id, 'unmount')
  }
  return img.id
}

/** Every mounted image. */
export function mountedImages(rt: Runtime): MountedImage[] {
  return rt.listImages().filter(img => mounted(rt, img)).map(img => ({id: img.id, names: img.names, path: imageMountPoint(rt, img)}))
}
