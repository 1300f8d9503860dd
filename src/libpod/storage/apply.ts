// The layer applier: unpacks an image layer tar into a layer directory of the
// store (what load/import/pull use) and records a tar-split so that save can
// write the very same bytes back out (same diffID, so images keep their IDs
// between peapod and Podman).
import {mkdirSync, realpathSync} from 'node:fs'
import {Readable} from 'node:stream'
import {InvalidArchive, PeapodError, StorageError} from '../define/errors.js'
import {ByteSource} from './byte-source.js'
import {decompress} from './decompress.js'
import {LayerWriter} from './layer-writer.js'
import {TarReader} from './tar-reader.js'
import {TarSplitWriter} from './tar-split.js'

export {decompress} from './decompress.js'
export {layerTarStream} from './tar-split.js'

export interface ApplyOptions {
  /**
   * overlay: the layer dir is an overlay "diff": OCI whiteouts `.wh.NAME` become a 0:0 char device NAME;
   * `.wh..wh..opq` sets the opaque xattr on its dir. vfs: the dir already holds a copy of the parent layer:
   * whiteouts delete NAME (recursively), opaque dirs are emptied first of what came from the parent.
   */
  mode: 'overlay' | 'vfs'
  /**
   * In a rootless user namespace: device nodes (block/char, other than whiteouts) are skipped silently as
   * containers/storage does; uids/gids outside the namespace mapping give a clear error.
   */
  rootless: boolean
  /** 'trusted.overlay.opaque' rootful, 'user.overlay.opaque' rootless (overlay mounted with userxattr). */
  opaqueXattr: string
}

export interface ApplyResult {
  /** 'sha256:<hex>' of the uncompressed tar stream. */
  diffId: string
  /** 'sha256:<hex>' of the input bytes as given, when it was compressed. */
  compressedDigest?: string
  /** Uncompressed tar size in bytes. */
  size: number
  /** gzip-compressed metadata enough to rebuild the exact tar from the layer dir (see layerTarStream). */
  tarSplit: Buffer
}

/** Unpacks a (possibly compressed) layer tar into dest. On failure the caller removes dest. */
export async function applyLayer(input: NodeJS.ReadableStream | Readable, dest: string, opts: ApplyOptions): Promise<ApplyResult> {
  const readable = input instanceof Readable ? input : new Readable().wrap(input)
  let root: string
  try {
    mkdirSync(dest, {recursive: true})
    root = realpathSync.native(dest) // symlink-free, so containment checks can compare paths
  } catch (e) {
    readable.destroy()
    throw asPeapodError(e, undefined)
  }
  const {stream, compressedDigest} = decompress(readable)
  const src = new ByteSource(stream)
  const reader = new TarReader(src)
  const split = new TarSplitWriter()
  const writer = new LayerWriter(root, opts, split)
  try {
    for (;;) {
      const entry = await reader.next()
      if (!entry) break
      await writer.apply(entry, reader)
    }
    writer.current = undefined
    split.trailer(reader.trailer ?? Buffer.alloc(0))
    await writer.finish()
    const tarSplit = await split.finish()
    return {
      diffId: `sha256:${src.hash.digest('hex')}`,
      compressedDigest: await compressedDigest,
      size: src.total,
      tarSplit,
    }
  } catch (e) {
    writer.abort()
    split.abort()
    readable.destroy()
    await src.close().catch(() => {})
    throw asPeapodError(e, writer.current)
  }
}

function asPeapodError(e: unknown, entry: string | undefined): PeapodError {
  if (e instanceof PeapodError) return e
  const msg = e instanceof Error ? e.message : String(e)
  if ((e as {code?: unknown})?.code === 'ERR_STREAM_PREMATURE_CLOSE') return new InvalidArchive('unexpected EOF in layer')
  return new StorageError(entry === undefined ? `applying layer: ${msg}` : `applying layer entry ${JSON.stringify(entry)}: ${msg}`)
}
