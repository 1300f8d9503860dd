// Putting an image read from an archive into the store: check its config,
// unpack the layers the store lacks (outside the lock), check every layer's
// diff ID against the config, then commit layers + image under the lock.
// On any failure the staged layers are discarded: nothing is left behind.
import type {Readable} from 'node:stream'
import {InvalidArchive} from '../../define/errors.js'
import {chainId, type StagedLayer} from '../../storage/layers.js'
import type {Store} from '../../storage/store.js'
import {sha256, type ImageDoc} from '../images.js'
import {commitImage} from '../manage.js'
import {goMarshal} from './gojson.js'

import {MEDIA} from '../media-types.js'
import {failpoint} from '../../util/failpoint.js'
export {MEDIA}

export interface ArchiveLayer {
  /** Opens the layer blob (plain or compressed). */
  open(): Readable
  /** What to call it in errors (the member name). */
  describe: string
  /** The blob's digest as the manifest gives it (OCI), checked after unpacking. */
  blobDigest?: string
}

export interface ArchiveImage {
  /** The raw config, byte for byte (its sha256 is the image ID). */
  config: Buffer
  layers: ArchiveLayer[]
  /** Full names the image gets. */
  names: string[]
  /** The archive's own manifest (OCI); a Docker schema2 one is generated otherwise. */
  manifest?: {raw: Buffer; mediaType: string}
}

export interface ParsedConfig {
  text: string
  diffIds: string[]
}

/** The config as text, checked: valid JSON with rootfs.diff_ids. */
export function parseConfig(raw: Buffer, what = 'image config'): ParsedConfig {
  const text = raw.toString('utf8')
  if (!Buffer.from(text, 'utf8').equals(raw)) throw new InvalidArchive(`${what} is not valid UTF-8`)
  let cfg: {rootfs?: {type?: unknown; diff_ids?: unknown}}
  try {
    cfg = JSON.parse(text)
  } catch (e) {
    throw new InvalidArchive(`${what} is not valid JSON: ${(e as Error).message}`)
  }
  if (!cfg || typeof cfg !== 'object' || Array.isArray(cfg)) throw new InvalidArchive(`${what} is not a JSON object`)
  const ids = cfg.rootfs?.diff_ids
  if (!cfg.rootfs || !Array.isArray(ids)) throw new InvalidArchive(`${what} has no rootfs.diff_ids`)
  for (const d of ids) {
    if (typeof d !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(d)) throw new InvalidArchive(`${what} has an invalid diff ID ${JSON.stringify(d)}`)
  }
  return {text, diffIds: ids as string[]}
}

/** Podman's generated manifest for a docker-archive image (what c/image reports). */
export function dockerManifest(config: string, layers: Array<{diffId: string; size: number}>): string {
  return goMarshal({
    schemaVersion: 2,
    mediaType: MEDIA.dockerManifest,
    config: {mediaType: MEDIA.dockerConfig, size: Buffer.byteLength(config), digest: sha256(config)},
    layers: layers.map(l => ({mediaType: MEDIA.dockerLayerGzip, size: l.size, digest: l.diffId})),
  })
}

/** Layers unpacked at once (overlay). */
const PARALLEL = 3

/** Unpacks and commits one image; returns its document. */
export async function ingestImage(store: Store, img: ArchiveImage): Promise<ImageDoc> {
  const {text: config, diffIds} = parseConfig(img.config)
  if (diffIds.length !== img.layers.length) {
    throw new InvalidArchive(`image config lists ${diffIds.length} layer diff IDs but the archive has ${img.layers.length} layers`)
  }
  await store.ready()
  // Chain IDs follow from the config's diff IDs; each staged layer is checked against its diff ID below.
  const chain: string[] = []
  for (const d of diffIds) chain.push(chainId(chain[chain.length - 1], d))
  // Layers already stored (same chain of diff IDs) are reused, as Podman does.
  let have = 0
  while (have < chain.length && store.layers.exists(chain[have])) have++
  const staged: Array<StagedLayer | undefined> = new Array(diffIds.length)
  const stageOne = async (i: number, parentStaged?: StagedLayer): Promise<StagedLayer> => {
    const layer = img.layers[i]
    const s = await store.layers.stage(chain[i - 1], layer.open(), parentStaged)
    staged[i] = s
    failpoint('image.load.after-layers')
    if (s.doc.diffId !== diffIds[i]) {
      throw new InvalidArchive(`layer digest mismatch: ${layer.describe} has diff ID ${s.doc.diffId}, the image config lists ${diffIds[i]}`)
    }
    if (layer.blobDigest) {
      const got = s.doc.compressedDigest ?? s.doc.diffId
      if (got !== layer.blobDigest && s.doc.diffId !== layer.blobDigest) {
        throw new InvalidArchive(`layer digest mismatch: ${layer.describe} has digest ${got}, the manifest lists ${layer.blobDigest}`)
      }
    }
    return s
  }
  try {
    if (store.layers.driver.name === 'overlay') {
      // Overlay layers hold only their own diff: unpack them side by side.
      let next = have
      let failure: {error: unknown} | undefined
      const worker = async () => {
        while (next < chain.length && !failure) {
          const i = next++
          try {
            await stageOne(i)
          } catch (e) {
            failure ??= {error: e}
          }
        }
      }
      await Promise.all(Array.from({length: Math.min(PARALLEL, chain.length - have)}, worker))
      if (failure) throw failure.error
    } else {
      // vfs: each layer starts as a copy of its parent.
      let parentStaged: StagedLayer | undefined
      for (let i = have; i < chain.length; i++) parentStaged = await stageOne(i, parentStaged)
    }
    const parts: Array<StagedLayer | string> = chain.map((id, i) => (i < have ? id : staged[i]!))
    const sizes = chain.map((id, i) => ({diffId: diffIds[i], size: i < have ? store.layers.get(id).size : staged[i]!.doc.size}))
    const manifest = img.manifest
      ? {raw: img.manifest.raw.toString('utf8'), mediaType: img.manifest.mediaType}
      : {raw: dockerManifest(config, sizes), mediaType: MEDIA.dockerManifest}
    return await commitImage(store, {
      config,
      manifest: manifest.raw,
      manifestMediaType: manifest.mediaType,
      staged: parts,
      names: img.names,
    })
  } finally {
    // Committed layers were moved away; discarding is then a no-op.
    for (const s of staged) if (s) store.layers.discard(s)
  }
}
