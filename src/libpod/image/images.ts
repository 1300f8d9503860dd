// The image index: one JSON document per image (images/<id>.json) holding the
// raw config and manifest, so that the ID (sha256 of the config) and digest
// (sha256 of the manifest) are the same as Podman's for the same image.
import {existsSync, readdirSync, rmSync} from 'node:fs'
import path from 'node:path'
import {NoSuchImage} from '../define/errors.js'
import {readJson, writeJsonAtomic} from '../state/atomic.js'
import {crypto} from '../util/builtins.js'

export interface ImageDoc {
  id: string
  /** Full names, e.g. localhost/foo:latest, docker.io/library/busybox:latest. */
  names: string[]
  /** Manifest digests this image is known by (repo@digest lookups). */
  digests: string[]
  /** sha256 of `manifest`. */
  digest: string
  manifest: string
  manifestMediaType: string
  /** The raw image config JSON; id = sha256 of it. */
  config: string
  /** Layer IDs, bottom to top. */
  layers: string[]
  /** When the image was put in this store. */
  added: string
}

export function sha256(data: string | Buffer): string {
  return 'sha256:' + crypto().createHash('sha256').update(data).digest('hex')
}

export class ImageIndex {
  private readonly dir: string
  constructor(graphRoot: string) {
    this.dir = path.join(graphRoot, 'images')
  }

  private docPath(id: string): string {
    return path.join(this.dir, `${id}.json`)
  }

  exists(id: string): boolean {
    return existsSync(this.docPath(id))
  }

  get(id: string): ImageDoc {
    const doc = readJson<ImageDoc>(this.docPath(id))
    if (!doc) throw new NoSuchImage(`${id}: image not known`)
    return doc
  }

  /** All images; documents removed while listing are skipped. */
  list(): ImageDoc[] {
    if (!existsSync(this.dir)) return []
    const out: ImageDoc[] = []
    for (const f of readdirSync(this.dir)) {
      if (!f.endsWith('.json') || f.startsWith('.')) continue
      const doc = readJson<ImageDoc>(path.join(this.dir, f))
      if (doc) out.push(doc)
    }
    return out
  }

  /** Writes an image document. Call under the store lock. */
  save(doc: ImageDoc): void {
    writeJsonAtomic(this.docPath(doc.id), doc)
  }

  remove(id: string): void {
    rmSync(this.docPath(id), {force: true})
  }
}
