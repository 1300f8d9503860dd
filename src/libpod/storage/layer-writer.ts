// Writes tar entries into a layer directory: files, dirs, links, device
// nodes, whiteouts, ownership, modes, mtimes and xattrs, and tells the
// tar-split writer where each entry's bytes live. Small-file throughput
// matters, so this uses synchronous fs calls (one thread, no thread-pool
// round trips); the tar stream itself is still read asynchronously.
import {
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  futimesSync,
  linkSync,
  lchownSync,
  lstatSync,
  lutimesSync,
  chmodSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  writeSync,
  writevSync,
  type Stats,
} from 'node:fs'
import path from 'node:path'
import {InvalidArchive, StorageError} from '../define/errors.js'
import type {ApplyOptions} from './apply.js'
import {ChrootResolver, cleanEntryPath} from './chroot-resolver.js'
import {IdMapCheck} from './idmap-check.js'
import {makeNodes, makeWhiteouts, setXattrs, validXattrName} from './special-files.js'
import type {TarEntry, TarReader} from './tar-reader.js'
import type {TarSplitWriter} from './tar-split.js'

const WHITEOUT_PREFIX = '.wh.'
const WHITEOUT_META_PREFIX = '.wh..wh.'
const WHITEOUT_OPAQUE = '.wh..wh..opq'
/** File data is written in batches of about this size. */
const WRITE_BATCH = 1 << 20

/** A device node, FIFO or whiteout to create in the final batch. */
interface PendingNode {
  kind: 'char' | 'block' | 'fifo'
  major: number
  minor: number
  /** Permission bits; whiteouts keep mode 0. */
  mode: number
  uid: number
  gid: number
  mtime: number
  whiteout: boolean
}

export class LayerWriter {
  /** The entry being applied, for error messages. */
  current: string | undefined
  private readonly resolver: ChrootResolver
  private readonly idmap = new IdMapCheck()
  /** Real paths written by this layer, and all their ancestors. */
  private readonly touched = new Set<string>()
  /** Real path -> tar-split index of the file entry whose data it holds. */
  private readonly contentAt = new Map<string, number>()
  private readonly pending = new Map<string, PendingNode>()
  private readonly xattrs = new Map<string, Map<string, Buffer>>()
  private readonly opaque = new Set<string>()
  private readonly dirTimes = new Map<string, number>()
  private fd: number | undefined
  private readonly checkedDirs = new Map<string, boolean>()

  /** dest: the layer directory, an absolute path without symlinks. */
  constructor(
    dest: string,
    private readonly opts: ApplyOptions,
    private readonly split: TarSplitWriter,
  ) {
    this.resolver = new ChrootResolver(dest, {
      created: (rel) => this.markTouched(rel),
      occupied: (rel) => this.pending.has(rel),
    })
  }

  async apply(e: TarEntry, r: TarReader): Promise<void> {
    this.current = e.name
    const parts = cleanEntryPath(e.name)
    if (!Number.isSafeInteger(e.uid) || !Number.isSafeInteger(e.gid) || e.uid < 0 || e.gid < 0) {
      throw new InvalidArchive(`invalid tar entry ${JSON.stringify(e.name)}: bad uid/gid ${e.uid}:${e.gid}`)
    }
    const base = parts.length > 0 ? parts[parts.length - 1] : ''
    if (base === WHITEOUT_OPAQUE) {
      this.opaqueDir(parts.slice(0, -1), e)
      return this.inline(e, r)
    }
    if (parts.length > 0 && parts[0].startsWith(WHITEOUT_META_PREFIX)) {
      return this.inline(e, r) // AUFS metadata (.wh..wh.plnk etc.): not part of the filesystem
    }
    if (base.startsWith(WHITEOUT_PREFIX)) {
      this.whiteout(parts.slice(0, -1), base.slice(WHITEOUT_PREFIX.length), e)
      return this.inline(e, r)
    }
    switch (e.type) {
      case 'file':
        return this.file(parts, e, r)
      case 'dir':
        this.dir(parts, e)
        return this.inline(e, r)
      case 'symlink':
        this.symlink(parts, e)
        return this.inline(e, r)
      case 'link':
        this.hardlink(parts, e)
        return this.inline(e, r)
      case 'char':
      case 'block':
      case 'fifo':
        this.node(parts, e)
        return this.inline(e, r)
      default:
        return this.inline(e, r) // e.g. a GNU volume label
    }
  }

