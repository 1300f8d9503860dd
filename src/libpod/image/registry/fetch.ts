// Copying one image from a registry into the store: manifest (a list is
// resolved to the platform's instance), config, then the layers the store
// lacks, downloaded concurrently and unpacked while they stream in. Every
// manifest, config and layer is checked against its digest; on any failure
// the staged layers are removed and nothing is committed.
import {createWriteStream, mkdirSync, rmSync, createReadStream} from 'node:fs'
import {randomBytes} from 'node:crypto'
import path from 'node:path'
import type {Readable} from 'node:stream'
import {pipeline} from 'node:stream/promises'
import {DigestMismatch, errorMessage, InvalidArchive, InvalidResponse, PeapodError} from '../../define/errors.js'
import type {Store} from '../../storage/store.js'
import {chainId, type StagedLayer} from '../../storage/layers.js'
import {parseConfig} from '../archive/ingest.js'
import type {ImageDoc} from '../images.js'
import {commitImage} from '../manage.js'
import {BlobInfoCache} from './blob-cache.js'
import {blobStream, type BlobStream} from './blob.js'
import type {Registry} from './client.js'
import {
  DOCKER_V1, DOCKER_V1_SIGNED, checkLayerType, choosePlatform, isImageType, isListType, parseImageManifest, parseManifestList,
  type ImageManifest, type PlatformWanted,
} from './manifest.js'
import type {Reporter} from './progress.js'
import {failpoint} from '../../util/failpoint.js'

export interface FetchOptions {
  platform: PlatformWanted
  reporter: Reporter
  /** Names the image gets (e.g. 127.0.0.1:5000/foo:latest). */
  names: string[]
  /** For messages: docker://... */
  display: string
  /** Layers downloaded at once (6, as Podman). */
  parallel?: number
}

export interface ResolvedManifest {
  raw: Buffer
  mediaType: string
  digest: string
  manifest: ImageManifest
  /** The digest of the list it was chosen from. */
  listDigest?: string
}

/** The image manifest for `reference` (tag or digest), through a list when there is one. */
export async function resolveManifest(reg: Registry, repo: string, reference: string, platform: PlatformWanted, display: string): Promise<ResolvedManifest> {
  let m = await reg.getManifest(repo, reference)
  let listDigest: string | undefined
  if (isListType(m.mediaType)) {
    const list = parseManifestList(m.raw, `manifest list ${m.digest}`)
    const desc = choosePlatform(list, platform, display)
    listDigest = m.digest
    m = await reg.getManifest(repo, desc.digest)
    if (isListType(m.mediaType)) throw new InvalidResponse(`${display}: a manifest list inside a manifest list is not supported`)
  }
  if (m.mediaType === DOCKER_V1 || m.mediaType === DOCKER_V1_SIGNED) {
    throw new InvalidResponse(`${display}: Docker schema 1 manifests are not supported (push the image again with a current tool)`)
  }
  // Anything else (an artifact, a mistyped document) is not an image: containers/image refuses it too
  if (!isImageType(m.mediaType)) throw new InvalidResponse(`${display}: unsupported manifest type ${JSON.stringify(m.mediaType)}`)
  let manifest: ImageManifest
  try {
    manifest = parseImageManifest(m.raw, `manifest ${m.digest}`)
  } catch (e) {
    if (e instanceof SyntaxError) throw new InvalidResponse(`manifest ${m.digest}: invalid JSON: ${e.message}`)
    throw e
  }
  return {raw: m.raw, mediaType: m.mediaType, digest: m.digest, manifest, listDigest}
}

/** A spool file for a layer downloaded ahead of its turn (vfs), named so that cleanupOrphans removes it after a crash. */
function spoolPath(store: Store): string {
  const dir = path.join(store.config.graphRoot, 'tmp')
  mkdirSync(dir, {recursive: true})
  return path.join(dir, `layer-${process.pid}-blob-${randomBytes(6).toString('hex')}`)
}

