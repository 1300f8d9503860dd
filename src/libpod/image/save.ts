// `save`: stored images into a docker-archive (several images with
// multi-image archives) or an oci-archive, to a file or to a stream.
import {imageEvent} from '../events/log.js'
import {closeSync, constants, fstatSync, ftruncateSync, openSync, createWriteStream, unlinkSync} from 'node:fs'
import {Readable, type Writable} from 'node:stream'
import {pipeline} from 'node:stream/promises'
import {InvalidArgument, PeapodError} from '../define/errors.js'
import type {Runtime} from '../runtime.js'
import {dockerArchiveEntries, type SaveItem} from './archive/docker.js'
import {normalizeName} from './archive/names.js'
import {ociArchiveEntries} from './archive/oci.js'
import {tarBytes, type TarEntry} from '../util/tar-writer.js'
import type {ImageDoc} from './images.js'
import {formatReference, parseReference} from './reference.js'

export const SAVE_FORMATS = ['oci-dir', 'oci-archive', 'docker-dir', 'docker-archive'] as const
export type ArchiveFormat = 'docker-archive' | 'oci-archive'

export interface SaveOptions {
  format: ArchiveFormat
  /** Further arguments are images (docker-archive only), not extra tags of the first. */
  multiImage?: boolean
  /** Output file; when undefined the archive goes to `stream`. */
  output?: string
  stream?: Writable
}

/**
 * The name an image was found by, when it was found by a tagged name
 * (Podman records it in the archive); undefined for IDs and digests.
 */
export function resolvedName(doc: ImageDoc, ref: string, registries: string[]): string | undefined {
  const idm = /^(?:sha256:)?([0-9a-f]{1,64})$/.exec(ref)
  if (idm && doc.id.startsWith(idm[1])) return undefined
  let r
  try {
    r = parseReference(ref)
  } catch {
    return undefined
  }
  if (r.digest) return undefined
  const tag = r.tag ?? 'latest'
  const candidates = r.domain
    ? [formatReference({domain: r.domain, path: r.path, tag})]
    : [
      formatReference({domain: 'localhost', path: r.path, tag}),
      ...registries.map(d => formatReference({domain: d, path: d === 'docker.io' && !r.path.includes('/') ? `library/${r.path}` : r.path, tag})),
    ]
  return candidates.find(c => doc.names.includes(c)) ?? doc.names.find(n => n.endsWith(`/${r.path}:${tag}`))
}

/** The images to save and the tags each gets, as libimage assembles them. */
function saveItems(rt: Runtime, refs: string[], multiImage: boolean): SaveItem[] {
  const extra = multiImage ? [] : refs.slice(1).map(t => {
    const n = normalizeName(t)
    if (!parseReference(n).tag) throw new InvalidArgument(`invalid additional tag ${JSON.stringify(t)}: normalized to untagged ${JSON.stringify(n)}`)
    return n
  })
  const names = multiImage ? refs : refs.slice(0, 1)
  const items = new Map<string, SaveItem>()
  const visited = new Set<string>()
  for (const ref of names) {
    const doc = rt.lookupImage(ref)
    const name = resolvedName(doc, ref, rt.searchRegistries)
    const key = name ?? `@${doc.id}`
    if (visited.has(key)) continue
    visited.add(key)
    let item = items.get(doc.id)
    if (!item) items.set(doc.id, item = {doc, tags: []})
    item.tags.push(...extra)
    if (name) item.tags.push(name)
  }
  for (const item of items.values()) item.tags = [...new Set(item.tags)]
  return [...items.values()]
}

export async function saveImages(rt: Runtime, refs: string[], opts: SaveOptions): Promise<void> {
  if (refs.length === 0) throw new InvalidArgument('need at least 1 argument')
  let entries: Iterable<TarEntry>
  if (opts.format === 'oci-archive') {
    if (opts.multiImage && refs.length > 1) throw new InvalidArgument('unsupported format "oci-archive" for saving multiple images (only docker-archive)')
    const doc = rt.lookupImage(refs[0])
    entries = ociArchiveEntries(rt.store, doc, resolvedName(doc, refs[0], rt.searchRegistries))
  } else {
    entries = dockerArchiveEntries(rt.store, saveItems(rt, refs, !!opts.multiImage))
  }
  if (opts.output === undefined) {
    if (!opts.stream) throw new InvalidArgument('no output given')
    // The stream (stdout) stays open: it is the caller's.
    await pipeline(Readable.from(tarBytes(entries)), opts.stream, {end: false})
    emitSaved(rt, refs, '')
    return
  }
  await writeFile(opts.output, opts.format, entries)
  emitSaved(rt, refs, opts.output)
}

function emitSaved(rt: Runtime, refs: string[], output: string): void {
  for (const r of refs) imageEvent(rt.config, rt.findImage(r)?.id, output, 'save')
}

async function writeFile(output: string, format: ArchiveFormat, entries: Iterable<TarEntry>): Promise<void> {
  let fd: number
  try {
    fd = openSync(output, constants.O_WRONLY | constants.O_CREAT, 0o644)
  } catch (e) {
    const err = e as NodeJS.ErrnoException
    const reason = err.code === 'ENOENT' ? 'no such file or directory' : err.code === 'EISDIR' ? 'is a directory' : err.code === 'EACCES' ? 'permission denied' : err.message
    throw new PeapodError(`opening file ${JSON.stringify(output)}: open ${output}: ${reason}`)
  }
  const st = fstatSync(fd)
  const regular = st.isFile()
  if (regular && st.size !== 0) {
    if (format === 'docker-archive') {
      closeSync(fd)
      throw new InvalidArgument("docker-archive doesn't support modifying existing images")
    }
    ftruncateSync(fd, 0)
  }
  try {
    await pipeline(Readable.from(tarBytes(entries)), createWriteStream('', {fd, highWaterMark: 1 << 20}))
  } catch (e) {
    // Don't leave half an archive behind.
    if (regular) {
      try {
        unlinkSync(output)
      } catch {
        // already gone
      }
    }
    throw e
  }
}
