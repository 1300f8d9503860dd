// Tar-split: the metadata needed to rebuild a layer tar byte for byte from the
// unpacked layer directory (the idea of containers/storage's tar-split). It is
// gzip'd JSON lines:
//   {"v":1}                              format version (first line of the main part)
//   {"h":B64,"p":PATH,"n":SIZE[,"pd":B64]} header blocks, then SIZE bytes read from layerDir/PATH
//   {"h":B64[,"d":B64][,"pd":B64]}        header blocks, then inline data (entries not stored as files)
//   {"t":B64}                            end-of-archive bytes (zero blocks, anything after)
//   {"o":INDEX,"d":B64}                  content for entry INDEX whose file a later entry replaced
// "pd" is the raw padding after the data, present only when it is not zeros.
// Override lines are a separate gzip member placed first (a multi-member gzip
// is still one gzip stream), so the reader needs a single pass.
import {closeSync, constants, fstatSync, openSync, readSync} from 'node:fs'
import path from 'node:path'
import {Readable} from 'node:stream'
import {createGunzip, createGzip, gzipSync} from 'node:zlib'
import {StorageError} from '../define/errors.js'
import {padLength} from './tar-reader.js'

const VERSION = 1
/** Output is batched into chunks of about this size. */
const OUT_CHUNK = 1 << 20

interface Rec {
  v?: number
  h?: string
  p?: string
  n?: number
  d?: string
  pd?: string
  t?: string
  o?: number
}

export class TarSplitWriter {
  private readonly gz = createGzip({level: 6})
  private readonly out: Buffer[] = []
  private readonly overrides: string[] = []
  private readonly done: Promise<void>
  private pending: string[] = []
  private pendingLen = 0
  private index = 0

  constructor() {
    this.gz.on('data', (b: Buffer) => this.out.push(b))
    this.done = new Promise((resolve, reject) => {
      this.gz.on('end', resolve)
      this.gz.on('error', reject)
    })
    this.line({v: VERSION})
  }

  /** An entry whose data is the file at `file` (relative to the layer dir). Returns its index. */
  fileEntry(raw: Buffer, file: string, size: number, pad: Buffer): number {
    const rec: Rec = {h: raw.toString('base64'), p: file, n: size}
    if (!isZero(pad)) rec.pd = pad.toString('base64')
    return this.entry(rec)
  }

  /** An entry with no data in the layer dir; its data, if any, is kept inline. */
  inlineEntry(raw: Buffer, data: Buffer, pad: Buffer): number {
    const rec: Rec = {h: raw.toString('base64')}
    if (data.length > 0) rec.d = data.toString('base64')
    if (!isZero(pad)) rec.pd = pad.toString('base64')
    return this.entry(rec)
  }

  /** The content of file entry `index`, saved before a later entry replaced its file. */
  override(index: number, data: Buffer): void {
    this.overrides.push(JSON.stringify({o: index, d: data.toString('base64')} satisfies Rec))
  }

  trailer(raw: Buffer): void {
    for (let off = 0; off < raw.length; off += OUT_CHUNK) this.line({t: raw.subarray(off, off + OUT_CHUNK).toString('base64')})
  }

  async finish(): Promise<Buffer> {
    this.flush()
    this.gz.end()
    await this.done
    const main = Buffer.concat(this.out)
    if (this.overrides.length === 0) return main
    return Buffer.concat([gzipSync(this.overrides.join('\n') + '\n'), main])
  }

  /** Releases the compressor when applying failed. */
  abort(): void {
    this.gz.destroy()
  }

  private entry(rec: Rec): number {
    this.line(rec)
    return this.index++
  }

  private line(rec: Rec): void {
    const s = JSON.stringify(rec)
    this.pending.push(s)
    this.pendingLen += s.length + 1
    if (this.pendingLen >= 256 * 1024) this.flush()
  }

  private flush(): void {
    if (this.pending.length === 0) return
    this.gz.write(this.pending.join('\n') + '\n')
    this.pending = []
    this.pendingLen = 0
  }
}

/** Rebuilds the original uncompressed layer tar byte for byte from the layer dir + tarSplit. */
export function layerTarStream(layerDir: string, tarSplit: Buffer): Readable {
  return Readable.from(reassemble(path.resolve(layerDir), tarSplit), {objectMode: false, highWaterMark: OUT_CHUNK})
}