/** Downloads the image behind `resolved` into the store and commits it. */
export async function fetchImage(store: Store, reg: Registry, repo: string, resolved: ResolvedManifest, opts: FetchOptions): Promise<ImageDoc> {
  const {manifest} = resolved
  const {reporter} = opts
  reporter.line('Getting image source signatures')
  const configDigest = manifest.config.digest
  const imageId = configDigest.slice('sha256:'.length)
  manifest.layers.forEach((l, i) => checkLayerType(l.mediaType, `layer ${i} (${l.digest})`))

  // Already here with every layer: only the names and digests change.
  if (store.images.exists(imageId)) {
    const existing = store.images.get(imageId)
    if (existing.layers.every(id => store.layers.exists(id))) {
      for (const l of manifest.layers) reporter.blob('blob', l.digest, l.size).done('skipped: already exists')
      reporter.blob('config', configDigest, manifest.config.size).done()
      reporter.line('Writing manifest to image destination')
      reporter.line('Storing signatures')
      const digests = [resolved.digest, ...(resolved.listDigest ? [resolved.listDigest] : [])]
      // Nothing new (the usual re-pull): no lock, no write.
      if (opts.names.every(n => existing.names.includes(n)) && digests.every(d => existing.digests.includes(d))) return existing
      return commitImage(store, {
        config: existing.config,
        manifest: resolved.raw.toString('utf8'),
        manifestMediaType: resolved.mediaType,
        staged: existing.layers,
        names: opts.names,
        digests: [resolved.digest, ...(resolved.listDigest ? [resolved.listDigest] : [])],
      })
    }
  }

  const configRaw = await reg.getSmallBlob(repo, configDigest, manifest.config.size)
  const {text: config, diffIds} = parseConfig(configRaw, `config ${configDigest}`)
  if (diffIds.length !== manifest.layers.length) {
    throw new InvalidArchive(`image config ${configDigest} lists ${diffIds.length} layer diff IDs but the manifest has ${manifest.layers.length} layers`)
  }
  await store.ready()
  const chain: string[] = []
  for (const d of diffIds) chain.push(chainId(chain[chain.length - 1], d))
  // Layers the store has (a layer implies its parents): skip up to the last one present.
  let have = 0
  for (let i = chain.length - 1; i >= 0; i--) {
    if (store.layers.exists(chain[i])) {
      have = i + 1
      break
    }
  }
  for (let i = 0; i < have; i++) reporter.blob('blob', manifest.layers[i].digest, manifest.layers[i].size).done('skipped: already exists')

  const staged: Array<StagedLayer | undefined> = new Array(chain.length)
  const blobs: Array<BlobStream | undefined> = new Array(chain.length)
  const spools: string[] = []
  let failure: {error: unknown} | undefined
  const fail = (e: unknown) => {
    failure ??= {error: e}
    // Stop the other transfers at once.
    for (const b of blobs) b?.stream.destroy()
  }

  /** Checks a staged layer against the config's diff ID. */
  const check = (i: number, s: StagedLayer) => {
    if (s.doc.diffId !== diffIds[i]) {
      throw new DigestMismatch(`layer ${manifest.layers[i].digest}: uncompressed digest ${s.doc.diffId} does not match the config's diff ID ${diffIds[i]}`)
    }
  }

  /** Download + unpack layer i straight from the network. */
  const stageFromNetwork = async (i: number, parentStaged?: StagedLayer): Promise<StagedLayer> => {
    const l = manifest.layers[i]
    const bar = reporter.blob('blob', l.digest, l.size)
    const blob = blobStream(reg, repo, l.digest, l.size, {onBytes: n => bar.advance(n), onResume: m => reporter.warn(m)})
    blobs[i] = blob
    try {
      const s = await store.layers.stage(chain[i - 1], blob.stream, parentStaged)
      staged[i] = s
      // Normally verified already (the applier reads to the end); else read the rest now.
      const bad = await blob.checkRest()
      if (bad) throw bad
      await blob.verified
      check(i, s)
      bar.done()
      return s
    } catch (e) {
      if (failure) throw failure.error
      // A tar or decompression error may really be a corrupt download: say so when it is.
      const corrupt = e instanceof DigestMismatch ? e : await blob.checkRest()
      throw corrupt ?? layerError(l.digest, e)
    }
  }

  try {
    const todo = Array.from({length: chain.length - have}, (_, k) => have + k)
    const parallel = Math.max(1, opts.parallel ?? 6)
    if (store.layers.driver.name === 'overlay') {
      // Overlay layers hold only their own diff: unpack them side by side.
      let next = 0
      const worker = async () => {
        while (next < todo.length && !failure) {
          const i = todo[next++]
          try {
            await stageFromNetwork(i)
          } catch (e) {
            fail(e)
          }
        }
      }
      await Promise.all(Array.from({length: Math.min(parallel, todo.length)}, worker))
    } else if (todo.length) {
      // vfs: each layer starts as a copy of its parent, so unpacking is in
      // order; later layers download meanwhile into spool files.
      const downloads = new Map<number, Promise<string>>()
      let started = 1
      let finishedDownloads = 0
      const startDownloads = () => {
        while (started < todo.length && downloads.size - finishedDownloads < parallel - 1) {
          const i = todo[started++]
          const file = spoolPath(store)
          spools.push(file)
          const l = manifest.layers[i]
          const bar = reporter.blob('blob', l.digest, l.size)
          const blob = blobStream(reg, repo, l.digest, l.size, {onBytes: n => bar.advance(n), onResume: m => reporter.warn(m)})
          blobs[i] = blob
          const p = pipeline(blob.stream, createWriteStream(file)).then(async () => {
            await blob.verified
            bar.done()
            finishedDownloads++
            startDownloads()
            return file
          })
          p.catch(e => fail(e))
          downloads.set(i, p)
        }
      }
      startDownloads()
      let parent: StagedLayer | undefined
      parent = await stageFromNetwork(todo[0])
      for (let k = 1; k < todo.length && !failure; k++) {
        const i = todo[k]
        const file = await downloads.get(i)!
        const s: StagedLayer = await store.layers.stage(chain[i - 1], createReadStream(file, {highWaterMark: 1 << 20}) as Readable, parent)
          .catch(e => {
            throw layerError(manifest.layers[i].digest, e)
          })
        staged[i] = s
        check(i, s)
        rmSync(file, {force: true})
        parent = s
      }
      await Promise.allSettled(downloads.values())
    }
    if (failure) throw failure.error
    failpoint('image.pull.after-layers')
    const cfgBar = reporter.blob('config', configDigest, manifest.config.size)
    cfgBar.done()
    reporter.line('Writing manifest to image destination')
    const doc = await commitImage(store, {
      config,
      manifest: resolved.raw.toString('utf8'),
      manifestMediaType: resolved.mediaType,
      staged: chain.map((id, i) => (i < have ? id : staged[i]!)),
      names: opts.names,
      digests: [resolved.digest, ...(resolved.listDigest ? [resolved.listDigest] : [])],
    })
    reporter.line('Storing signatures')
    const cache = new BlobInfoCache(store.config.graphRoot)
    manifest.layers.forEach((l, i) => cache.record(diffIds[i], {digest: l.digest, size: l.size, mediaType: l.mediaType}))
    cache.save()
    return doc
  } catch (e) {
    fail(e)
    throw failure!.error
  } finally {
    for (const b of blobs) b?.stream.destroy()
    // Committed layers were moved into place; discarding is then a no-op.
    for (const s of staged) if (s) store.layers.discard(s)
    for (const f of spools) rmSync(f, {force: true})
  }
}

function layerError(digest: string, e: unknown): PeapodError {
  if (e instanceof DigestMismatch) return e
  const msg = errorMessage(e)
  if (e instanceof PeapodError && msg.startsWith('reading blob')) return e
  const err = new InvalidArchive(`applying layer ${digest}: ${msg}`)
  return err
}
