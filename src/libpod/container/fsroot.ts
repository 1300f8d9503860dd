// A directory tree used as "/" (a container's rootfs, or the host directory
// `cp` writes into), walked and written with every path resolved inside it.
//
// Each directory is opened component by component, O_NOFOLLOW, below the
// descriptor of its parent (through /proc/PID/fd/N/NAME, Node having no
// openat), and symlinks are followed by hand, chroot-style: `x -> /` and
// `x -> ../../..` both mean the root. A process in a running container that
// swaps a directory for a symlink while we work makes the open fail; it can
// never send us outside the root, since nothing is ever looked up by a path
// that could cross one of its symlinks.
import {
  chownSync, chmodSync, closeSync, constants, copyFileSync, fchmodSync, fchownSync, fstatSync, futimesSync,
  linkSync, lchownSync, lstatSync, lutimesSync, mkdirSync, openSync, readdirSync, readlinkSync, readSync,
  rmSync, symlinkSync, unlinkSync, utimesSync, writeSync, writevSync, type Stats,
} from 'node:fs'
import path from 'node:path'
import {FsError} from '../define/errors.js'
import {walkInRoot} from '../util/safepath.js'
import {makeNodes} from '../storage/special-files.js'
import type {TarEntry as InEntry, TarReader} from '../storage/tar-reader.js'
import type {FsEntryType, TarHeaderFields} from '../util/tar-writer.js'

/** O_PATH (Linux): a descriptor that names a file without opening it for I/O. */
const O_PATH = 0o10000000
const DIR_FLAGS = O_PATH | constants.O_DIRECTORY | constants.O_NOFOLLOW
const MAX_HOPS = 40
/** Our own descriptors as paths; usable by our children (mknod) too. */
const PROC_FD = `/proc/${process.pid}/fd`

export function fdPath(fd: number, name?: string): string {
  return name === undefined ? `${PROC_FD}/${fd}` : `${PROC_FD}/${fd}/${name}`
}

/** A path's components with `..` clamped at the top (Go: filepath.Clean("/" + p)). */
export function cleanParts(p: string): string[] {
  const out: string[] = []
  for (const c of p.split('/')) {
    if (c === '' || c === '.') continue
    if (c === '..') out.pop()
    else out.push(c)
  }
  return out
}

function errno(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException)?.code
}

/** strerror-like text for an errno code, as Go prints it. */
export function reason(code: string | undefined): string {
  switch (code) {
    case 'ENOENT': return 'no such file or directory'
    case 'EEXIST': return 'file exists'
    case 'ENOTDIR': return 'not a directory'
    case 'EISDIR': return 'is a directory'
    case 'ELOOP': return 'too many levels of symbolic links'
    case 'EACCES': return 'permission denied'
    case 'EPERM': return 'operation not permitted'
    case 'ENOSPC': return 'no space left on device'
    case 'EXDEV': return 'invalid cross-device link'
    default: return code ?? 'unknown error'
  }
}

export interface RootMount {
  /** Path inside the root. */
  destination: string
  /** Host directory seen there. */
  source: string
}

export interface Resolved {
  /** Real path below the root ('' = the root), without symlinks. */
  rel: string
  exists: boolean
  /** lstat of what is there (a symlink only when the last component was not followed). */
  st?: Stats
  /** A directory on the way was missing (not only the last component). */
  missingParent?: boolean
}

export class FsRoot {
  readonly fd: number
  private readonly dirs = new Map<string, number>()
  private readonly mounts: Map<string, string>

  /** `root` is trusted (ours); `mounts` are bind mounts to honour (a stopped container's volumes). */
  constructor(readonly root: string, mounts: RootMount[] = []) {
    try {
      this.fd = openSync(root, O_PATH | constants.O_DIRECTORY)
    } catch (e) {
      throw new FsError(`opening ${root}: ${reason(errno(e))}`, errno(e))
    }
    this.dirs.set('', this.fd)
    this.mounts = new Map(mounts.map(m => [cleanParts(m.destination).join('/'), m.source]))
  }

  close(): void {
    for (const fd of this.dirs.values()) closeSync(fd)
    this.dirs.clear()
  }

  /** Closes cached directory descriptors (call between entries, never while one is in use). */
  trim(): void {
    if (this.dirs.size < 256) return
    for (const [rel, fd] of this.dirs) if (rel !== '') {
      closeSync(fd)
      this.dirs.delete(rel)
    }
  }

