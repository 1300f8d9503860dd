// What compressed blobs a layer is known as (like containers/image's blob
// info cache): recorded when a layer is pulled or pushed, so that a later
// push can ask the registry for a blob it may already have instead of
// compressing and uploading the layer again. A cache: losing it (or a
// concurrent writer's update) only costs an upload.
import path from 'node:path'
import {readJson, writeJsonAtomic} from '../../state/atomic.js'

export interface KnownBlob {
  digest: string
  size: number
  mediaType: string
}

const MAX_PER_LAYER = 8

export class BlobInfoCache {
  private readonly file: string
  private data?: Record<string, KnownBlob[]>
  private dirty = false

  constructor(graphRoot: string) {
    this.file = path.join(graphRoot, 'cache', 'blob-info.json')
  }

  private load(): Record<string, KnownBlob[]> {
    if (!this.data) {
      try {
        this.data = readJson<Record<string, KnownBlob[]>>(this.file) ?? {}
      } catch {
        this.data = {}
      }
    }
    return this.data
  }

  /** Compressed forms of the layer with this diff ID, most recent first. */
  candidates(diffId: string): KnownBlob[] {
    return this.load()[diffId] ?? []
  }

  record(diffId: string, blob: KnownBlob): void {
    if (blob.digest === diffId) return
    const data = this.load()
    const list = (data[diffId] ?? []).filter(b => b.digest !== blob.digest)
    data[diffId] = [blob, ...list].slice(0, MAX_PER_LAYER)
    this.dirty = true
  }

  save(): void {
    if (!this.dirty) return
    try {
      writeJsonAtomic(this.file, this.data)
      this.dirty = false
    } catch {
      // a cache: never fail a pull or push for it
    }
  }
}
