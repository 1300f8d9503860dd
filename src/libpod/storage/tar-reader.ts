// Minimal streaming tar reader that keeps the raw header bytes of every entry
// (PAX and GNU long-name blocks included) and of the end of the archive, so
// the exact stream can be reassembled later (see tar-split.ts). Understands
// v7, ustar, star, GNU (long names 'L'/'K', base-256 numbers) and PAX ('x'
// and 'g' headers). Follows Go's archive/tar on the edge cases, since that is
// what produced most image layers.
import {InvalidArchive} from '../define/errors.js'
import type {ByteSource} from './byte-source.js'

export const BLOCK = 512
/** Largest PAX / GNU long-name payload accepted (Go's limit too). */
const MAX_META_SIZE = 1 << 20
/** Largest end-of-archive remainder (zero blocks and whatever follows) kept for re-export. */
const MAX_TRAILER_SIZE = 16 << 20

export type EntryType = 'file' | 'link' | 'symlink' | 'char' | 'block' | 'dir' | 'fifo' | 'other'

export interface TarEntry {
  type: EntryType
  /** Raw type flag character. */
  typeflag: string
  name: string
  linkname: string
  /** Permission bits incl. setuid/setgid/sticky (07777). */
  mode: number
  uid: number
  gid: number
  /** Seconds since the epoch, possibly fractional (PAX). */
  mtime: number
  devmajor: number
  devminor: number
  /** Bytes of data following the header (0 for header-only types whatever the size field says). */
  size: number
  /** From PAX SCHILY.xattr.* records. */
  xattrs: Map<string, Buffer>
  /** Every header block of this entry: PAX/GNU meta headers, their data and padding, then the header itself. */
  raw: Buffer
}

export function padLength(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK
}

export class TarReader {
  /** Set once next() returned null: the end-of-archive bytes (zero blocks and anything after). */
  trailer: Buffer | undefined
  private dataLeft = 0
  private padLeft = 0
  private readonly globals = new Map<string, Buffer>()

  constructor(private readonly src: ByteSource) {}

  /** Reads the next entry's headers; null at the end of the archive. Its data must be consumed first. */
  async next(): Promise<TarEntry | null> {
    if (this.dataLeft > 0 || this.padLeft > 0) throw new Error('tar entry data not consumed')
    const raw: Buffer[] = []
    const pax = new Map<string, Buffer>()
    let longName: string | undefined
    let longLink: string | undefined
    for (;;) {
      const offset = this.src.position
      const block = await this.src.read(BLOCK)
      if (block.length === 0 && raw.length === 0) {
        this.trailer = Buffer.alloc(0)
        return null
      }
      if (block.length < BLOCK) throw new InvalidArchive('unexpected EOF in layer (truncated tar header)')
      if (isZero(block)) {
        if (raw.length > 0) throw new InvalidArchive('invalid tar: end of archive right after an extended header')
        this.trailer = await this.readTrailer(block)
        return null
      }
      verifyChecksum(block, offset)
      const typeflag = String.fromCharCode(block[156])
      if (typeflag === 'x' || typeflag === 'g' || typeflag === 'L' || typeflag === 'K') {
        const size = parseNumeric(block.subarray(124, 136), 'size', offset)
        if (size > MAX_META_SIZE) throw new InvalidArchive(`invalid tar: ${typeflag} header too large (${size} bytes)`)
        const data = await this.src.read(size)
        const pad = await this.src.read(padLength(size))
        if (data.length < size || pad.length < padLength(size)) throw new InvalidArchive('unexpected EOF in layer (truncated extended header)')
        raw.push(block, data, pad)
        if (typeflag === 'x') parsePax(data, pax, false)
        else if (typeflag === 'g') parsePax(data, this.globals, true)
        else if (typeflag === 'L') longName = cString(data)
        else longLink = cString(data)
        continue
      }
      raw.push(block)
      const entry = this.parseEntry(block, typeflag, offset, pax, longName, longLink)
      entry.raw = raw.length === 1 ? Buffer.from(block) : Buffer.concat(raw)
      this.dataLeft = entry.size
      this.padLeft = padLength(entry.size)
      return entry
    }
  }

