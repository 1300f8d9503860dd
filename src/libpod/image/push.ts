// `push`: a stored image to a registry (layers the registry already has are
// skipped or mounted from another repository; the others are gzip'd while
// they stream up) or to the transports oci:, oci-archive:,
// docker-archive:, dir:.
import {imageEvent} from '../events/log.js'
import {createHash} from 'node:crypto'
import {createWriteStream, renameSync, rmSync} from 'node:fs'
import path from 'node:path'
import {Readable, Transform} from 'node:stream'
import {pipeline} from 'node:stream/promises'
import * as zlib from 'node:zlib'
import {InvalidArchive, InvalidArgument} from '../define/errors.js'
import type {Runtime} from '../runtime.js'
import {writeFileAtomic} from '../state/atomic.js'
import {dockerArchiveEntries} from './archive/docker.js'
import {goMarshal} from './archive/gojson.js'
import {MEDIA, parseConfig} from './archive/ingest.js'
import {normalizeName} from './archive/names.js'
import {ociArchiveEntries} from './archive/oci.js'
import {tarBytes, type TarEntry} from '../util/tar-writer.js'
import {sha256, type ImageDoc} from './images.js'
import {Registries} from './pull.js'
import {parseReference, type Reference} from './reference.js'
import type {Credentials} from './registry/auth.js'
import {BlobInfoCache} from './registry/blob-cache.js'
import {writeDirLayout, writeOciLayout} from './registry/layout.js'
import type {Descriptor, ImageManifest} from './registry/manifest.js'
import {quietReporter, type Reporter} from './registry/progress.js'
import {resolvedName} from './save.js'
import {parseTransport, transportOf} from './transports.js'

export interface PushOptions {
  tlsVerify?: boolean
  certDir?: string
  creds?: Credentials
  authfile?: string
  reporter?: Reporter
  /** --format: oci, v2s2 (docker); default: the stored manifest's type. */
  format?: string
  /** --compression-format */
  compressionFormat?: string
  /** --digestfile */
  digestfile?: string
  /** Layers uploaded at once. */
  parallel?: number
  /** Write the manifest under its digest instead of a tag (list instances). */
  byDigest?: boolean
}

export interface PushedManifest {
  digest: string
  mediaType: string
  size: number
  raw: Buffer
}

function manifestFormat(doc: ImageDoc, format?: string): 'oci' | 'docker' {
  if (format) {
    if (format === 'oci') return 'oci'
    if (format === 'v2s2' || format === 'docker') return 'docker'
    if (format === 'v2s1') throw new InvalidArgument('--format v2s1 (Docker schema 1) is not supported')
    throw new InvalidArgument(`unsupported manifest type "${format}": supported types are oci, v2s2`)
  }
  return doc.manifestMediaType === MEDIA.dockerManifest ? 'docker' : 'oci'
}

function storedManifest(doc: ImageDoc): ImageManifest | undefined {
  try {
    const m = JSON.parse(doc.manifest) as ImageManifest
    if (m.config?.digest === `sha256:${doc.id}` && Array.isArray(m.layers) && m.layers.length === doc.layers.length) return m
  } catch {
    // not usable
  }
  return undefined
}

/** sha256 and length of what passes through. */
class Digester extends Transform {
  private readonly hash = createHash('sha256')
  private final?: string
  size = 0
  /** 'sha256:<hex>' of everything that passed (once the stream ended). */
  get digest(): string {
    return this.final ??= `sha256:${this.hash.digest('hex')}`
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null, d?: Buffer) => void): void {
    this.hash.update(chunk)
    this.size += chunk.length
    cb(null, chunk)
  }
}

