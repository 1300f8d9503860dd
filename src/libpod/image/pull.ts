// `pull`: images from registries (short names resolved through
// registries.conf, mirrors and location rewrites, policy.json checked) and
// from the other transports (oci:, oci-archive:, docker-archive:, dir:).
// Also the pull policy of `run`/`create` (pullImageIfNeeded).
import {imageEvent} from '../events/log.js'
import path from 'node:path'
import {errorMessage, InvalidArgument, NoSuchImage, NotFound, PeapodError, RegistryError} from '../define/errors.js'
import type {Runtime} from '../runtime.js'
import type {ImageDoc} from './images.js'
import {findImage} from './lookup.js'
import {formatReference, parseReference, type Reference} from './reference.js'
import {normalizeName} from './archive/names.js'
import type {Credentials} from './registry/auth.js'
import {Registry, type ClientOptions} from './registry/client.js'
import {RegistriesConf, checkPolicy, refString, resolvePullName} from './registry/config.js'
import {fetchImage, resolveManifest} from './registry/fetch.js'
import {hostPlatform, wantedPlatform, type PlatformWanted} from './registry/manifest.js'
import {quietReporter, type Reporter} from './registry/progress.js'
import {parseTransport, transportOf} from './transports.js'

export type PullPolicy = 'always' | 'missing' | 'never' | 'newer'

export interface PullOptions {
  /** --tls-verify; undefined: registries.conf decides. */
  tlsVerify?: boolean
  certDir?: string
  creds?: Credentials
  authfile?: string
  /** --platform / --os / --arch / --variant. */
  platform?: {platform?: string; os?: string; arch?: string; variant?: string}
  allTags?: boolean
  reporter?: Reporter
  /** --signature-policy */
  signaturePolicy?: string
  /** Whether short-name resolution may prompt (stdin and stdout are terminals). */
  terminal?: boolean
}

/** Registry clients of one pull/push, one per registry host and TLS setting. */
export class Registries {
  private readonly clients = new Map<string, Registry>()
  readonly conf: RegistriesConf

  constructor(readonly rt: Runtime, readonly opts: Omit<ClientOptions, 'conf'>) {
    this.conf = RegistriesConf.load(rt.config.configDirs, rt.config.rootless)
  }

  get(domain: string, insecure?: boolean): Registry {
    const key = `${domain}|${insecure ?? ''}`
    let c = this.clients.get(key)
    if (!c) this.clients.set(key, c = new Registry(domain, {...this.opts, conf: this.conf}, insecure))
    return c
  }

  close(): void {
    for (const c of this.clients.values()) c.close()
  }
}

function clientOptions(opts: PullOptions, reporter: Reporter): Omit<ClientOptions, 'conf'> {
  return {tlsVerify: opts.tlsVerify, certDir: opts.certDir, creds: opts.creds, authfile: opts.authfile, onRetry: m => reporter.warn(m)}
}

/** The name a pulled image is stored under: repo:tag, or repo@digest. */
function storedName(ref: Reference): string {
  return formatReference(ref.digest ? {domain: ref.domain, path: ref.path, digest: ref.digest} : {domain: ref.domain, path: ref.path, tag: ref.tag ?? 'latest'})
}

/** Pulls one candidate reference through its mirrors and location. */
async function pullCandidate(regs: Registries, ref: Reference, platform: PlatformWanted, reporter: Reporter): Promise<ImageDoc> {
  const display = `docker://${refString(ref)}`
  const endpoints = regs.conf.pullEndpoints(ref)
  const mirrorErrors: string[] = []
  for (const ep of endpoints) {
    const reg = regs.get(ep.ref.domain, ep.insecure || undefined)
    const repo = ep.ref.path
    const reference = ep.ref.digest ?? ep.ref.tag ?? 'latest'
    try {
      let resolved
      try {
        resolved = await resolveManifest(reg, repo, reference, platform, `docker://${refString(ep.ref)}`)
      } catch (e) {
        if (e instanceof PeapodError) e.message = `initializing source ${display}: ${e.message}`
        throw e
      }
      return await fetchImage(regs.rt.store, reg, repo, resolved, {platform, reporter, names: [storedName(ref)], display})
    } catch (e) {
      if (!ep.mirror) {
        if (mirrorErrors.length && e instanceof Error) e.message += ` (Mirrors also failed: [${mirrorErrors.join('; ')}])`
        throw e
      }
      mirrorErrors.push(`${refString(ep.ref)}: ${errorMessage(e)}`)
    }
  }
  throw new RegistryError(`${display}: no registry to pull from`)
}