  /** Forgets descriptors of rel and below (it was removed or replaced). */
  forget(rel: string): void {
    for (const [k, fd] of this.dirs) {
      if (k !== '' && (k === rel || k.startsWith(rel + '/'))) {
        closeSync(fd)
        this.dirs.delete(k)
      }
    }
  }

  isMountPoint(rel: string): boolean {
    return this.mounts.has(rel)
  }

  /** Descriptor (O_PATH) of the real directory rel, each component opened without following symlinks. */
  dirFd(rel: string): number {
    const hit = this.dirs.get(rel)
    if (hit !== undefined) return hit
    const slash = rel.lastIndexOf('/')
    const parent = slash < 0 ? '' : rel.slice(0, slash)
    const base = rel.slice(slash + 1)
    const source = this.mounts.get(rel)
    let fd: number
    try {
      fd = source !== undefined ? openSync(source, O_PATH | constants.O_DIRECTORY) : openSync(fdPath(this.dirFd(parent), base), DIR_FLAGS)
    } catch (e) {
      if (e instanceof FsError) throw e
      // ELOOP/ENOTDIR: it changed into a symlink or a file since it was resolved
      throw new FsError(`opening /${rel}: ${reason(errno(e))}`, errno(e))
    }
    this.dirs.set(rel, fd)
    return fd
  }

  /** Path (through our descriptors) of name in the real directory rel. */
  at(rel: string, name: string): string {
    return fdPath(this.dirFd(rel), name)
  }

  lstat(rel: string): Stats | undefined {
    // (an lstat of /proc/PID/fd/N would describe the magic link itself)
    if (rel === '' || this.mounts.has(rel)) return fstatSync(this.dirFd(rel))
    const {parent, base} = split(rel)
    return lstatSync(this.at(parent, base), {throwIfNoEntry: false})
  }

  /**
   * Resolves `p` (components, or a path) chroot-style. Missing directories
   * on the way are created (0755) when `create`; the last component is
   * followed when it is a symlink only with `followLast`.
   */
  resolve(p: string | string[], opts: {followLast: boolean; create?: boolean; created?: (rel: string) => void}): Resolved {
    const r = walkInRoot<Stats>({
      lstat: (parent, name) => lstatSync(this.at(parent, name), {throwIfNoEntry: false}),
      readlink: (parent, name) => readlinkSync(this.at(parent, name)),
      missing: (parent, name, rel, last) => {
        if (last || !opts.create) return 'stop'
        try {
          mkdirSync(this.at(parent, name), 0o755)
          chmodSync(fdPath(this.dirFd(rel)), 0o755)
        } catch (e) {
          throw new FsError(`creating /${rel}: ${reason(errno(e))}`, errno(e))
        }
        opts.created?.(rel)
        return 'create'
      },
      maxHops: MAX_HOPS,
      tooManyLinks: rel => new FsError(`/${rel}: too many levels of symbolic links`, 'ELOOP'),
      notADirectory: rel => new FsError(`/${rel}: not a directory`, 'ENOTDIR'),
      opaque: rel => this.mounts.has(rel),
    }, p, {followLast: opts.followLast, allDirs: opts.create}) // with create, every component is a directory to have
    const rel = r.parts.join('/')
    if (!r.exists) return r.missingParent ? {rel, exists: false, missingParent: true} : {rel, exists: false}
    return {rel, exists: true, st: r.st ?? this.lstat(rel)}
  }
}

export function split(rel: string): {parent: string; base: string} {
  const slash = rel.lastIndexOf('/')
  return {parent: slash < 0 ? '' : rel.slice(0, slash), base: rel.slice(slash + 1)}
}

// --- reading a tree ------------------------------------------------------

export interface FsEntry extends TarHeaderFields {
  /** Opens a file's content (O_RDONLY); valid until the walk moves on. */
  open?: () => number
}

export function entryType(st: Stats): FsEntryType | undefined {
  if (st.isFile()) return 'file'
  if (st.isDirectory()) return 'dir'
  if (st.isSymbolicLink()) return 'symlink'
  if (st.isCharacterDevice()) return 'char'
  if (st.isBlockDevice()) return 'block'
  if (st.isFIFO()) return 'fifo'
  return undefined // sockets are not archived
}

function major(rdev: number): number {
  return ((rdev >> 8) & 0xfff) | (Math.floor(rdev / 2 ** 32) & ~0xfff)
}

function minor(rdev: number): number {
  return (rdev & 0xff) | ((rdev >> 12) & 0xfff00)
}

export function devNumbers(st: Stats): {devmajor: number; devminor: number} {
  return {devmajor: major(st.rdev), devminor: minor(st.rdev)}
}