async function* reassemble(layerDir: string, tarSplit: Buffer): AsyncGenerator<Buffer> {
  const overrides = new Map<number, Buffer>()
  let out: Buffer[] = []
  let outLen = 0
  let index = 0
  let version = 0
  const emit = (b: Buffer) => {
    out.push(b)
    outLen += b.length
  }
  for await (const line of lines(tarSplit)) {
    const rec = JSON.parse(line) as Rec
    if (rec.v !== undefined) {
      version = rec.v
      if (version !== VERSION) throw new StorageError(`unsupported tar-split version ${version}`)
    } else if (rec.o !== undefined) {
      overrides.set(rec.o, Buffer.from(rec.d ?? '', 'base64'))
    } else if (rec.h !== undefined) {
      if (version === 0) throw new StorageError('corrupt tar-split: missing version')
      emit(Buffer.from(rec.h, 'base64'))
      let size = 0
      if (rec.p !== undefined) {
        size = rec.n ?? 0
        const saved = overrides.get(index)
        if (saved) {
          if (saved.length !== size) throw new StorageError(`corrupt tar-split: saved content of ${rec.p} has the wrong size`)
          emit(saved)
          overrides.delete(index)
        } else {
          yield* readContent(layerDir, rec.p, size, emit, () => {
            const b = out.length === 1 ? out[0] : Buffer.concat(out, outLen)
            out = []
            outLen = 0
            return b
          })
        }
      } else if (rec.d !== undefined) {
        const data = Buffer.from(rec.d, 'base64')
        size = data.length
        emit(data)
      }
      const padLen = padLength(size)
      if (rec.pd !== undefined) emit(Buffer.from(rec.pd, 'base64'))
      else if (padLen > 0) emit(Buffer.alloc(padLen))
      index += 1
    } else if (rec.t !== undefined) {
      emit(Buffer.from(rec.t, 'base64'))
    }
    if (outLen >= OUT_CHUNK) {
      yield Buffer.concat(out, outLen)
      out = []
      outLen = 0
    }
  }
  if (version === 0) throw new StorageError('corrupt tar-split: missing version')
  if (outLen > 0) yield Buffer.concat(out, outLen)
}

/**
 * Appends a file's content to the output batch; big files are yielded in
 * chunks (after flushing the batch through `drain`). The file must still
 * have the size recorded at apply time.
 */
function* readContent(
  layerDir: string,
  rel: string,
  size: number,
  emit: (b: Buffer) => void,
  drain: () => Buffer,
): Generator<Buffer> {
  const file = path.join(layerDir, rel)
  if (!file.startsWith(layerDir + path.sep)) throw new StorageError(`corrupt tar-split: bad path ${JSON.stringify(rel)}`)
  let fd: number
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW)
  } catch (e) {
    throw new StorageError(`layer content missing: ${rel}: ${(e as Error).message}`)
  }
  try {
    const st = fstatSync(fd)
    if (!st.isFile() || st.size !== size) {
      throw new StorageError(`layer content changed: ${rel} (expected ${size} bytes, found ${st.size})`)
    }
    let left = size
    while (left > 0) {
      const n = Math.min(left, OUT_CHUNK)
      const buf = Buffer.allocUnsafe(n)
      let off = 0
      while (off < n) {
        const k = readSync(fd, buf, off, n - off, null)
        if (k === 0) throw new StorageError(`layer content changed: ${rel} (short read)`)
        off += k
      }
      emit(buf)
      left -= n
      if (left > 0) yield drain()
    }
  } finally {
    closeSync(fd)
  }
}

async function* lines(gz: Buffer): AsyncGenerator<string> {
  const g = createGunzip()
  g.setEncoding('utf8') // decodes characters split across chunks correctly
  g.end(gz)
  let rest = ''
  for await (const chunk of g) {
    const text = rest + (chunk as string)
    const parts = text.split('\n')
    rest = parts.pop() ?? ''
    for (const l of parts) if (l) yield l
  }
  if (rest) yield rest
}

function isZero(b: Buffer): boolean {
  for (let i = 0; i < b.length; i += 1) if (b[i] !== 0) return false
  return true
}
