// A tar writer producing the same bytes as Go's archive/tar for the entries
// image archives hold (ustar headers, uid/gid 0, no user names, mtime 0 by
// default), so archives are deterministic and match Podman's.
import type {Readable} from 'node:stream'
import {InvalidArchive} from '../../define/errors.js'

const BLOCK = 512
const ZERO = Buffer.alloc(BLOCK * 2)
/** Largest size a ustar header holds (11 octal digits). */
const MAX_USTAR_SIZE = 8 ** 11 - 1

export type TarEntry =
  | {type: 'file'; name: string; mode?: number; data: Buffer}
  | {type: 'stream'; name: string; mode?: number; size: number; open: () => Readable}
  | {type: 'symlink'; name: string; target: string}
  | {type: 'dir'; name: string; mode?: number}

/** The archive's bytes, entry by entry, then Go's end marker (two zero blocks). */
export async function* tarBytes(entries: Iterable<TarEntry> | AsyncIterable<TarEntry>): AsyncGenerator<Buffer> {
  for await (const e of entries) {
    switch (e.type) {
      case 'file':
        yield* headers(e.name, e.mode ?? 0o444, e.data.length, '0', '')
        yield e.data
        yield padding(e.data.length)
        break
      case 'stream': {
        yield* headers(e.name, e.mode ?? 0o444, e.size, '0', '')
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
        yield* headers(e.name, 0, 0, '2', e.target)
        break
      case 'dir':
        yield* headers(e.name.endsWith('/') ? e.name : e.name + '/', e.mode ?? 0o755, 0, '5', '')
        break
    }
  }
  yield ZERO
}

function padding(size: number): Buffer {
  return ZERO.subarray(0, (BLOCK - (size % BLOCK)) % BLOCK)
}

function* headers(name: string, mode: number, size: number, typeflag: string, linkname: string): Generator<Buffer> {
  const nameBytes = Buffer.byteLength(name)
  const linkBytes = Buffer.byteLength(linkname)
  if (nameBytes > 100 || linkBytes > 100 || size > MAX_USTAR_SIZE) {
    // Go switches to PAX for what ustar cannot hold.
    const recs: string[] = []
    if (nameBytes > 100) recs.push(paxRecord('path', name))
    if (linkBytes > 100) recs.push(paxRecord('linkpath', linkname))
    if (size > MAX_USTAR_SIZE) recs.push(paxRecord('size', String(size)))
    const data = Buffer.from(recs.join(''))
    const base = name.replace(/\/$/, '').split('/').pop()!
    const dir = name.includes('/') ? name.slice(0, name.replace(/\/$/, '').lastIndexOf('/')) + '/' : ''
    yield ustar(truncate(`${dir}PaxHeaders.0/${base}`, 100), 0, data.length, 'x', '')
    yield data
    yield padding(data.length)
    yield ustar(truncate(name, 100), mode, size > MAX_USTAR_SIZE ? 0 : size, typeflag, truncate(linkname, 100))
    return
  }
  yield ustar(name, mode, size, typeflag, linkname)
}

function truncate(s: string, max: number): string {
  let b = Buffer.from(s)
  if (b.length <= max) return s
  b = b.subarray(0, max)
  return b.toString('utf8')
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`
  let len = Buffer.byteLength(body)
  let total = len + String(len).length
  if (String(total).length !== String(len).length) total = len + String(total).length
  return `${total}${body}`
}

function ustar(name: string, mode: number, size: number, typeflag: string, linkname: string): Buffer {
  const h = Buffer.alloc(BLOCK)
  h.write(name, 0, 100, 'utf8')
  octal(h, 100, 8, mode)
  octal(h, 108, 8, 0) // uid
  octal(h, 116, 8, 0) // gid
  octal(h, 124, 12, size)
  octal(h, 136, 12, 0) // mtime
  h.write(typeflag, 156, 1, 'latin1')
  h.write(linkname, 157, 100, 'utf8')
  h.write('ustar\x0000', 257, 8, 'latin1')
  octal(h, 329, 8, 0) // devmajor
  octal(h, 337, 8, 0) // devminor
  h.fill(0x20, 148, 156)
  let sum = 0
  for (let i = 0; i < BLOCK; i++) sum += h[i]
  octal(h, 148, 7, sum)
  h[155] = 0x20
  return h
}

/** Go's formatOctal: zero-padded digits then a NUL. */
function octal(h: Buffer, off: number, len: number, v: number): void {
  h.write(v.toString(8).padStart(len - 1, '0'), off, len - 1, 'latin1')
  h[off + len - 1] = 0
}
