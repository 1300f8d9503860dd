// Random access to the members of an (uncompressed) tar archive: one pass
// over the headers records where each member's data lies; members are then
// read by offset, so a layer of hundreds of MB is streamed, never buffered.
import {closeSync, createReadStream, fstatSync, openSync, readSync} from 'node:fs'
import path from 'node:path'
import {Readable} from 'node:stream'
import {InvalidArchive} from '../../define/errors.js'

const BLOCK = 512
/** Largest member read into memory (manifests, configs, indexes). */
const MAX_BUFFERED = 64 << 20
/** Largest PAX / GNU long-name payload (Go's archive/tar limit). */
const MAX_META = 1 << 20

export type MemberType = 'file' | 'dir' | 'symlink' | 'link' | 'other'

export interface TarMember {
  /** Normalised name: no leading `./` or `/`, no trailing `/`. */
  name: string
  type: MemberType
  linkname: string
  /** Offset of the data in the archive file. */
  offset: number
  size: number
}

/** An archive's members, by name; the file stays open until close(). */
export class TarIndex {
  readonly members = new Map<string, TarMember>()
  private closed = false

  private constructor(private readonly fd: number, readonly fileSize: number, private readonly ownsFd: boolean) {}

  /** Indexes the archive at `file`. */
  static open(file: string): TarIndex {
    const fd = openSync(file, 'r')
    try {
      return TarIndex.fromFd(fd, true)
    } catch (e) {
      closeSync(fd)
      throw e
    }
  }

  /** Indexes the archive open on fd (a regular file); closes it on close() only when owned. */
  static fromFd(fd: number, owned: boolean): TarIndex {
    const idx = new TarIndex(fd, fstatSync(fd).size, owned)
    idx.scan()
    return idx
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    if (this.ownsFd) closeSync(this.fd)
  }

  private read(buf: Buffer, pos: number): number {
    let done = 0
    while (done < buf.length) {
      const n = readSync(this.fd, buf, done, buf.length - done, pos + done)
      if (n === 0) break
      done += n
    }
    return done
  }

  private scan(): void {
    const hdr = Buffer.alloc(BLOCK)
    let pos = 0
    let longName: string | undefined
    let longLink: string | undefined
    let pax: Map<string, string> | undefined
    for (;;) {
      const n = this.read(hdr, pos)
      if (n === 0) return // EOF right at a header boundary: Go's reader accepts it
      if (n < BLOCK) throw truncated()
      if (isZero(hdr)) return // end-of-archive marker
      verifyChecksum(hdr)
      const typeflag = hdr[156] === 0 ? '0' : String.fromCharCode(hdr[156])
      let size = parseNumber(hdr, 124, 12)
      const dataStart = pos + BLOCK
      if (HEADER_ONLY.has(typeflag)) size = 0
      const paxSize = pax?.get('size')
      if (paxSize !== undefined) {
        if (!/^\d+$/.test(paxSize)) throw invalidHeader()
        size = Number(paxSize)
      }
      if (dataStart + size > this.fileSize) throw truncated()
      const next = dataStart + size + ((BLOCK - (size % BLOCK)) % BLOCK)

      if (typeflag === 'L' || typeflag === 'K' || typeflag === 'x' || typeflag === 'g') {
        if (size > MAX_META) throw invalidHeader()
        const data = Buffer.alloc(size)
        if (this.read(data, dataStart) < size) throw truncated()
        if (typeflag === 'L') longName = cString(data, 0, size)
        else if (typeflag === 'K') longLink = cString(data, 0, size)
        else if (typeflag === 'x') pax = parsePax(data)
        // 'g' (global PAX) records are ignored, as Go does for path and size.
        pos = next
        continue
      }

      let name = longName ?? pax?.get('path') ?? ustarName(hdr)
      const linkname = longLink ?? pax?.get('linkpath') ?? cString(hdr, 157, 100)
      longName = longLink = pax = undefined
      name = normalizeMemberName(name)
      // The first member of a name wins, as containers/image reads archives.
      if (name !== '' && !this.members.has(name)) {
        this.members.set(name, {name, type: memberType(typeflag), linkname, offset: dataStart, size})
      }
      pos = next
    }
  }

  /** The member called `name`, following symlinks and hardlinks inside the archive. */
  get(name: string): TarMember | undefined {
    let m = this.members.get(normalizeMemberName(name))
    for (let hops = 0; m && (m.type === 'symlink' || m.type === 'link'); hops++) {
      if (hops > 40) return undefined
      const target = m.type === 'symlink'
        ? path.posix.join(m.linkname.startsWith('/') ? '/' : path.posix.dirname('/' + m.name), m.linkname)
        : '/' + m.linkname
      let t: string
      try {
        t = normalizeMemberName(path.posix.normalize(target))
      } catch {
        return undefined
      }
      m = this.members.get(t)
    }
    return m?.type === 'file' ? m : undefined
  }

