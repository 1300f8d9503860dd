// The shared pieces of util/: label filters, time values, the safe path
// resolver and the tar writer (round trip through the layer tar reader).
import {expect} from 'chai'
import {mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {Readable} from 'node:stream'
import {InvalidArgument} from '../../src/libpod/define/errors.js'
import {ByteSource} from '../../src/libpod/storage/byte-source.js'
import {TarReader, type TarEntry as ReadEntry} from '../../src/libpod/storage/tar-reader.js'
import {labelMatches, matchLabelFilters} from '../../src/libpod/util/filters.js'
import {resolveInRoot, secureJoin} from '../../src/libpod/util/safepath.js'
import {parseTime} from '../../src/libpod/util/time.js'
import {padding, tarBytes, tarEnd, tarHeader, type TarHeaderFields} from '../../src/libpod/util/tar-writer.js'

describe('util/filters: label filters', () => {
  const labels = {app: 'web', tier: 'front', empty: ''}
  it('label=key matches any value, label=key=value that value', () => {
    expect(labelMatches(labels, 'app')).to.equal(true)
    expect(labelMatches(labels, 'app=web')).to.equal(true)
    expect(labelMatches(labels, 'app=db')).to.equal(false)
    expect(labelMatches(labels, 'missing')).to.equal(false)
    expect(labelMatches(labels, 'empty')).to.equal(true)
    expect(labelMatches(undefined, 'app')).to.equal(false)
  })
  it('label=key= (empty value) matches any value, as in Podman', () => {
    expect(labelMatches(labels, 'app=')).to.equal(true)
  })
  it('a value may contain "="', () => {
    expect(labelMatches({k: 'a=b'}, 'k=a=b')).to.equal(true)
  })
  it('several label filters must all match; label!= is the negation', () => {
    expect(matchLabelFilters(labels, ['app=web', 'tier'])).to.equal(true)
    expect(matchLabelFilters(labels, ['app=web', 'tier=back'])).to.equal(false)
    expect(!labelMatches(labels, 'tier=back')).to.equal(true)
  })
  it('does not match inherited keys', () => {
    expect(labelMatches({}, 'constructor')).to.equal(false)
  })
})

describe('util/time: since/until values', () => {
  const now = Date.UTC(2024, 4, 10, 12, 0, 0)
  it('a Go duration means now minus it', () => {
    expect(parseTime('10m', now)).to.equal(now - 600_000)
    expect(parseTime('1h30m', now)).to.equal(now - 5_400_000)
    expect(parseTime('1.5h', now)).to.equal(now - 5_400_000)
    expect(parseTime('500ms', now)).to.equal(now - 500)
  })
  it('Unix seconds, with an optional fraction', () => {
    expect(parseTime('1700000000', now)).to.equal(1_700_000_000_000)
    expect(parseTime('1700000000.25', now)).to.equal(1_700_000_000_250)
    expect(parseTime('0', now)).to.equal(0)
  })
  it('RFC3339 with a zone, with and without fractional seconds', () => {
    expect(parseTime('2024-05-10T10:00:00Z', now)).to.equal(Date.UTC(2024, 4, 10, 10))
    expect(parseTime('2024-05-10T10:00:00.5Z', now)).to.equal(Date.UTC(2024, 4, 10, 10) + 500)
    expect(parseTime('2024-05-10T10:00:00.123456789+02:00', now)).to.equal(Date.UTC(2024, 4, 10, 8) + 123.456789)
    expect(parseTime('2024-05-10T10:00:00-01:30', now)).to.equal(Date.UTC(2024, 4, 10, 11, 30))
  })
  it('without a zone: local time; a date alone; partial times', () => {
    expect(parseTime('2024-05-10T10:20:30', now)).to.equal(new Date(2024, 4, 10, 10, 20, 30).getTime())
    expect(parseTime('2024-05-10', now)).to.equal(new Date(2024, 4, 10).getTime())
    expect(parseTime('2024-05-10Z', now)).to.equal(Date.UTC(2024, 4, 10))
    expect(parseTime('2024-05-10T10', now)).to.equal(new Date(2024, 4, 10, 10).getTime())
    expect(parseTime('2024-05-10T10:20', now)).to.equal(new Date(2024, 4, 10, 10, 20).getTime())
  })
  it('refuses anything else with Podman\'s message', () => {
    for (const bad of ['bad', '10x', '2024-13-01', '2023-02-30', '2024-05-10T25:00:00Z', '']) {
      expect(() => parseTime(bad, now), bad).to.throw(InvalidArgument, `failed to parse value as time or duration: ${JSON.stringify(bad)}`)
    }
  })
})

describe('util/safepath: paths inside a root', () => {
  let root: string
  before(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'peapod-safepath-'))
    mkdirSync(path.join(root, 'etc'))
    mkdirSync(path.join(root, 'usr/lib'), {recursive: true})
    writeFileSync(path.join(root, 'etc/passwd'), '')
    symlinkSync('../../../../..', path.join(root, 'up'))
    symlinkSync('/etc', path.join(root, 'abs'))
    symlinkSync('/', path.join(root, 'slash'))
    symlinkSync('usr/lib', path.join(root, 'lib'))
    symlinkSync('loop2', path.join(root, 'loop1'))
    symlinkSync('loop1', path.join(root, 'loop2'))
  })
  after(() => rmSync(root, {recursive: true, force: true}))

  it('a relative symlink that climbs out stays at the root', () => {
    expect(resolveInRoot(root, '/up/etc/passwd')).to.equal('/etc/passwd')
    expect(secureJoin(root, 'up')).to.equal(root)
  })
  it('`..` is clamped at the root', () => {
    expect(resolveInRoot(root, '/../../etc/../../etc/passwd')).to.equal('/etc/passwd')
    expect(secureJoin(root, '..')).to.equal(root)
  })
  it('an absolute symlink is resolved inside the root', () => {
    expect(resolveInRoot(root, '/abs/passwd')).to.equal('/etc/passwd')
    expect(resolveInRoot(root, '/slash/etc')).to.equal('/etc')
    expect(resolveInRoot(root, '/lib/x')).to.equal('/usr/lib/x')
  })
  it('missing components are kept as they are', () => {
    expect(resolveInRoot(root, '/nope/a/../b')).to.equal('/nope/b')
  })
  it('a symlink loop is refused', () => {
    expect(() => secureJoin(root, '/loop1')).to.throw(InvalidArgument, 'too many levels of symbolic links')
  })
})