/** Pushes a stored image to a registry repository; returns the manifest as pushed. */
export async function pushToRegistry(rt: Runtime, regs: Registries, doc: ImageDoc, dest: Reference, opts: PushOptions, reporter: Reporter): Promise<PushedManifest> {
  const store = rt.store
  const ep = regs.conf.pushEndpoint(dest)
  const reg = regs.get(ep.ref.domain, ep.insecure || undefined)
  const repo = ep.ref.path
  const format = manifestFormat(doc, opts.format)
  if (opts.compressionFormat && opts.compressionFormat !== 'gzip') {
    throw new InvalidArgument(`compression format "${opts.compressionFormat}" is not supported by peapod (gzip only)`)
  }
  const {diffIds} = parseConfig(Buffer.from(doc.config), `config of image ${doc.id}`)
  const layers = doc.layers.map(id => store.layers.get(id))
  if (layers.length !== diffIds.length || layers.some((l, i) => l.diffId !== diffIds[i])) {
    throw new InvalidArchive(`image ${doc.id}: stored layers do not match the config's rootfs.diff_ids`)
  }
  const stored = storedManifest(doc)
  const storedFormat = doc.manifestMediaType === MEDIA.dockerManifest ? 'docker' : doc.manifestMediaType === MEDIA.ociManifest ? 'oci' : undefined
  // Repositories of the same registry this image came from: blobs can be mounted from them.
  const mountFrom = doc.names.map(n => parseReference(n)).filter(r => r.domain === ep.ref.domain && r.path !== repo).map(r => r.path)
  const layerType = format === 'docker' ? MEDIA.dockerLayerGzip : MEDIA.ociLayerGzip

  reporter.line('Getting image source signatures')
  const cache = new BlobInfoCache(store.config.graphRoot)
  const descs: Descriptor[] = new Array(layers.length)
  const reused: boolean[] = new Array(layers.length).fill(false)

  const pushLayer = async (i: number) => {
    const layer = layers[i]
    const inManifest = stored?.layers[i]
    // The blob this layer was pulled as (its digest recorded when it was unpacked).
    const candidate = inManifest && inManifest.digest === layer.compressedDigest && inManifest.digest !== layer.diffId ? inManifest : undefined
    let session: string | undefined
    // Blobs this layer is known as (pulled or pushed before) that the registry may have already.
    const known: Descriptor[] = [...(candidate ? [candidate] : []), ...cache.candidates(layer.diffId).filter(b => b.digest !== candidate?.digest)]
      .filter(b => b.mediaType === MEDIA.dockerLayerGzip || b.mediaType === MEDIA.ociLayerGzip)
    for (const k of known.slice(0, 3)) {
      if (await reg.hasBlob(repo, k.digest) !== undefined) {
        reporter.blob('blob', k.digest, k.size).done('skipped: already exists')
        descs[i] = {mediaType: k.mediaType, digest: k.digest, size: k.size}
        reused[i] = k.digest === candidate?.digest
        return
      }
    }
    if (candidate) {
      for (const from of mountFrom) {
        const r = await reg.mountBlob(repo, candidate.digest, from)
        if (r === true) {
          reporter.blob('blob', candidate.digest, candidate.size).done('skipped: already exists')
          descs[i] = {mediaType: candidate.mediaType, digest: candidate.digest, size: candidate.size}
          reused[i] = true
          if (session) await reg.cancelUpload(repo, session)
          return
        }
        if (session) await reg.cancelUpload(repo, session)
        session = r
      }
    }
    const bar = reporter.blob('blob', candidate?.digest ?? layer.diffId, layer.size)
    const location = session ?? await reg.startUpload(repo)
    const digester = new Digester()
    let body: Readable | undefined
    const open = () => {
      const src = store.layers.tarStream(layer.id)
      src.on('data', (c: Buffer) => bar.advance(c.length))
      const gz = zlib.createGzip({chunkSize: 256 * 1024})
      body = digester
      pipeline(src, gz, digester).catch(e => digester.destroy(e))
      return digester
    }
    try {
      await reg.upload(repo, location, open, () => digester.digest)
    } catch (e) {
      body?.destroy()
      await reg.cancelUpload(repo, location)
      throw e
    }
    bar.done()
    descs[i] = {mediaType: layerType, digest: digester.digest, size: digester.size}
    cache.record(layer.diffId, descs[i])
  }

  const parallel = Math.max(1, opts.parallel ?? 4)
  let next = 0
  let failure: {e: unknown} | undefined
  const worker = async () => {
    while (next < layers.length && !failure) {
      const i = next++
      try {
        await pushLayer(i)
      } catch (e) {
        failure ??= {e}
      }
    }
  }
  await Promise.all(Array.from({length: Math.min(parallel, layers.length)}, worker))
  cache.save()
  if (failure) throw failure.e

  const configDigest = `sha256:${doc.id}`
  const configBar = reporter.blob('config', configDigest, Buffer.byteLength(doc.config))
  if (await reg.hasBlob(repo, configDigest) === undefined) await reg.uploadSmall(repo, Buffer.from(doc.config), configDigest)
  configBar.done()

  let raw: Buffer
  let mediaType: string
  if (stored && storedFormat === format && reused.every(Boolean)) {
    // Every blob is the one the stored manifest names: push it byte for byte (same digest).
    raw = Buffer.from(doc.manifest)
    mediaType = doc.manifestMediaType
  } else {
    mediaType = format === 'docker' ? MEDIA.dockerManifest : MEDIA.ociManifest
    raw = Buffer.from(goMarshal({
      schemaVersion: 2,
      mediaType,
      config: {mediaType: format === 'docker' ? MEDIA.dockerConfig : MEDIA.ociConfig, digest: configDigest, size: Buffer.byteLength(doc.config)},
      layers: descs.map(d => ({mediaType: d.mediaType === MEDIA.dockerLayerGzip || d.mediaType === MEDIA.ociLayerGzip ? layerType : d.mediaType, digest: d.digest, size: d.size})),
    }))
  }
  reporter.line('Writing manifest to image destination')
  const reference = opts.byDigest ? sha256(raw) : ep.ref.digest ?? ep.ref.tag ?? 'latest'
  const digest = await reg.putManifest(repo, reference, raw, mediaType)
  reporter.line('Storing signatures')
  return {digest, mediaType, size: raw.length, raw}
}

