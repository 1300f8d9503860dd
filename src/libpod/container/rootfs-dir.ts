// --rootfs: a directory on the host as the container's root instead of an
// image. `PATH:O` mounts an overlay over it (the container's writes go to its
// own upper dir and vanish with it); plain PATH is used as it is (writes land
// in the directory). Such a container has no image: imageOf() gives the
// empty one so that the code that reads the image's config and layers needs
// no second path.
import {statSync} from 'node:fs'
import {InvalidArgument} from '../define/errors.js'
import type {ImageDoc} from '../image/images.js'
import type {Runtime} from '../runtime.js'
import type {ContainerConfig} from './types.js'

export interface RootfsDir {
  path: string
  /** `:O`: an overlay over the directory. */
  overlay: boolean
}

/** What a --rootfs container has for an image: no ID, no layers, an empty config. */
export const NO_IMAGE: ImageDoc = {id: '', names: [], digests: [], digest: '', manifest: '{}', manifestMediaType: '', config: '{}', layers: [], added: ''}

/** The container's image document (the empty one for a --rootfs container). */
export function imageOf(rt: Runtime, c: Pick<ContainerConfig, 'imageId' | 'rootfs'>): ImageDoc {
  return c.rootfs ? NO_IMAGE : rt.store.images.get(c.imageId)
}

/** Checks the directory as Podman does at create. */
export function checkRootfsDir(r: RootfsDir): void {
  try {
    if (!statSync(r.path).isDirectory()) throw new InvalidArgument(`running container create option: rootfs ${r.path} is not a directory`)
  } catch (e) {
    if (e instanceof InvalidArgument) throw e
    throw new InvalidArgument(`running container create option: stat ${r.path}: no such file or directory`)
  }
}