export interface WalkOptions {
  /** Skips an entry (and what is below it) by its real path in the root. */
  skip?: (rel: string) => boolean
  /** Extended attributes to record, by real path. */
  xattrs?: Map<string, Map<string, Buffer>>
  /** Rewrites an entry (overlay whiteouts); return [] to drop it, undefined to keep it as is. */
  convert?: (e: FsEntry, st: Stats, rel: string, at: string) => FsEntry[] | undefined
}

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b))
}

/**
 * The entries of the tree at real path rel, named `name/...` (or, with
 * name '', only what is inside rel, unprefixed), in lexical order like Go's
 * filepath.Walk. Hard links become 'link' entries to the first name seen.
 */
export async function* walkTree(root: FsRoot, rel: string, name: string, opts: WalkOptions = {}): AsyncGenerator<FsEntry> {
  const links = new Map<string, string>()
  let last = Date.now()
  async function* visit(pfd: number, base: string, rel: string, name: string): AsyncGenerator<FsEntry> {
    if (Date.now() - last > 50) {
      // lets lock refreshes and stream writes run during long walks
      await new Promise(r => setImmediate(r))
      last = Date.now()
    }
    if (opts.skip?.(rel)) return
    const mountSource = root.isMountPoint(rel) ? true : false
    const whole = base === '' || mountSource
    const at = whole ? fdPath(root.dirFd(rel)) : fdPath(pfd, base)
    let st: Stats | undefined
    try {
      st = whole ? fstatSync(root.dirFd(rel)) : lstatSync(at, {throwIfNoEntry: false})
    } catch (e) {
      throw new FsError(`reading /${rel}: ${reason(errno(e))}`, errno(e))
    }
    if (!st) return // removed meanwhile
    const type = entryType(st)
    if (!type) return
    const isDir = type === 'dir'
    if (name !== '') {
      let e: FsEntry = {
        name: isDir ? `${name}/` : name,
        type,
        mode: st.mode & 0o7777,
        uid: st.uid,
        gid: st.gid,
        mtime: Math.floor(st.mtimeMs / 1000),
        size: type === 'file' ? st.size : 0,
        ...(type === 'char' || type === 'block' ? devNumbers(st) : {}),
      }
      if (type === 'symlink') e.linkname = readlinkSync(at)
      const kv = opts.xattrs?.get(rel)
      if (kv?.size) e.xattrs = kv
      // (overlay whiteouts share one inode: they are no hard links of the tree's files)
      if ((type === 'file' || type === 'symlink') && st.nlink > 1) {
        const key = `${st.dev}:${st.ino}`
        const first = links.get(key)
        if (first !== undefined) e = {...e, type: 'link', linkname: first, size: 0}
        else links.set(key, name)
      }
      if (e.type === 'file') e.open = () => openSync(at, constants.O_RDONLY | constants.O_NOFOLLOW)
      const converted = opts.convert?.(e, st, rel, at)
      if (converted) {
        for (const c of converted) yield c
        if (converted.length === 0 || !isDir) return
      } else {
        yield e
      }
    }
    if (!isDir) return
    let dfd: number
    let own = false
    if (base === '' || mountSource) dfd = root.dirFd(rel)
    else {
      try {
        dfd = openSync(at, DIR_FLAGS)
        own = true
      } catch (e) {
        throw new FsError(`opening /${rel}: ${reason(errno(e))}`, errno(e))
      }
    }
    try {
      const children = readdirSync(fdPath(dfd)).sort(byteOrder)
      for (const child of children) {
        yield* visit(dfd, child, rel === '' ? child : `${rel}/${child}`, name === '' ? child : `${name.replace(/\/$/, '')}/${child}`)
      }
    } finally {
      if (own) closeSync(dfd)
    }
  }
  if (rel === '') {
    yield* visit(root.fd, '', '', name)
    return
  }
  const {parent, base} = split(rel)
  yield* visit(root.dirFd(parent), base, rel, name)
}

/** Reads a file's content in chunks of at most 1 MiB, exactly `size` bytes (zero-padded if it shrank). */
export function* readChunks(fd: number, size: number): Generator<Buffer> {
  let left = size
  let pos = 0
  while (left > 0) {
    const buf = Buffer.allocUnsafe(Math.min(left, 1 << 20))
    const n = readSync(fd, buf, 0, buf.length, pos)
    if (n === 0) {
      yield Buffer.alloc(left)
      return
    }
    pos += n
    left -= n
    yield n === buf.length ? buf : buf.subarray(0, n)
  }
}

// --- writing into a tree -------------------------------------------------

