// The one tar writer: headers laid out as Go's archive/tar writes them (USTAR
// when the entry fits, a long name split into prefix/name; PAX records for
// what USTAR cannot hold: long or non-ASCII names, big IDs or sizes, xattrs;
// no user or group names). Used for filesystem entries (cp to stdout, export,
// commit layers: type bits in the mode field, as containers/storage writes
// them) and for image archives (save, push to a dir/archive: tarBytes, with
// uid/gid/mtime 0 and the bare mode, as containers/image writes them).
import type {Readable} from 'node:stream'
import {InvalidArchive} from '../define/errors.js'

const BLOCK = 512
const ZERO = Buffer.alloc(BLOCK * 2)
const MAX_OCTAL_8 = 0o7777777
const MAX_OCTAL_12 = 0o77777777777

export type FsEntryType = 'file' | 'dir' | 'symlink' | 'link' | 'char' | 'block' | 'fifo'

export interface TarHeaderFields {
  /** Relative name; directories get a trailing '/'. */
  name: string
  type: FsEntryType
  /** Permission bits incl. setuid/setgid/sticky. */
  mode: number
  uid: number
  gid: number
  /** Seconds since the epoch (truncated to whole seconds). */
  mtime: number
  size: number
  linkname?: string
  devmajor?: number
  devminor?: number
  xattrs?: Map<string, Buffer>
  /** Write `mode` as it is, without the file-type bits (containers/image's archive entries). */
  bareMode?: boolean
}

const TYPEFLAG: Record<FsEntryType, string> = {file: '0', link: '1', symlink: '2', char: '3', block: '4', dir: '5', fifo: '6'}
const TYPEBITS: Record<FsEntryType, number> = {file: 0o100000, link: 0o100000, symlink: 0o120000, char: 0o020000, block: 0o060000, dir: 0o040000, fifo: 0o010000}

function isAscii(s: string): boolean {
  return /^[\x00-\x7f]*$/.test(s)
}

/** Go's splitUSTARPath: prefix (<=155) and name (<=100) split at a slash. */
function splitUstar(name: string): [string, string] | undefined {
  const b = Buffer.byteLength(name)
  if (b <= 100 || !isAscii(name)) return undefined
  let length = b
  if (length > 156) length = 156
  else if (name[length - 1] === '/') length--
  const i = name.lastIndexOf('/', length - 1)
  const nlen = b - i - 1
  if (i <= 0 || nlen > 100 || nlen === 0 || i > 155) return undefined
  return [name.slice(0, i), name.slice(i + 1)]
}

function paxRecord(key: string, value: Buffer | string): Buffer {
  const v = typeof value === 'string' ? Buffer.from(value) : value
  const body = Buffer.byteLength(` ${key}=`) + v.length + 1
  let len = body + String(body).length
  if (String(len).length !== String(len - body).length) len = body + String(len).length
  return Buffer.concat([Buffer.from(`${len} ${key}=`), v, Buffer.from('\n')])
}

function octal(h: Buffer, off: number, len: number, v: number): void {
  h.write(Math.max(0, Math.floor(v)).toString(8).padStart(len - 1, '0').slice(-(len - 1)), off, len - 1, 'latin1')
  h[off + len - 1] = 0
}

function ustarBlock(f: {name: string; prefix: string; mode: number; uid: number; gid: number; size: number; mtime: number; typeflag: string; linkname: string; devmajor: number; devminor: number}): Buffer {
  const h = Buffer.alloc(BLOCK)
  h.write(f.name, 0, 100, 'utf8')
  octal(h, 100, 8, f.mode)
  octal(h, 108, 8, f.uid)
  octal(h, 116, 8, f.gid)
  octal(h, 124, 12, f.size)
  octal(h, 136, 12, f.mtime)
  h.write(f.typeflag, 156, 1, 'latin1')
  h.write(f.linkname, 157, 100, 'utf8')
  h.write('ustar\x0000', 257, 8, 'latin1')
  octal(h, 329, 8, f.devmajor)
  octal(h, 337, 8, f.devminor)
  h.write(f.prefix, 345, 155, 'utf8')
  h.fill(0x20, 148, 156)
  let sum = 0
  for (let i = 0; i < BLOCK; i++) sum += h[i]
  octal(h, 148, 7, sum)
  h[155] = 0x20
  return h
}

function truncateBytes(s: string, max: number): string {
  const b = Buffer.from(s)
  return b.length <= max ? s : b.subarray(0, max).toString('utf8')
}