async function writeTarFile(file: string, entries: Iterable<TarEntry>): Promise<void> {
  const tmp = path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.${process.pid}.tmp`)
  try {
    await pipeline(Readable.from(tarBytes(entries)), createWriteStream(tmp, {mode: 0o644, highWaterMark: 1 << 20}))
    renameSync(tmp, file)
  } catch (e) {
    rmSync(tmp, {force: true})
    throw e
  }
}

/** `push SOURCE [DESTINATION]`: returns the digest of the manifest written. */
export async function pushImage(rt: Runtime, source: string, destination: string | undefined, opts: PushOptions = {}): Promise<string> {
  const reporter = opts.reporter ?? quietReporter()
  const doc = rt.lookupImage(source)
  const dest = destination ?? source
  const t = transportOf(dest) ? parseTransport(dest) : {transport: 'docker' as const, name: dest}
  let digest: string
  switch (t.transport) {
    case 'docker': {
      let ref: Reference
      try {
        ref = parseReference(t.name)
      } catch {
        throw new InvalidArgument(`invalid reference format: "${t.name}"`)
      }
      if (!ref.domain) {
        ref.domain = 'docker.io'
        if (!ref.path.includes('/')) ref.path = `library/${ref.path}`
      }
      if (!ref.tag && !ref.digest) ref.tag = 'latest'
      const regs = new Registries(rt, {tlsVerify: opts.tlsVerify, certDir: opts.certDir, creds: opts.creds, authfile: opts.authfile, onRetry: m => reporter.warn(m)})
      try {
        digest = (await pushToRegistry(rt, regs, doc, ref, opts, reporter)).digest
      } finally {
        regs.close()
      }
      break
    }
    case 'oci':
      reporter.line('Getting image source signatures')
      digest = await writeOciLayout(rt.store, doc, t.path, t.ref)
      reporter.line('Writing manifest to image destination')
      break
    case 'dir':
      reporter.line('Getting image source signatures')
      digest = await writeDirLayout(rt.store, doc, t.path)
      reporter.line('Writing manifest to image destination')
      break
    case 'oci-archive': {
      reporter.line('Getting image source signatures')
      const entries = ociArchiveEntries(rt.store, doc, t.ref)
      await writeTarFile(t.path, entries)
      digest = manifestDigestOf(entries)
      reporter.line('Writing manifest to image destination')
      break
    }
    case 'docker-archive': {
      reporter.line('Getting image source signatures')
      const name = t.ref ? normalizeName(t.ref) : resolvedName(doc, source, rt.searchRegistries)
      if (t.ref && !parseReference(name!).tag) throw new InvalidArgument(`docker-archive: reference ${t.ref} must be tagged`)
      await writeTarFile(t.path, [...dockerArchiveEntries(rt.store, [{doc, tags: name ? [name] : []}])])
      digest = doc.digest
      reporter.line('Writing manifest to image destination')
      break
    }
    default:
      throw new InvalidArgument(`pushing to the ${t.transport} transport is not supported`)
  }
  if (opts.digestfile) writeFileAtomic(opts.digestfile, digest)
  imageEvent(rt.config, doc.id, dest, 'push')
  return digest
}

function manifestDigestOf(entries: TarEntry[]): string {
  const index = entries.find(e => e.name === 'index.json') as {data: Buffer} | undefined
  return index ? (JSON.parse(index.data.toString()) as {manifests: Descriptor[]}).manifests[0].digest : ''
}