/** A file that could not be written whole (a full disk) is not left half-written. */
function dropPartial(at: string): void {
  try {
    unlinkSync(at)
  } catch {
    // gone already
  }
}

export interface SinkOptions {
  /** Owner for everything written; undefined keeps each entry's. */
  chown?: {uid: number; gid: number}
  /** Replace a directory by a non-directory and the other way round. */
  overwrite: boolean
  /** Renames the first component of every entry (Podman's copier Rename). */
  rename?: {from: string; to: string}
  /** Skip block and character devices (copies to the host, rootless). */
  ignoreDevices: boolean
  /** How paths are shown in errors: a container path or a host one. */
  display: (rel: string) => string
}

export type EntryContent = {fd: number} | {reader: TarReader} | undefined

/**
 * Writes entries below a directory of a root: names are cleaned (`..`
 * cannot climb above the target directory), their directories resolved
 * chroot-style within the root, and the last component is never followed.
 */
export class TreeSink {
  private readonly dirTimes = new Map<string, number>()
  private readonly target: string[]
  private readonly euid = process.geteuid?.() ?? 0
  private readonly egid = process.getegid?.() ?? 0
  private last = Date.now()

  constructor(private readonly root: FsRoot, targetRel: string, private readonly opts: SinkOptions) {
    this.target = targetRel === '' ? [] : targetRel.split('/')
  }

  private nameParts(name: string): string[] {
    const parts = cleanParts(name)
    const r = this.opts.rename
    if (r && parts.length > 0 && parts[0] === r.from) parts[0] = r.to
    return parts
  }

  private fail(rel: string, op: string, e: unknown): never {
    if (e instanceof FsError) throw e
    const d = this.opts.display(rel)
    throw new FsError(`copier: put: error creating ${JSON.stringify(d)}: ${op} ${d}: ${reason(errno(e))}`, errno(e))
  }

  async put(e: InEntry | FsEntry, content: EntryContent): Promise<void> {
    if (Date.now() - this.last > 50) {
      await new Promise(r => setImmediate(r))
      this.last = Date.now()
    }
    this.root.trim()
    const parts = this.nameParts(e.name)
    if (parts.length === 0) return // the archive's root: the target itself is left as it is
    const base = parts[parts.length - 1]
    const dir = this.root.resolve([...this.target, ...parts.slice(0, -1)], {followLast: true, create: true, created: rel => this.dirTimes.delete(rel)})
    if (!dir.exists || (dir.st && !dir.st.isDirectory())) this.fail(dir.rel, 'mkdir', {code: 'ENOTDIR'})
    const rel = dir.rel === '' ? base : `${dir.rel}/${base}`
    const at = this.root.at(dir.rel, base)
    const type = e.type as string
    const existing = lstatSync(at, {throwIfNoEntry: false})
    if (type === 'dir') {
      if (existing && !existing.isDirectory()) {
        if (!this.opts.overwrite) this.fail(rel, 'mkdir', {code: 'EEXIST'})
        this.remove(rel, at, existing)
      }
      if (!existing || !existing.isDirectory()) {
        try {
          mkdirSync(at, 0o700)
        } catch (err) {
          this.fail(rel, 'mkdir', err)
        }
      }
      const fd = this.root.dirFd(rel)
      this.owner(fdPath(fd), e, false, !existing?.isDirectory())
      chmodSync(fdPath(fd), e.mode & 0o7777)
      this.dirTimes.set(rel, e.mtime)
      return
    }
    if (existing) {
      if (existing.isDirectory()) {
        if (!this.opts.overwrite) this.fail(rel, type === 'file' ? 'open' : 'create', {code: 'EISDIR'})
      }
      this.remove(rel, at, existing)
    }
    switch (type) {
      case 'file':
        return this.file(rel, at, e, content)
      case 'symlink':
        try {
          symlinkSync(e.linkname ?? "", at)
        } catch (err) {
          this.fail(rel, 'symlink', err)
        }
        this.owner(at, e, true, true)
        lutimesSync(at, e.mtime, e.mtime)
        return
      case 'link': {
        const tparts = this.nameParts(e.linkname ?? "")
        const t = this.root.resolve([...this.target, ...tparts], {followLast: false})
        if (!t.exists || t.st?.isDirectory()) this.fail(rel, 'link', {code: t.exists ? 'EISDIR' : 'ENOENT'})
        const {parent, base: tbase} = split(t.rel)
        try {
          linkSync(this.root.at(parent, tbase), at)
        } catch (err) {
          this.fail(rel, 'link', err)
        }
        return
      }
      case 'char':
      case 'block':
      case 'fifo': {
        if (type !== 'fifo' && this.opts.ignoreDevices) return
        try {
          await makeNodes([{path: at, kind: type, major: e.devmajor ?? 0, minor: e.devminor ?? 0}])
        } catch (err) {
          if (type !== 'fifo') return // not permitted here (a user namespace): skipped like containers/storage
          this.fail(rel, 'mkfifo', err)
        }
        const fd = openSync(at, O_PATH | constants.O_NOFOLLOW)
        try {
          this.owner(fdPath(fd), e, false, true)
          chmodSync(fdPath(fd), e.mode & 0o7777)
          utimesSync(fdPath(fd), e.mtime, e.mtime)
        } finally {
          closeSync(fd)
        }
        return
      }
      default:
        return
    }
  }

