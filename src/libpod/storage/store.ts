// The store: layers + images under one lock, with the driver fixed when the
// store is first used (as containers/storage does).
import {existsSync, mkdirSync, statSync} from 'node:fs'
import path from 'node:path'
import type {Config} from '../config/config.js'
import {StorageError} from '../define/errors.js'
import {ImageIndex} from '../image/images.js'
import {readJson, writeJsonAtomic} from '../state/atomic.js'
import {withLock} from '../state/lock.js'
import {log} from '../util/log.js'
import {makeDriver, overlayWorks, type LayerDriver} from './driver.js'
import {LayerStore} from './layers.js'

interface StoreMeta { driver: string }

/**
 * A store is used by its owner only: root must not write root-owned files
 * into a user's store, nor a user touch another's. (In the rootless user
 * namespace the user's own files show as owned by 0, the euid there.)
 */
function checkOwner(graphRoot: string): void {
  const euid = process.geteuid?.()
  if (euid === undefined) return
  let st
  try {
    st = statSync(graphRoot, {throwIfNoEntry: false})
  } catch (e) {
    throw new StorageError(`the store ${graphRoot} is not accessible: ${(e as NodeJS.ErrnoException).code === 'EACCES' ? 'permission denied' : (e as Error).message}`)
  }
  if (st && st.uid !== euid) {
    throw new StorageError(`the store ${graphRoot} is owned by uid ${st.uid}, not by the current user: use a store of your own (--root)`)
  }
}

export class Store {
  readonly layers: LayerStore
  readonly images: ImageIndex
  readonly driver: LayerDriver

  private constructor(readonly config: Config, driver: LayerDriver) {
    this.driver = driver
    this.layers = new LayerStore(config.graphRoot, driver, config.rootless)
    this.images = new ImageIndex(config.graphRoot)
  }

  /** Opens the store; the driver is chosen (and checked) on first use only. */
  static open(config: Config): Store {
    checkOwner(config.graphRoot)
    // The runtime dir (state, sockets, exit files) is private, as Podman's: made 0700 before anything below it
    if (!existsSync(config.runRoot)) mkdirSync(config.runRoot, {recursive: true, mode: 0o700})
    const metaFile = path.join(config.graphRoot, 'storage.json')
    const meta = readJson<StoreMeta>(metaFile)
    log.debug(`Using graph driver ${meta?.driver ?? config.storageDriver}${meta ? '' : ' (the store is new)'}`)
    log.debug(`Using graph root ${config.graphRoot}`)
    log.debug(`Using run root ${config.runRoot}`)
    if (meta) {
      if (config.storageDriverExplicit && config.storageDriver !== meta.driver) {
        throw new StorageError(`database storage driver "${meta.driver}" does not match our storage driver "${config.storageDriver}": remove ${config.graphRoot} or use --storage-driver ${meta.driver}`)
      }
      return new Store(config, makeDriver(meta.driver, config.graphRoot))
    }
    return new Store(config, makeDriver(config.storageDriver, config.graphRoot))
  }

  /**
   * Records the driver the first time something is written. Overlay falls
   * back to vfs when the kernel refuses overlay mounts here.
   */
  private fixDriver(): void {
    const metaFile = path.join(this.config.graphRoot, 'storage.json')
    if (existsSync(metaFile)) return
    let name: string = this.driver.name
    if (name === 'overlay' && !this.config.storageDriverExplicit &&
        !overlayWorks(path.join(this.config.graphRoot, 'tmp'), this.config.rootless)) {
      name = 'vfs'
      log.debug('overlay mounts do not work here: using graph driver vfs')
      ;(this as {driver: LayerDriver}).driver = makeDriver('vfs', this.config.graphRoot)
      ;(this as {layers: LayerStore}).layers = new LayerStore(this.config.graphRoot, this.driver, this.config.rootless)
    }
    writeJsonAtomic(metaFile, {driver: name} satisfies StoreMeta)
  }

  /** Runs fn under the store lock (names, IDs, the image and layer index). */
  async locked<T>(fn: () => Promise<T> | T): Promise<T> {
    mkdirSync(this.config.graphRoot, {recursive: true, mode: 0o700})
    return withLock(path.join(this.config.graphRoot, 'storage'), async () => {
      this.fixDriver()
      this.layers.cleanupOrphans()
      return fn()
    })
  }

  /** Makes sure the driver is fixed before layers are staged outside the lock. */
  async ready(): Promise<void> {
    if (!existsSync(path.join(this.config.graphRoot, 'storage.json'))) await this.locked(() => undefined)
  }
}