  /** Creates the batched nodes, sets xattrs, then directory mtimes (last: creating children changes them). */
  async finish(): Promise<void> {
    const nodes = [...this.pending].map(([rel, n]) => ({...n, path: this.safeAbs(rel)}))
    this.pending.clear()
    const devices = nodes.filter((n) => !n.whiteout)
    await makeNodes(devices)
    for (const n of devices) {
      lchownSync(n.path, n.uid, n.gid)
      chmodSync(n.path, n.mode) // after chown, which clears setuid/setgid
      lutimesSync(n.path, n.mtime, n.mtime)
    }
    await makeWhiteouts(nodes.filter((n) => n.whiteout))

    const attrs = new Map<string, Map<string, Buffer>>()
    for (const [rel, kv] of this.xattrs) {
      const abs = this.safeAbs(rel)
      if (lstatSync(abs, {throwIfNoEntry: false})) attrs.set(abs, kv)
    }
    await setXattrs(attrs, true)
    const opq = new Map<string, Map<string, Buffer>>()
    for (const rel of this.opaque) {
      const abs = this.safeAbs(rel)
      if (lstatSync(abs, {throwIfNoEntry: false})?.isDirectory()) opq.set(abs, new Map([[this.opts.opaqueXattr, Buffer.from('y')]]))
    }
    await setXattrs(opq, false)

    for (const [rel, mtime] of this.dirTimes) {
      const abs = this.safeAbs(rel)
      if (lstatSync(abs, {throwIfNoEntry: false})?.isDirectory()) utimesSync(abs, mtime, mtime)
    }
  }

  /** Releases the file being written when applying failed. */
  abort(): void {
    if (this.fd !== undefined) {
      closeSync(this.fd)
      this.fd = undefined
    }
  }

  // --- entry types -------------------------------------------------------

  private async file(parts: string[], e: TarEntry, r: TarReader): Promise<void> {
    const rel = this.target(parts, e)
    this.idmap.check(e.uid, e.gid, `/${parts.join('/')}`)
    this.claim(rel)
    const abs = this.resolver.abs(rel)
    const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW
    this.fd = this.exclusive(rel, () => openSync(abs, flags, 0o600))
    const fd = this.fd
    let batch: Buffer[] = []
    let batchLen = 0
    await r.readData((b) => {
      batch.push(b)
      batchLen += b.length
      if (batchLen >= WRITE_BATCH) {
        writeAll(fd, batch)
        batch = []
        batchLen = 0
      }
    })
    writeAll(fd, batch)
    fchownSync(fd, e.uid, e.gid)
    fchmodSync(fd, e.mode) // after chown, which clears setuid/setgid
    futimesSync(fd, e.mtime, e.mtime)
    this.fd = undefined
    closeSync(fd)
    const index = this.split.fileEntry(e.raw, rel, e.size, await r.readPadding())
    this.contentAt.set(rel, index)
    this.markTouched(rel)
    this.addXattrs(rel, e)
  }

  private dir(parts: string[], e: TarEntry): void {
    const rel = parts.length === 0 ? '' : this.target(parts, e)
    this.idmap.check(e.uid, e.gid, `/${parts.join('/')}`)
    const abs = this.resolver.abs(rel)
    const st = lstatSync(abs, {throwIfNoEntry: false})
    if (!st?.isDirectory()) {
      // An existing directory is kept (only its metadata changes); anything else is replaced.
      this.claim(rel)
      if (st) this.remove(rel, st)
      mkdirSync(abs, 0o700)
    }
    lchownSync(abs, e.uid, e.gid)
    chmodSync(abs, e.mode)
    this.dirTimes.set(rel, e.mtime)
    this.markTouched(rel)
    this.addXattrs(rel, e)
  }

  private symlink(parts: string[], e: TarEntry): void {
    const rel = this.target(parts, e)
    this.idmap.check(e.uid, e.gid, `/${parts.join('/')}`)
    this.claim(rel)
    const abs = this.resolver.abs(rel)
    this.exclusive(rel, () => symlinkSync(e.linkname, abs)) // the target is stored, never followed
    lchownSync(abs, e.uid, e.gid)
    lutimesSync(abs, e.mtime, e.mtime)
    this.markTouched(rel)
    this.addXattrs(rel, e)
  }

