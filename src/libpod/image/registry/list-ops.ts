// Multi-arch manifest lists: adding registry or local images to a local
// list, inspecting lists (local or remote), and pushing a list with its
// instances (copied registry to registry by blob mounts or streams, or
// pushed from the store).
import {InvalidArgument, InvalidResponse} from '../../define/errors.js'
import type {Runtime} from '../../runtime.js'
import {parseConfig} from '../archive/ingest.js'
import {sha256} from '../images.js'
import {Registries, type PullOptions} from '../pull.js'
import {pushToRegistry, type PushOptions} from '../push.js'
import {parseReference, type Reference} from '../reference.js'
import {parseTransport, transportOf} from '../transports.js'
import {blobStream} from './blob.js'
import type {Registry} from './client.js'
import {refString, resolvePullName} from './config.js'
import {ListStore, putEntry, renderList, type ListDoc, type ListEntry} from './lists.js'
import {
  MEDIA, choosePlatform, hostPlatform, isImageType, isListType, parseImageManifest, parseManifestList, prettyJson,
  type Platform,
} from './manifest.js'
import {quietReporter, type Reporter} from './progress.js'

export interface AddOptions extends Omit<PullOptions, 'platform'> {
  all?: boolean
  arch?: string
  os?: string
  osVersion?: string
  variant?: string
  features?: string[]
  /** --os-features: the platform's os.features. */
  osFeatures?: string[]
  annotations?: string[]
}

type Source = {kind: 'remote'; ref: Reference} | {kind: 'local'; id: string}

function parseSource(rt: Runtime, regs: Registries, image: string): Source {
  if (transportOf(image)) {
    const t = parseTransport(image)
    if (t.transport === 'containers-storage') return {kind: 'local', id: rt.lookupImage(t.name).id}
    if (t.transport !== 'docker') throw new InvalidArgument(`${image}: only docker:// and containers-storage: images can be added to a manifest list`)
    image = t.name
  }
  const res = resolvePullName(regs.conf, image, false)
  return {kind: 'remote', ref: res.candidates[0]}
}

function annotationsOf(list: string[] = []): Record<string, string> | undefined {
  if (!list.length) return undefined
  const out: Record<string, string> = {}
  for (const a of list) {
    const eq = a.indexOf('=')
    if (eq <= 0) throw new InvalidArgument(`no value given for annotation "${a}"`)
    out[a.slice(0, eq)] = a.slice(eq + 1)
  }
  return out
}

function platformOfConfig(raw: Buffer | string): Platform {
  const c = JSON.parse(raw.toString()) as {architecture?: string; os?: string; variant?: string; 'os.version'?: string; 'os.features'?: string[]}
  return {architecture: c.architecture ?? '', os: c.os ?? '', ...(c.variant ? {variant: c.variant} : {}), ...(c['os.version'] ? {'os.version': c['os.version']} : {}), ...(c['os.features']?.length ? {'os.features': c['os.features']} : {})}
}

function override(p: Platform | undefined, opts: AddOptions): Platform {
  const out: Platform = {...(p ?? {architecture: '', os: ''})}
  if (opts.arch) out.architecture = opts.arch
  if (opts.os) out.os = opts.os
  if (opts.variant) out.variant = opts.variant
  if (opts.osVersion) out['os.version'] = opts.osVersion
  if (opts.features?.length) out.features = opts.features
  if (opts.osFeatures?.length) out['os.features'] = opts.osFeatures
  return out
}

