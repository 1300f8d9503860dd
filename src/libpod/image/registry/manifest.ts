// Image manifests as registries serve them: Docker v2 schema 2, OCI image
// manifests, Docker manifest lists and OCI indexes; and choosing the
// instance of a list for a platform the way containers/image does.
import {InvalidArgument, InvalidResponse, NoMatchingPlatform} from '../../define/errors.js'

import {MEDIA} from '../media-types.js'
export {MEDIA}

/** Go's runtime.GOARCH for this machine (what platforms are matched with). */
export function goArch(): string {
  const map: Record<string, string> = {x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64', mips: 'mips', mipsel: 'mipsle', loong64: 'loong64'}
  return map[process.arch] ?? process.arch
}

export const DOCKER_V1 = 'application/vnd.docker.distribution.manifest.v1+json'
export const DOCKER_V1_SIGNED = 'application/vnd.docker.distribution.manifest.v1+prettyjws'
export const DOCKER_LAYER = 'application/vnd.docker.image.rootfs.diff.tar'
export const DOCKER_FOREIGN = 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip'

/** What we ask registries for, preferred first (as containers/image sends it). */
export const MANIFEST_ACCEPT = [
  MEDIA.ociManifest,
  MEDIA.dockerManifest,
  MEDIA.ociIndex,
  MEDIA.dockerList,
  DOCKER_V1_SIGNED,
  DOCKER_V1,
].join(', ')

export interface Platform {
  architecture: string
  os: string
  variant?: string
  'os.version'?: string
  'os.features'?: string[]
  features?: string[]
}

export interface Descriptor {
  mediaType: string
  digest: string
  size: number
  urls?: string[]
  annotations?: Record<string, string>
  platform?: Platform
}

export interface ImageManifest {
  schemaVersion: number
  mediaType?: string
  config: Descriptor
  layers: Descriptor[]
  annotations?: Record<string, string>
}

export interface ManifestList {
  schemaVersion: number
  mediaType?: string
  manifests: Descriptor[]
  annotations?: Record<string, string>
}

export const isListType = (t: string) => t === MEDIA.ociIndex || t === MEDIA.dockerList
export const isImageType = (t: string) => t === MEDIA.ociManifest || t === MEDIA.dockerManifest

const DIGEST = /^sha256:[0-9a-f]{64}$/
/** Digest algorithms we can check; anything else is refused rather than trusted. */
export function checkDigestFormat(d: unknown, what: string): string {
  if (typeof d !== 'string' || !DIGEST.test(d)) {
    if (typeof d === 'string' && /^sha(384|512):/.test(d)) throw new InvalidResponse(`${what}: unsupported digest algorithm in ${d}`)
    throw new InvalidResponse(`${what}: invalid digest ${JSON.stringify(d)}`)
  }
  return d
}

function checkDescriptor(d: unknown, what: string): Descriptor {
  if (!d || typeof d !== 'object') throw new InvalidResponse(`${what}: missing descriptor`)
  const desc = d as Descriptor
  checkDigestFormat(desc.digest, what)
  if (typeof desc.size !== 'number' || !Number.isSafeInteger(desc.size) || desc.size < 0) throw new InvalidResponse(`${what}: invalid size ${JSON.stringify(desc.size)}`)
  return desc
}

/**
 * The media type of a manifest: the document's own mediaType field, else the
 * Content-Type the registry gave, else guessed from its shape.
 */
export function manifestType(raw: Buffer, contentType?: string): string {
  let doc: {mediaType?: unknown; schemaVersion?: unknown; manifests?: unknown; config?: unknown; signatures?: unknown}
  try {
    doc = JSON.parse(raw.toString('utf8'))
  } catch (e) {
    throw new InvalidResponse(`invalid manifest: ${(e as Error).message}`)
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new InvalidResponse('invalid manifest: not a JSON object')
  if (doc.mediaType !== undefined && doc.mediaType !== null && typeof doc.mediaType !== 'string') throw new InvalidResponse('invalid manifest: mediaType is not a string')
  if (typeof doc.mediaType === 'string' && doc.mediaType) return doc.mediaType
  if (doc.schemaVersion === 1) return doc.signatures ? DOCKER_V1_SIGNED : DOCKER_V1
  const ct = contentType?.split(';')[0].trim()
  if (ct && (isListType(ct) || isImageType(ct))) return ct
  if (Array.isArray(doc.manifests)) return MEDIA.ociIndex
  if (doc.config) return MEDIA.ociManifest
  throw new InvalidResponse(`unsupported manifest type ${JSON.stringify(ct ?? '')}`)
}

export function parseImageManifest(raw: Buffer, what: string): ImageManifest {
  const m = JSON.parse(raw.toString('utf8')) as ImageManifest
  if (!m || typeof m !== 'object' || Array.isArray(m)) throw new InvalidResponse(`${what}: not a JSON object`)
  // An image manifest that also lists manifests could be read as either (containers/image refuses it too)
  if ((m as {manifests?: unknown}).manifests != null) throw new InvalidResponse(`${what}: manifest is ambiguous: it has both layers and manifests`)
  checkAnnotations(m.annotations, what)
  if (m.schemaVersion !== 2) throw new InvalidResponse(`${what}: unsupported schema version ${JSON.stringify(m.schemaVersion)}`)
  checkDescriptor(m.config, `${what}: config`)
  if (!Array.isArray(m.layers)) throw new InvalidResponse(`${what}: no layers`)
  m.layers.forEach((l, i) => checkDescriptor(l, `${what}: layer ${i}`))
  return m
}

function checkAnnotations(a: unknown, what: string): void {
  if (a === undefined || a === null) return
  if (typeof a !== 'object' || Array.isArray(a) || Object.values(a).some(v => typeof v !== 'string')) throw new InvalidResponse(`${what}: invalid annotations`)
}

export function parseManifestList(raw: Buffer, what: string): ManifestList {
  const m = JSON.parse(raw.toString('utf8')) as ManifestList
  if (!m || typeof m !== 'object' || m.schemaVersion !== 2 || !Array.isArray(m.manifests)) throw new InvalidResponse(`${what}: invalid manifest list`)
  m.manifests.forEach((d, i) => checkDescriptor(d, `${what}: instance ${i}`))
  return m
}

/** Layer blobs we can unpack (Docker/OCI tars, plain, gzip or zstd). */
export function checkLayerType(mediaType: string | undefined, what: string): void {
  if (!mediaType) return
  if (mediaType.startsWith('application/vnd.oci.image.layer.') || mediaType.startsWith('application/vnd.docker.image.rootfs.')) {
    if (mediaType.includes('+encrypted')) throw new InvalidArgument(`${what}: encrypted layers are not supported`)
    return
  }
  throw new InvalidArgument(`${what}: unsupported layer media type ${mediaType}`)
}

// ---- platforms ----

export interface PlatformWanted {
  os: string
  architecture: string
  variant?: string
}

/** The host's platform in Go's names. */
export function hostPlatform(): PlatformWanted {
  const arch = goArch()
  return {os: 'linux', architecture: arch, variant: arch === 'arm64' ? 'v8' : arch === 'arm' ? 'v7' : undefined}
}

/** --platform os/arch[/variant], --os, --arch, --variant combined over the host's defaults. */
export function wantedPlatform(opts: {platform?: string; os?: string; arch?: string; variant?: string}): PlatformWanted {
  const host = hostPlatform()
  let {os, arch, variant} = opts
  if (opts.platform) {
    if (opts.os || opts.arch || opts.variant) throw new InvalidArgument('--platform option can not be specified with --arch or --os')
    const parts = opts.platform.split('/')
    if (parts.length < 2 || parts.length > 3 || parts.some(p => p === '')) throw new InvalidArgument(`invalid platform syntax for --platform=${JSON.stringify(opts.platform)}: expected format: os/arch[/variant]`)
    ;[os, arch, variant] = parts
  }
  const architecture = normalizeArch(arch || host.architecture)
  return {
    os: (os || host.os).toLowerCase(),
    architecture: architecture.arch,
    variant: variant || architecture.variant || (arch ? undefined : host.variant),
  }
}

function normalizeArch(arch: string): {arch: string; variant?: string} {
  const a = arch.toLowerCase()
  switch (a) {
    case 'x86_64': case 'x86-64': return {arch: 'amd64'}
    case 'aarch64': return {arch: 'arm64'}
    case 'armhf': return {arch: 'arm', variant: 'v7'}
    case 'armel': return {arch: 'arm', variant: 'v6'}
    case 'i386': case 'i686': return {arch: '386'}
    default: return {arch: a}
  }
}

/** Variants of an architecture that run on `variant`, best first (arm64 v8 runs nothing older here). */
function compatibleVariants(arch: string, variant: string | undefined): Array<string | undefined> {
  if (arch === 'arm') {
    const order = ['v8', 'v7', 'v6', 'v5']
    const i = variant ? order.indexOf(variant) : 1
    return i >= 0 ? order.slice(i) : [variant]
  }
  if (arch === 'arm64') return variant && variant !== 'v8' ? [variant, 'v8', undefined] : ['v8', undefined]
  if (arch === 'amd64') {
    const order = ['v4', 'v3', 'v2', 'v1']
    const i = variant ? order.indexOf(variant) : 3
    return [...(i >= 0 ? order.slice(i) : [variant]), undefined]
  }
  return [variant, undefined]
}

/** The instance of a list for the wanted platform (exact variant first, then compatible ones). */
export function choosePlatform(list: ManifestList, want: PlatformWanted, what: string): Descriptor {
  const candidates = list.manifests.filter(d => (d.platform?.os ?? '') === want.os && normalizeArch(d.platform?.architecture ?? '').arch === want.architecture)
  const variants = compatibleVariants(want.architecture, want.variant)
  for (const v of variants) {
    const hit = candidates.find(d => (d.platform?.variant || normalizeArch(d.platform?.architecture ?? '').variant) === v)
    if (hit) return hit
  }
  // No variant asked for: any instance of the architecture will do.
  if (!want.variant && candidates.length) return candidates[0]
  throw new NoMatchingPlatform(`choosing an image from manifest list ${what}: no image found in manifest list for architecture ${want.architecture}, variant ${JSON.stringify(want.variant ?? '')}, OS ${want.os}`)
}

/** Go's json.MarshalIndent(v, "", "    ") of a manifest, as `manifest inspect` prints it. */
export function prettyJson(v: unknown): string {
  return JSON.stringify(v, null, 4)
}
