// `cp`: files between a container and the host (or two containers), or a
// tar stream on stdin/stdout, with Podman's rules (podman/cmd/podman/
// containers/cp.go over buildah's copier): what a destination that exists,
// does not exist, or ends in "/" means; `-a` (the default) chowns what goes
// into a container to the container's user, `-a=false` keeps the owners;
// what comes out to the host belongs to the caller; a tar stream out is
// owned by the container's user. Container paths are resolved inside the
// container's root (see fsroot.ts), names in a tar stream are cleaned so
// that `../` stays inside the destination directory, as Podman does.
import {closeSync, realpathSync, statSync, type Stats} from 'node:fs'
import path from 'node:path'
import type {Readable, Writable} from 'node:stream'
import {CopyError, FsError, InvalidArchive, InvalidArgument, PeapodError} from '../define/errors.js'
import type {Runtime} from '../runtime.js'
import {FsRoot, TreeSink, cleanParts, readChunks, walkTree, type FsEntry, type SinkOptions} from './fsroot.js'
import {containerUser, notFoundError, withContainerFs, type ContainerFs} from './rootfs-access.js'
import {padding, tarEnd, tarHeader} from '../util/tar-writer.js'


export interface CpOptions {
  /** -a/--archive (default true): chown what is copied into a container to its user. */
  archive: boolean
  /** --overwrite: replace directories by non-directories and the other way round. */
  overwrite: boolean
  stdin?: Readable
  stdout?: Writable
}

interface Spec {
  container?: string
  path: string
}

/** Podman's parseUserInput: `CTR:path` unless the argument starts with '.' or '/'. */
export function parseCpArg(input: string): Spec {
  if (input === '' || input.startsWith('.') || input.startsWith('/')) return {path: input}
  const i = input.indexOf(':')
  if (i < 0) return {path: input}
  return {container: input.slice(0, i), path: input.slice(i + 1)}
}

const containerMissing = notFoundError('container "%s" does not exist')

function notOnContainer(p: string, ref: string, why = 'no such file or directory'): CopyError {
  return new CopyError(`${JSON.stringify(p)} could not be found on container ${ref}: ${why}`)
}

function notOnHost(p: string, why = 'no such file or directory'): CopyError {
  return new CopyError(`${JSON.stringify(p)} could not be found on the host: ${why}`)
}

function whyMissing(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code
  if (code === 'ENOTDIR') return 'not a directory'
  if (code === 'ELOOP') return 'too many levels of symbolic links'
  if (code === 'EACCES') return 'permission denied'
  return 'no such file or directory'
}

function endsWithDot(p: string): boolean {
  return p === '.' || p.endsWith('/.')
}

/** The source or destination on the container side, resolved (symlinks followed) inside its root. */
function statInContainer(cfs: ContainerFs, p: string, ref: string): {rel: string; isDir: boolean} {
  let r
  try {
    r = cfs.root.resolve(p, {followLast: true})
  } catch (e) {
    throw notOnContainer(p, ref, e instanceof FsError ? whyMissing({code: e.code}) : whyMissing(e))
  }
  if (!r.exists) throw notOnContainer(p, ref)
  return {rel: r.rel, isDir: Boolean(r.st?.isDirectory())}
}

interface Destination {
  /** Real path (in the root) of the directory entries are written into. */
  dirRel: string
  /** The destination exists and is a directory. */
  isDir: boolean
  /** The destination does not exist: it is created under its parent (Podman's resolvedToParentDir). */
  toParent: boolean
  /** Name the copy gets (the destination's base name). */
  baseName: string
}

