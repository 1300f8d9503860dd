// Image layouts on disk for the oci: and dir: transports: reading them
// (pull) and writing a stored image into them (push). oci: is an OCI image
// layout directory whose index.json may hold several images (by
// org.opencontainers.image.ref.name); dir: is containers/image's directory
// transport (manifest.json, version, blobs named by their hex digest).
import {createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync} from 'node:fs'
import path from 'node:path'
import {pipeline} from 'node:stream/promises'
import {InvalidArchive} from '../../define/errors.js'
import {writeFileAtomic} from '../../state/atomic.js'
import type {Store} from '../../storage/store.js'
import type {ArchiveImage} from '../archive/ingest.js'
import {MEDIA} from '../archive/ingest.js'
import {REF_NAME, ociArchiveEntries, readOciArchive} from '../archive/oci.js'
import type {TarIndex, TarMember} from '../archive/tar-index.js'
import type {TarEntry} from '../../util/tar-writer.js'
import {goMarshal} from '../archive/gojson.js'
import {sha256, type ImageDoc} from '../images.js'
import type {Descriptor} from './manifest.js'

/** A directory seen through TarIndex's interface, so the oci-archive reader reads layouts too. */
function dirIndex(root: string): TarIndex {
  const member = (name: string): TarMember | undefined => {
    const full = path.join(root, path.posix.normalize(name).replace(/^(\.\.\/)+/, ''))
    if (!full.startsWith(root + path.sep)) return undefined
    try {
      const st = statSync(full)
      return st.isFile() ? {name, type: 'file', linkname: '', offset: 0, size: st.size} : undefined
    } catch {
      return undefined
    }
  }
  const idx = {
    members: new Map(),
    fileSize: 0,
    get: member,
    readBuffer: (m: TarMember) => readFileSync(path.join(root, m.name)),
    stream: (m: TarMember) => createReadStream(path.join(root, m.name), {highWaterMark: 1 << 20}),
    close() {},
  }
  return idx as unknown as TarIndex
}

/** The images of an OCI layout directory; with `ref`, only the one of that ref name. */
export function readOciLayout(dir: string, ref?: string): ArchiveImage[] {
  if (!existsSync(path.join(dir, 'index.json'))) throw new InvalidArchive(`open ${path.join(dir, 'index.json')}: no such file or directory`)
  const root = path.resolve(dir)
  const index = dirIndex(root)
  if (ref) {
    const doc = JSON.parse(readFileSync(path.join(root, 'index.json'), 'utf8')) as {manifests?: Descriptor[]}
    const match = (doc.manifests ?? []).filter(d => d.annotations?.[REF_NAME] === ref)
    if (match.length === 0) throw new InvalidArchive(`no descriptor found for reference "${ref}"`)
    // Read only the chosen one: a temporary view of index.json with just it.
    const only = {...index, get: (n: string) => n === 'index.json' ? {name: n, type: 'file', linkname: '', offset: 0, size: 0} : index.get(n),
      readBuffer: (m: TarMember) => m.name === 'index.json' ? Buffer.from(JSON.stringify({schemaVersion: 2, manifests: [match[0]]})) : index.readBuffer(m)}
    return readOciArchive(only as unknown as TarIndex)
  }
  return readOciArchive(index)
}

/** The image of a dir: directory. */
export function readDirLayout(dir: string): ArchiveImage {
  const root = path.resolve(dir)
  const mf = path.join(root, 'manifest.json')
  if (!existsSync(mf)) throw new InvalidArchive(`open ${mf}: no such file or directory`)
  const raw = readFileSync(mf)
  const m = JSON.parse(raw.toString('utf8')) as {mediaType?: string; config?: Descriptor; layers?: Descriptor[]}
  if (!m.config || !Array.isArray(m.layers)) throw new InvalidArchive(`${mf}: not an image manifest`)
  const blob = (d: Descriptor) => {
    const hex = /^sha256:([0-9a-f]{64})$/.exec(d.digest)?.[1]
    if (!hex) throw new InvalidArchive(`${mf}: invalid digest ${d.digest}`)
    return path.join(root, hex)
  }
  const config = readFileSync(blob(m.config))
  if (sha256(config) !== m.config.digest) throw new InvalidArchive(`config ${m.config.digest}: digest mismatch`)
  return {
    config,
    names: [],
    manifest: {raw, mediaType: m.mediaType ?? MEDIA.ociManifest},
    layers: m.layers.map(l => ({open: () => createReadStream(blob(l), {highWaterMark: 1 << 20}), describe: path.basename(blob(l)), blobDigest: l.digest})),
  }
}

