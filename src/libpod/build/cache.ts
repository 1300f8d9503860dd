// The layer cache: a step's key (parent image, instruction, the build args
// it uses, the content digest of what COPY/ADD bring in) → the image the
// step made. One small file per key under the store, written atomically; a
// hit counts only while that image is still stored.
import {createHash} from 'node:crypto'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import type {ImageDoc} from '../image/images.js'
import type {Runtime} from '../runtime.js'
import {writeFileAtomic} from '../state/atomic.js'

export interface CacheKeyParts {
  parent: string
  instruction: string
  args: Record<string, string>
  content?: string
  format: string
}

export function cacheKey(p: CacheKeyParts): string {
  const args = Object.keys(p.args).sort().map(k => `${k}=${p.args[k]}`)
  return createHash('sha256').update(JSON.stringify([p.parent, p.instruction, args, p.content ?? '', p.format])).digest('hex')
}

function keyPath(rt: Runtime, key: string): string {
  return path.join(rt.config.graphRoot, 'build-cache', key)
}

export function cacheLookup(rt: Runtime, key: string): ImageDoc | undefined {
  let id: string
  try {
    id = readFileSync(keyPath(rt, key), 'utf8').trim()
  } catch {
    return undefined
  }
  return rt.store.images.exists(id) ? rt.store.images.get(id) : undefined
}

export function cacheStore(rt: Runtime, key: string, imageId: string): void {
  writeFileAtomic(keyPath(rt, key), imageId)
}

/**
 * COPY --link's layer cache: the key leaves the parent out (what is copied,
 * how, where), the value is a layer that step made. On a hit the same tar is
 * applied over the new parent: the layer (its diff ID) is reused as buildah's
 * --link does, even when the layers below it changed.
 */
export function linkLayerLookup(rt: Runtime, key: string): string | undefined {
  let id: string
  try {
    id = readFileSync(keyPath(rt, `link-${key}`), 'utf8').trim()
  } catch {
    return undefined
  }
  return rt.store.layers.exists(id) ? id : undefined
}

export function linkLayerStore(rt: Runtime, key: string, layerId: string): void {
  writeFileAtomic(keyPath(rt, `link-${key}`), layerId)
}