  /** A small member's content (manifests, configs). */
  readBuffer(m: TarMember): Buffer {
    if (m.size > MAX_BUFFERED) throw new InvalidArchive(`archive member ${m.name} is too large (${m.size} bytes)`)
    const buf = Buffer.alloc(m.size)
    if (this.read(buf, m.offset) < m.size) throw truncated()
    return buf
  }

  /** Streams a member's content from the archive file. */
  stream(m: TarMember): Readable {
    if (m.size === 0) return Readable.from([])
    return createReadStream('', {fd: this.fd, start: m.offset, end: m.offset + m.size - 1, autoClose: false, highWaterMark: 1 << 20})
  }
}

const HEADER_ONLY = new Set(['1', '2', '3', '4', '5', '6'])

function memberType(t: string): MemberType {
  switch (t) {
    case '0': case '7': return 'file'
    case '1': return 'link'
    case '2': return 'symlink'
    case '5': return 'dir'
    default: return 'other'
  }
}

function truncated(): InvalidArchive {
  return new InvalidArchive('unexpected EOF')
}

function invalidHeader(): InvalidArchive {
  return new InvalidArchive('archive/tar: invalid tar header')
}

function isZero(b: Buffer): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false
  return true
}

function verifyChecksum(h: Buffer): void {
  const stored = parseNumber(h, 148, 8)
  let unsigned = 0
  let signed = 0
  for (let i = 0; i < BLOCK; i++) {
    const c = i >= 148 && i < 156 ? 0x20 : h[i]
    unsigned += c
    signed += c > 127 ? c - 256 : c
  }
  if (stored !== unsigned && stored !== signed) throw invalidHeader()
}

/** An octal (or GNU base-256) number field. */
function parseNumber(h: Buffer, off: number, len: number): number {
  if (h[off] & 0x80) {
    let v = h[off] & 0x7f
    for (let i = 1; i < len; i++) v = v * 256 + h[off + i]
    if (!Number.isSafeInteger(v)) throw invalidHeader()
    return v
  }
  const s = h.toString('latin1', off, off + len).replace(/\0.*$/s, '').trim()
  if (s === '') return 0
  if (!/^[0-7]+$/.test(s)) throw invalidHeader()
  return parseInt(s, 8)
}

function cString(b: Buffer, off: number, len: number): string {
  let end = off
  while (end < off + len && b[end] !== 0) end++
  return b.toString('utf8', off, end)
}

function ustarName(h: Buffer): string {
  const name = cString(h, 0, 100)
  // POSIX ustar ("ustar\0"): the prefix field continues the name.
  if (h.toString('latin1', 257, 263) === 'ustar\0') {
    const prefix = cString(h, 345, 155)
    if (prefix) return `${prefix}/${name}`
  }
  return name
}

function parsePax(data: Buffer): Map<string, string> {
  const out = new Map<string, string>()
  let pos = 0
  while (pos < data.length) {
    const sp = data.indexOf(0x20, pos)
    if (sp === -1) throw invalidHeader()
    const len = Number(data.toString('latin1', pos, sp))
    if (!Number.isInteger(len) || len <= 0 || pos + len > data.length) throw invalidHeader()
    const rec = data.toString('utf8', sp + 1, pos + len - 1)
    const eq = rec.indexOf('=')
    if (eq === -1) throw invalidHeader()
    out.set(rec.slice(0, eq), rec.slice(eq + 1))
    pos += len
  }
  return out
}

/**
 * `./a/b/` → `a/b`. A name that climbs out of the archive (`../x`) makes the
 * whole archive invalid: nothing in an image archive has a reason to do that.
 */
export function normalizeMemberName(raw: string): string {
  let n = path.posix.normalize('/' + raw).replace(/^\/+/, '').replace(/\/+$/, '')
  if (n === '.') n = ''
  if (raw.split('/').includes('..')) {
    // normalize('/' + x) silently clamps at the root; refuse instead.
    const parts: string[] = []
    for (const p of raw.split('/')) {
      if (p === '..') {
        if (parts.length === 0) throw new InvalidArchive(`invalid archive member name ${JSON.stringify(raw)}: outside of the archive`)
        parts.pop()
      } else if (p && p !== '.') parts.push(p)
    }
  }
  return n
}
