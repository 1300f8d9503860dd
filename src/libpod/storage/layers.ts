// The layer store: one JSON document per layer (layers/<id>.json) next to its
// tar-split (the metadata that rebuilds the exact layer tar for `save`).
// Layer IDs are chain IDs, so the same layer is stored once.
import {existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync} from 'node:fs'
import path from 'node:path'
import type {Readable} from 'node:stream'
import {InvalidArchive, NoSuchLayer} from '../define/errors.js'
import {readJson, writeFileAtomic, writeJsonAtomic} from '../state/atomic.js'
import type {LayerDriver} from './driver.js'
import {pidAlive} from '../util/liveness.js'
import {crypto, stream} from '../util/builtins.js'

export interface LayerDoc {
  id: string
  parent?: string
  /** sha256 of the uncompressed tar. */
  diffId: string
  compressedDigest?: string
  /** Uncompressed tar size. */
  size: number
  created: string
}

export function chainId(parent: string | undefined, diffId: string): string {
  if (!parent) return diffId.replace(/^sha256:/, '')
  return crypto().createHash('sha256').update(`sha256:${parent} ${diffId}`).digest('hex')
}

export class LayerStore {
  private readonly docs: string
  private readonly tmp: string

  constructor(
    graphRoot: string,
    readonly driver: LayerDriver,
    private readonly rootless: boolean,
  ) {
    this.docs = path.join(graphRoot, 'layers')
    this.tmp = path.join(graphRoot, 'tmp')
  }

  private docPath(id: string): string {
    return path.join(this.docs, `${id}.json`)
  }

  private splitPath(id: string): string {
    return path.join(this.docs, `${id}.tar-split.gz`)
  }

  exists(id: string): boolean {
    return existsSync(this.docPath(id))
  }

  get(id: string): LayerDoc {
    const doc = readJson<LayerDoc>(this.docPath(id))
    if (!doc) throw new NoSuchLayer(`layer not known: ${id}`)
    return doc
  }

  list(): LayerDoc[] {
    if (!existsSync(this.docs)) return []
    return readdirSync(this.docs).filter(f => f.endsWith('.json')).map(f => readJson<LayerDoc>(path.join(this.docs, f))!).filter(Boolean)
  }

  /**
   * Unpacks a (possibly compressed) layer tar into a staging dir, then moves it
   * into place. Not under the store lock: the caller commits with `commit`.
   * `parentStaged`: the parent when it is itself only staged so far.
   */
  async stage(parent: string | undefined, input: Readable, parentStaged?: StagedLayer): Promise<StagedLayer> {
    mkdirSync(this.tmp, {recursive: true})
    const staging = path.join(this.tmp, `layer-${process.pid}-${crypto().randomBytes(6).toString('hex')}`)
    try {
      this.driver.prepare(staging, parent, parentStaged?.staging)
      // The applier is loaded only by commands that unpack layers.
      const {applyLayer, decompress} = await import('./apply.js')
      const {stream, compressedDigest} = decompress(input)
      const result = await applyLayer(stream, staging, {
        mode: this.driver.applyMode,
        rootless: this.rootless,
        opaqueXattr: this.rootless ? 'user.overlay.opaque' : 'trusted.overlay.opaque',
      })
      const compressed = await compressedDigest
      const doc: LayerDoc = {
        id: chainId(parent, result.diffId),
        parent,
        diffId: result.diffId,
        compressedDigest: compressed ?? result.compressedDigest,
        size: result.size,
        created: new Date().toISOString(),
      }
      return {doc, staging, tarSplit: result.tarSplit}
    } catch (e) {
      rmSync(staging, {recursive: true, force: true})
      throw e
    }
  }

  /** Moves a staged layer into place. Call under the store lock. */
  commit(staged: StagedLayer): LayerDoc {
    const {doc} = staged
    if (this.exists(doc.id)) {
      this.discard(staged)
      return this.get(doc.id)
    }
    if (doc.parent && !this.exists(doc.parent)) {
      this.discard(staged)
      throw new InvalidArchive(`parent layer ${doc.parent} of ${doc.id} is not in the store`)
    }
    const dir = this.driver.dir(doc.id)
    rmSync(dir, {recursive: true, force: true})
    mkdirSync(path.dirname(dir), {recursive: true})
    renameSync(staged.staging, dir)
    writeFileAtomic(this.splitPath(doc.id), staged.tarSplit)
    writeJsonAtomic(this.docPath(doc.id), doc)
    return doc
  }

  discard(staged: StagedLayer): void {
    rmSync(staged.staging, {recursive: true, force: true})
  }

  /** The layer's original uncompressed tar, byte for byte. */
  tarStream(id: string): Readable {
    const out = new (stream().PassThrough)()
    const split = readFileSync(this.splitPath(id))
    import('./apply.js').then(m => {
      const src = m.layerTarStream(this.driver.dir(id), split)
      src.on('error', e => out.destroy(e))
      src.pipe(out)
    }, e => out.destroy(e))
    return out
  }


  /** Removes a layer. Call under the store lock. */
  remove(id: string): void {
    // Document first: a crash after it leaves only an unreferenced directory,
    // which `cleanupOrphans` removes, never a document without content.
    rmSync(this.docPath(id), {force: true})
    rmSync(this.splitPath(id), {force: true})
    const dir = this.driver.dir(id)
    const top = this.driver.name === 'overlay' ? path.dirname(dir) : dir
    rmSync(top, {recursive: true, force: true})
  }

  /** Removes staging dirs of dead processes and layer dirs with no document. Under the store lock. */
  cleanupOrphans(): void {
    if (existsSync(this.tmp)) {
      for (const f of readdirSync(this.tmp)) {
        const m = /^layer-(\d+)-/.exec(f)
        if (m && !pidAlive(Number(m[1]))) rmSync(path.join(this.tmp, f), {recursive: true, force: true})
      }
    }
  }

  diskSize(id: string): number {
    try {
      return statSync(this.driver.dir(id)).size
    } catch {
      return 0
    }
  }
}

export interface StagedLayer {
  doc: LayerDoc
  staging: string
  tarSplit: Buffer
}

