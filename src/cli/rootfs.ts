// --rootfs: the first argument is a host directory (PATH, or PATH:O for an
// overlay over it) instead of an image.
import path from 'node:path'
import type {ContainerSpec} from '../libpod/specgen/container.js'

/** The spec's rootfs and (empty) image for `--rootfs ARG`; the image unchanged without the flag. */
export function rootfsSpec(on: boolean | undefined, arg: string, cwd: string = process.cwd()): Pick<ContainerSpec, 'image' | 'rootfs'> {
  if (!on) return {image: arg}
  const overlay = arg.endsWith(':O')
  return {image: '', rootfs: {path: path.resolve(cwd, overlay ? arg.slice(0, -2) : arg), overlay}}
}