  private file(rel: string, at: string, e: InEntry | FsEntry, content: EntryContent): void | Promise<void> {
    let fd: number
    try {
      fd = openSync(at, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600)
    } catch (err) {
      this.fail(rel, 'open', err)
    }
    const done = () => {
      this.owner(undefined, e, false, true, fd)
      fchmodSync(fd, e.mode & 0o7777)
      futimesSync(fd, e.mtime, e.mtime)
      closeSync(fd)
    }
    try {
      if (content && 'fd' in content) {
        // copy_file_range (or a reflink) through both descriptors
        copyFileSync(fdPath(content.fd), fdPath(fd), constants.COPYFILE_FICLONE)
      } else if (content && 'reader' in content) {
        const reader = content.reader
        return (async () => {
          try {
            let batch: Buffer[] = []
            let len = 0
            await reader.readData(b => {
              batch.push(Buffer.from(b))
              len += b.length
              if (len >= 1 << 20) {
                writeAll(fd, batch)
                batch = []
                len = 0
              }
            })
            writeAll(fd, batch)
            done()
          } catch (err) {
            closeSync(fd)
            dropPartial(at)
            throw err
          }
        })()
      }
      done()
    } catch (err) {
      try {
        closeSync(fd)
      } catch {
        // already closed by done()
      }
      dropPartial(at)
      this.fail(rel, 'write', err)
    }
  }

  /** Sets the owner: the fixed one, or the entry's (errors for IDs a user namespace lacks are ignored). */
  private owner(p: string | undefined, e: {uid: number; gid: number}, link: boolean, created: boolean, fd?: number): void {
    const want = this.opts.chown ?? {uid: e.uid, gid: e.gid}
    if (created && want.uid === this.euid && want.gid === this.egid) return
    try {
      if (fd !== undefined) fchownSync(fd, want.uid, want.gid)
      else if (link) lchownSync(p as string, want.uid, want.gid)
      else chownSync(p as string, want.uid, want.gid)
    } catch (err) {
      if (errno(err) !== 'EINVAL' && errno(err) !== 'EPERM') throw err
    }
  }

  private remove(rel: string, at: string, st: Stats): void {
    try {
      if (st.isDirectory()) {
        this.root.forget(rel)
        rmSync(at, {recursive: true, force: true})
        for (const k of this.dirTimes.keys()) if (k === rel || k.startsWith(rel + '/')) this.dirTimes.delete(k)
      } else {
        unlinkSync(at)
      }
    } catch (err) {
      this.fail(rel, 'remove', err)
    }
  }

  /** Directory times last (writing into a directory changes its mtime). */
  finish(): void {
    for (const [rel, mtime] of [...this.dirTimes].reverse()) {
      try {
        utimesSync(fdPath(this.root.dirFd(rel)), mtime, mtime)
      } catch {
        // removed or replaced meanwhile
      }
    }
    this.dirTimes.clear()
  }
}

function writeAll(fd: number, bufs: Buffer[]): void {
  if (bufs.length === 0) return
  let i = 0
  let off = 0
  while (i < bufs.length) {
    if (bufs[i].length === off) {
      i++
      off = 0
      continue
    }
    const n = i === bufs.length - 1 ? writeSync(fd, bufs[i], off) : writevSync(fd, off === 0 ? bufs.slice(i) : [bufs[i].subarray(off), ...bufs.slice(i + 1)])
    let left = n
    while (left > 0) {
      const rem = bufs[i].length - off
      if (left >= rem) {
        left -= rem
        i++
        off = 0
      } else {
        off += left
        left = 0
      }
    }
  }
}

/** The size of a regular file behind a descriptor. */
export function fdSize(fd: number): number {
  return fstatSync(fd).size
}

export {path as posixPath}