async function readAll(buf: Buffer): Promise<{entry: ReadEntry; data: Buffer}[]> {
  const r = new TarReader(new ByteSource(Readable.from([buf])))
  const out: {entry: ReadEntry; data: Buffer}[] = []
  for (let e = await r.next(); e; e = await r.next()) {
    out.push({entry: e, data: await r.readDataBuffer()})
    await r.readPadding()
  }
  return out
}

describe('util/tar-writer', () => {
  const base: Omit<TarHeaderFields, 'name' | 'type' | 'size'> = {mode: 0o644, uid: 1000, gid: 1000, mtime: 1_700_000_000}

  it('round-trips filesystem entries, long names and links through the tar reader', async () => {
    const longDir = 'd'.repeat(120) + '/'
    const longName = 'a/' + 'b'.repeat(60) + '/' + 'c'.repeat(70) // > 100 bytes, splits into prefix/name
    const veryLong = 'x'.repeat(300) // no slash: needs PAX
    const longLink = 'l'.repeat(150)
    const data = Buffer.from('hello tar')
    const parts: Buffer[] = []
    const add = (h: TarHeaderFields, body?: Buffer) => {
      parts.push(tarHeader(h))
      if (body) parts.push(body, padding(body.length))
    }
    add({...base, name: longDir, type: 'dir', mode: 0o755, size: 0})
    add({...base, name: longName, type: 'file', size: data.length}, data)
    add({...base, name: veryLong, type: 'file', size: 0, uid: 3_000_000})
    add({...base, name: 'link', type: 'symlink', size: 0, linkname: longLink})
    add({...base, name: 'ünï', type: 'file', size: 0, xattrs: new Map([['user.k', Buffer.from('v')]])})
    parts.push(tarEnd())
    const got = await readAll(Buffer.concat(parts))
    expect(got.map(g => g.entry.name)).to.deep.equal([longDir, longName, veryLong, 'link', 'ünï'])
    expect(got[0].entry.type).to.equal('dir')
    expect(got[0].entry.mode).to.equal(0o755)
    expect(got[1].data.toString()).to.equal('hello tar')
    expect(got[1].entry.uid).to.equal(1000)
    expect(got[1].entry.mtime).to.equal(1_700_000_000)
    expect(got[2].entry.uid).to.equal(3_000_000)
    expect(got[3].entry.type).to.equal('symlink')
    expect(got[3].entry.linkname).to.equal(longLink)
    expect(got[4].entry.xattrs.get('user.k')?.toString()).to.equal('v')
  })

  it('writes image archives (tarBytes) that read back, with the file-type bits left out of the mode', async () => {
    const name = 'blobs/sha256/' + 'f'.repeat(64) + '/' + 'g'.repeat(40) // > 100 bytes
    const chunks: Buffer[] = []
    for await (const b of tarBytes([
      {type: 'dir', name: 'blobs'},
      {type: 'file', name, data: Buffer.from('x')},
      {type: 'stream', name: 'manifest.json', size: 2, open: () => Readable.from([Buffer.from('{}')])},
      {type: 'symlink', name: 'latest', target: 'blobs'},
    ])) chunks.push(b)
    const buf = Buffer.concat(chunks)
    expect(buf.length % 512).to.equal(0)
    expect(buf.subarray(100, 107).toString()).to.equal('0000755') // dir mode, no type bits
    const got = await readAll(buf)
    expect(got.map(g => [g.entry.name, g.entry.type, g.entry.uid, g.entry.mtime])).to.deep.equal([
      ['blobs/', 'dir', 0, 0], [name, 'file', 0, 0], ['manifest.json', 'file', 0, 0], ['latest', 'symlink', 0, 0],
    ])
    expect(got[2].data.toString()).to.equal('{}')
  })

  it('refuses a stream whose content does not have its recorded size', async () => {
    const gen = tarBytes([{type: 'stream', name: 's', size: 5, open: () => Readable.from([Buffer.from('abc')])}])
    let err: unknown
    try {
      for await (const _ of gen) { /* drain */ }
    } catch (e) {
      err = e
    }
    expect((err as Error).message).to.equal('s: content is 3 bytes, expected 5')
  })
})
