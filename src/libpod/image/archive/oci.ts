// oci-archive: a tarred OCI image layout (oci-layout, index.json,
// blobs/sha256/...). index.json points at manifests (or nested indexes);
// the `org.opencontainers.image.ref.name` annotation names the image.
import {InvalidArchive} from '../../define/errors.js'
import type {Store} from '../../storage/store.js'
import {sha256, type ImageDoc} from '../images.js'
import {byteOrder, goMarshal} from './gojson.js'
import {MEDIA, parseConfig, type ArchiveImage} from './ingest.js'
import {normalizeName} from './names.js'
import type {TarIndex} from './tar-index.js'
import type {TarEntry} from '../../util/tar-writer.js'

export const REF_NAME = 'org.opencontainers.image.ref.name'
const CONTAINERD_NAME = 'io.containerd.image.name'

interface Descriptor {
  mediaType?: string
  digest: string
  size?: number
  annotations?: Record<string, string>
  platform?: {architecture?: string; os?: string; variant?: string}
}

interface IndexDoc {
  schemaVersion?: number
  mediaType?: string
  manifests?: Descriptor[]
}

interface ManifestDoc {
  mediaType?: string
  config?: Descriptor
  layers?: Descriptor[]
  manifests?: Descriptor[]
}

/** Go's runtime.GOARCH for this machine (what Podman matches platforms with). */
export function goArch(): string {
  const map: Record<string, string> = {x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64', mips: 'mips', mipsel: 'mipsle', loong64: 'loong64'}
  return map[process.arch] ?? process.arch
}

function validDescriptor(d: Descriptor | undefined): d is Descriptor {
  return !!d && typeof d === 'object' && typeof d.digest === 'string'
}

function blobName(digest: string): string {
  const m = /^sha256:([0-9a-f]{64})$/.exec(digest)
  if (!m) throw new InvalidArchive(`unsupported or invalid digest ${JSON.stringify(digest)}`)
  return `blobs/sha256/${m[1]}`
}

function readJsonBlob<T>(index: TarIndex, d: Descriptor, what: string): {raw: Buffer; doc: T} {
  const m = index.get(blobName(d.digest))
  if (!m) throw new InvalidArchive(`${what} ${d.digest}: blob not found in the archive`)
  const raw = index.readBuffer(m)
  if (sha256(raw) !== d.digest) throw new InvalidArchive(`${what} ${d.digest}: digest mismatch (the blob's is ${sha256(raw)})`)
  try {
    return {raw, doc: JSON.parse(raw.toString('utf8')) as T}
  } catch (e) {
    throw new InvalidArchive(`${what} ${d.digest}: invalid JSON: ${(e as Error).message}`)
  }
}

const isIndex = (t?: string) => t === MEDIA.ociIndex || t === MEDIA.dockerList

/** The images of an oci-archive, one per manifest index.json lists. */
export function readOciArchive(index: TarIndex): ArchiveImage[] {
  const im = index.get('index.json')
  if (!im) throw new InvalidArchive('loading index: open index.json: file does not exist')
  let idx: IndexDoc
  try {
    idx = JSON.parse(index.readBuffer(im).toString('utf8'))
  } catch (e) {
    throw new InvalidArchive(`parsing index.json: ${(e as Error).message}`)
  }
  if (!idx || typeof idx !== 'object' || !Array.isArray(idx.manifests) || !idx.manifests.every(validDescriptor)) {
    throw new InvalidArchive('parsing index.json: no manifests')
  }
  if (idx.manifests.length === 0) throw new InvalidArchive('index.json lists no images')
  return idx.manifests.map(d => {
    const ann = d.annotations ?? {}
    const name = ann[CONTAINERD_NAME] || ann[REF_NAME]
    let names: string[] = []
    if (name) {
      try {
        names = [normalizeName(name)]
      } catch (e) {
        throw new InvalidArchive((e as Error).message)
      }
    }
    return readImage(index, d, names, 0)
  })
}

function readImage(index: TarIndex, d: Descriptor, names: string[], depth: number): ArchiveImage {
  if (depth > 4) throw new InvalidArchive('image indexes nested too deeply')
  const {raw, doc} = readJsonBlob<ManifestDoc>(index, d, 'manifest')
  const mediaType = doc.mediaType ?? d.mediaType ?? (Array.isArray(doc.manifests) ? MEDIA.ociIndex : MEDIA.ociManifest)
  if (isIndex(mediaType)) {
    const list = (doc.manifests ?? []).filter(validDescriptor)
    const arch = goArch()
    const match = list.find(m => m.platform?.os === 'linux' && m.platform?.architecture === arch) ?? (list.length === 1 ? list[0] : undefined)
    if (!match) throw new InvalidArchive(`choosing image instance: no image found in image index for architecture ${arch}, OS linux`)
    return readImage(index, match, names, depth + 1)
  }
  if (!validDescriptor(doc.config) || !Array.isArray(doc.layers) || !doc.layers.every(validDescriptor)) {
    throw new InvalidArchive(`manifest ${d.digest}: missing config or layers`)
  }
  const config = readJsonBlob<unknown>(index, doc.config, 'config').raw
  return {
    config,
    names,
    manifest: {raw, mediaType},
    layers: doc.layers.map(l => {
      const name = blobName(l.digest)
      const m = index.get(name)
      if (!m) throw new InvalidArchive(`layer ${l.digest}: blob not found in the archive`)
      return {open: () => index.stream(m), describe: name, blobDigest: l.digest}
    }),
  }
}

/**
 * The manifest an oci-archive gets for a stored image: the stored one when
 * it is already an OCI manifest of these exact uncompressed layers (so the
 * image keeps its digest through save and load), else a new one.
 */
export function ociManifestFor(doc: ImageDoc, layers: Array<{diffId: string; size: number}>): string {
  if (doc.manifestMediaType === MEDIA.ociManifest) {
    try {
      const m = JSON.parse(doc.manifest) as ManifestDoc
      if (m.config?.digest === `sha256:${doc.id}` && m.layers?.length === layers.length &&
          m.layers.every((l, i) => l.digest === layers[i].diffId && l.size === layers[i].size && l.mediaType === MEDIA.ociLayer)) {
        return doc.manifest
      }
    } catch {
      // fall through: generate one
    }
  }
  return goMarshal({
    schemaVersion: 2,
    config: {mediaType: MEDIA.ociConfig, digest: `sha256:${doc.id}`, size: Buffer.byteLength(doc.config)},
    layers: layers.map(l => ({mediaType: MEDIA.ociLayer, digest: l.diffId, size: l.size})),
  })
}

/** The entries of an oci-archive of one image, layers uncompressed. */
export function ociArchiveEntries(store: Store, doc: ImageDoc, refName?: string): TarEntry[] {
  const {diffIds} = parseConfig(Buffer.from(doc.config), `config of image ${doc.id}`)
  const layers = doc.layers.map(id => store.layers.get(id))
  if (layers.length !== diffIds.length || layers.some((l, i) => l.diffId !== diffIds[i])) {
    throw new InvalidArchive(`image ${doc.id}: stored layers do not match the config's rootfs.diff_ids`)
  }
  const manifest = ociManifestFor(doc, layers)
  const blobs = new Map<string, TarEntry>()
  for (const l of layers) {
    const name = blobName(l.diffId)
    blobs.set(name, {type: 'stream', name, mode: 0o644, size: l.size, open: () => store.layers.tarStream(l.id)})
  }
  const configName = blobName(`sha256:${doc.id}`)
  blobs.set(configName, {type: 'file', name: configName, mode: 0o644, data: Buffer.from(doc.config)})
  const manifestDigest = sha256(manifest)
  const manifestName = blobName(manifestDigest)
  blobs.set(manifestName, {type: 'file', name: manifestName, mode: 0o644, data: Buffer.from(manifest)})
  const index = goMarshal({
    schemaVersion: 2,
    manifests: [{
      mediaType: MEDIA.ociManifest,
      digest: manifestDigest,
      size: Buffer.byteLength(manifest),
      ...(refName ? {annotations: {[REF_NAME]: refName}} : {}),
    }],
  })
  return [
    {type: 'dir', name: 'blobs/', mode: 0o755},
    {type: 'dir', name: 'blobs/sha256/', mode: 0o755},
    ...[...blobs.keys()].sort(byteOrder).map(k => blobs.get(k)!),
    {type: 'file', name: 'index.json', mode: 0o644, data: Buffer.from(index)},
    {type: 'file', name: 'oci-layout', mode: 0o644, data: Buffer.from('{"imageLayoutVersion": "1.0.0"}')},
  ]
}
