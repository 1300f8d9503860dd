// A container's rootfs: overlay of the image's layers plus the container's
// own upper dir (native overlay; inside the user namespace with userxattr
// when rootless; fuse-overlayfs when storage.conf names a mount_program),
// or for vfs a copy of the image's top layer made once at create.
import {existsSync, mkdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {StorageError} from '../define/errors.js'
import {log} from '../util/log.js'
import {run, runSync} from '../util/process.js'
import type {Store} from './store.js'

/** A --rootfs directory (container/rootfs-dir.ts). */
export interface OwnRootfs {
  path: string
  overlay: boolean
}

export interface RootfsDirs {
  base: string
  upper: string
  work: string
  merged: string
}

export function rootfsDirs(containerDir: string): RootfsDirs {
  const base = path.join(containerDir, 'rootfs')
  return {base, upper: path.join(base, 'diff'), work: path.join(base, 'work'), merged: path.join(base, 'merged')}
}

/** Prepares the container's writable layer at create time. */
export function createRootfs(store: Store, containerDir: string, layers: string[], own?: OwnRootfs): void {
  const d = rootfsDirs(containerDir)
  mkdirSync(d.merged, {recursive: true})
  if (own && !own.overlay) return
  if (own && store.driver.name === 'vfs') {
    // --rootfs DIR:O on vfs: the container's own copy stands for the overlay
    runSync(['cp', '-a', '--reflink=auto', `${own.path}/.`, d.merged])
    return
  }
  if (store.driver.name === 'vfs') {
    // Synchronous: create calls this inside the store's critical section.
    log.debug(`vfs: copying the image's top layer to ${d.merged}`)
    if (layers.length) runSync(['cp', '-a', '--reflink=auto', `${store.driver.dir(layers[layers.length - 1])}/.`, d.merged])
    return
  }
  mkdirSync(d.upper, {recursive: true})
  mkdirSync(d.work, {recursive: true})
}

export function isMounted(dir: string): boolean {
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
  return mounts.split('\n').some(l => l.split(' ')[4] === dir)
}

/** Mounts the rootfs (idempotent); returns the merged path. */
export async function mountRootfs(store: Store, containerDir: string, layers: string[], own?: OwnRootfs): Promise<string> {
  const d = rootfsDirs(containerDir)
  // --rootfs DIR: the directory itself; DIR:O: an overlay with it as the only lower dir
  if (own && !own.overlay) return own.path
  if (store.driver.name === 'vfs' || isMounted(d.merged)) {
    log.debug(`${store.driver.name}: rootfs ${d.merged} ${store.driver.name === 'vfs' ? 'is a copy' : 'is already mounted'}`)
    return d.merged
  }
  if (!existsSync(d.upper)) throw new StorageError(`container rootfs ${d.base} is missing`)
  // Lower dirs are given relative to the overlay home (cwd) so that many
  // layers fit in the one page the kernel accepts for mount options.
  // (--rootfs DIR:O: DIR is absolute, and the store may hold no layer dir yet)
  const home = own ? d.base : path.dirname(path.dirname(store.driver.dir('x')))
  const lower = own ? own.path : layers.length ? [...layers].reverse().map(l => `${l}/diff`).join(':') : undefined
  const opts = [
    lower ? `lowerdir=${lower}` : `lowerdir=${path.relative(home, d.upper)}-empty`,
    `upperdir=${d.upper}`,
    `workdir=${d.work}`,
    ...(store.config.rootless ? ['userxattr'] : []),
  ].join(',')
  if (!lower) mkdirSync(`${d.upper}-empty`, {recursive: true})
  const program = store.config.storageOptions.find(o => o.startsWith('overlay.mount_program='))?.split('=')[1]
  log.debug(`overlay: mounting ${d.merged}${program ? ` with ${program}` : ''} (in ${home}): mount_data=${opts}`)
  try {
    if (program) await run([program, '-o', opts, d.merged], {cwd: home})
    else await run(['mount', '-t', 'overlay', 'overlay', '-o', opts, d.merged], {cwd: home})
  } catch (e) {
    throw new StorageError(`mounting the container rootfs: ${((e as {stderr?: string}).stderr || (e as Error).message).trim()}`)
  }
  return d.merged
}

export async function unmountRootfs(store: Store, containerDir: string): Promise<void> {
  const d = rootfsDirs(containerDir)
  if (store.driver.name === 'vfs' || !isMounted(d.merged)) return
  log.debug(`overlay: unmounting ${d.merged}`)
  try {
    await run(['umount', d.merged])
  } catch {
    // Busy (a process still holds it): detach it so the container can go.
    await run(['umount', '-l', d.merged]).catch(() => {})
  }
}
