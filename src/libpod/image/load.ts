// `load`: images from a docker-archive or an oci-archive (plain or
// compressed, from a file or a pipe) into the store.
import {imageEvent} from '../events/log.js'
import path from 'node:path'
import type {Readable} from 'node:stream'
import {errorMessage, InvalidArchive, InvalidArgument} from '../define/errors.js'
import type {Store} from '../storage/store.js'
import {readDockerArchive} from './archive/docker.js'
import {ingestImage, type ArchiveImage} from './archive/ingest.js'
import {openArchive} from './archive/input.js'
import {readOciArchive} from './archive/oci.js'
import type {TarIndex} from './archive/tar-index.js'

const PAYLOAD = 'payload does not match any of the supported image formats'

export interface LoadOptions {
  /** Archive file; when undefined the archive is read from `stdin`. */
  input?: string
  stdin?: Readable
}

/** Which format the archive is in, and its images. */
export function readArchive(index: TarIndex): {format: 'oci-archive' | 'docker-archive'; images: ArchiveImage[]} {
  const hasIndex = index.get('index.json') !== undefined
  const hasManifest = index.get('manifest.json') !== undefined
  if (!hasIndex && !hasManifest) {
    throw new InvalidArchive(`${PAYLOAD}: oci-archive: open index.json: file does not exist; docker-archive: loading tar component manifest.json: file does not exist`)
  }
  let ociError: unknown
  if (hasIndex) {
    // As Podman, OCI first (`docker save` of Docker 25+ writes both).
    try {
      return {format: 'oci-archive', images: readOciArchive(index)}
    } catch (e) {
      if (!hasManifest) throw e
      ociError = e
    }
  }
  try {
    return {format: 'docker-archive', images: readDockerArchive(index)}
  } catch (e) {
    if (ociError) throw new InvalidArchive(`${PAYLOAD}: oci-archive: ${errorMessage(ociError)}; docker-archive: ${errorMessage(e)}`)
    throw e
  }
}

/** Loads every image of the archive; returns the names to report (`sha256:<id>` for unnamed images). */
export async function loadImages(store: Store, opts: LoadOptions): Promise<string[]> {
  if (opts.input === undefined && !opts.stdin) throw new InvalidArgument('no archive to load: give an input file or a stream')
  let index: TarIndex
  try {
    index = await openArchive(opts.input, opts.stdin!, path.join(store.config.graphRoot, 'tmp'))
  } catch (e) {
    if (e instanceof InvalidArchive) throw new InvalidArchive(`${PAYLOAD}: ${e.message}`)
    throw e
  }
  try {
    const {images} = readArchive(index)
    const names: string[] = []
    for (const img of images) {
      const doc = await ingestImage(store, img)
      names.push(...(img.names.length ? img.names : [`sha256:${doc.id}`]))
    }
    imageEvent(store.config, undefined, opts.input ?? '', 'loadfromarchive')
    return names
  } finally {
    index.close()
  }
}