/** Writes entries (from the oci-archive writer) into a directory instead of a tar. */
async function writeEntries(dir: string, entries: TarEntry[], skip: (name: string) => boolean): Promise<void> {
  for (const e of entries) {
    const full = path.join(dir, e.name)
    if (e.type === 'dir') {
      mkdirSync(full, {recursive: true})
      continue
    }
    if (skip(e.name)) continue
    if (e.type === 'file') {
      writeFileAtomic(full, e.data)
    } else if (e.type === 'stream') {
      // Blobs are content-addressed: one that exists is the same blob.
      if (existsSync(full) && statSync(full).size === e.size) continue
      const tmp = `${full}.${process.pid}.tmp`
      try {
        await pipeline(e.open(), createWriteStream(tmp))
        if (statSync(tmp).size !== e.size) throw new InvalidArchive(`${e.name}: wrote ${statSync(tmp).size} bytes, expected ${e.size}`)
        renameSync(tmp, full)
      } catch (err) {
        rmSync(tmp, {force: true})
        throw err
      }
    }
  }
}

/**
 * Writes a stored image into an OCI layout directory (created if needed);
 * an image already in index.json under the same ref name is replaced.
 * Returns the manifest digest.
 */
export async function writeOciLayout(store: Store, doc: ImageDoc, dir: string, refName?: string): Promise<string> {
  mkdirSync(dir, {recursive: true})
  const entries = ociArchiveEntries(store, doc, refName)
  await writeEntries(dir, entries, n => n === 'index.json')
  const generated = JSON.parse((entries.find(e => e.name === 'index.json') as {data: Buffer}).data.toString()) as {manifests: Descriptor[]}
  const desc = generated.manifests[0]
  const indexFile = path.join(dir, 'index.json')
  let manifests: Descriptor[] = []
  if (existsSync(indexFile)) {
    try {
      manifests = (JSON.parse(readFileSync(indexFile, 'utf8')) as {manifests?: Descriptor[]}).manifests ?? []
    } catch (e) {
      throw new InvalidArchive(`${indexFile}: ${(e as Error).message}`)
    }
  }
  manifests = manifests.filter(m => refName ? m.annotations?.[REF_NAME] !== refName : m.digest !== desc.digest || m.annotations?.[REF_NAME])
  manifests.push(desc)
  writeFileAtomic(indexFile, goMarshal({schemaVersion: 2, manifests}))
  return desc.digest
}

/** Writes a stored image as a dir: directory (uncompressed layers, OCI manifest). Returns the manifest digest. */
export async function writeDirLayout(store: Store, doc: ImageDoc, dir: string): Promise<string> {
  mkdirSync(dir, {recursive: true})
  const entries = ociArchiveEntries(store, doc)
  const index = JSON.parse((entries.find(e => e.name === 'index.json') as {data: Buffer}).data.toString()) as {manifests: Descriptor[]}
  const manifestDigest = index.manifests[0].digest
  const renamed: TarEntry[] = []
  for (const e of entries) {
    const m = /^blobs\/sha256\/([0-9a-f]{64})$/.exec(e.name)
    if (!m) continue
    if (`sha256:${m[1]}` === manifestDigest) {
      if (e.type === 'file') renamed.push({...e, name: 'manifest.json'})
      continue
    }
    renamed.push({...e, name: m[1]} as TarEntry)
  }
  await writeEntries(dir, renamed, () => false)
  writeFileAtomic(path.join(dir, 'version'), 'Directory Transport Version: 1.1\n')
  return manifestDigest
}