/** Images pulled from a registry name (short or qualified). */
async function pullFromRegistries(rt: Runtime, name: string, opts: PullOptions, reporter: Reporter): Promise<ImageDoc[]> {
  const platform = opts.platform ? wantedPlatform(opts.platform) : hostPlatform()
  const regs = new Registries(rt, clientOptions(opts, reporter))
  try {
    if (opts.allTags) {
      const ref = parseReference(name)
      if (ref.tag || ref.digest) throw new InvalidArgument('tag can\'t be used with --all-tags/-a')
      const res = resolvePullName(regs.conf, name, !!opts.terminal)
      if (res.description) reporter.line(res.description)
      const base = res.candidates[0]
      const ep = regs.conf.pullEndpoints({...base, tag: 'latest'})
      const primary = ep[ep.length - 1]
      const tags = await regs.get(primary.ref.domain, primary.insecure || undefined).listTags(primary.ref.path)
      const docs: ImageDoc[] = []
      for (const tag of tags) {
        const r = {domain: base.domain, path: base.path, tag}
        checkPolicy('docker', refString(r), `docker://${refString(r)}`, opts.signaturePolicy)
        reporter.line(`Trying to pull ${refString(r)}...`)
        docs.push(await pullCandidate(regs, r, platform, reporter))
      }
      return docs
    }
    const res = resolvePullName(regs.conf, name, !!opts.terminal)
    if (res.description) reporter.line(res.description)
    const errors: Error[] = []
    for (const cand of res.candidates) {
      try {
        checkPolicy('docker', refString(cand), `docker://${refString(cand)}`, opts.signaturePolicy)
        reporter.line(`Trying to pull ${refString(cand)}...`)
        return [await pullCandidate(regs, cand, platform, reporter)]
      } catch (e) {
        errors.push(e instanceof Error ? e : new Error(String(e)))
        if (res.candidates.length === 1) throw e
      }
    }
    // Several candidates, all failed: one line with each error (Podman lists them).
    const err = errors.find(e => !(e instanceof NotFound)) ?? errors[0]
    const combined = new RegistryError(`${errors.length} errors occurred while pulling: ${errors.map(e => `* ${e.message}`).join(' ')}`)
    if (err instanceof PeapodError) Object.defineProperty(combined, 'exitCode', {value: err.exitCode})
    throw combined
  } finally {
    regs.close()
  }
}

/** The name an image pulled from a layout directory gets: localhost/<path>:latest, as Podman names it. */
function nameFromPath(p: string): string[] {
  try {
    return [normalizeName(path.resolve(p).replace(/^\/+/, '').toLowerCase())]
  } catch {
    return []
  }
}

/** Images from a transport reference (oci:, oci-archive:, docker-archive:, dir:). */
async function pullFromTransport(rt: Runtime, input: string, reporter: Reporter): Promise<ImageDoc[]> {
  const t = parseTransport(input)
  const [{ingestImage}, {openArchive}, {readArchive}, {readDirLayout, readOciLayout}] = await Promise.all([
    import('./archive/ingest.js'), import('./archive/input.js'), import('./load.js'), import('./registry/layout.js'),
  ])
  const store = rt.store
  reporter.line('Getting image source signatures')
  const done = (docs: ImageDoc[]) => {
    reporter.line('Writing manifest to image destination')
    reporter.line('Storing signatures')
    return docs
  }
  switch (t.transport) {
    case 'oci': {
      const imgs = readOciLayout(t.path, t.ref)
      if (imgs.length !== 1) throw new InvalidArgument(`${input}: the layout holds ${imgs.length} images: name one (oci:DIR:REF)`)
      const img = {...imgs[0], names: nameFromPath(t.path)}
      for (const l of img.layers) reporter.blob('blob', l.blobDigest ?? l.describe, -1).done()
      return done([await ingestImage(store, img)])
    }
    case 'dir': {
      const img = {...readDirLayout(t.path), names: nameFromPath(t.path)}
      for (const l of img.layers) reporter.blob('blob', l.blobDigest ?? l.describe, -1).done()
      return done([await ingestImage(store, img)])
    }
    case 'oci-archive': case 'docker-archive': {
      const index = await openArchive(t.path, process.stdin, path.join(store.config.graphRoot, 'tmp'))
      try {
        const {images} = readArchive(index)
        let chosen = images
        if (t.ref) {
          const want = t.transport === 'docker-archive' && /^@\d+$/.test(t.ref) ? undefined : normalizeName(t.ref)
          chosen = want ? images.filter(i => i.names.includes(want)) : [images[Number(t.ref.slice(1))]].filter(Boolean)
          if (chosen.length === 0) throw new NoSuchImage(`${input}: no image ${t.ref} in the archive`)
        } else if (t.transport === 'docker-archive' && images.length > 1) {
          chosen = images.slice(0, 1)
        }
        const docs: ImageDoc[] = []
        for (const img of chosen) {
          for (const l of img.layers) reporter.blob('blob', l.blobDigest ?? l.describe, -1).done()
          docs.push(await ingestImage(store, {...img, names: img.names.length ? img.names : nameFromPath(t.path)}))
        }
        return done(docs)
      } finally {
        index.close()
      }
    }
    case 'containers-storage':
      return [rt.lookupImage(t.name)]
    default:
      throw new InvalidArgument(`${input}: pulling from the ${t.transport} transport is not supported`)
  }
}

