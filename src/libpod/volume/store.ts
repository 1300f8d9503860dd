// The volume index: `<graphRoot>/volumes/<name>/volume.json` next to the
// volume's `_data`. A volume exists once its document does; names are
// reserved under the store lock (so two `run -v new:/x` at once create `new`
// once), documents change under the volume's own lock
// (`<graphRoot>/volume-locks/<name>.lock`, outside the volume's directory so
// that removing the volume never pulls a lock from under a waiter).
// Lock order: store, then container, then volume; never the other way round.
import {volumeEvent} from '../events/log.js'
import {crypto} from '../util/builtins.js'
import {chownSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync} from 'node:fs'
import path from 'node:path'
import {InvalidArgument, NoSuchVolume, noSuchVolume, VolumeExists} from '../define/errors.js'
import {goNow} from '../image/archive/gojson.js'
import {readJson, writeJsonAtomic} from '../state/atomic.js'
import {withLock} from '../state/lock.js'
import type {Store} from '../storage/store.js'
import {pidAlive} from '../util/liveness.js'
import type {VolumeCreateOptions, VolumeDoc} from './types.js'
import {failpoint} from '../util/failpoint.js'

export const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/

export function validateVolumeName(name: string): void {
  if (!VOLUME_NAME.test(name)) throw new InvalidArgument('running volume create option: names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*: invalid argument')
}

/** The driver options of `volume create -o` (and --mount's volume-opt), as Podman keeps them. */
export function parseDriverOptions(list: readonly string[]): {options: Record<string, string>; uid?: number; gid?: number} {
  const options: Record<string, string> = {}
  let uid: number | undefined
  let gid: number | undefined
  const raw: Array<[string, string]> = list.map(o => {
    const eq = o.indexOf('=')
    return eq === -1 ? [o, ''] : [o.slice(0, eq), o.slice(eq + 1)]
  })
  const type = raw.find(([k]) => k.toLowerCase() === 'type')?.[1] ?? ''
  const toId = (what: string, v: string) => {
    if (!/^\d+$/.test(v)) throw new InvalidArgument(`cannot convert ${what} ${v} to integer: invalid argument`)
    return Number(v)
  }
  for (const [key, value] of raw) {
    switch (key.toLowerCase()) {
      case 'type': case 'device':
        options[key.toLowerCase()] = value
        break
      case 'nocopy':
        options.nocopy = value
        break
      case 'o': {
        const kept: string[] = []
        for (const o of value.split(',').filter(Boolean)) {
          const [k, v = ''] = o.split(/=(.*)/s)
          switch (k.toLowerCase()) {
            case 'uid': uid = toId('UID', v); options.UID = v; kept.push(o); break
            case 'gid': gid = toId('GID', v); options.GID = v; kept.push(o); break
            case 'size': case 'inodes':
              // tmpfs takes them as mount options; elsewhere Podman wants project quotas
              if (type !== 'tmpfs') throw new InvalidArgument('volume options size and inodes not supported. Filesystem does not support Project Quota')
              kept.push(o)
              break
            case 'noquota': break
            default: kept.push(o)
          }
        }
        if (kept.length) options.o = kept.join(',')
        break
      }
      default:
        throw new InvalidArgument(`invalid mount option ${key} for driver 'local': invalid argument`)
    }
  }
  return {options, uid, gid}
}

/** Whether a volume is a mount of its own (type/device/o), mounted while a container uses it. */
export function needsMount(doc: VolumeDoc): boolean {
  return Boolean(doc.options.type || doc.options.device || doc.options.o?.split(',').some(o => !/^(uid|gid)=/i.test(o)))
}

/** Podman's volume mount: `mount [-t TYPE | -o bind] [-o O] DEVICE _data` (tmpfs needs no device). */
export function volumeMountArgs(doc: VolumeDoc, data: string): string[] {
  const type = doc.options.type ?? ''
  const device = doc.options.device || (type.toLowerCase() === 'tmpfs' ? 'tmpfs' : '')
  const args: string[] = []
  if (doc.options.o) args.push('-o', doc.options.o)
  if (type === 'bind') args.push('-o', 'bind')
  else if (type) args.push('-t', type)
  return [...args, device, data]
}

export class VolumeStore {
  readonly dir: string
  private readonly locks: string

  constructor(graphRoot: string, private readonly store: Store) {
    this.dir = store.config.volumePath ?? path.join(graphRoot, 'volumes')
    this.locks = path.join(graphRoot, 'volume-locks')
  }

  volumeDir(name: string): string {
    return path.join(this.dir, name)
  }

  /** The volume's content: what containers see. */
  dataDir(name: string): string {
    return path.join(this.dir, name, '_data')
  }

  private docPath(name: string): string {
    return path.join(this.dir, name, 'volume.json')
  }

  exists(name: string): boolean {
    return VOLUME_NAME.test(name) && existsSync(this.docPath(name))
  }

