// Layer blobs come plain, gzip'd or zstd'd, and which one is only known from
// the first bytes; the digest of the bytes as given is the compressed digest
// recorded in manifests.
import {createHash} from 'node:crypto'
import {Readable, type Transform} from 'node:stream'
import {pipeline} from 'node:stream/promises'
import * as zlib from 'node:zlib'
import {InvalidArchive, PeapodError} from '../define/errors.js'

type Kind = 'plain' | 'gzip' | 'zstd' | 'xz' | 'bzip2'

function sniff(head: Buffer): Kind {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip'
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd'
  if (head.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return 'xz'
  if (head.subarray(0, 3).toString('latin1') === 'BZh') return 'bzip2'
  return 'plain'
}

function decompressor(kind: Kind): Transform {
  if (kind === 'gzip') return zlib.createGunzip({chunkSize: 256 * 1024})
  // Node >= 22.15 has zstd; this codebase targets 20, so look it up dynamically.
  const zstd = (zlib as unknown as {createZstdDecompress?: () => Transform}).createZstdDecompress
  if (kind === 'zstd' && zstd) return zstd()
  throw new InvalidArchive(`${kind} layers are not supported`)
}

/** Sniffs the compression of input and returns the plain stream; also reports the compressed digest. */
export function decompress(input: Readable): {stream: Readable; compressedDigest: Promise<string | undefined>} {
  let settled = false
  let settle!: (d: string | undefined) => void
  let fail!: (e: unknown) => void
  const compressedDigest = new Promise<string | undefined>((resolve, reject) => {
    settle = (d) => {
      settled = true
      resolve(d)
    }
    fail = (e) => {
      settled = true
      reject(e)
    }
  })
  compressedDigest.catch(() => {}) // the stream reports the same error

  async function* run(): AsyncGenerator<Buffer> {
    const it = input[Symbol.asyncIterator]()
    try {
      let head = Buffer.alloc(0)
      while (head.length < 6) {
        const r = await it.next()
        if (r.done) break
        head = Buffer.concat([head, toBuffer(r.value)])
      }
      const kind = sniff(head)
      // Plain input: its digest is the diffID, which the tar reader computes anyway.
      const hash = kind === 'plain' ? undefined : createHash('sha256')
      async function* source(): AsyncGenerator<Buffer> {
        hash?.update(head)
        if (head.length > 0) yield head
        for (;;) {
          const r = await it.next()
          if (r.done) return
          const b = toBuffer(r.value)
          hash?.update(b)
          yield b
        }
      }
      if (!hash) {
        yield* source()
        settle(undefined)
        return
      }
      const dec = decompressor(kind)
      const feeding = pipeline(Readable.from(source(), {objectMode: false}), dec)
      feeding.catch(() => {}) // failures surface through reading dec
      // Reading dec directly (not piping it on) lets its errors be translated below.
      for await (const chunk of dec) yield chunk as Buffer
      await feeding
      settle(`sha256:${hash.digest('hex')}`)
    } catch (e) {
      const err = wrap(e)
      fail(err)
      throw err
    } finally {
      if (!settled) fail(new Error('layer stream closed early'))
      await it.return?.()
    }
  }
  return {stream: Readable.from(run(), {objectMode: false, highWaterMark: 1 << 20}), compressedDigest}
}

function toBuffer(v: unknown): Buffer {
  return Buffer.isBuffer(v) ? v : Buffer.from(v as Uint8Array)
}

function wrap(e: unknown): Error {
  if (e instanceof PeapodError) return e
  const code = (e as {code?: unknown})?.code
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return new InvalidArchive(`invalid compressed layer: ${(e as Error).message}`)
  }
  // zlib ends at the end of its stream: bytes after it close the pipeline early (found by fuzzing)
  if (code === 'ERR_STREAM_PREMATURE_CLOSE') return new InvalidArchive('invalid compressed layer: data after the end of the compressed stream')
  return e instanceof Error ? e : new Error(String(e))
}
