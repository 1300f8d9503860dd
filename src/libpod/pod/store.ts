// The pod index: pods/<id>/pod.json, one document per pod written
// atomically, a lock per pod, and names reserved with O_EXCL (as containers').
import {randomBytes} from 'node:crypto'
import {existsSync, mkdirSync, readdirSync, rmSync} from 'node:fs'
import path from 'node:path'
import {InvalidArgument, noSuchPod, PodExists} from '../define/errors.js'
import {readJson, writeJsonAtomic} from '../state/atomic.js'
import {withLock} from '../state/lock.js'
import {NameReservations} from '../state/names.js'
import type {PodConfig} from './types.js'

export class PodStore {
  readonly dir: string
  private readonly names: NameReservations
  private readonly locks: string

  constructor(graphRoot: string) {
    this.dir = path.join(graphRoot, 'pods')
    this.names = new NameReservations(path.join(graphRoot, 'pod-names'), id => existsSync(this.docFile(id)),
      name => new PodExists(`adding pod to state: name "${name}" is in use: pod already exists`))
    this.locks = path.join(graphRoot, 'pod-locks')
  }

  static newId(): string {
    return randomBytes(32).toString('hex')
  }

  private docFile(id: string): string {
    return path.join(this.dir, id, 'pod.json')
  }

  /** Reserves the name; throws PodExists when another pod holds it. */
  reserveName(name: string, id: string): void {
    this.names.reserve(name, id)
  }

  releaseName(name: string, id: string): void {
    this.names.release(name, id)
  }

  write(config: PodConfig): void {
    mkdirSync(path.dirname(this.docFile(config.id)), {recursive: true})
    writeJsonAtomic(this.docFile(config.id), config)
  }

  read(id: string): PodConfig | undefined {
    return readJson<PodConfig>(this.docFile(id))
  }

  list(): PodConfig[] {
    if (!existsSync(this.dir)) return []
    return readdirSync(this.dir).map(id => this.read(id)).filter((p): p is PodConfig => Boolean(p))
  }

  find(nameOrId: string): PodConfig | undefined {
    if (/^[0-9a-f]{64}$/.test(nameOrId)) {
      const p = this.read(nameOrId)
      if (p) return p
    }
    const holder = this.names.holder(nameOrId)
    if (holder) {
      const p = this.read(holder)
      if (p) return p
    }
    if (/^[0-9a-f]+$/.test(nameOrId) && existsSync(this.dir)) {
      const ids = readdirSync(this.dir).filter(id => id.startsWith(nameOrId) && existsSync(this.docFile(id)))
      if (ids.length > 1) throw new InvalidArgument(`more than one result for pod ID "${nameOrId}": pod ID is ambiguous`)
      if (ids.length === 1) return this.read(ids[0])
    }
    return undefined
  }

  lookup(nameOrId: string): PodConfig {
    const p = this.find(nameOrId)
    if (!p) throw noSuchPod(nameOrId)
    return p
  }

  locked<T>(id: string, fn: () => Promise<T> | T): Promise<T> {
    return withLock(path.join(this.locks, id), fn)
  }

  remove(config: PodConfig): void {
    rmSync(this.docFile(config.id), {force: true})
    this.releaseName(config.name, config.id)
    rmSync(path.join(this.dir, config.id), {recursive: true, force: true})
  }
}