/** Podman's resolvePathOnDestinationContainer. */
function containerDestination(cfs: ContainerFs, p: string, ref: string, stdin: boolean): Destination {
  let r
  try {
    r = cfs.root.resolve(p, {followLast: true})
  } catch (e) {
    throw notOnContainer(p, ref, whyMissing({code: (e as FsError).code}))
  }
  if (r.exists) {
    const isDir = Boolean(r.st?.isDirectory())
    if (stdin && !isDir) throw new CopyError('destination must be a directory when copying from stdin')
    const base = path.posix.basename('/' + r.rel)
    return {dirRel: isDir ? r.rel : path.posix.dirname('/' + r.rel).slice(1), isDir, toParent: false, baseName: base}
  }
  if (p.endsWith('/')) throw notOnContainer(p, ref)
  if (stdin) throw new CopyError('destination must be a directory when copying from stdin')
  if (r.missingParent) throw notOnContainer(p, ref)
  // r.rel is where the path (or the dangling symlink it names) points
  const parent = path.posix.dirname('/' + r.rel).slice(1)
  return {dirRel: parent, isDir: false, toParent: true, baseName: path.posix.basename('/' + r.rel)}
}

async function write(out: Writable, b: Buffer): Promise<void> {
  if (!out.write(b)) {
    await new Promise<void>((resolve, reject) => {
      const onDrain = () => { out.off('error', onError); resolve() }
      const onError = (e: Error) => { out.off('drain', onDrain); reject(e) }
      out.once('drain', onDrain)
      out.once('error', onError)
    })
  }
}

/** The tar stream of entries (file content read as it goes). */
export async function* tarOf(entries: AsyncIterable<FsEntry>, owner?: {uid: number; gid: number}): AsyncGenerator<Buffer> {
  for await (const e of entries) {
    const h = owner ? {...e, uid: owner.uid, gid: owner.gid} : e
    yield tarHeader(h)
    if (e.type !== 'file' || !e.open) continue
    const fd = e.open()
    try {
      for (const chunk of readChunks(fd, e.size)) yield chunk
    } finally {
      closeSync(fd)
    }
    yield padding(e.size)
  }
  yield tarEnd()
}

/** Copies walked entries into a sink, file content through both descriptors. */
export async function pump(entries: AsyncIterable<FsEntry>, sink: TreeSink): Promise<void> {
  for await (const e of entries) {
    const fd = e.type === 'file' && e.open ? e.open() : undefined
    try {
      await sink.put(e, fd === undefined ? undefined : {fd})
    } finally {
      if (fd !== undefined) closeSync(fd)
    }
  }
  sink.finish()
}

/** Paths of a running container that are never copied out (Podman's Excludes: dev, proc, sys). */
function liveSkip(cfs: ContainerFs): ((rel: string) => boolean) | undefined {
  if (!cfs.live) return undefined
  return rel => ['dev', 'proc', 'sys'].some(x => rel === x || rel.startsWith(x + '/'))
}

function wrap(what: string, e: unknown): Error {
  if (e instanceof CopyError || e instanceof InvalidArgument) return e as Error
  if (e instanceof PeapodError) return new CopyError(`${what}: ${e.message}`)
  const err = e as NodeJS.ErrnoException
  return new CopyError(`${what}: ${err?.message ?? String(e)}`)
}

/** Host path info following symlinks (Podman's ResolveHostPath). */
function statHost(p: string): {real: string; st: Stats} | undefined {
  try {
    const real = realpathSync(p)
    return {real, st: statSync(real)}
  } catch {
    return undefined
  }
}

export async function copy(rt: Runtime, srcArg: string, destArg: string, opts: CpOptions): Promise<void> {
  const src = parseCpArg(srcArg)
  const dest = parseCpArg(destArg)
  if (src.path === '' || dest.path === '') {
    throw new InvalidArgument(`invalid arguments ${JSON.stringify(srcArg)}, ${JSON.stringify(destArg)} you must specify paths`)
  }
  if (src.container !== undefined && dest.container !== undefined) return containerToContainer(rt, src as Required<Spec>, dest as Required<Spec>, opts)
  if (src.container !== undefined) return fromContainer(rt, src.container, src.path, dest.path, opts)
  if (dest.container === undefined || dest.container === '') throw new InvalidArgument('name or ID cannot be empty')
  return toContainer(rt, dest.container, dest.path, src.path, opts)
}

