// `volume export` (a tar of the volume's content, entries named as Podman
// names them: `f`, `d/`, no `./`) and `volume import` (a tar, plain or
// compressed, unpacked into a staging directory with the layer applier, so
// every path stays inside it, then moved into the volume: a broken tar
// leaves the volume as it was).
import {cpSync, existsSync, lstatSync, readdirSync, renameSync, rmSync} from 'node:fs'
import path from 'node:path'
import type {Readable, Writable} from 'node:stream'
import {InvalidArchive, InvalidArgument, PeapodError, StorageError} from '../define/errors.js'
import type {Runtime} from '../runtime.js'
import {applyLayer} from '../storage/apply.js'
import {isMounted} from '../storage/mount.js'
import {ProcessFailure, run, runTo} from '../util/process.js'
import {needsMount, volumeMountArgs} from './store.js'
import type {VolumeDoc} from './types.js'

/**
 * Runs fn with the volume's own mount in place when it has one (mounted just
 * for fn when no container holds it), under the volume's lock when it has a
 * mount or `lock` asks for it.
 */
async function withVolume<T>(rt: Runtime, doc: VolumeDoc, lock: boolean, fn: () => Promise<T> | T): Promise<T> {
  const store = rt.volumes
  if (!needsMount(doc)) return lock ? store.locked(doc.name, fn) : fn()
  return store.locked(doc.name, async () => {
    const data = store.dataDir(doc.name)
    if (isMounted(data)) return fn()
    await run(['mount', ...volumeMountArgs(doc, data)]).catch(e => {
      throw new StorageError(`mounting volume ${doc.name}: ${((e as {stderr?: string}).stderr || (e as Error).message).trim()}`)
    })
    try {
      return await fn()
    } finally {
      await run(['umount', data]).catch(() => run(['umount', '-l', data]).catch(() => {}))
    }
  })
}

/** Writes a tar of the volume's content to `out` (a file descriptor or a stream). */
export async function exportVolume(rt: Runtime, name: string, out: number | Writable): Promise<void> {
  const store = rt.volumes
  const doc = store.find(name)
  if (!doc) throw new InvalidArgument(`no such volume ${name}`)
  await withVolume(rt, doc, false, async () => {
    const data = store.dataDir(doc.name)
    const entries = readdirSync(data).sort()
    // -b 1: no padding past the two end blocks (an empty volume is 1024 bytes, as Podman writes it)
    const argv = ['tar', '--numeric-owner', '-b', '1', '-C', data, '-c', '-f', '-', '--null', '-T', '-']
    try {
      // tar exits 1 when a file changed while it was read: the archive is still whole
      await runTo(argv, out, {input: entries.map(e => e + '\0').join(''), okStatus: [1]})
    } catch (e) {
      if (!(e instanceof ProcessFailure) || e.errno) throw e
      throw new StorageError(`exporting volume ${doc.name}: ${e.stderr.trim().split('\n').pop() || `tar exited ${e.status}`}`)
    }
  })
}

/** Moves src's entries into dst: directories are merged, anything else replaces what dst has. */
function mergeInto(src: string, dst: string): void {
  for (const name of readdirSync(src)) {
    const from = path.join(src, name)
    const to = path.join(dst, name)
    let existing: ReturnType<typeof lstatSync> | undefined
    try {
      existing = lstatSync(to)
    } catch {
      // nothing there yet
    }
    const fromStat = lstatSync(from)
    if (existing?.isDirectory() && fromStat.isDirectory()) {
      mergeInto(from, to)
      continue
    }
    if (existing) rmSync(to, {recursive: true, force: true})
    try {
      renameSync(from, to)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e
      cpSync(from, to, {recursive: true, preserveTimestamps: true, verbatimSymlinks: true})
    }
  }
}

/** Unpacks a tar (plain, gzip, bzip2, xz or zstd) into the volume. */
export async function importVolume(rt: Runtime, name: string, input: Readable): Promise<void> {
  const store = rt.volumes
  const doc = store.find(name)
  if (!doc) {
    input.destroy()
    throw new InvalidArgument(`no such volume ${name}`)
  }
  const staging = path.join(store.volumeDir(doc.name), `.import-${process.pid}-${Date.now()}`)
  try {
    try {
      await applyLayer(input, staging, {mode: 'vfs', rootless: rt.config.rootless, opaqueXattr: rt.config.rootless ? 'user.overlay.opaque' : 'trusted.overlay.opaque'})
    } catch (e) {
      const msg = (e as Error).message.replace(/ in layer\b/, '').replace(/^applying layer( entry)?:?\s*/, '')
      throw new InvalidArchive(`importing into volume ${doc.name}: not a valid tar archive (${msg}); the volume is unchanged`)
    }
    await withVolume(rt, doc, true, () => mergeInto(staging, store.dataDir(doc.name)))
  } catch (e) {
    if (e instanceof PeapodError) throw e
    throw new StorageError(`importing into volume ${doc.name}: ${(e as Error).message}`)
  } finally {
    if (existsSync(staging)) rmSync(staging, {recursive: true, force: true})
  }
}