/** `manifest add LIST IMAGE`: returns the list's ID. */
export async function addToList(rt: Runtime, list: string, image: string, opts: AddOptions = {}): Promise<string> {
  const lists = new ListStore(rt.store)
  lists.get(list)
  const reporter = opts.reporter ?? quietReporter()
  const regs = new Registries(rt, {tlsVerify: opts.tlsVerify, certDir: opts.certDir, creds: opts.creds, authfile: opts.authfile, onRetry: m => reporter.warn(m)})
  try {
    const src = parseSource(rt, regs, image)
    const add: Array<{entry: ListEntry; source: string}> = []
    const annotations = annotationsOf(opts.annotations)
    if (src.kind === 'local') {
      const doc = rt.store.images.get(src.id)
      add.push({
        entry: {mediaType: doc.manifestMediaType, digest: sha256(doc.manifest), size: Buffer.byteLength(doc.manifest), platform: override(platformOfConfig(doc.config), opts), annotations},
        source: `containers-storage:${doc.id}`,
      })
    } else {
      const ep = regs.conf.pullEndpoints(src.ref)
      const primary = ep[ep.length - 1]
      const reg = regs.get(primary.ref.domain, primary.insecure || undefined)
      const repo = primary.ref.path
      const m = await reg.getManifest(repo, primary.ref.digest ?? primary.ref.tag ?? 'latest')
      const sourceOf = (digest: string) => `docker://${src.ref.domain}/${src.ref.path}@${digest}`
      if (isListType(m.mediaType)) {
        const l = parseManifestList(m.raw, `manifest list ${m.digest}`)
        const chosen = opts.all ? l.manifests : [choosePlatform(l, hostPlatform(), `docker://${refString(src.ref)}`)]
        for (const d of chosen) {
          add.push({entry: {mediaType: d.mediaType, digest: d.digest, size: d.size, platform: opts.all ? d.platform : override(d.platform, opts), annotations: annotations ?? d.annotations}, source: sourceOf(d.digest)})
        }
      } else if (isImageType(m.mediaType)) {
        const man = parseImageManifest(m.raw, `manifest ${m.digest}`)
        const config = await reg.getSmallBlob(repo, man.config.digest, man.config.size)
        parseConfig(config, `config ${man.config.digest}`)
        add.push({entry: {mediaType: m.mediaType, digest: m.digest, size: m.raw.length, platform: override(platformOfConfig(config), opts), annotations}, source: sourceOf(m.digest)})
      } else {
        throw new InvalidResponse(`${image}: unsupported manifest type ${m.mediaType}`)
      }
    }
    const doc = await lists.update(list, d => {
      for (const a of add) putEntry(d, a.entry, a.source)
    })
    return doc.id
  } finally {
    regs.close()
  }
}

/** `manifest annotate LIST DIGEST`. */
export async function annotateList(rt: Runtime, list: string, digest: string, opts: AddOptions & {indexAnnotations?: boolean}): Promise<string> {
  const doc = await new ListStore(rt.store).update(list, d => {
    if (opts.indexAnnotations) {
      d.annotations = {...(d.annotations ?? {}), ...annotationsOf(opts.annotations)}
      return
    }
    const e = d.entries.find(x => x.digest === digest)
    if (!e) throw new InvalidArgument(`no instance with digest "${digest}" in the manifest list`)
    e.platform = override(e.platform, opts)
    const a = annotationsOf(opts.annotations)
    if (a) e.annotations = {...(e.annotations ?? {}), ...a}
  })
  return doc.id
}

/** `manifest remove LIST DIGEST`. */
export async function removeFromList(rt: Runtime, list: string, digest: string): Promise<string> {
  const doc = await new ListStore(rt.store).update(list, d => {
    const before = d.entries.length
    d.entries = d.entries.filter(e => e.digest !== digest)
    if (d.entries.length === before) throw new InvalidArgument(`removing from manifest list ${list}: no instance with digest "${digest}" in the manifest list`)
    delete d.sources[digest]
  })
  return doc.id
}

/** `manifest inspect NAME`: a local list, else the manifest a registry serves for NAME. */
export async function inspectManifest(rt: Runtime, name: string, opts: PullOptions = {}): Promise<string> {
  const local = transportOf(name) ? undefined : new ListStore(rt.store).find(name)
  if (local) return prettyJson(renderList(local, local.annotations || local.entries.some(e => e.annotations) ? 'oci' : 'docker'))
  const regs = new Registries(rt, {tlsVerify: opts.tlsVerify, certDir: opts.certDir, creds: opts.creds, authfile: opts.authfile})
  try {
    const src = parseSource(rt, regs, name)
    if (src.kind === 'local') throw new InvalidArgument(`${name}: not a manifest list`)
    const ep = regs.conf.pullEndpoints(src.ref)
    const primary = ep[ep.length - 1]
    const reg = regs.get(primary.ref.domain, primary.insecure || undefined)
    const m = await reg.getManifest(primary.ref.path, primary.ref.digest ?? primary.ref.tag ?? 'latest')
    return prettyJson(JSON.parse(m.raw.toString('utf8')))
  } finally {
    regs.close()
  }
}

