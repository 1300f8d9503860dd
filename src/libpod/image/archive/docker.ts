// docker-archive: `docker save`'s format. manifest.json lists each image's
// config file, tags and layer files (plain or compressed tars); the legacy
// per-layer directories and `repositories` are written for old readers but
// ignored when reading, as Podman does.
import {createHash} from 'node:crypto'
import {InvalidArchive} from '../../define/errors.js'
import type {Store} from '../../storage/store.js'
import type {ImageDoc} from '../images.js'
import {goCompact, goMarshal, rawMembers, sortedMap} from './gojson.js'
import {parseConfig, type ArchiveImage} from './ingest.js'
import {normalizeRepoTag, repoAndTag} from './names.js'
import type {TarIndex} from './tar-index.js'
import type {TarEntry} from '../../util/tar-writer.js'

interface ManifestItem {
  Config: string
  RepoTags: string[] | null
  Layers: string[]
}

/** The images of a docker-archive, in manifest.json order. */
export function readDockerArchive(index: TarIndex): ArchiveImage[] {
  const m = index.get('manifest.json')
  if (!m) throw new InvalidArchive('loading tar component manifest.json: file does not exist')
  let items: ManifestItem[]
  try {
    items = JSON.parse(index.readBuffer(m).toString('utf8'))
  } catch (e) {
    throw new InvalidArchive(`decoding tar manifest.json: ${(e as Error).message}`)
  }
  const validItem = (i: ManifestItem) => i && typeof i === 'object' && typeof i.Config === 'string' &&
    Array.isArray(i.Layers) && i.Layers.every(l => typeof l === 'string') &&
    (i.RepoTags == null || Array.isArray(i.RepoTags) && i.RepoTags.every(t => typeof t === 'string'))
  if (!Array.isArray(items) || !items.every(validItem)) throw new InvalidArchive('decoding tar manifest.json: unexpected structure')
  if (items.length === 0) throw new InvalidArchive('archive contains no images')
  return items.map(item => {
    const cm = index.get(item.Config)
    if (!cm) throw new InvalidArchive(`loading tar component ${item.Config}: file does not exist`)
    return {
      config: index.readBuffer(cm),
      names: [...new Set((item.RepoTags ?? []).map(normalizeRepoTag))],
      layers: item.Layers.map(name => {
        const lm = index.get(name)
        if (!lm) throw new InvalidArchive(`loading tar component ${name}: file does not exist`)
        return {open: () => index.stream(lm), describe: name}
      }),
    }
  })
}

export interface SaveItem {
  doc: ImageDoc
  /** Full tagged names recorded for the image (RepoTags). */
  tags: string[]
}

/**
 * The entries of a docker-archive holding `items`, in the order Podman
 * (containers/image) writes them: per image its new layer files, its config,
 * the legacy layer directories; then manifest.json and repositories.
 */
export function* dockerArchiveEntries(store: Store, items: SaveItem[]): Generator<TarEntry> {
  const written = new Set<string>()
  const manifest: ManifestItem[] = []
  const repositories: Record<string, Record<string, string>> = {}
  for (const {doc, tags} of items) {
    const {diffIds} = parseConfig(Buffer.from(doc.config), `config of image ${doc.id}`)
    const layers = doc.layers.map(id => store.layers.get(id))
    if (layers.length !== diffIds.length || layers.some((l, i) => l.diffId !== diffIds[i])) {
      throw new InvalidArchive(`image ${doc.id}: stored layers do not match the config's rootfs.diff_ids`)
    }
    const files: string[] = []
    for (const l of layers) {
      const file = `${hex(l.diffId)}.tar`
      files.push(file)
      if (written.has(file)) continue
      written.add(file)
      yield {type: 'stream', name: file, size: l.size, open: () => store.layers.tarStream(l.id)}
    }
    const configFile = `${doc.id}.json`
    if (!written.has(configFile)) {
      written.add(configFile)
      yield {type: 'file', name: configFile, data: Buffer.from(doc.config)}
    }
    let top = ''
    for (const legacy of legacyLayers(doc.config, diffIds)) {
      top = legacy.id
      if (written.has(legacy.id)) continue
      written.add(legacy.id)
      yield {type: 'symlink', name: `${legacy.id}/layer.tar`, target: `../${legacy.file}`}
      yield {type: 'file', name: `${legacy.id}/VERSION`, data: Buffer.from('1.0')}
      yield {type: 'file', name: `${legacy.id}/json`, data: Buffer.from(legacy.json)}
    }
    if (top) {
      for (const t of tags) {
        const {repo, tag} = repoAndTag(t)
        ;(repositories[repo] ??= {})[tag] = top
      }
    }
    manifest.push({Config: configFile, RepoTags: tags, Layers: files})
  }
  yield {type: 'file', name: 'manifest.json', data: Buffer.from(goMarshal(manifest))}
  const repos: Record<string, Record<string, string>> = {}
  for (const [k, v] of Object.entries(sortedMap(repositories))) repos[k] = sortedMap(v)
  yield {type: 'file', name: 'repositories', data: Buffer.from(goMarshal(repos))}
}

function hex(digest: string): string {
  return digest.replace(/^sha256:/, '')
}

function sha256hex(s: string): string {
  return createHash('sha256').update(s).digest('hex')
}

/**
 * The legacy per-layer metadata (`<id>/json`), computed as containers/image
 * does: the top layer carries part of the image config; each ID is the
 * digest of its JSON with the layer's chain ID in it.
 */
function legacyLayers(config: string, diffIds: string[]): Array<{id: string; json: string; file: string}> {
  const raw = rawMembers(config)
  const out: Array<{id: string; json: string; file: string}> = []
  let chain = ''
  let last = ''
  diffIds.forEach((diffId, i) => {
    const fields: Record<string, string> = {}
    if (last) fields.parent = goMarshal(last)
    if (i === diffIds.length - 1) {
      for (const attr of ['architecture', 'config', 'container', 'container_config', 'created', 'docker_version', 'os']) {
        const v = raw.get(attr)
        fields[attr] = v === undefined ? 'null' : goCompact(v)
      }
    }
    chain = chain ? `sha256:${sha256hex(`${chain} ${diffId}`)}` : diffId
    const id = sha256hex(rawObject({...fields, layer_id: goMarshal(chain)}))
    last = id
    out.push({id, json: rawObject({...fields, id: goMarshal(id)}), file: `${hex(diffId)}.tar`})
  })
  return out
}

/** A JSON object from already-encoded values, keys sorted as Go sorts map keys. */
function rawObject(fields: Record<string, string>): string {
  const sorted = sortedMap(fields)
  return '{' + Object.entries(sorted).map(([k, v]) => `${goMarshal(k)}:${v}`).join(',') + '}'
}
