// Opening an archive for random access: a plain file is indexed where it
// is; a compressed archive or a pipe is first spooled (decompressed) into an
// unlinked temp file in the store's tmp dir, so nothing is left behind even
// if the process dies.
import {randomBytes} from 'node:crypto'
import {closeSync, createReadStream, createWriteStream, fstatSync, mkdirSync, openSync, readSync, rmSync} from 'node:fs'
import path from 'node:path'
import {Readable, type Transform} from 'node:stream'
import {pipeline} from 'node:stream/promises'
import * as zlib from 'node:zlib'
import {InvalidArchive, InvalidArgument} from '../../define/errors.js'
import {TarIndex} from './tar-index.js'

export type Compression = 'plain' | 'gzip' | 'zstd' | 'xz' | 'bzip2'

export function sniffCompression(head: Buffer): Compression {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip'
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd'
  if (head.length >= 6 && head.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return 'xz'
  if (head.subarray(0, 3).toString('latin1') === 'BZh') return 'bzip2'
  return 'plain'
}

function decompressor(kind: Compression): Transform {
  if (kind === 'gzip') return zlib.createGunzip({chunkSize: 1 << 20})
  const zstd = (zlib as unknown as {createZstdDecompress?: () => Transform}).createZstdDecompress
  if (kind === 'zstd' && zstd) return zstd()
  throw new InvalidArchive(`${kind}-compressed archives are not supported`)
}

/** A new temp file path in dir; the `layer-<pid>-` prefix lets the store's orphan cleanup remove it if we die. */
function tempPath(dir: string): string {
  mkdirSync(dir, {recursive: true})
  return path.join(dir, `layer-${process.pid}-${randomBytes(6).toString('hex')}.archive`)
}

/** Copies src (decompressed when needed) into a temp file; returns an fd on it, the file itself already unlinked. */
async function spool(src: Readable, tmpDir: string): Promise<number> {
  const file = tempPath(tmpDir)
  try {
    const it = src[Symbol.asyncIterator]()
    let head = Buffer.alloc(0)
    let done = false
    while (head.length < 6) {
      const r = await it.next()
      if (r.done) {
        done = true
        break
      }
      head = Buffer.concat([head, r.value as Buffer])
    }
    const kind = sniffCompression(head)
    async function* source() {
      if (head.length) yield head
      if (done) return
      for (;;) {
        const r = await it.next()
        if (r.done) return
        yield r.value as Buffer
      }
    }
    const out = createWriteStream(file, {flags: 'wx', mode: 0o600, highWaterMark: 1 << 20})
    if (kind === 'plain') await pipeline(Readable.from(source()), out)
    else await pipeline(Readable.from(source()), decompressor(kind), out)
    return openSync(file, 'r')
  } catch (e) {
    const code = (e as {code?: string}).code
    if (code?.startsWith('Z_')) throw new InvalidArchive(`decompressing archive: ${(e as Error).message}`)
    throw e
  } finally {
    rmSync(file, {force: true})
  }
}

/** Opens and indexes the archive at `file`, or read from `stdin` when file is undefined. */
export async function openArchive(file: string | undefined, stdin: Readable & {fd?: number}, tmpDir: string): Promise<TarIndex> {
  let fd: number
  let owned = true
  if (file !== undefined) {
    try {
      fd = openSync(file, 'r')
    } catch (e) {
      const err = e as NodeJS.ErrnoException
      if (err.code === 'ENOENT') throw new InvalidArgument(`stat ${file}: no such file or directory`)
      throw new InvalidArgument(`open ${file}: ${err.message.replace(/^\w+: /, '')}`)
    }
  } else {
    fd = 0
    owned = false
  }
  const st = fstatSync(fd)
  if (st.isFile()) {
    const head = Buffer.alloc(6)
    const n = readSync(fd, head, 0, 6, 0)
    if (sniffCompression(head.subarray(0, n)) === 'plain') return TarIndex.fromFd(fd, owned)
  } else if (st.isDirectory()) {
    if (owned) closeSync(fd)
    throw new InvalidArgument(`${file}: is a directory (directory formats are not supported)`)
  }
  // Compressed, or a pipe: spool it into a temp file.
  let src: Readable
  if (owned) src = createReadStream('', {fd, autoClose: true, highWaterMark: 1 << 20})
  else if (st.isFile()) src = createReadStream('', {fd: 0, autoClose: false, start: 0, highWaterMark: 1 << 20})
  else src = stdin
  const tmp = await spool(src, tmpDir)
  try {
    return TarIndex.fromFd(tmp, true)
  } catch (e) {
    closeSync(tmp)
    throw e
  }
}