/** Copies one image (by digest) between repositories: blobs mounted, skipped or streamed; then its manifest. */
async function copyRemoteImage(src: Registry, srcRepo: string, digest: string, dst: Registry, dstRepo: string, reporter: Reporter): Promise<void> {
  const m = await src.getManifest(srcRepo, digest)
  if (!isImageType(m.mediaType)) throw new InvalidResponse(`instance ${digest} of the list is not an image manifest (${m.mediaType})`)
  const man = parseImageManifest(m.raw, `manifest ${digest}`)
  for (const d of [...man.layers, man.config]) {
    const kind = d === man.config ? 'config' : 'blob'
    if (await dst.hasBlob(dstRepo, d.digest) !== undefined) {
      reporter.blob(kind, d.digest, d.size).done('skipped: already exists')
      continue
    }
    let session: string | undefined
    if (src.domain === dst.domain) {
      const r = await dst.mountBlob(dstRepo, d.digest, srcRepo)
      if (r === true) {
        reporter.blob(kind, d.digest, d.size).done('skipped: already exists')
        continue
      }
      session = r
    }
    const bar = reporter.blob(kind, d.digest, d.size)
    const location = session ?? await dst.startUpload(dstRepo)
    const blob = blobStream(src, srcRepo, d.digest, d.size, {onBytes: n => bar.advance(n)})
    try {
      await dst.upload(dstRepo, location, () => blob.stream, () => d.digest)
      await blob.verified
    } catch (e) {
      blob.stream.destroy()
      await dst.cancelUpload(dstRepo, location)
      throw e
    }
    bar.done()
  }
  await dst.putManifest(dstRepo, digest, m.raw, m.mediaType)
}

export interface ListPushOptions extends PushOptions {
  all?: boolean
  rm?: boolean
}

/** `manifest push LIST [DEST]`: returns the list's digest at the destination. */
export async function pushList(rt: Runtime, list: string, destination: string | undefined, opts: ListPushOptions = {}): Promise<string> {
  const lists = new ListStore(rt.store)
  const doc: ListDoc = lists.get(list)
  const reporter = opts.reporter ?? quietReporter()
  let dest = destination ?? doc.names[0]
  if (transportOf(dest)) {
    const t = parseTransport(dest)
    if (t.transport !== 'docker') throw new InvalidArgument(`pushing a manifest list to ${t.transport}: is not supported (only to registries)`)
    dest = t.name
  }
  const ref = parseReference(dest)
  if (!ref.domain) {
    ref.domain = 'docker.io'
    if (!ref.path.includes('/')) ref.path = `library/${ref.path}`
  }
  if (!ref.tag && !ref.digest) ref.tag = 'latest'
  const kind = opts.format === 'v2s2' || opts.format === 'docker' ? 'docker' : opts.format && opts.format !== 'oci' ? undefined : 'oci'
  if (!kind) throw new InvalidArgument(`unsupported manifest list type "${opts.format}": supported types are oci, v2s2`)
  const regs = new Registries(rt, {tlsVerify: opts.tlsVerify, certDir: opts.certDir, creds: opts.creds, authfile: opts.authfile, onRetry: m => reporter.warn(m)})
  try {
    const ep = regs.conf.pushEndpoint(ref)
    const dst = regs.get(ep.ref.domain, ep.insecure || undefined)
    const entries = doc.entries.map(e => ({...e}))
    if (opts.all !== false) {
      reporter.line('Getting image list signatures')
      for (const [n, e] of entries.entries()) {
        reporter.line(`Copying ${n + 1} of ${entries.length} images in list`)
        const source = doc.sources[e.digest]
        if (source?.startsWith('containers-storage:')) {
          const img = rt.store.images.get(source.slice('containers-storage:'.length))
          const pushed = await pushToRegistry(rt, regs, img, {domain: ref.domain, path: ref.path}, {...opts, byDigest: true, format: img.manifestMediaType === MEDIA.dockerManifest ? 'v2s2' : 'oci'}, reporter)
          e.digest = pushed.digest
          e.size = pushed.size
          e.mediaType = pushed.mediaType
        } else if (source?.startsWith('docker://')) {
          const s = parseReference(source.slice('docker://'.length))
          const sep = regs.conf.pullEndpoints(s)
          const sp = sep[sep.length - 1]
          reporter.line(`Copying image ${e.digest} (${n + 1}/${entries.length})`)
          await copyRemoteImage(regs.get(sp.ref.domain, sp.insecure || undefined), sp.ref.path, e.digest, dst, ep.ref.path, reporter)
        } else {
          throw new InvalidArgument(`manifest list ${list}: no source known for instance ${e.digest}`)
        }
      }
    }
    const raw = Buffer.from(JSON.stringify(renderList({...doc, entries}, kind)))
    reporter.line('Writing manifest list to image destination')
    const digest = await dst.putManifest(ep.ref.path, ep.ref.digest ?? ep.ref.tag ?? 'latest', raw, kind === 'oci' ? MEDIA.ociIndex : MEDIA.dockerList)
    reporter.line('Storing list signatures')
    if (opts.rm) await lists.remove(doc.id)
    return digest
  } finally {
    regs.close()
  }
}