async function fromContainer(rt: Runtime, ref: string, cpath: string, hostPath: string, opts: CpOptions): Promise<void> {
  if (ref === '') throw new InvalidArgument('name or ID cannot be empty')
  await withContainerFs(rt, ref, containerMissing, async cfs => {
    const info = statInContainer(cfs, cpath, ref)
    const keepName = info.isDir && !endsWithDot(cpath) && info.rel !== ''
    const base = info.rel === '' ? '' : path.posix.basename(info.rel)
    if (hostPath === '-') {
      const out = opts.stdout ?? process.stdout
      const owner = containerUser(rt, cfs)
      const entries = walkTree(cfs.root, info.rel, keepName || !info.isDir ? base : '', {skip: liveSkip(cfs)})
      try {
        for await (const b of tarOf(entries, owner)) await write(out, b)
      } catch (e) {
        throw wrap('copying from container', e)
      }
      return
    }
    let host = statHost(hostPath)
    let toParent = false
    let baseName: string
    if (!host) {
      if (hostPath.endsWith('/')) throw notOnHost(hostPath)
      const parent = statHost(path.dirname(hostPath))
      if (!parent) throw notOnHost(hostPath)
      host = parent
      toParent = true
      baseName = path.basename(hostPath)
    } else {
      baseName = path.basename(host.real)
    }
    const hostIsDir = host.st.isDirectory()
    if (!toParent && !hostIsDir && !host.st.isFile()) throw new CopyError(`invalid destination: ${JSON.stringify(host.real)} must be a directory or a regular file`)
    if (toParent && !hostIsDir) throw notOnHost(hostPath, 'not a directory')
    if (!toParent && info.isDir && !hostIsDir) throw new CopyError('destination must be a directory when copying a directory')
    const dir = hostIsDir ? host.real : path.dirname(host.real)
    const contents = info.isDir && !keepName
    // "dir/." into a new destination: the directory itself, renamed (Podman copies the parent of ".")
    const name = contents && !toParent ? '' : (base || 'rootfs')
    const rename = (!info.isDir && !hostIsDir) || toParent ? {from: name, to: baseName} : undefined
    const hostRoot = new FsRoot(dir)
    try {
      const sink = new TreeSink(hostRoot, '', {
        chown: {uid: process.geteuid?.() ?? 0, gid: process.getegid?.() ?? 0},
        overwrite: opts.overwrite,
        rename,
        ignoreDevices: true,
        display: rel => path.join(dir, rel),
      })
      await pump(walkTree(cfs.root, info.rel, name, {skip: liveSkip(cfs)}), sink)
    } catch (e) {
      throw wrap('copying to host', e)
    } finally {
      hostRoot.close()
    }
  })
}

async function toContainer(rt: Runtime, ref: string, cpath: string, hostPath: string, opts: CpOptions): Promise<void> {
  const stdin = hostPath === '-'
  let host: {real: string; st: Stats} | undefined
  if (!stdin) {
    host = statHost(hostPath)
    if (!host) throw notOnHost(hostPath)
  }
  await withContainerFs(rt, ref, containerMissing, async cfs => {
    const dest = containerDestination(cfs, cpath, ref, stdin)
    const sinkOpts: SinkOptions = {
      chown: opts.archive ? containerUser(rt, cfs) : undefined,
      overwrite: opts.overwrite,
      ignoreDevices: false,
      display: rel => '/' + rel,
    }
    if (stdin) {
      const sink = new TreeSink(cfs.root, dest.dirRel, sinkOpts)
      await untar(opts.stdin ?? process.stdin, sink)
      return
    }
    const h = host as {real: string; st: Stats}
    const hostIsDir = h.st.isDirectory()
    if (hostIsDir && !dest.isDir && !dest.toParent) throw new CopyError('destination must be a directory when copying a directory')
    const keepName = hostIsDir && !endsWithDot(hostPath)
    const srcDir = h.real === '/' ? '/' : path.dirname(h.real)
    const srcBase = h.real === '/' ? '' : path.basename(h.real)
    // "dir/." into an existing directory: only what is inside
    const name = hostIsDir && !keepName && !dest.toParent ? '' : srcBase || 'rootfs'
    const rename = (!hostIsDir && !dest.isDir) || dest.toParent ? {from: name, to: dest.baseName} : undefined
    const hostRoot = new FsRoot(srcDir)
    try {
      const sink = new TreeSink(cfs.root, dest.dirRel, {...sinkOpts, rename})
      await pump(walkTree(hostRoot, srcBase, name), sink)
    } catch (e) {
      throw wrap('copying to container', e)
    } finally {
      hostRoot.close()
    }
  })
}