  private hardlink(parts: string[], e: TarEntry): void {
    let targetParts: string[]
    try {
      targetParts = cleanEntryPath(e.linkname)
    } catch {
      throw new InvalidArchive(`invalid hardlink ${JSON.stringify(e.name)}: target ${JSON.stringify(e.linkname)} is outside the layer`)
    }
    const targetRel = targetParts.length === 0 ? undefined : this.resolver.resolve(targetParts, e.name, false)
    const targetSt = targetRel === undefined ? undefined : lstatSync(this.resolver.abs(targetRel), {throwIfNoEntry: false})
    const targetNode = targetRel === undefined ? undefined : this.pending.get(targetRel)
    if (!targetSt && !targetNode) {
      throw new InvalidArchive(`invalid hardlink ${JSON.stringify(e.name)}: target ${JSON.stringify(e.linkname)} does not exist`)
    }
    if (targetSt?.isDirectory()) {
      throw new InvalidArchive(`invalid hardlink ${JSON.stringify(e.name)}: target ${JSON.stringify(e.linkname)} is a directory`)
    }
    const rel = this.target(parts, e)
    if (rel === targetRel) return
    this.claim(rel)
    if (targetNode) {
      // The target is a node still to be created: make an identical one (not a true hard link).
      const st = lstatSync(this.resolver.abs(rel), {throwIfNoEntry: false})
      if (st) this.remove(rel, st)
      this.pending.set(rel, {...targetNode})
    } else {
      const target = this.resolver.abs(targetRel as string)
      this.exclusive(rel, () => linkSync(target, this.resolver.abs(rel)))
    }
    // Ownership, mode and times belong to the shared inode: left as the target has them.
    this.markTouched(rel)
    this.addXattrs(rel, e)
  }

  private node(parts: string[], e: TarEntry): void {
    const rel = this.target(parts, e)
    this.claim(rel)
    const st = lstatSync(this.resolver.abs(rel), {throwIfNoEntry: false})
    if (st) this.remove(rel, st)
    // A user namespace cannot create devices; containers/storage skips them silently.
    if (this.opts.rootless && e.type !== 'fifo') return
    this.idmap.check(e.uid, e.gid, `/${parts.join('/')}`)
    this.pending.set(rel, {
      kind: e.type as PendingNode['kind'],
      major: e.devmajor,
      minor: e.devminor,
      mode: e.mode,
      uid: e.uid,
      gid: e.gid,
      mtime: e.mtime,
      whiteout: false,
    })
    this.markTouched(rel)
    this.addXattrs(rel, e)
  }

  // --- whiteouts ---------------------------------------------------------

  /**
   * `.wh.NAME` hides NAME of the parent layers. Entries of this same layer are
   * not hidden (OCI image spec), so a NAME this layer wrote is left alone.
   */
  private whiteout(dirParts: string[], name: string, e: TarEntry): void {
    if (name === '' || name === '.' || name === '..') throw new InvalidArchive(`invalid whiteout ${JSON.stringify(e.name)}`)
    const overlay = this.opts.mode === 'overlay'
    const dir = this.resolver.resolveDir(dirParts, e.name, overlay)
    if (dir === undefined) return // vfs: nothing there to delete
    const rel = dir === '' ? name : `${dir}/${name}`
    if (this.touched.has(rel)) return
    const st = lstatSync(this.resolver.abs(rel), {throwIfNoEntry: false})
    if (st) this.remove(rel, st)
    if (!overlay) return
    this.idmap.check(e.uid, e.gid, `/${[...dirParts, name].join('/')}`)
    this.pending.set(rel, {kind: 'char', major: 0, minor: 0, mode: 0, uid: e.uid, gid: e.gid, mtime: 0, whiteout: true})
    this.markTouched(rel)
  }

  /** `.wh..wh..opq`: overlay marks the dir opaque; vfs removes what the parent layers put in it. */
  private opaqueDir(dirParts: string[], e: TarEntry): void {
    if (this.opts.mode === 'overlay') {
      const dir = this.resolver.resolveDir(dirParts, e.name, true) as string
      this.opaque.add(dir)
      this.markTouched(dir)
      return
    }
    const dir = this.resolver.resolveDir(dirParts, e.name, false)
    if (dir !== undefined) this.emptyOfParent(dir)
  }

  private emptyOfParent(dir: string): void {
    for (const name of readdirSync(this.resolver.abs(dir))) {
      const rel = dir === '' ? name : `${dir}/${name}`
      const st = lstatSync(this.resolver.abs(rel))
      if (!this.touched.has(rel)) this.remove(rel, st)
      else if (st.isDirectory()) this.emptyOfParent(rel)
    }
  }

  // --- helpers -----------------------------------------------------------

  /** Real path for an entry (parents resolved chroot-style and created as needed); the final component is not followed. */
  private target(parts: string[], e: TarEntry): string {
    if (parts.length === 0) throw new InvalidArchive(`invalid tar entry ${JSON.stringify(e.name)}: not a directory but names the layer root`)
    return this.resolver.resolve(parts, e.name, true) as string
  }

