// kube play --build / --context-dir: a container's image is built from a
// directory named like the image (its last path part, without the tag:
// `localhost/web:1` → `web/`) holding a Containerfile or Dockerfile, under
// --context-dir or the working directory, as Podman 4.3.1 does. Without
// --build such an image is built only when it is missing; --build=false
// never builds.
import {existsSync, statSync} from 'node:fs'
import path from 'node:path'
import type {Runtime} from '../runtime.js'
import {findImage} from '../image/lookup.js'

export interface BuildChoice {
  /** true: always build when a directory exists; false: never; undefined: when the image is missing. */
  build?: boolean
  /** --context-dir (default: the working directory). */
  contextDir?: string
  /** Build progress lines (none when quiet). */
  out?: (line: string) => void
  warn?: (message: string) => void
}

/** The Containerfile (or Dockerfile) for an image name, or undefined. */
export function buildFileFor(image: string, dir: string): string | undefined {
  const last = image.split('/').pop() ?? image
  const name = last.split('@')[0].split(':')[0]
  if (!name) return undefined
  for (const f of ['Containerfile', 'Dockerfile']) {
    const p = path.join(dir, name, f)
    if (existsSync(p) && statSync(p).isFile()) return p
  }
  return undefined
}

/** Builds the images that need it; the images built. */
export async function buildImages(rt: Runtime, images: string[], choice: BuildChoice): Promise<string[]> {
  if (choice.build === false) return []
  const dir = choice.contextDir ?? process.cwd()
  const built: string[] = []
  for (const image of new Set(images)) {
    const file = buildFileFor(image, dir)
    if (!file) continue
    let local
    try {
      local = findImage(rt.listImages(), image, rt.searchRegistries)
    } catch {
      local = undefined
    }
    if (local && choice.build !== true) continue
    const {build} = await import('../build/build.js')
    await build(rt, {
      context: path.dirname(file),
      file,
      tags: [image],
      buildArgs: {},
      quiet: !choice.out,
      labels: {},
      annotations: {},
      format: 'oci',
      noCache: false,
      layers: true,
      rm: true,
      forceRm: true,
      pull: 'missing',
      secrets: {},
      out: choice.out ?? (() => {}),
      warn: choice.warn ?? (() => {}),
    })
    built.push(image)
  }
  return built
}
