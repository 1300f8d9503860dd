// Layer applier: unpack tars made by GNU tar, busybox and Python (incl. hostile
// ones) in both store modes, and re-export them bit for bit from the tar-split.
import {expect} from 'chai'
import {execFileSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {
  chownSync,
  createReadStream,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
  chmodSync,
} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {Readable} from 'node:stream'
import {gzipSync} from 'node:zlib'
import {InvalidArchive, StorageError} from '../../src/libpod/define/errors.js'
import {applyLayer, layerTarStream, type ApplyOptions, type ApplyResult} from '../../src/libpod/storage/apply.js'

const OVERLAY: ApplyOptions = {mode: 'overlay', rootless: false, opaqueXattr: 'trusted.overlay.opaque'}
const VFS: ApplyOptions = {mode: 'vfs', rootless: false, opaqueXattr: 'trusted.overlay.opaque'}

let tmp: string
let n = 0
const fresh = (name = 'dest') => path.join(tmp, `${name}${n++}`)

function sha256(b: Buffer): string {
  return `sha256:${createHash('sha256').update(b).digest('hex')}`
}

/** Writes a tar with Python's tarfile; the script sees `out` (path) and `tarfile`, `io`. */
function pyTar(body: string, format = 'PAX_FORMAT'): string {
  const out = fresh('py') + '.tar'
  const script = `import tarfile, io, sys\nout = sys.argv[1]\ndef data(ti, b):\n    ti.size = len(b)\n    return io.BytesIO(b)\nwith tarfile.open(out, 'w', format=tarfile.${format}) as t:\n${body
    .split('\n')
    .map((l) => '    ' + l)
    .join('\n')}\n`
  execFileSync('python3', ['-c', script, out])
  return out
}

async function apply(input: Buffer | string, opts: ApplyOptions = OVERLAY, dest = fresh()): Promise<{dest: string; r: ApplyResult}> {
  const stream = typeof input === 'string' ? createReadStream(input) : Readable.from([input])
  const r = await applyLayer(stream, dest, opts)
  return {dest, r}
}

async function exported(dest: string, split: Buffer): Promise<Buffer> {
  const parts: Buffer[] = []
  for await (const c of layerTarStream(dest, split)) parts.push(c as Buffer)
  return Buffer.concat(parts)
}

/** Applies and checks diffID, size and the bit-exact re-export. */
async function roundTrip(tarFile: string, opts: ApplyOptions = OVERLAY): Promise<string> {
  const bytes = readFileSync(tarFile)
  const {dest, r} = await apply(tarFile, opts)
  expect(r.diffId).to.equal(sha256(bytes))
  expect(r.size).to.equal(bytes.length)
  expect(r.compressedDigest).to.equal(undefined)
  const again = await exported(dest, r.tarSplit)
  expect(again.length).to.equal(bytes.length)
  expect(sha256(again)).to.equal(r.diffId)
  return dest
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p
  } catch (e) {
    return e as Error
  }
  throw new Error('expected a rejection')
}

function getxattr(file: string, name: string): Buffer | undefined {
  try {
    return execFileSync('getfattr', ['-h', '--only-values', '-n', name, file], {stdio: ['ignore', 'pipe', 'ignore']})
  } catch {
    return undefined
  }
}

const major = (rdev: number) => (rdev >> 8) & 0xfff
const minor = (rdev: number) => (rdev & 0xff) | ((rdev >> 12) & 0xfff00)

/** A small tree exercising every file type GNU tar can archive. */
function makeTree(): string {
  const root = fresh('tree')
  mkdirSync(path.join(root, 'etc/sub'), {recursive: true})
  writeFileSync(path.join(root, 'etc/hosts'), '127.0.0.1 localhost\n')
  writeFileSync(path.join(root, 'etc/empty'), '')
  writeFileSync(path.join(root, 'big'), Buffer.alloc(3 * 1024 * 1024 + 123, 7))
  const longDir = path.join(root, 'a'.repeat(60), 'b'.repeat(60))
  mkdirSync(longDir, {recursive: true})
  writeFileSync(path.join(longDir, 'c'.repeat(90)), 'long name\n')
  symlinkSync('/etc/hosts', path.join(root, 'abs-link'))
  symlinkSync('x'.repeat(150), path.join(root, 'long-link'))
  execFileSync('ln', [path.join(root, 'etc/hosts'), path.join(root, 'etc/hosts.hard')])
  writeFileSync(path.join(root, 'suid'), '#!/bin/sh\n')
  chownSync(path.join(root, 'suid'), 1000, 1001)
  chmodSync(path.join(root, 'suid'), 0o4755)
  chmodSync(path.join(root, 'etc/sub'), 0o1777)
  execFileSync('mkfifo', [path.join(root, 'fifo')])
  execFileSync('mknod', [path.join(root, 'null'), 'c', '1', '3'])
  execFileSync('setfattr', ['-n', 'user.peapod', '-v', 'hello', path.join(root, 'etc/hosts')])
  utimesSync(path.join(root, 'etc'), 1500000000, 1500000000)
  return root
}