/** The header block(s) of one entry (a PAX header first when needed). */
export function tarHeader(e: TarHeaderFields): Buffer {
  const linkname = e.linkname ?? ''
  const size = e.type === 'file' ? e.size : 0
  const mtime = Math.floor(e.mtime)
  const recs: Buffer[] = []
  let name = e.name
  let prefix = ''
  if (Buffer.byteLength(name) > 100 || !isAscii(name)) {
    const split = splitUstar(name)
    if (split) [prefix, name] = split
    else {
      recs.push(paxRecord('path', e.name))
      name = truncateBytes(e.name, 100)
    }
  }
  let link = linkname
  if (Buffer.byteLength(linkname) > 100 || !isAscii(linkname)) {
    recs.push(paxRecord('linkpath', linkname))
    link = truncateBytes(linkname, 100)
  }
  const big = (v: number, max: number, key: string) => {
    if (v <= max) return v
    recs.push(paxRecord(key, String(v)))
    return 0
  }
  const uid = big(e.uid, MAX_OCTAL_8, 'uid')
  const gid = big(e.gid, MAX_OCTAL_8, 'gid')
  const sz = big(size, MAX_OCTAL_12, 'size')
  if (mtime < 0 || mtime > MAX_OCTAL_12) recs.push(paxRecord('mtime', String(mtime)))
  if (e.xattrs) for (const [k, v] of [...e.xattrs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) recs.push(paxRecord(`SCHILY.xattr.${k}`, v))
  const block = ustarBlock({
    name, prefix, mode: e.bareMode ? e.mode : (e.mode & 0o7777) | TYPEBITS[e.type], uid, gid, size: sz,
    mtime: mtime < 0 || mtime > MAX_OCTAL_12 ? 0 : mtime, typeflag: TYPEFLAG[e.type], linkname: link,
    devmajor: e.devmajor ?? 0, devminor: e.devminor ?? 0,
  })
  if (recs.length === 0) return block
  // Go names the PAX header dir/PaxHeaders.0/base.
  const clean = e.name.replace(/\/+$/, '')
  const slash = clean.lastIndexOf('/')
  const paxName = truncateBytes(`${slash >= 0 ? clean.slice(0, slash + 1) : ''}PaxHeaders.0/${clean.slice(slash + 1)}`, 100)
  const data = Buffer.concat(recs)
  const pax = ustarBlock({name: isAscii(paxName) ? paxName : 'PaxHeaders.0', prefix: '', mode: 0, uid: 0, gid: 0, size: data.length, mtime: 0, typeflag: 'x', linkname: '', devmajor: 0, devminor: 0})
  return Buffer.concat([pax, data, padding(data.length), block])
}

export function padding(size: number): Buffer {
  return ZERO.subarray(0, (BLOCK - (size % BLOCK)) % BLOCK)
}

/** Go's end of archive: two zero blocks. */
export function tarEnd(): Buffer {
  return ZERO
}

// --- image archives ----------------------------------------------------------

/** An image archive's entry (owner root, mtime 0). */
export type TarEntry =
  | {type: 'file'; name: string; mode?: number; data: Buffer}
  | {type: 'stream'; name: string; mode?: number; size: number; open: () => Readable}
  | {type: 'symlink'; name: string; target: string}
  | {type: 'dir'; name: string; mode?: number}

function archiveHeader(name: string, type: FsEntryType, mode: number, size: number, linkname?: string): Buffer {
  return tarHeader({name, type, mode, uid: 0, gid: 0, mtime: 0, size, linkname, bareMode: true})
}

/** The archive's bytes, entry by entry, then Go's end marker (two zero blocks). */
export async function* tarBytes(entries: Iterable<TarEntry> | AsyncIterable<TarEntry>): AsyncGenerator<Buffer> {
  for await (const e of entries) {
    switch (e.type) {
      case 'file':
        yield archiveHeader(e.name, 'file', e.mode ?? 0o444, e.data.length)
        yield e.data
        yield padding(e.data.length)
        break
      case 'stream': {
        yield archiveHeader(e.name, 'file', e.mode ?? 0o444, e.size)
        let n = 0
        for await (const chunk of e.open()) {
          const b = chunk as Buffer
          n += b.length
          if (n > e.size) throw new InvalidArchive(`${e.name}: content is longer than its recorded size ${e.size}`)
          yield b
        }
        if (n !== e.size) throw new InvalidArchive(`${e.name}: content is ${n} bytes, expected ${e.size}`)
        yield padding(e.size)
        break
      }
      case 'symlink':
        yield archiveHeader(e.name, 'symlink', 0, 0, e.target)
        break
      case 'dir':
        yield archiveHeader(e.name.endsWith('/') ? e.name : e.name + '/', 'dir', e.mode ?? 0o755, 0)
        break
    }
  }
  yield ZERO
}
