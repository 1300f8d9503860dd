// The pod index: pods/<id>/pod.json, one document per pod written
// atomically, a lock per pod, and names reserved with O_EXCL (as containers').
import {crypto} from '../util/builtins.js'
import {existsSync, mkdirSync, readdirSync, renameSync, rmSync} from 'node:fs'
import path from 'node:path'
import {InvalidArgument, noSuchPod, PodExists} from '../define/errors.js'
import {readJson, writeJsonAtomic} from '../state/atomic.js'
import {withLock} from '../state/lock.js'
import {NameReservations} from '../state/names.js'
import {pidAlive} from '../util/liveness.js'
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
    return crypto().randomBytes(32).toString('hex')
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

  /** Name reservations nobody holds any more (their pod create was killed); sweep releases them. */
  danglingNames(sweep = false): string[] {
    return sweep ? this.names.sweep() : this.names.dangling()
  }

  /** Directories of pod creates and removes killed half-way (their process is gone). */
  orphanDirs(): string[] {
    if (!existsSync(this.dir)) return []
    return readdirSync(this.dir).filter(f => {
      const m = /^\.(?:new|gone)-(\d+)-/.exec(f)
      return m ? !pidAlive(Number(m[1])) : !existsSync(this.docFile(f))
    })
  }

  /** Removes what orphanDirs finds. */
  sweepDirs(): string[] {
    const gone = this.orphanDirs()
    for (const f of gone) rmSync(path.join(this.dir, f), {recursive: true, force: true})
    return gone
  }

  /**
   * Writes a new pod's directory whole: built under a temporary name and
   * renamed into place, so a crash never leaves a pod directory without its
   * document (the temporary one is swept once its process is gone).
   */
  write(config: PodConfig): void {
    // An existing pod's document is rewritten in place (atomically).
    if (existsSync(path.join(this.dir, config.id))) return writeJsonAtomic(this.docFile(config.id), config)
    const tmp = path.join(this.dir, `.new-${process.pid}-${config.id}`)
    mkdirSync(tmp, {recursive: true})
    writeJsonAtomic(path.join(tmp, 'pod.json'), config)
    renameSync(tmp, path.join(this.dir, config.id))
  }

  read(id: string): PodConfig | undefined {
    return readJson<PodConfig>(this.docFile(id))
  }

  list(): PodConfig[] {
    if (!existsSync(this.dir)) return []
    return readdirSync(this.dir).filter(f => !f.startsWith('.')).map(id => this.read(id)).filter((p): p is PodConfig => Boolean(p))
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

  /** The directory goes in one rename (the pod is gone from then on), then its name, then the files. */
  remove(config: PodConfig): void {
    const gone = path.join(this.dir, `.gone-${process.pid}-${config.id}`)
    try {
      renameSync(path.join(this.dir, config.id), gone)
    } catch {
      rmSync(this.docFile(config.id), {force: true})
    }
    this.releaseName(config.name, config.id)
    rmSync(gone, {recursive: true, force: true})
  }
}

