// The container index: containers/<id>/config.json (immutable) and
// state.json (mutable, under the container's lock). Names are reserved
// atomically by creating names/<name> with O_EXCL, so two parallel
// `create --name x` can never both win.
import {existsSync, mkdirSync, readdirSync, rmSync, statSync} from 'node:fs'
import path from 'node:path'
import {InvalidArgument, NameInUse, noContainerWithId, noSuchContainer} from '../define/errors.js'
import {readJson, writeJsonAtomic} from '../state/atomic.js'
import {withLock} from '../state/lock.js'
import {NameReservations} from '../state/names.js'
import {requireFrom} from '../util/require-from.js'
import {ownerAlive} from '../util/owner.js'
import {crypto} from '../util/builtins.js'
import {CONFIG_VERSION, type Container, type ContainerConfig, type ContainerState} from './types.js'

export class ContainerStore {
  readonly dir: string
  private readonly names: NameReservations
  /**
   * Containers' locks live apart from their documents: a lock taken (or
   * waited for) while another command removes the container must neither
   * recreate its directory nor find its parent gone.
   */
  private readonly locks: string

  constructor(graphRoot: string) {
    this.dir = path.join(graphRoot, 'containers')
    this.names = new NameReservations(path.join(graphRoot, 'names'), id => existsSync(path.join(this.containerDir(id), 'config.json')),
      (name, holder) => new NameInUse(`the container name "${name}" is already in use by ${holder}. You have to remove that container to be able to reuse that name: that name is already in use`))
    this.locks = path.join(graphRoot, 'container-locks')
  }

  private lockFile(id: string): string {
    return path.join(this.locks, id)
  }

  containerDir(id: string): string {
    return path.join(this.dir, id)
  }

  static newId(): string {
    return crypto().randomBytes(32).toString('hex')
  }

  /** Reserves the name; throws NameInUse when another container holds it. */
  reserveName(name: string, id: string): void {
    this.names.reserve(name, id)
  }

  releaseName(name: string, id: string): void {
    this.names.release(name, id)
  }

  /** A container left in 'removing' by an rm that was killed (its remover is gone). */
  removalAbandoned(c: Container): boolean {
    if (c.state.status !== 'removing') return false
    if (c.state.remover) return !ownerAlive(c.state.remover)
    // Marked by an older version (no token): abandoned once its state is a minute old.
    try {
      return Date.now() - statSync(path.join(this.containerDir(c.config.id), 'state.json')).mtimeMs > 60_000
    } catch {
      return false
    }
  }

  /** Name reservations nobody holds any more (their creator was killed); sweep releases them. */
  danglingNames(sweep = false): string[] {
    return sweep ? this.names.sweep() : this.names.dangling()
  }

  /**
   * Directories with no config.json: a create or rm killed half-way. Only
   * meaningful under the store lock (creates and removes write them under it).
   */
  orphanDirs(): string[] {
    if (!existsSync(this.dir)) return []
    return readdirSync(this.dir).filter(id => !this.exists(id))
  }


  /** Writes a new container's documents (name already reserved). */
  create(config: ContainerConfig, state: ContainerState): void {
    const d = this.containerDir(config.id)
    mkdirSync(d, {recursive: true})
    writeJsonAtomic(path.join(d, 'state.json'), state)
    // config.json last: its presence is what makes the container exist.
    writeJsonAtomic(path.join(d, 'config.json'), {version: CONFIG_VERSION, ...config})
  }

  /** Rewrites the config document (rename), by a caller holding the store and container locks. */
  writeConfig(config: ContainerConfig): void {
    writeJsonAtomic(path.join(this.containerDir(config.id), 'config.json'), {version: CONFIG_VERSION, ...config})
  }

  exists(id: string): boolean {
    return existsSync(path.join(this.containerDir(id), 'config.json'))
  }

  read(id: string): Container | undefined {
    const d = this.containerDir(id)
    const config = readJson<ContainerConfig>(path.join(d, 'config.json'))
    const state = readJson<ContainerState>(path.join(d, 'state.json'))
    if (!config || !state) return undefined
    // Documents of older versions are upgraded here, the one place configs are read.
    return {config: config.version === CONFIG_VERSION ? config : upgradeLegacy(config), state}
  }

  list(): Container[] {
    if (!existsSync(this.dir)) return []
    const out: Container[] = []
    for (const id of readdirSync(this.dir)) {
      const c = this.read(id)
      if (c) out.push(c)
    }
    return out
  }

  /** By full ID, unique ID prefix, or name. */
  lookup(nameOrId: string): Container {
    const c = this.find(nameOrId)
    if (!c) throw noSuchContainer(nameOrId)
    return c
  }

  find(nameOrId: string): Container | undefined {
    if (/^[0-9a-f]{64}$/.test(nameOrId) && this.exists(nameOrId)) return this.read(nameOrId)
    const holder = this.names.holder(nameOrId)
    if (holder) {
      const c = this.read(holder)
      if (c) return c
    }
    if (/^[0-9a-f]+$/.test(nameOrId) && existsSync(this.dir)) {
      const ids = readdirSync(this.dir).filter(id => id.startsWith(nameOrId))
      if (ids.length > 1) throw new InvalidArgument(`more than one result for container ID "${nameOrId}": container ID is ambiguous`)
      if (ids.length === 1) return this.read(ids[0])
    }
    return undefined
  }

  /** Read-modify-write of a container's state under its lock. */
  async update(id: string, fn: (state: ContainerState, config: ContainerConfig) => ContainerState | void): Promise<ContainerState> {
    return withLock(this.lockFile(id), () => this.updateHeld(id, fn))
  }

  /** Read-modify-write of the state by a caller that already holds the container's lock. */
  updateHeld(id: string, fn: (state: ContainerState, config: ContainerConfig) => ContainerState | void): ContainerState {
    const c = this.read(id)
    if (!c) throw noContainerWithId(id)
    const next = fn(c.state, c.config) ?? c.state
    // Replaces the state create wrote durably; no fsync (state/atomic.ts)
    writeJsonAtomic(path.join(this.containerDir(id), 'state.json'), next, {durable: false})
    return next
  }

  /** Runs fn under the container's lock. */
  async locked<T>(id: string, fn: () => Promise<T> | T): Promise<T> {
    return withLock(this.lockFile(id), fn)
  }

  remove(config: ContainerConfig): void {
    // config.json first: from then on the container does not exist.
    rmSync(path.join(this.containerDir(config.id), 'config.json'), {force: true})
    this.releaseName(config.name, config.id)
    rmSync(this.containerDir(config.id), {recursive: true, force: true})
    // A lock left by a command killed while holding it would outlive the container.
    try {
      if (Date.now() - statSync(`${this.lockFile(config.id)}.lock`).mtimeMs > 10_000) rmSync(`${this.lockFile(config.id)}.lock`, {recursive: true, force: true})
    } catch {
      // no lock (the usual case)
    }
  }
}

/**
 * A document an earlier peapod wrote, in today's shape (container/legacy.ts,
 * loaded only when one is met: it brings the flag parsers with it).
 */
function upgradeLegacy(config: ContainerConfig): ContainerConfig {
  const {upgradeConfig} = requireFrom(import.meta.url)('./legacy.js') as typeof import('./legacy.js')
  return upgradeConfig(config)
}