  /** Streams the current entry's data to fn (slices valid only during the call). */
  async readData(fn: (b: Buffer) => void): Promise<void> {
    const want = this.dataLeft
    const got = await this.src.forEach(want, fn)
    this.dataLeft = 0
    if (got < want) throw new InvalidArchive('unexpected EOF in layer (truncated file data)')
  }

  /** The current entry's data, whole (for small payloads kept in the tar-split). */
  async readDataBuffer(): Promise<Buffer> {
    const parts: Buffer[] = []
    await this.readData((b) => parts.push(Buffer.from(b)))
    return Buffer.concat(parts)
  }

  /** The raw padding after the current entry's data (usually zeros, but kept as is). */
  async readPadding(): Promise<Buffer> {
    const n = this.padLeft
    this.padLeft = 0
    if (n === 0) return Buffer.alloc(0)
    const pad = await this.src.read(n)
    if (pad.length < n) throw new InvalidArchive('unexpected EOF in layer (truncated padding)')
    return Buffer.from(pad)
  }

  private async readTrailer(first: Buffer): Promise<Buffer> {
    const parts = [Buffer.from(first)]
    let len = first.length
    for (;;) {
      const b = await this.src.read(64 * 1024)
      if (b.length === 0) break
      len += b.length
      if (len > MAX_TRAILER_SIZE) throw new InvalidArchive('invalid tar: too much data after the end of the archive')
      parts.push(Buffer.from(b))
    }
    return Buffer.concat(parts)
  }

  private parseEntry(
    h: Buffer,
    typeflag: string,
    offset: number,
    localPax: Map<string, Buffer>,
    longName: string | undefined,
    longLink: string | undefined,
  ): TarEntry {
    const pax = new Map([...this.globals, ...localPax].filter(([, v]) => v.length > 0))
    let name = cString(h.subarray(0, 100))
    if (h.toString('latin1', 257, 263) === 'ustar\0') {
      // POSIX ustar; star archives mark themselves with "tar\0" at 508 and have a shorter prefix.
      const star = h.toString('latin1', 508, 512) === 'tar\0'
      const prefix = cString(h.subarray(345, star ? 476 : 500))
      if (prefix) name = `${prefix}/${name}`
    }
    const field = (from: number, to: number, what: string) => parseNumeric(h.subarray(from, to), what, offset)
    const num = (key: string, fallback: () => number) => {
      const v = pax.get(key)
      if (v === undefined) return fallback()
      const n = Number(v.toString('latin1'))
      if (!Number.isFinite(n)) throw new InvalidArchive(`invalid tar: bad PAX ${key} value at offset ${offset}`)
      return n
    }
    for (const key of pax.keys()) {
      if (key.startsWith('GNU.sparse.')) throw new InvalidArchive(`sparse files in layers are not supported (${name})`)
    }
    const paxPath = pax.get('path')
    const paxLink = pax.get('linkpath')
    if (paxPath !== undefined) name = paxPath.toString('utf8')
    else if (longName !== undefined) name = longName
    const linkname = paxLink !== undefined ? paxLink.toString('utf8') : (longLink ?? cString(h.subarray(157, 257)))

    let type: EntryType
    switch (typeflag) {
      case '0':
      case '7':
        type = 'file'
        break
      case '\0':
        // v7: a trailing slash marks a directory.
        type = name.endsWith('/') ? 'dir' : 'file'
        break
      case '1': type = 'link'; break
      case '2': type = 'symlink'; break
      case '3': type = 'char'; break
      case '4': type = 'block'; break
      case '5': type = 'dir'; break
      case '6': type = 'fifo'; break
      case 'D': // GNU dumpdir: a directory whose data lists its contents
        type = 'dir'
        break
      case 'V': // GNU volume label
        type = 'other'
        break
      default:
        throw new InvalidArchive(`unsupported tar entry type '${printable(typeflag)}' for ${JSON.stringify(name)}`)
    }
    const headerOnly = type !== 'file' && type !== 'other' && typeflag !== 'D'
    const size = headerOnly ? 0 : num('size', () => field(124, 136, 'size'))
    if (size < 0 || !Number.isSafeInteger(size)) throw new InvalidArchive(`invalid tar: bad size for ${JSON.stringify(name)}`)
    const isDev = type === 'char' || type === 'block'
    const xattrs = new Map<string, Buffer>()
    for (const [k, v] of pax) {
      if (k.startsWith('SCHILY.xattr.')) xattrs.set(k.slice('SCHILY.xattr.'.length), v)
    }
    return {
      type,
      typeflag,
      name,
      linkname,
      mode: field(100, 108, 'mode') & 0o7777,
      uid: num('uid', () => field(108, 116, 'uid')),
      gid: num('gid', () => field(116, 124, 'gid')),
      mtime: num('mtime', () => field(136, 148, 'mtime')),
      devmajor: isDev ? field(329, 337, 'devmajor') : 0,
      devminor: isDev ? field(337, 345, 'devminor') : 0,
      size,
      xattrs,
      raw: h,
    }
  }
}