  /**
   * Absolute path for deferred work (nodes, xattrs, dir times), checked to
   * have no symlink in its parents. The bookkeeping in remove() already
   * guarantees it; this keeps a slip from ever touching the host.
   */
  private safeAbs(rel: string): string {
    const abs = this.resolver.abs(rel)
    if (rel === '') return abs
    const parent = path.dirname(abs)
    let ok = this.checkedDirs.get(parent)
    if (ok === undefined) {
      ok = realpathSync.native(parent) === parent
      this.checkedDirs.set(parent, ok)
    }
    if (!ok) throw new StorageError(`internal error: /${rel} is no longer inside the layer`)
    return abs
  }

  /** Forgets a not-yet-created node at rel, which the current entry replaces. */
  private claim(rel: string): void {
    if (this.pending.delete(rel)) this.xattrs.delete(rel)
  }

  /** Runs create(); if something already exists there, removes it and retries once. */
  private exclusive<T>(rel: string, create: () => T): T {
    try {
      return create()
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
    this.remove(rel, lstatSync(this.resolver.abs(rel)))
    return create()
  }

  /**
   * Removes rel (recursively). File data that this layer's tar-split still
   * points to is saved into the tar-split first, so re-export stays exact.
   */
  private remove(rel: string, st: Stats): void {
    const abs = this.resolver.abs(rel)
    if (st.isDirectory()) {
      if (this.touched.has(rel)) {
        // Forget deferred work below rel: a later entry may put a symlink at rel.
        const prefix = `${rel}/`
        for (const file of this.contentAt.keys()) if (file.startsWith(prefix)) this.saveContent(file)
        for (const m of [this.pending, this.xattrs, this.dirTimes]) {
          for (const k of m.keys()) if (k.startsWith(prefix)) m.delete(k)
        }
        for (const k of this.opaque) if (k.startsWith(prefix)) this.opaque.delete(k)
      }
      rmSync(abs, {recursive: true, force: true})
    } else {
      if (this.contentAt.has(rel)) this.saveContent(rel)
      unlinkSync(abs)
    }
    this.xattrs.delete(rel)
    this.dirTimes.delete(rel)
    this.opaque.delete(rel)
    this.resolver.invalidate()
  }

  private saveContent(rel: string): void {
    const index = this.contentAt.get(rel) as number
    this.split.override(index, readFileSync(this.resolver.abs(rel)))
    this.contentAt.delete(rel)
  }

  /** Records an entry whose bytes are not in a file of the layer dir: its data (rarely any) goes into the tar-split. */
  private async inline(e: TarEntry, r: TarReader): Promise<void> {
    const data = e.size > 0 ? await r.readDataBuffer() : Buffer.alloc(0)
    this.split.inlineEntry(e.raw, data, await r.readPadding())
  }

  private markTouched(rel: string): void {
    let p = rel
    while (p !== '' && !this.touched.has(p)) {
      this.touched.add(p)
      const slash = p.lastIndexOf('/')
      p = slash < 0 ? '' : p.slice(0, slash)
    }
  }

  private addXattrs(rel: string, e: TarEntry): void {
    if (e.xattrs.size === 0) return
    let kv = this.xattrs.get(rel)
    for (const [name, value] of e.xattrs) {
      if (!validXattrName(name)) throw new InvalidArchive(`invalid tar entry ${JSON.stringify(e.name)}: bad xattr name ${JSON.stringify(name)}`)
      // overlay's own attributes would change what the mount shows: never taken from a layer.
      if (this.opts.mode === 'overlay' && (name.startsWith('trusted.overlay.') || name.startsWith('user.overlay.'))) continue
      if (!kv) this.xattrs.set(rel, (kv = new Map()))
      kv.set(name, value)
    }
  }
}

/** Writes all of bufs at the file's current offset (writev, retrying short writes). */
function writeAll(fd: number, bufs: Buffer[]): void {
  let i = 0
  let off = 0
  while (i < bufs.length) {
    if (bufs[i].length === off) {
      i += 1
      off = 0
      continue
    }
    let n: number
    if (i === bufs.length - 1) n = writeSync(fd, bufs[i], off)
    else n = writevSync(fd, off === 0 ? bufs.slice(i) : [bufs[i].subarray(off), ...bufs.slice(i + 1)])
    while (n > 0) {
      const rem = bufs[i].length - off
      if (n >= rem) {
        n -= rem
        i += 1
        off = 0
      } else {
        off += n
        n = 0
      }
    }
  }
}