  read(name: string): VolumeDoc | undefined {
    if (!VOLUME_NAME.test(name)) return undefined
    try {
      return readJson<VolumeDoc>(this.docPath(name))
    } catch {
      return undefined // half-removed or unreadable: treated as gone
    }
  }

  list(): VolumeDoc[] {
    if (!existsSync(this.dir)) return []
    const out: VolumeDoc[] = []
    for (const name of readdirSync(this.dir).sort()) {
      const v = this.read(name)
      if (v) out.push(v)
    }
    return out
  }

  /** By full name, else by a unique prefix of one (as Podman looks volumes up). */
  lookup(name: string): VolumeDoc {
    const v = this.find(name)
    if (!v) throw noSuchVolume(name)
    return v
  }

  find(name: string): VolumeDoc | undefined {
    const exact = this.read(name)
    if (exact || name === '') return exact
    const matches = this.list().filter(v => v.name.startsWith(name))
    if (matches.length > 1) throw new InvalidArgument(`more than one result for volume name ${name}: volume already exists`)
    return matches[0]
  }

  static newName(): string {
    return crypto().randomBytes(32).toString('hex')
  }

  /**
   * Creates a volume: the name is reserved under the store lock, the
   * directories made, the document written last (from then on it exists).
   */
  async create(opts: VolumeCreateOptions): Promise<{doc: VolumeDoc; created: boolean}> {
    const name = opts.name || VolumeStore.newName()
    validateVolumeName(name)
    const driver = opts.driver || 'local'
    if (driver !== 'local') throw new InvalidArgument(`volume ${name} uses volume plugin ${driver} but it could not be retrieved: no volume plugin with name ${driver} available: required plugin missing`)
    const {options, uid, gid} = parseDriverOptions(opts.options ?? [])
    return this.store.locked(() => {
      const existing = this.read(name)
      if (existing) {
        if (opts.ignoreExisting) return {doc: existing, created: false}
        throw new VolumeExists(`volume with name ${name} already exists: volume already exists`)
      }
      const doc: VolumeDoc = {
        name,
        driver: 'local',
        createdAt: goNow(),
        labels: opts.labels ?? {},
        options,
        anonymous: Boolean(opts.anonymous),
        ...(uid !== undefined ? {uid} : {}),
        ...(gid !== undefined ? {gid} : {}),
        needsCopyUp: true,
        // a volume with an owner asked for keeps it
        needsChown: uid === undefined && gid === undefined,
        mountedBy: [],
      }
      const dir = this.volumeDir(name)
      // Left over from a crash between mkdir and the document: start afresh.
      rmSync(dir, {recursive: true, force: true})
      mkdirSync(dir, {recursive: true, mode: 0o700})
      mkdirSync(this.dataDir(name), {mode: 0o755})
      // Only _data (what containers see) gets the owner: Podman chowns the
      // volume's own dir too, but then its document (0700 dir of a mapped ID)
      // could not be read by the read-only commands that run outside the
      // user namespace (volume ls/inspect).
      if (uid !== undefined || gid !== undefined) chownSync(this.dataDir(name), uid ?? 0, gid ?? 0)
      failpoint('volume.create.after-dir')
      writeJsonAtomic(this.docPath(name), doc)
      volumeEvent(this.store.config, name, 'create')
      return {doc, created: true}
    })
  }

  /** Runs fn under the volume's lock. */
  async locked<T>(name: string, fn: () => Promise<T> | T): Promise<T> {
    return withLock(path.join(this.locks, name), fn)
  }

  /** Read-modify-write of a volume's document by a caller holding its lock. */
  updateHeld(name: string, fn: (doc: VolumeDoc) => VolumeDoc | void): VolumeDoc {
    const doc = this.read(name)
    if (!doc) throw noSuchVolume(name)
    const next = fn(doc) ?? doc
    writeJsonAtomic(this.docPath(name), next)
    return next
  }

  /** Deletes a volume's document, then its files (caller holds the store and volume locks and checked users). */
  deleteHeld(name: string): void {
    // One rename takes the volume away whole; a crash leaves a .gone- dir that sweepGone() removes.
    const gone = path.join(this.dir, `.gone-${process.pid}-${name}`)
    try {
      renameSync(this.volumeDir(name), gone)
    } catch {
      rmSync(this.docPath(name), {force: true})
    }
    failpoint('volume.rm.after-document')
    rmSync(gone, {recursive: true, force: true})
    rmSync(this.volumeDir(name), {recursive: true, force: true})
  }

  /** Directories of volume removes killed half-way (their process is gone). */
  sweepGone(): string[] {
    if (!existsSync(this.dir)) return []
    const gone = readdirSync(this.dir).filter(f => {
      const m = /^\.gone-(\d+)-/.exec(f)
      return m && !pidAlive(Number(m[1]))
    })
    for (const f of gone) rmSync(path.join(this.dir, f), {recursive: true, force: true})
    return gone
  }
}

export {NoSuchVolume}