function isZero(b: Buffer): boolean {
  for (let i = 0; i < b.length; i += 1) if (b[i] !== 0) return false
  return true
}

function cString(b: Buffer): string {
  const end = b.indexOf(0)
  return b.toString('utf8', 0, end < 0 ? b.length : end)
}

function printable(c: string): string {
  const code = c.charCodeAt(0)
  return code >= 0x20 && code < 0x7f ? c : `\\x${code.toString(16).padStart(2, '0')}`
}

/** Accepts both the unsigned and the (historic) signed checksum. */
function verifyChecksum(h: Buffer, offset: number): void {
  let unsigned = 0
  let signed = 0
  for (let i = 0; i < BLOCK; i += 1) {
    const c = i >= 148 && i < 156 ? 0x20 : h[i]
    unsigned += c
    signed += c > 127 ? c - 256 : c
  }
  let want: number
  try {
    want = parseNumeric(h.subarray(148, 156), 'checksum', offset)
  } catch {
    throw new InvalidArchive(`invalid tar header at offset ${offset} (not a tar archive?)`)
  }
  if (want !== unsigned && want !== signed) throw new InvalidArchive(`invalid tar header at offset ${offset} (bad checksum)`)
}

/** Octal ASCII (space/NUL padded) or GNU base-256 (high bit set, two's complement). */
export function parseNumeric(b: Buffer, what: string, offset: number): number {
  if (b.length > 0 && (b[0] & 0x80) !== 0) {
    const negative = (b[0] & 0x40) !== 0
    const inv = negative ? 0xff : 0
    let v = 0n
    for (let i = 0; i < b.length; i += 1) {
      let c = b[i] ^ inv
      if (i === 0) c &= 0x7f
      v = (v << 8n) | BigInt(c)
    }
    const n = negative ? -(v + 1n) : v
    if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < -BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new InvalidArchive(`invalid tar header at offset ${offset} (${what} out of range)`)
    }
    return Number(n)
  }
  let start = 0
  let end = b.length
  while (start < end && (b[start] === 0x20 || b[start] === 0)) start += 1
  while (end > start && (b[end - 1] === 0x20 || b[end - 1] === 0)) end -= 1
  let n = 0
  for (let i = start; i < end; i += 1) {
    const c = b[i] - 0x30
    if (c < 0 || c > 7) throw new InvalidArchive(`invalid tar header at offset ${offset} (bad ${what} field)`)
    n = n * 8 + c
  }
  return n
}

/** PAX records: "<len> <key>=<value>\n", len counting the whole record. Values stay bytes (xattrs are binary). */
function parsePax(data: Buffer, into: Map<string, Buffer>, global: boolean): void {
  let off = 0
  while (off < data.length) {
    if (data[off] === 0) break // some writers NUL-pad the payload
    const sp = data.indexOf(0x20, off)
    const len = sp < 0 ? NaN : Number(data.toString('latin1', off, sp))
    if (!Number.isInteger(len) || len <= sp - off + 1 || off + len > data.length || data[off + len - 1] !== 0x0a) {
      throw new InvalidArchive('invalid tar: malformed PAX header')
    }
    const rec = data.subarray(sp + 1, off + len - 1)
    const eq = rec.indexOf(0x3d)
    if (eq <= 0) throw new InvalidArchive('invalid tar: malformed PAX record')
    const key = rec.toString('utf8', 0, eq)
    const value = Buffer.from(rec.subarray(eq + 1))
    // An empty value deletes a global default; a local one masks it (POSIX).
    if (value.length === 0 && global) into.delete(key)
    else into.set(key, value)
    off += len
  }
}
