// Property tests (fast-check) of what a registry sends: manifests and configs
// with wrong digests, sizes and media types, broken or huge documents,
// corrupt or truncated gzip/zstd layers; served by a small in-process
// registry and pulled into a private store. The properties: the pull
// succeeds only with a consistent image, else fails with a typed error
// (never an uncaught one, never a hang), and a failed pull leaves the store
// as it was (no image, layer or staging file). FUZZ_RUNS raises the count.
import {expect} from 'chai'
import fc from 'fast-check'
import {createHash} from 'node:crypto'
import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import os from 'node:os'
import path from 'node:path'
import {Readable} from 'node:stream'
import {spawnSync} from 'node:child_process'
import {gzipSync} from 'node:zlib'
import {PeapodError} from '../../src/libpod/define/errors.js'
import {Runtime} from '../../src/libpod/runtime.js'
import {pullImages} from '../../src/libpod/image/pull.js'
import {decompress} from '../../src/libpod/storage/decompress.js'
import {manifestType, parseImageManifest, parseManifestList} from '../../src/libpod/image/registry/manifest.js'
import {padding, tarEnd, tarHeader} from '../../src/libpod/util/tar-writer.js'

const RUNS = Number(process.env.FUZZ_RUNS ?? 40)
const sha = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`

function tarOf(files: Record<string, string>): Buffer {
  const parts: Buffer[] = []
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text)
    parts.push(tarHeader({name, type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 0, size: data.length}), data, padding(data.length))
  }
  parts.push(tarEnd())
  return Buffer.concat(parts)
}

const TAR = tarOf({'etc/hello': 'hello\n', 'bin/x': 'x'.repeat(3000)})
const GZ = gzipSync(TAR)
const ZST = (() => {
  const r = spawnSync('zstd', ['-q', '-c'], {input: TAR})
  return r.status === 0 ? r.stdout : undefined
})()

/** Byte-level damage to a buffer. */
type Damage = {kind: 'none'} | {kind: 'truncate'; at: number} | {kind: 'flip'; at: number; byte: number} | {kind: 'append'; junk: Uint8Array} | {kind: 'random'; bytes: Uint8Array}
const damage: fc.Arbitrary<Damage> = fc.oneof(
  {weight: 3, arbitrary: fc.constant<Damage>({kind: 'none'})},
  fc.record({kind: fc.constant('truncate' as const), at: fc.double({min: 0, max: 1, noNaN: true})}),
  fc.record({kind: fc.constant('flip' as const), at: fc.double({min: 0, max: 1, noNaN: true}), byte: fc.integer({min: 0, max: 255})}),
  fc.record({kind: fc.constant('append' as const), junk: fc.uint8Array({minLength: 1, maxLength: 200})}),
  fc.record({kind: fc.constant('random' as const), bytes: fc.uint8Array({maxLength: 400})}),
)

function applyDamage(b: Buffer, d: Damage): Buffer {
  const at = (f: number) => Math.min(b.length - 1, Math.floor(f * b.length))
  switch (d.kind) {
    case 'none': return b
    case 'truncate': return b.subarray(0, at(d.at))
    case 'flip': {
      const c = Buffer.from(b)
      c[at(d.at)] = d.byte
      return c
    }
    case 'append': return Buffer.concat([b, Buffer.from(d.junk)])
    case 'random': return Buffer.from(d.bytes)
  }
}

const MEDIA = ['application/vnd.oci.image.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v1+prettyjws', 'text/html', '', 'application/json']
const LAYER_MEDIA = ['application/vnd.oci.image.layer.v1.tar+gzip', 'application/vnd.oci.image.layer.v1.tar', 'application/vnd.oci.image.layer.v1.tar+zstd',
  'application/vnd.docker.image.rootfs.diff.tar.gzip', 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip', 'application/x-nonsense']
const jsonJunk = fc.oneof(fc.constant(null), fc.integer(), fc.string({maxLength: 20}), fc.constant([]), fc.constant({}), fc.double(), fc.boolean(),
  fc.constant(-1), fc.constant(2 ** 60), fc.constant('sha256:' + 'z'.repeat(64)), fc.constant('sha512:' + 'a'.repeat(128)))

interface Plan {
  layer: 'gzip' | 'zstd' | 'plain'
  blob: Damage
  /** The manifest's digests follow the damaged blob (so the damage reaches the decompressor and the tar reader). */
  rehash: boolean
  manifestMedia: string
  contentType: string
  layerMedia: string
  sizeSkew: {config: number; layer: number}
  config: 'valid' | 'extra-diffid' | 'wrong-diffid' | 'not-json' | 'null' | 'no-rootfs' | 'huge'
  manifest: 'valid' | 'null' | 'array' | 'schema1' | 'huge' | 'deep' | 'list-of-self' | 'list-nested'
  junk?: {key: string; value: unknown}
  manifestDamage: Damage
}

/** Mostly the valid value (so that most plans carry one or two faults, and some none). */
function mostly<T>(valid: T, ...others: T[]): fc.Arbitrary<T> {
  return fc.oneof({weight: 12, arbitrary: fc.constant(valid)}, fc.constantFrom(...others))
}
const none: Damage = {kind: 'none'}
const plan: fc.Arbitrary<Plan> = fc.record({
  layer: fc.constantFrom<Plan['layer']>('gzip', 'zstd', 'plain'),
  blob: fc.oneof({weight: 8, arbitrary: fc.constant(none)}, damage),
  rehash: fc.boolean(),
  manifestMedia: mostly(MEDIA[0], ...MEDIA.slice(1)),
  contentType: fc.constantFrom(...MEDIA),
  layerMedia: mostly(LAYER_MEDIA[0], ...LAYER_MEDIA.slice(1)),
  sizeSkew: fc.record({config: mostly(0, -1, 1, -1000, 1e9), layer: mostly(0, -1, 1, -100000, 1e12)}),
  config: mostly<Plan['config']>('valid', 'extra-diffid', 'wrong-diffid', 'not-json', 'null', 'no-rootfs', 'huge'),
  manifest: mostly<Plan['manifest']>('valid', 'list-of-self', 'null', 'array', 'schema1', 'huge', 'deep', 'list-nested'),
  junk: fc.oneof({weight: 10, arbitrary: fc.constant(undefined)},
    fc.record({key: fc.constantFrom('config', 'layers', 'schemaVersion', 'mediaType', 'manifests', 'annotations'), value: jsonJunk})),
  manifestDamage: fc.oneof({weight: 12, arbitrary: fc.constant(none)}, damage),
})

interface Served { manifests: Map<string, {body: Buffer; type: string}>; blobs: Map<string, Buffer> }

/** What the registry serves for a plan; `consistent` when a pull must succeed. */
function serve(p: Plan): {served: Served; consistent: boolean; mayPass: boolean; configDigest: string} {
  const raw = p.layer === 'gzip' ? GZ : p.layer === 'zstd' && ZST ? ZST : TAR
  const blob = applyDamage(raw, p.blob)
  const layerDigest = p.rehash || p.blob.kind === 'none' ? sha(blob) : sha(raw)
  const diffId = sha(TAR)
  const rootfs = {type: 'layers', diff_ids: p.config === 'extra-diffid' ? [diffId, diffId] : p.config === 'wrong-diffid' ? [sha('x')] : [diffId]}
  const cfgDoc = {architecture: 'amd64', os: 'linux', config: {Cmd: ['/bin/sh']}, ...(p.config === 'no-rootfs' ? {} : {rootfs}),
    ...(p.config === 'huge' ? {comment: 'x'.repeat(17 << 20)} : {})}
  const config = Buffer.from(p.config === 'not-json' ? '{"architecture":' : p.config === 'null' ? 'null' : JSON.stringify(cfgDoc))
  const blobs = new Map<string, Buffer>([[sha(config), config], [layerDigest, blob]])
  const manifestDoc: Record<string, unknown> = {
    schemaVersion: p.manifest === 'schema1' ? 1 : 2,
    mediaType: p.manifestMedia,
    config: {mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: Math.max(-1, config.length + p.sizeSkew.config)},
    layers: [{mediaType: p.layerMedia, digest: layerDigest, size: blob.length + p.sizeSkew.layer}],
  }
  if (p.junk) manifestDoc[p.junk.key] = p.junk.value
  let body: Buffer
  const manifests = new Map<string, {body: Buffer; type: string}>()
  switch (p.manifest) {
    case 'null': body = Buffer.from('null'); break
    case 'array': body = Buffer.from('[1,2]'); break
    case 'huge': body = Buffer.from(JSON.stringify({...manifestDoc, annotations: {pad: 'x'.repeat(5 << 20)}})); break
    case 'deep': body = Buffer.from('['.repeat(200_000) + ']'.repeat(200_000)); break
    case 'list-of-self': {
      const inner = Buffer.from(JSON.stringify(manifestDoc))
      manifests.set(sha(inner), {body: inner, type: p.contentType})
      body = Buffer.from(JSON.stringify({schemaVersion: 2, mediaType: MEDIA[2], manifests: [{mediaType: MEDIA[0], digest: sha(inner), size: inner.length, platform: {os: 'linux', architecture: 'amd64'}}]}))
      break
    }
    case 'list-nested': {
      const inner = Buffer.from(JSON.stringify({schemaVersion: 2, mediaType: MEDIA[2], manifests: []}))
      manifests.set(sha(inner), {body: inner, type: MEDIA[2]})
      body = Buffer.from(JSON.stringify({schemaVersion: 2, mediaType: MEDIA[2], manifests: [{mediaType: MEDIA[2], digest: sha(inner), size: inner.length, platform: {os: 'linux', architecture: 'amd64'}}]}))
      break
    }
    default: body = Buffer.from(JSON.stringify(manifestDoc))
  }
  body = applyDamage(body, p.manifestDamage)
  manifests.set('t', {body, type: p.contentType})
  const j = p.junk
  const junkOk = !j || (j.key === 'annotations' && (j.value === null || JSON.stringify(j.value) === '{}')) || (j.key === 'manifests' && j.value === null) ||
    (j.key === 'mediaType' && (j.value === null || j.value === '' || j.value === p.manifestMedia))
  // A manifest that names no type of its own is read as the Content-Type says:
  // an image manifest served as a list is refused (containers/image rejects
  // it as ambiguous), which the fuzzer found (seed 551957570).
  const ownType = j?.key === 'mediaType' ? j.value : p.manifestMedia
  const typeOk = !((ownType === '' || ownType === null) && [MEDIA[2], MEDIA[3]].includes(p.contentType))
  const docOk = p.manifestDamage.kind === 'none' && junkOk && typeOk && p.config === 'valid' &&
    (p.manifest === 'valid' || p.manifest === 'list-of-self') && p.sizeSkew.config === 0 && p.sizeSkew.layer === 0 && [MEDIA[0], MEDIA[1], ''].includes(p.manifestMedia)
  // (compression is sniffed, as containers/image does: a plain tar under a gzip type is fine; Node 20 has no zstd)
  const layerOk = [LAYER_MEDIA[0], LAYER_MEDIA[1], LAYER_MEDIA[3]].includes(p.layerMedia) && p.layer !== 'zstd'
  // A damaged blob may still be pulled when the manifest names its digest and it unpacks to the config's diff ID
  return {served: {manifests, blobs}, consistent: docOk && layerOk && p.blob.kind === 'none', mayPass: docOk && (p.blob.kind === 'none' || p.rehash), configDigest: sha(config)}
}

/** Every file below a dir (relative), for "the store is as it was". */
function tree(dir: string): string[] {
  const out: string[] = []
  const walk = (d: string, rel: string) => {
    let entries
    try {
      entries = readdirSync(d, {withFileTypes: true})
    } catch {
      return
    }
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name
      // (files only: the first pull makes the store's empty directories)
      if (e.isDirectory()) walk(path.join(d, e.name), r)
      else out.push(r)
    }
  }
  walk(dir, '')
  // (the blob info cache only records digests seen)
  return out.filter(f => !/^(storage\.lock|events|tmp\/|cache)/.test(f)).sort()
}

async function bounded<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const hang = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} hung`)), ms) })
  try {
    return await Promise.race([p, hang])
  } finally {
    clearTimeout(timer)
  }
}