/** `pull`: the images pulled (several with --all-tags). */
export async function pullImages(rt: Runtime, input: string, opts: PullOptions = {}): Promise<ImageDoc[]> {
  const docs = await pullImagesQuietly(rt, input, opts)
  // As Podman: Name is what was asked for; no ID.
  imageEvent(rt.config, undefined, input, 'pull')
  return docs
}

async function pullImagesQuietly(rt: Runtime, input: string, opts: PullOptions): Promise<ImageDoc[]> {
  const reporter = opts.reporter ?? quietReporter()
  if (transportOf(input)) {
    const t = parseTransport(input)
    if (t.transport !== 'docker') return pullFromTransport(rt, input, reporter)
    return pullFromRegistries(rt, t.name, opts, reporter)
  }
  return pullFromRegistries(rt, input, opts, reporter)
}

/** The local image a platform-specific pull may reuse: same OS/architecture (any, when none was asked for). */
function platformMatches(doc: ImageDoc, opts: PullOptions): boolean {
  if (!opts.platform || !(opts.platform.platform || opts.platform.arch || opts.platform.os || opts.platform.variant)) return true
  const want = wantedPlatform(opts.platform)
  try {
    const cfg = JSON.parse(doc.config) as {os?: string; architecture?: string; variant?: string}
    return (cfg.os ?? 'linux') === want.os && cfg.architecture === want.architecture && (!opts.platform.variant || cfg.variant === want.variant)
  } catch {
    return false
  }
}

/**
 * The image `ref` names, pulled according to the pull policy of `run` and
 * `create` (--pull): missing (pull only when not stored), always, never
 * (fail when not stored), newer (pull when the registry's digest differs).
 */
export async function pullImageIfNeeded(rt: Runtime, ref: string, policy: PullPolicy = 'missing', opts: PullOptions = {}): Promise<ImageDoc> {
  if (transportOf(ref) && parseTransport(ref).transport !== 'docker') {
    const t = parseTransport(ref)
    if (t.transport === 'containers-storage') return rt.lookupImage(t.name)
    return (await pullImages(rt, ref, opts))[0]
  }
  const name = transportOf(ref) ? (parseTransport(ref) as {name: string}).name : ref
  let local: ImageDoc | undefined
  try {
    local = findImage(rt.listImages(), name, rt.searchRegistries)
  } catch {
    local = undefined
  }
  if (local && !platformMatches(local, opts)) local = undefined
  switch (policy) {
    case 'never':
      if (!local) throw new NoSuchImage(`${name}: image not known`)
      return local
    case 'missing':
      if (local) return local
      break
    case 'newer':
      if (local && await sameAsRemote(rt, local, name, opts)) return local
      break
    case 'always':
      break
    default:
      throw new InvalidArgument(`unsupported pull policy "${policy as string}"`)
  }
  return (await pullImages(rt, name, opts))[0]
}

/** For --pull=newer: whether the registry's manifest is one the local image already has (a failed check keeps the local one). */
async function sameAsRemote(rt: Runtime, local: ImageDoc, name: string, opts: PullOptions): Promise<boolean> {
  const reporter = opts.reporter ?? quietReporter()
  const regs = new Registries(rt, {...clientOptions(opts, reporter), retries: 0})
  try {
    const res = resolvePullName(regs.conf, name, !!opts.terminal)
    for (const cand of res.candidates) {
      const ep = regs.conf.pullEndpoints(cand)
      const primary = ep[ep.length - 1]
      if (cand.digest) return local.digests.includes(cand.digest)
      const digest = await regs.get(primary.ref.domain, primary.insecure || undefined).headManifest(primary.ref.path, primary.ref.tag ?? 'latest')
      if (digest) return local.digests.includes(digest)
    }
    return true
  } catch (e) {
    reporter.warn(`checking whether ${name} is newer on its registry: ${errorMessage(e)}; using the local image`)
    return true
  } finally {
    regs.close()
  }
}