async function containerToContainer(rt: Runtime, src: Required<Spec>, dest: Required<Spec>, opts: CpOptions): Promise<void> {
  for (const r of [src.container, dest.container]) if (r === '') throw new InvalidArgument('name or ID cannot be empty')
  for (const r of [src.container, dest.container]) if (!rt.containers.find(r)) throw containerMissing(r)
  const a = rt.containers.lookup(src.container).config.id
  const b = rt.containers.lookup(dest.container).config.id
  const run = async (sfs: ContainerFs, dfs: ContainerFs) => {
    const info = statInContainer(sfs, src.path, src.container)
    const d = containerDestination(dfs, dest.path, dest.container, false)
    if (info.isDir && !d.isDir && !d.toParent) throw new CopyError('destination must be a directory when copying a directory')
    const keepName = info.isDir && !endsWithDot(src.path) && info.rel !== ''
    const base = info.rel === '' ? '' : path.posix.basename(info.rel)
    const name = info.isDir && !keepName && !d.toParent ? '' : base || 'rootfs'
    const rename = (!info.isDir && !d.isDir) || d.toParent ? {from: name, to: d.baseName} : undefined
    const sink = new TreeSink(dfs.root, d.dirRel, {
      chown: opts.archive ? containerUser(rt, dfs) : undefined,
      overwrite: opts.overwrite,
      rename,
      ignoreDevices: false,
      display: rel => '/' + rel,
    })
    try {
      await pump(walkTree(sfs.root, info.rel, name, {skip: liveSkip(sfs)}), sink)
    } catch (e) {
      throw wrap('copying to container', e)
    }
  }
  if (a === b) {
    await withContainerFs(rt, src.container, containerMissing, fs => run(fs, fs))
    return
  }
  // Two container locks: always taken in ID order.
  const [first, second] = a < b ? [src.container, dest.container] : [dest.container, src.container]
  await withContainerFs(rt, first, containerMissing, f1 => withContainerFs(rt, second, containerMissing, f2 => {
    return a < b ? run(f1, f2) : run(f2, f1)
  }))
}

/** Unpacks a (possibly compressed) tar stream into the sink; the first header is checked before anything is written. */
export async function untarInto(input: Readable, sink: TreeSink): Promise<void> {
  return untar(input, sink)
}

async function untar(input: Readable, sink: TreeSink): Promise<void> {
  const {decompress} = await import('../storage/decompress.js')
  const {ByteSource} = await import('../storage/byte-source.js')
  const {TarReader} = await import('../storage/tar-reader.js')
  const {stream} = decompress(input)
  const src = new ByteSource(stream)
  const reader = new TarReader(src)
  let first = true
  try {
    for (;;) {
      let e
      try {
        e = await reader.next()
      } catch (err) {
        if (first) throw new CopyError('source must be a (compressed) tar archive when copying from stdin')
        throw err
      }
      if (!e) {
        if (first) throw new CopyError('source must be a (compressed) tar archive when copying from stdin')
        break
      }
      first = false
      if (e.type === 'file' && cleanParts(e.name).length > 0) {
        await sink.put(e, {reader})
        await reader.readPadding()
        continue
      }
      if (e.size > 0) await reader.readData(() => {})
      await reader.readPadding()
      if (e.type === 'other') continue
      await sink.put(e, undefined)
    }
    sink.finish()
  } catch (e) {
    if (e instanceof CopyError) throw e
    if (e instanceof InvalidArchive) throw new CopyError(`copying to container: ${e.message}`)
    throw wrap('copying to container', e)
  } finally {
    input.destroy()
    await src.close().catch(() => {})
  }
}