describe('fuzz: registry documents and compressed layers (fast-check)', function () {
  this.timeout(600_000)
  let tmp: string
  let server: http.Server
  let host: string
  let current: Served = {manifests: new Map(), blobs: new Map()}
  let rt: Runtime

  before(async function () {
    if (process.getuid!() !== 0) this.skip()
    tmp = mkdtempSync(path.join(os.tmpdir(), 'peapod-fuzz-reg-'))
    server = http.createServer((req, res) => {
      const url = req.url ?? ''
      if (url === '/v2/') return res.end('{}')
      const m = /^\/v2\/fz\/(manifests|blobs)\/(.+)$/.exec(url)
      const doc = m && (m[1] === 'manifests' ? current.manifests.get(m[2]) : {body: current.blobs.get(m[2]), type: 'application/octet-stream'})
      if (!doc?.body) {
        res.writeHead(404, {'content-type': 'application/json'})
        return res.end('{"errors":[{"code":"MANIFEST_UNKNOWN","message":"unknown"}]}')
      }
      res.writeHead(200, {'content-type': doc.type, 'content-length': doc.body.length})
      res.end(req.method === 'HEAD' ? undefined : doc.body)
    })
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r))
    host = `127.0.0.1:${(server.address() as AddressInfo).port}`
    rt = await Runtime.open({root: path.join(tmp, 'root'), runroot: path.join(tmp, 'run'), storageDriver: 'vfs'})
    await rt.store.ready()
  })
  after(async () => {
    server?.closeAllConnections()
    await new Promise(r => server ? server.close(r) : r(undefined))
    if (tmp) rmSync(tmp, {recursive: true, force: true})
  })

  it('pulls of hostile manifests, configs and layers: a consistent image or a typed error, and the store as it was', async function () {
    let ok = 0
    let refused = 0
    const errors = new Map<string, number>()
    await fc.assert(fc.asyncProperty(plan, async p => {
      const {served, consistent, mayPass, configDigest} = serve(p)
      current = served
      const before = tree(rt.config.graphRoot)
      try {
        const [doc] = await bounded(pullImages(rt, `${host}/fz:t`, {tlsVerify: false}), 30_000, 'pull')
        expect(consistent || mayPass, `pulled an inconsistent image: ${JSON.stringify(p).slice(0, 500)}`).to.equal(true)
        expect(`sha256:${doc.id}`).to.equal(configDigest)
        expect(readFileSync(path.join(rt.store.driver.dir(doc.layers[0]), 'etc/hello'), 'utf8')).to.equal('hello\n')
        ok++
        await rt.image(doc.id).remove({force: true})
      } catch (e) {
        if (!(e instanceof PeapodError)) throw e
        expect(consistent, `a consistent image was refused: ${(e as Error).message}`).to.equal(false)
        refused++
        if (process.env.FUZZ_DEBUG) console.log((e as Error).message.slice(0, 160))
        const kind = e.constructor.name
        errors.set(kind, (errors.get(kind) ?? 0) + 1)
      }
      const now = tree(rt.config.graphRoot)
      expect(now.filter(f => !before.includes(f)).join(' '), 'the store as it was').to.equal('')
      expect(before.filter(f => !now.includes(f)).join(' '), 'the store as it was').to.equal('')
      expect(tree(path.join(rt.config.graphRoot, 'tmp')).filter(f => f.startsWith('layer-')), 'staging files').to.deep.equal([])
    }), {numRuns: RUNS, endOnFailure: true, verbose: 1})
    console.log(`      ${RUNS} pulls: ${ok} consistent images pulled, ${refused} refused (${[...errors].map(([k, n]) => `${k} ${n}`).join(', ')})`)
  })

  it('regressions found by fuzzing', async function () {
    // bytes after the end of a gzip stream closed the pipeline early: a plain stream error
    const {stream} = decompress(Readable.from([...Buffer.concat([GZ, Buffer.alloc(10)])].map(b => Buffer.from([b]))))
    let err: unknown
    try {
      for await (const _ of stream) void _
    } catch (e) {
      err = e
    }
    expect(err).to.be.instanceOf(PeapodError)
    expect((err as Error).message).to.equal('invalid compressed layer: data after the end of the compressed stream')
    // manifests: an unknown media type, a non-string one, both layers and manifests, bad annotations
    const m = (o: object) => Buffer.from(JSON.stringify({schemaVersion: 2, config: {mediaType: 'x', digest: sha('c'), size: 1}, layers: [], ...o}))
    expect(() => manifestType(m({mediaType: 5}))).to.throw(PeapodError, 'mediaType is not a string')
    expect(() => parseImageManifest(m({manifests: []}), 'm')).to.throw(PeapodError, 'manifest is ambiguous')
    expect(() => parseImageManifest(m({annotations: {a: 1}}), 'm')).to.throw(PeapodError, 'invalid annotations')
    expect(() => parseImageManifest(Buffer.from('null'), 'm')).to.throw(PeapodError, 'not a JSON object')
    // an image manifest without a mediaType, served as a manifest list: read as the list it claims to be, and refused
    expect(manifestType(m({}), MEDIA[3])).to.equal(MEDIA[3])
    expect(() => parseManifestList(m({}), 'm')).to.throw(PeapodError, 'm: invalid manifest list')
  })

  it('gzip and zstd streams, damaged anywhere: the plain tar or a typed error, never a hang', async function () {
    const input = fc.tuple(fc.constantFrom(...[GZ, ZST, Buffer.concat([GZ, GZ])].filter((b): b is Buffer => !!b)), damage,
      fc.integer({min: 1, max: 4096})).map(([b, d, chunk]) => ({bytes: applyDamage(b, d), chunk}))
    let plain = 0
    await fc.assert(fc.asyncProperty(input, async ({bytes, chunk}) => {
      const chunks: Buffer[] = []
      for (let i = 0; i < bytes.length; i += chunk) chunks.push(bytes.subarray(i, i + chunk))
      const {stream, compressedDigest} = decompress(Readable.from(chunks))
      try {
        const out: Buffer[] = []
        await bounded((async () => {
          for await (const c of stream) out.push(c as Buffer)
        })(), 10_000, 'decompress')
        const d = await compressedDigest
        if (d) expect(d).to.equal(sha(bytes))
        if (Buffer.concat(out).equals(TAR)) plain++
      } catch (e) {
        if (!(e instanceof PeapodError)) throw new Error(`${(e as Error).stack}`)
      }
    }), {numRuns: RUNS * 5})
    expect(plain).to.be.greaterThan(0)
  })
})
