// Property tests (fast-check) of what hostile input reaches: the layer
// applier (tar headers, `..`, absolute names, symlinks and hardlinks out of
// the rootfs, long names, random bytes) and Go --format templates. The
// properties: no crash other than our typed errors, no hang, and nothing
// written or read outside the destination. Bounded runs here (CI); raise
// FUZZ_RUNS to run longer by hand. Seeds that found a bug are kept below.
import {expect} from 'chai'
import fc from 'fast-check'
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {Readable} from 'node:stream'
import {PeapodError} from '../../src/libpod/define/errors.js'
import {applyLayer, type ApplyOptions} from '../../src/libpod/storage/apply.js'
import {compileTemplate} from '../../src/libpod/format/template.js'
import {padding, tarEnd, tarHeader, type FsEntryType} from '../../src/libpod/util/tar-writer.js'

const RUNS = Number(process.env.FUZZ_RUNS ?? 150)
const VFS: ApplyOptions = {mode: 'vfs', rootless: true, opaqueXattr: 'user.overlay.opaque'}

interface Entry { name: string; type: FsEntryType; linkname?: string; data: string; mode: number }

const segment = fc.oneof(
  fc.constantFrom('..', '.', '', 'etc', 'a', 'b', 'out', '.wh.a', '.wh..wh..opq', 'x'.repeat(120)),
  fc.stringMatching(/^[a-z]{1,8}$/),
)
const entryName = fc.tuple(fc.boolean(), fc.array(segment, {minLength: 1, maxLength: 6}), fc.boolean())
  .map(([abs, segs, dir]) => `${abs ? '/' : ''}${segs.join('/')}${dir ? '/' : ''}`)
const linkTarget = fc.oneof(entryName, fc.constantFrom('/', '..', '../..', '../../outside', '/outside', '../../../../canary'))
const entry: fc.Arbitrary<Entry> = fc.record({
  name: entryName,
  type: fc.constantFrom<FsEntryType>('file', 'dir', 'symlink', 'link', 'file', 'symlink'),
  linkname: linkTarget,
  data: fc.string({maxLength: 40}),
  mode: fc.constantFrom(0o644, 0o755, 0o4755, 0o2755, 0o1777, 0o000),
})

function tarOf(entries: Entry[]): Buffer {
  const parts: Buffer[] = []
  for (const e of entries) {
    const data = Buffer.from(e.type === 'file' ? e.data : '')
    parts.push(tarHeader({name: e.name, type: e.type, mode: e.mode, uid: 0, gid: 0, mtime: 0, size: data.length,
      linkname: e.type === 'symlink' || e.type === 'link' ? e.linkname : undefined}))
    if (data.length) parts.push(data, padding(data.length))
  }
  parts.push(tarEnd())
  return Buffer.concat(parts)
}

/** Every path below dir, with its content for files (what "outside" must keep). */
function snapshot(dir: string, skip: string): Map<string, string> {
  const out = new Map<string, string>()
  const walk = (d: string) => {
    for (const e of readdirSync(d, {withFileTypes: true})) {
      const p = path.join(d, e.name)
      if (p === skip) continue
      if (e.isDirectory()) walk(p)
      else out.set(p, e.isFile() ? readFileSync(p, 'utf8') : 'other')
    }
  }
  walk(dir)
  return out
}

/** Applies a layer with a time bound: a hang is a failure too. */
async function applyBounded(tar: Buffer, dest: string): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined
  const hang = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('applyLayer hung')), 10_000) })
  try {
    return await Promise.race([applyLayer(Readable.from([tar]), dest, VFS), hang])
  } finally {
    clearTimeout(timer)
  }
}

describe('fuzz: layer applier and templates (fast-check)', function () {
  this.timeout(300_000)
  let tmp: string
  before(() => { tmp = mkdtempSync(path.join(os.tmpdir(), 'peapod-fuzz-')) })
  after(() => rmSync(tmp, {recursive: true, force: true}))

  it('hostile layer tars never write outside the rootfs and fail only with typed errors', async function () {
    let n = 0
    let rejected = 0
    await fc.assert(fc.asyncProperty(fc.array(entry, {minLength: 1, maxLength: 8}), async entries => {
      const sandbox = path.join(tmp, `s${n++}`)
      const dest = path.join(sandbox, 'rootfs')
      mkdirSync(path.join(sandbox, 'etc'), {recursive: true})
      writeFileSync(path.join(sandbox, 'canary'), 'canary')
      writeFileSync(path.join(sandbox, 'etc', 'passwd'), 'root')
      const before = snapshot(sandbox, dest)
      try {
        await applyBounded(tarOf(entries), dest)
      } catch (e) {
        if (!(e instanceof PeapodError)) throw e
        rejected++
      }
      expect(snapshot(sandbox, dest)).to.deep.equal(before)
      rmSync(sandbox, {recursive: true, force: true})
    }), {numRuns: RUNS})
    console.log(`      ${RUNS} layer tars, ${rejected} refused with typed errors`)
  })

  it('random and truncated bytes as a layer fail with typed errors, never hang', async function () {
    let n = 0
    const valid = tarOf([{name: 'a/b', type: 'file', data: 'x', mode: 0o644}, {name: 'a/l', type: 'symlink', linkname: '../../x', data: '', mode: 0o777}])
    const input = fc.oneof(
      fc.uint8Array({maxLength: 3000}).map(b => Buffer.from(b)),
      fc.tuple(fc.nat(valid.length), fc.uint8Array({maxLength: 600})).map(([cut, junk]) => Buffer.concat([valid.subarray(0, cut), Buffer.from(junk)])),
      fc.tuple(fc.nat(valid.length - 1), fc.integer({min: 0, max: 255})).map(([at, byte]) => {
        const b = Buffer.from(valid)
        b[at] = byte
        return b
      }),
    )
    await fc.assert(fc.asyncProperty(input, async bytes => {
      const dest = path.join(tmp, `r${n++}`)
      try {
        await applyBounded(bytes, dest)
      } catch (e) {
        if (!(e instanceof PeapodError)) throw e
      }
      rmSync(dest, {recursive: true, force: true})
    }), {numRuns: RUNS})
  })

  it('Go templates: any source compiles and runs or fails with a TemplateError', function () {
    const token = fc.constantFrom('{{', '}}', '{{-', '-}}', ' ', '.', '.Names', '.ID', '.Labels', '.Missing', '$', '$x', ':=', '=', '|',
      'range', 'end', 'if', 'else', 'with', 'not', 'and', 'or', 'eq', 'len', 'index', 'json', 'upper', 'lower', 'printf', 'join',
      'table', '"s"', '`r`', '1', '-1', '3.5', '(', ')', ',', '\\t', '\n', 'nil', 'true', 'define', 'template', 'block', '/*', '*/')
    const source = fc.array(token, {maxLength: 24}).map(t => t.join(''))
    const data = {ID: 'abc', Names: 'web', Labels: {a: 'b'}, Ports: [1, 2], Nested: {Inner: {Value: 1}}}
    let compiled = 0
    fc.assert(fc.property(source, src => {
      try {
        const t = compileTemplate(src, {name: 'ps'})
        compiled++
        t.execute(data)
        t.execute([data, data])
      } catch (e) {
        if (!(e instanceof PeapodError)) throw new Error(`template ${JSON.stringify(src)}: ${(e as Error).stack}`)
      }
    }), {numRuns: RUNS * 20})
    expect(compiled).to.be.greaterThan(0)
  })
})