describe('applyLayer', function () {
  this.timeout(60_000)

  before(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'peapod-apply-'))
  })
  after(() => {
    rmSync(tmp, {recursive: true, force: true})
  })

  describe('GNU tar archives', () => {
    for (const format of ['gnu', 'oldgnu', 'posix', 'ustar']) {
      it(`unpacks and re-exports --format=${format} exactly`, async () => {
        const tree = makeTree()
        const tarFile = fresh(format) + '.tar'
        const members = format === 'ustar' || format === 'oldgnu' ? ['etc', 'big', 'suid', 'fifo', 'null', 'abs-link'] : ['.']
        const xattrs = format === 'posix' ? ['--xattrs', '--xattrs-include=user.*'] : []
        execFileSync('tar', [...xattrs, `--format=${format}`, '-cf', tarFile, '-C', tree, ...members])
        const dest = await roundTrip(tarFile)
        expect(readFileSync(path.join(dest, 'etc/hosts'), 'utf8')).to.equal('127.0.0.1 localhost\n')
        expect(readFileSync(path.join(dest, 'etc/empty')).length).to.equal(0)
        expect(readFileSync(path.join(dest, 'big')).equals(Buffer.alloc(3 * 1024 * 1024 + 123, 7))).to.equal(true)
        const suid = lstatSync(path.join(dest, 'suid'))
        expect(suid.mode & 0o7777).to.equal(0o4755)
        expect([suid.uid, suid.gid]).to.deep.equal([1000, 1001])
        expect(lstatSync(path.join(dest, 'etc/sub')).mode & 0o7777).to.equal(0o1777)
        expect(lstatSync(path.join(dest, 'etc')).mtimeMs).to.equal(1500000000 * 1000)
        expect(lstatSync(path.join(dest, 'fifo')).isFIFO()).to.equal(true)
        const dev = lstatSync(path.join(dest, 'null'))
        expect(dev.isCharacterDevice()).to.equal(true)
        expect([major(dev.rdev), minor(dev.rdev)]).to.deep.equal([1, 3])
        expect(readlinkSync(path.join(dest, 'abs-link'))).to.equal('/etc/hosts')
        if (format !== 'ustar' && format !== 'oldgnu') {
          const long = path.join(dest, 'a'.repeat(60), 'b'.repeat(60), 'c'.repeat(90))
          expect(readFileSync(long, 'utf8')).to.equal('long name\n')
          expect(readlinkSync(path.join(dest, 'long-link'))).to.equal('x'.repeat(150))
          const hard = lstatSync(path.join(dest, 'etc/hosts.hard'))
          expect(hard.ino).to.equal(lstatSync(path.join(dest, 'etc/hosts')).ino)
          expect(hard.nlink).to.equal(2)
        }
        if (format === 'posix') expect(getxattr(path.join(dest, 'etc/hosts'), 'user.peapod')?.toString()).to.equal('hello')
      })
    }

    it('unpacks a gzip layer and reports both digests', async () => {
      const tree = makeTree()
      const tarFile = fresh('gz') + '.tar'
      execFileSync('tar', ['-cf', tarFile, '-C', tree, '.'])
      const tar = readFileSync(tarFile)
      const gz = gzipSync(tar)
      const {dest, r} = await apply(gz)
      expect(r.diffId).to.equal(sha256(tar))
      expect(r.compressedDigest).to.equal(sha256(gz))
      expect(r.size).to.equal(tar.length)
      expect(sha256(await exported(dest, r.tarSplit))).to.equal(r.diffId)
    })

    it('re-exports busybox tar archives exactly', async () => {
      const tree = makeTree()
      const tarFile = fresh('bb') + '.tar'
      execFileSync('busybox', ['tar', '-cf', tarFile, '-C', tree, 'etc', 'big', 'suid', 'abs-link'])
      const dest = await roundTrip(tarFile)
      expect(readFileSync(path.join(dest, 'etc/hosts'), 'utf8')).to.equal('127.0.0.1 localhost\n')
    })
  })

  describe('exact re-export of odd archives', () => {
    it('keeps non-zero padding, extra trailing blocks and garbage after the end', async () => {
      const base = readFileSync(pyTar(`ti = tarfile.TarInfo('f')\nt.addfile(ti, data(ti, b'abc'))`, 'GNU_FORMAT'))
      const odd = Buffer.from(base)
      odd.fill(0x5a, 512 + 3, 1024) // padding after the 3 data bytes
      const withJunk = Buffer.concat([odd, Buffer.alloc(4096), Buffer.from('trailing junk')])
      const file = fresh('odd') + '.tar'
      writeFileSync(file, withJunk)
      const dest = await roundTrip(file)
      expect(readFileSync(path.join(dest, 'f'), 'utf8')).to.equal('abc')
    })

    it('accepts an archive without end-of-archive blocks', async () => {
      const base = readFileSync(pyTar(`ti = tarfile.TarInfo('f')\nt.addfile(ti, data(ti, b'x' * 600))`, 'USTAR_FORMAT'))
      const file = fresh('noend') + '.tar'
      writeFileSync(file, base.subarray(0, 512 + 1024))
      await roundTrip(file)
    })

    it('keeps the data of an entry that a later entry overwrote', async () => {
      const file = pyTar(
        [
          `ti = tarfile.TarInfo('d'); ti.type = tarfile.DIRTYPE; t.addfile(ti)`,
          `ti = tarfile.TarInfo('d/f'); t.addfile(ti, data(ti, b'first version'))`,
          `ti = tarfile.TarInfo('g'); t.addfile(ti, data(ti, b'g1'))`,
          `ti = tarfile.TarInfo('g'); t.addfile(ti, data(ti, b'g2 longer'))`,
          `ti = tarfile.TarInfo('d'); ti.type = tarfile.SYMTYPE; ti.linkname = 'elsewhere'; t.addfile(ti)`,
        ].join('\n'),
      )
      for (const opts of [OVERLAY, VFS]) {
        const dest = await roundTrip(file, opts)
        expect(readFileSync(path.join(dest, 'g'), 'utf8')).to.equal('g2 longer')
        expect(readlinkSync(path.join(dest, 'd'))).to.equal('elsewhere')
      }
    })

    it('handles PAX global headers, PAX long names and base-256 numbers', async () => {
      const file = pyTar(
        [
          `t.pax_headers = {'comment': 'global'}`,
          `ti = tarfile.TarInfo('p/' + 'n' * 200); ti.uid = 3000000; ti.mtime = 1600000000.5; t.addfile(ti, data(ti, b'pax'))`,
          `ti = tarfile.TarInfo('ü-utf8'); t.addfile(ti, data(ti, b'u'))`,
        ].join('\n'),
      )
      const dest = await roundTrip(file)
      const st = lstatSync(path.join(dest, 'p', 'n'.repeat(200)))
      expect(st.uid).to.equal(3000000)
      expect(st.mtimeMs).to.be.closeTo(1600000000500, 1)
      expect(readFileSync(path.join(dest, 'ü-utf8'), 'utf8')).to.equal('u')

      const gnu = pyTar(`ti = tarfile.TarInfo('big-uid'); ti.uid = 0o77777777 + 5; t.addfile(ti, data(ti, b'b'))`, 'GNU_FORMAT')
      const dest2 = await roundTrip(gnu)
      expect(lstatSync(path.join(dest2, 'big-uid')).uid).to.equal(0o77777777 + 5)
    })

    it('round-trips an empty input and an all-zeros layer', async () => {
      const {dest, r} = await apply(Buffer.alloc(0))
      expect(r.size).to.equal(0)
      expect(r.diffId).to.equal(sha256(Buffer.alloc(0)))
      expect((await exported(dest, r.tarSplit)).length).to.equal(0)
      const file = fresh('zeros') + '.tar'
      writeFileSync(file, Buffer.alloc(1024))
      await roundTrip(file)
    })
  })

  describe('security', () => {
    it('refuses ../ escapes', async () => {
      const file = pyTar(`ti = tarfile.TarInfo('a/../../evil'); t.addfile(ti, data(ti, b'x'))`)
      const err = await rejection(apply(file))
      expect(err).to.be.instanceOf(InvalidArchive)
      expect(err.message).to.contain('a/../../evil').and.contain('escapes')
      expect(existsSync(path.join(tmp, 'evil'))).to.equal(false)
    })

    it('makes absolute paths relative', async () => {
      const file = pyTar(`ti = tarfile.TarInfo('/abs/file'); t.addfile(ti, data(ti, b'x'))\nti = tarfile.TarInfo('/../top'); t.addfile(ti, data(ti, b'y'))`)
      const dest = await roundTrip(file)
      expect(readFileSync(path.join(dest, 'abs/file'), 'utf8')).to.equal('x')
      expect(readFileSync(path.join(dest, 'top'), 'utf8')).to.equal('y')
    })

    it('resolves symlinks in the layer chroot-style and never writes outside', async () => {
      const outside = fresh('outside')
      mkdirSync(outside)
      const rel = path.relative('/', outside)
      const file = pyTar(
        [
          `ti = tarfile.TarInfo('root'); ti.type = tarfile.SYMTYPE; ti.linkname = '/'; t.addfile(ti)`,
          `ti = tarfile.TarInfo('root/foo'); t.addfile(ti, data(ti, b'foo'))`,
          `ti = tarfile.TarInfo('up'); ti.type = tarfile.SYMTYPE; ti.linkname = '../../../../../../..'; t.addfile(ti)`,
          `ti = tarfile.TarInfo('up/passwd'); t.addfile(ti, data(ti, b'pw'))`,
          `ti = tarfile.TarInfo('host'); ti.type = tarfile.SYMTYPE; ti.linkname = '${outside}'; t.addfile(ti)`,
          `ti = tarfile.TarInfo('host/planted'); t.addfile(ti, data(ti, b'p'))`,
          `ti = tarfile.TarInfo('lib'); ti.type = tarfile.SYMTYPE; ti.linkname = 'usr/lib'; t.addfile(ti)`,
          `ti = tarfile.TarInfo('lib/x.so'); t.addfile(ti, data(ti, b'so'))`,
          `ti = tarfile.TarInfo('target'); t.addfile(ti, data(ti, b'old'))`,
          `ti = tarfile.TarInfo('ln'); ti.type = tarfile.SYMTYPE; ti.linkname = 'target'; t.addfile(ti)`,
          `ti = tarfile.TarInfo('ln'); t.addfile(ti, data(ti, b'replaced the link, not the target'))`,
        ].join('\n'),
      )
      for (const opts of [OVERLAY, VFS]) {
        const dest = await roundTrip(file, opts)
        expect(readFileSync(path.join(dest, 'foo'), 'utf8')).to.equal('foo')
        expect(readFileSync(path.join(dest, 'passwd'), 'utf8')).to.equal('pw')
        expect(readFileSync(path.join(dest, rel, 'planted'), 'utf8')).to.equal('p')
        expect(readdirSync(outside)).to.deep.equal([])
        expect(readFileSync(path.join(dest, 'usr/lib/x.so'), 'utf8')).to.equal('so')
        expect(readFileSync(path.join(dest, 'target'), 'utf8')).to.equal('old')
        expect(lstatSync(path.join(dest, 'ln')).isFile()).to.equal(true)
        expect(readlinkSync(path.join(dest, 'root'))).to.equal('/')
      }
    })

    it('fails on symlink loops instead of following them', async () => {
      const file = pyTar(
        `ti = tarfile.TarInfo('etc'); ti.type = tarfile.SYMTYPE; ti.linkname = '/etc'; t.addfile(ti)\nti = tarfile.TarInfo('etc/peapod-test-hostile'); t.addfile(ti, data(ti, b'x'))`,
      )
      const err = await rejection(apply(file))
      expect(err).to.be.instanceOf(InvalidArchive)
      expect(err.message).to.contain('etc/peapod-test-hostile')
      expect(existsSync('/etc/peapod-test-hostile')).to.equal(false)
    })

    it('drops deferred work below a directory that a later entry turns into a symlink', async () => {
      const outside = fresh('outside')
      mkdirSync(path.join(outside, 'sub'), {recursive: true})
      writeFileSync(path.join(outside, 'f'), 'host')
      utimesSync(path.join(outside, 'sub'), 1000, 1000)
      const file = pyTar(
        [
          `ti = tarfile.TarInfo('d'); ti.type = tarfile.DIRTYPE; t.addfile(ti)`,
          `ti = tarfile.TarInfo('d/sub'); ti.type = tarfile.DIRTYPE; ti.mtime = 2000; t.addfile(ti)`,
          `ti = tarfile.TarInfo('d/fifo'); ti.type = tarfile.FIFOTYPE; t.addfile(ti)`,
          `ti = tarfile.TarInfo('d/f'); ti.pax_headers = {'SCHILY.xattr.user.evil': 'x'}; t.addfile(ti, data(ti, b'layer'))`,
          `ti = tarfile.TarInfo('d/.wh.gone'); t.addfile(ti, data(ti, b''))`,
          `ti = tarfile.TarInfo('d'); ti.type = tarfile.SYMTYPE; ti.linkname = '${outside}'; t.addfile(ti)`,
        ].join('\n'),
      )
      const dest = await roundTrip(file)
      expect(readlinkSync(path.join(dest, 'd'))).to.equal(outside)
      expect(readdirSync(outside).sort()).to.deep.equal(['f', 'sub'])
      expect(lstatSync(path.join(outside, 'sub')).mtimeMs).to.equal(1000_000)
      expect(getxattr(path.join(outside, 'f'), 'user.evil')).to.equal(undefined)
    })

    it('refuses hardlinks outside the layer or to missing files', async () => {
      const cases = [
        `ti = tarfile.TarInfo('h'); ti.type = tarfile.LNKTYPE; ti.linkname = '../../etc/passwd'; t.addfile(ti)`,
        `ti = tarfile.TarInfo('h'); ti.type = tarfile.LNKTYPE; ti.linkname = '/etc/passwd'; t.addfile(ti)`,
        `ti = tarfile.TarInfo('s'); ti.type = tarfile.SYMTYPE; ti.linkname = '/etc'; t.addfile(ti)\nti = tarfile.TarInfo('h'); ti.type = tarfile.LNKTYPE; ti.linkname = 's/passwd'; t.addfile(ti)`,
        `ti = tarfile.TarInfo('h'); ti.type = tarfile.LNKTYPE; ti.linkname = 'missing'; t.addfile(ti)`,
      ]
      for (const body of cases) {
        const err = await rejection(apply(pyTar(body)))
        expect(err).to.be.instanceOf(InvalidArchive)
        expect(err.message).to.match(/^invalid hardlink "h"/)
      }
    })

    it('makes hardlinks through in-layer symlinks to the in-layer file', async () => {
      const file = pyTar(
        [
          `ti = tarfile.TarInfo('real/f'); t.addfile(ti, data(ti, b'data'))`,
          `ti = tarfile.TarInfo('s'); ti.type = tarfile.SYMTYPE; ti.linkname = '/real'; t.addfile(ti)`,
          `ti = tarfile.TarInfo('h'); ti.type = tarfile.LNKTYPE; ti.linkname = 's/f'; t.addfile(ti)`,
        ].join('\n'),
      )
      const dest = await roundTrip(file)
      expect(lstatSync(path.join(dest, 'h')).ino).to.equal(lstatSync(path.join(dest, 'real/f')).ino)
    })
  })

  describe('special files', () => {
    const devices = [
      `ti = tarfile.TarInfo('dev/null'); ti.type = tarfile.CHRTYPE; ti.devmajor = 1; ti.devminor = 3; ti.mode = 0o666; t.addfile(ti)`,
      `ti = tarfile.TarInfo('dev/loop0'); ti.type = tarfile.BLKTYPE; ti.devmajor = 7; ti.devminor = 0; ti.mode = 0o660; ti.gid = 6; t.addfile(ti)`,
      `ti = tarfile.TarInfo('run/fifo'); ti.type = tarfile.FIFOTYPE; ti.mode = 0o4620; ti.uid = 5; ti.mtime = 1234567890; t.addfile(ti)`,
      `ti = tarfile.TarInfo('run/fifo2'); ti.type = tarfile.LNKTYPE; ti.linkname = 'run/fifo'; t.addfile(ti)`,
    ].join('\n')

    it('creates device nodes and FIFOs with their owners, modes and times', async () => {
      const dest = await roundTrip(pyTar(devices))
      const nul = lstatSync(path.join(dest, 'dev/null'))
      expect(nul.isCharacterDevice()).to.equal(true)
      expect([major(nul.rdev), minor(nul.rdev), nul.mode & 0o7777]).to.deep.equal([1, 3, 0o666])
      const loop = lstatSync(path.join(dest, 'dev/loop0'))
      expect(loop.isBlockDevice()).to.equal(true)
      expect([major(loop.rdev), minor(loop.rdev), loop.gid, loop.mode & 0o7777]).to.deep.equal([7, 0, 6, 0o660])
      const fifo = lstatSync(path.join(dest, 'run/fifo'))
      expect(fifo.isFIFO()).to.equal(true)
      expect([fifo.uid, fifo.mode & 0o7777, fifo.mtimeMs]).to.deep.equal([5, 0o4620, 1234567890000])
      expect(lstatSync(path.join(dest, 'run/fifo2')).isFIFO()).to.equal(true)
    })

    it('passes odd file names to mknod, mkfifo and setfattr literally', async () => {
      const names = ['sp ace', '$(touch pwned)', `q'uo"te\\`, 'new\nline', '-rf', 'tab\there', 'ümlaut', '.wh-not']
      const file = pyTar(
        names
          .flatMap((name, i) => [
            `ti = tarfile.TarInfo('n/c${i}' + ${JSON.stringify(name)}); ti.type = tarfile.CHRTYPE; ti.devmajor = 1; ti.devminor = 5; t.addfile(ti)`,
            `ti = tarfile.TarInfo('n/p${i}' + ${JSON.stringify(name)}); ti.type = tarfile.FIFOTYPE; t.addfile(ti)`,
            `ti = tarfile.TarInfo('n/x${i}' + ${JSON.stringify(name)}); ti.pax_headers = {'SCHILY.xattr.user.k': 'v${i}'}; t.addfile(ti, data(ti, b''))`,
            `ti = tarfile.TarInfo('n/.wh.w${i}' + ${JSON.stringify(name)}); t.addfile(ti, data(ti, b''))`,
          ])
          .join('\n'),
      )
      const dest = await roundTrip(file)
      const cwd = process.cwd()
      names.forEach((name, i) => {
        expect(lstatSync(path.join(dest, 'n', `c${i}${name}`)).isCharacterDevice(), name).to.equal(true)
        expect(lstatSync(path.join(dest, 'n', `p${i}${name}`)).isFIFO(), name).to.equal(true)
        expect(lstatSync(path.join(dest, 'n', `w${i}${name}`)).rdev, name).to.equal(0)
        expect(getxattr(path.join(dest, 'n', `x${i}${name}`), 'user.k')?.toString(), name).to.equal(`v${i}`)
      })
      expect(existsSync(path.join(cwd, 'pwned'))).to.equal(false)
      expect(readdirSync(path.join(dest, 'n')).length).to.equal(names.length * 4)
    })

    it('skips block and char devices when rootless', async () => {
      const dest = await roundTrip(pyTar(devices), {...OVERLAY, rootless: true})
      expect(existsSync(path.join(dest, 'dev/null'))).to.equal(false)
      expect(existsSync(path.join(dest, 'dev/loop0'))).to.equal(false)
      expect(lstatSync(path.join(dest, 'run/fifo')).isFIFO()).to.equal(true)
    })

    it('sets xattrs from SCHILY.xattr records, binary values included', async () => {
      const cap = "b'\\x01\\x00\\x00\\x02\\x00\\x04\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00'"
      const file = pyTar(
        [
          `ti = tarfile.TarInfo('bin/ping'); ti.mode = 0o755; ti.pax_headers = {'SCHILY.xattr.security.capability': ${cap}.decode('latin1'), 'SCHILY.xattr.user.note': 'hi'}`,
          `t.addfile(ti, data(ti, b'elf'))`,
          `ti = tarfile.TarInfo('bin/sym'); ti.type = tarfile.SYMTYPE; ti.linkname = 'ping'; ti.pax_headers = {'SCHILY.xattr.user.x': 'no'}; t.addfile(ti)`,
          `ti = tarfile.TarInfo('o'); ti.pax_headers = {'SCHILY.xattr.trusted.overlay.redirect': '/etc'}; t.addfile(ti, data(ti, b''))`,
        ].join('\n'),
      )
      // Python writes PAX values as UTF-8: produce the raw capability bytes via surrogateescape instead.
      const patched = execFileSync('python3', [
        '-c',
        `import tarfile,sys\nsrc=tarfile.open(sys.argv[1], encoding='utf-8', errors='surrogateescape')\nout=tarfile.open(sys.argv[2],'w',format=tarfile.PAX_FORMAT, encoding='utf-8', errors='surrogateescape')\nfor m in src.getmembers():\n    if 'SCHILY.xattr.security.capability' in m.pax_headers:\n        m.pax_headers['SCHILY.xattr.security.capability'] = ${cap}.decode('utf-8','surrogateescape')\n    out.addfile(m, src.extractfile(m) if m.isreg() else None)\nout.close()\nprint('ok')`,
        file,
        file + '.2',
      ])
      expect(patched.toString().trim()).to.equal('ok')
      const dest = await roundTrip(file + '.2')
      const capValue = getxattr(path.join(dest, 'bin/ping'), 'security.capability')
      expect(capValue?.toString('hex')).to.equal('0100000200040000000000000000000000000000')
      expect(getxattr(path.join(dest, 'bin/ping'), 'user.note')?.toString()).to.equal('hi')
      expect(getxattr(path.join(dest, 'o'), 'trusted.overlay.redirect')).to.equal(undefined)
    })
  })

  describe('whiteouts', () => {
    const layer = () =>
      pyTar(
        [
          `ti = tarfile.TarInfo('.wh.gone'); t.addfile(ti, data(ti, b''))`,
          `ti = tarfile.TarInfo('d'); ti.type = tarfile.DIRTYPE; ti.mode = 0o755; t.addfile(ti)`,
          `ti = tarfile.TarInfo('d/.wh..wh..opq'); t.addfile(ti, data(ti, b''))`,
          `ti = tarfile.TarInfo('d/new'); t.addfile(ti, data(ti, b'new'))`,
          `ti = tarfile.TarInfo('d/sub/keep'); t.addfile(ti, data(ti, b'k'))`,
          `ti = tarfile.TarInfo('mine'); t.addfile(ti, data(ti, b'same layer'))`,
          `ti = tarfile.TarInfo('.wh.mine'); t.addfile(ti, data(ti, b''))`,
          `ti = tarfile.TarInfo('x/.wh.olddir'); ti.uid = 7; t.addfile(ti, data(ti, b''))`,
          `ti = tarfile.TarInfo('.wh..wh.plnk'); ti.type = tarfile.DIRTYPE; t.addfile(ti)`,
          `ti = tarfile.TarInfo('.wh..wh.plnk/123.456'); t.addfile(ti, data(ti, b'aufs'))`,
        ].join('\n'),
      )

    for (const opaqueXattr of ['trusted.overlay.opaque', 'user.overlay.opaque']) {
      it(`overlay: makes 0:0 char devices and sets ${opaqueXattr}`, async () => {
        const dest = await roundTrip(layer(), {...OVERLAY, opaqueXattr})
        const gone = lstatSync(path.join(dest, 'gone'))
        expect(gone.isCharacterDevice()).to.equal(true)
        expect([gone.rdev, gone.mode & 0o7777]).to.deep.equal([0, 0])
        expect(lstatSync(path.join(dest, 'x/olddir')).uid).to.equal(7)
        expect(getxattr(path.join(dest, 'd'), opaqueXattr)?.toString()).to.equal('y')
        expect(readFileSync(path.join(dest, 'mine'), 'utf8')).to.equal('same layer')
        expect(existsSync(path.join(dest, '.wh.gone'))).to.equal(false)
        expect(existsSync(path.join(dest, '.wh..wh.plnk'))).to.equal(false)
        expect(readdirSync(path.join(dest, 'd')).sort()).to.deep.equal(['new', 'sub'])
      })
    }

    it('vfs: deletes whited-out paths and empties opaque dirs of parent content only', async () => {
      const dest = fresh('vfs')
      mkdirSync(path.join(dest, 'gone/deep'), {recursive: true})
      writeFileSync(path.join(dest, 'gone/deep/f'), 'parent')
      mkdirSync(path.join(dest, 'd/sub'), {recursive: true})
      writeFileSync(path.join(dest, 'd/old'), 'parent')
      writeFileSync(path.join(dest, 'd/sub/old'), 'parent')
      mkdirSync(path.join(dest, 'x/olddir'), {recursive: true})
      writeFileSync(path.join(dest, 'kept'), 'parent')
      const file = layer()
      const r = await applyLayer(createReadStream(file), dest, VFS)
      expect(sha256(await exported(dest, r.tarSplit))).to.equal(sha256(readFileSync(file)))
      expect(existsSync(path.join(dest, 'gone'))).to.equal(false)
      expect(existsSync(path.join(dest, 'x/olddir'))).to.equal(false)
      expect(readdirSync(path.join(dest, 'd')).sort()).to.deep.equal(['new', 'sub'])
      expect(readdirSync(path.join(dest, 'd/sub'))).to.deep.equal(['keep'])
      expect(readFileSync(path.join(dest, 'kept'), 'utf8')).to.equal('parent')
      expect(readFileSync(path.join(dest, 'mine'), 'utf8')).to.equal('same layer')
      expect(getxattr(path.join(dest, 'd'), 'trusted.overlay.opaque')).to.equal(undefined)
    })
  })

  describe('layerTarStream', () => {
    it('fails when the layer content changed', async () => {
      const file = pyTar(`ti = tarfile.TarInfo('f'); t.addfile(ti, data(ti, b'abc'))`)
      const {dest, r} = await apply(file)
      writeFileSync(path.join(dest, 'f'), 'abcd')
      const err = await rejection(exported(dest, r.tarSplit))
      expect(err).to.be.instanceOf(StorageError)
      expect(err.message).to.match(/^layer content changed: f/)
    })

    it('creates thousands of whiteouts in batches and sets dir mtimes last', async () => {
      const file = pyTar(
        [
          `ti = tarfile.TarInfo('w'); ti.type = tarfile.DIRTYPE; ti.mtime = 1111111111; t.addfile(ti)`,
          `for i in range(3000):`,
          `    ti = tarfile.TarInfo('w/.wh.' + str(i) + 'x' * 200); t.addfile(ti, data(ti, b''))`,
        ].join('\n'),
      )
      const dest = await roundTrip(file)
      const names = readdirSync(path.join(dest, 'w'))
      expect(names.length).to.equal(3000)
      expect(lstatSync(path.join(dest, 'w', names[0])).isCharacterDevice()).to.equal(true)
      expect(lstatSync(path.join(dest, 'w')).mtimeMs).to.equal(1111111111000)
    })
  })

  describe('errors', () => {
    const good = () => readFileSync(pyTar(`ti = tarfile.TarInfo('f'); t.addfile(ti, data(ti, b'z' * 5000))`))

    it('reports a truncated layer', async () => {
      for (const cut of [100, 512 + 2000, 512 + 5000 + 10]) {
        const err = await rejection(apply(good().subarray(0, cut)))
        expect(err).to.be.instanceOf(InvalidArchive)
        expect(err.message).to.match(/^unexpected EOF in layer/)
      }
    })

    it('reports a corrupt header or garbage', async () => {
      const bad = good()
      bad[10] ^= 0xff
      const err = await rejection(apply(bad))
      expect(err).to.be.instanceOf(InvalidArchive)
      expect(err.message).to.match(/^invalid tar header at offset 0 \(bad checksum\)/)
      const garbage = await rejection(apply(Buffer.from('this is not a tar archive at all '.repeat(40))))
      expect(garbage).to.be.instanceOf(InvalidArchive)
      expect(garbage.message).to.match(/^invalid tar header/)
    })

    it('reports a truncated gzip stream', async () => {
      const gz = gzipSync(good())
      const err = await rejection(apply(gz.subarray(0, gz.length - 20)))
      expect(err).to.be.instanceOf(InvalidArchive)
      expect(err.message).to.match(/^invalid compressed layer/)
    })

    it('refuses zstd layers when node:zlib has no zstd', async function () {
      const zlib = await import('node:zlib')
      if ('createZstdDecompress' in zlib) this.skip()
      const zst = execFileSync('zstd', ['-c', '-q'], {input: good()})
      const err = await rejection(apply(zst))
      expect(err).to.be.instanceOf(InvalidArchive)
      expect(err.message).to.equal('zstd layers are not supported')
    })

    it('names unmapped uids/gids', async () => {
      const file = pyTar(`ti = tarfile.TarInfo('etc/gshadow'); ti.gid = 4294967295; t.addfile(ti, data(ti, b''))`)
      const err = await rejection(apply(file))
      expect(err).to.be.instanceOf(StorageError)
      expect(err.message).to.equal(
        'potentially insufficient UIDs or GIDs available in user namespace (requested 0:4294967295 for /etc/gshadow): Check /etc/subuid and /etc/subgid',
      )
    })

    it('closes the input and leaves no open files behind', async () => {
      const fds = () => readdirSync('/proc/self/fd').map((fd) => { try { return readlinkSync(`/proc/self/fd/${fd}`) } catch { return '' } }).sort()
      const file = fresh('trunc') + '.tar'
      writeFileSync(file, good().subarray(0, 3000))
      await rejection(apply(file))
      const before = fds()
      for (let i = 0; i < 5; i += 1) await rejection(apply(file))
      await new Promise((r) => setTimeout(r, 50))
      expect(fds()).to.deep.equal(before)
    })
  })
})
