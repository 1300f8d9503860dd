// Layer storage drivers. A layer is a directory; overlay keeps each layer's
// own diff (whiteouts as 0:0 devices) and stacks them at mount time; vfs
// keeps a full copy of the rootfs per layer (slow, works everywhere).
import {existsSync, mkdirSync, mkdtempSync, rmSync} from 'node:fs'
import path from 'node:path'
import {StorageError} from '../define/errors.js'
import {runSync} from '../util/process.js'

export interface LayerDriver {
  readonly name: 'overlay' | 'vfs'
  /** How layer tars are applied into a new layer dir. */
  readonly applyMode: 'overlay' | 'vfs'
  /** Directory holding layer `id`'s content. */
  dir(id: string): string
  /** Fills a staging dir so that a diff can be applied on it (vfs: a copy of the parent, or of parentDir when the parent is only staged). */
  prepare(staging: string, parent?: string, parentDir?: string): void
}

export class OverlayDriver implements LayerDriver {
  readonly name = 'overlay'
  readonly applyMode = 'overlay'
  constructor(private readonly home: string) {}
  dir(id: string): string {
    return path.join(this.home, id, 'diff')
  }
  prepare(staging: string): void {
    mkdirSync(staging, {recursive: true})
  }
}

export class VfsDriver implements LayerDriver {
  readonly name = 'vfs'
  readonly applyMode = 'vfs'
  constructor(private readonly home: string) {}
  dir(id: string): string {
    return path.join(this.home, 'dir', id)
  }
  prepare(staging: string, parent?: string, parentDir?: string): void {
    mkdirSync(staging, {recursive: true})
    if (parent) {
      // Reflink where the filesystem allows, keeping owners, modes and xattrs.
      // Synchronous: LayerDriver.prepare is (the layer applier calls it inline).
      runSync(['cp', '-a', '--reflink=auto', `${parentDir ?? this.dir(parent)}/.`, staging])
    }
  }
}

/**
 * Whether native overlay mounts work here (rootless: inside our user
 * namespace, with userxattr). Checked once per store and remembered.
 */
export function overlayWorks(scratchParent: string, rootless: boolean): boolean {
  mkdirSync(scratchParent, {recursive: true})
  const t = mkdtempSync(path.join(scratchParent, 'overlay-check-'))
  try {
    for (const d of ['l', 'u', 'w', 'm']) mkdirSync(path.join(t, d))
    const opts = `lowerdir=${t}/l,upperdir=${t}/u,workdir=${t}/w${rootless ? ',userxattr' : ''}`
    // Synchronous: the store picks its driver while it opens (Store.open is sync).
    runSync(['mount', '-t', 'overlay', 'overlay', '-o', opts, `${t}/m`])
    runSync(['umount', `${t}/m`])
    return true
  } catch {
    return false
  } finally {
    rmSync(t, {recursive: true, force: true})
  }
}

export function makeDriver(name: string, graphRoot: string): LayerDriver {
  switch (name) {
    case 'overlay': return new OverlayDriver(path.join(graphRoot, 'overlay'))
    case 'vfs': return new VfsDriver(path.join(graphRoot, 'vfs'))
    default: throw new StorageError(`unsupported storage driver "${name}" (supported: overlay, vfs)`)
  }
}

export function driverHomeExists(name: string, graphRoot: string): boolean {
  return existsSync(path.join(graphRoot, name))
}
