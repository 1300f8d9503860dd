// Podman's views of an image: the `images` row and the `image inspect` JSON.
import type {Store} from '../storage/store.js'
import type {ImageDoc} from './images.js'
import {parseReference} from './reference.js'

export interface OciConfig {
  created?: string
  author?: string
  architecture?: string
  os?: string
  variant?: string
  config?: {
    User?: string; Env?: string[]; Entrypoint?: string[]; Cmd?: string[]; WorkingDir?: string
    Labels?: Record<string, string>; ExposedPorts?: Record<string, object>; Volumes?: Record<string, object>
    StopSignal?: string
  }
  rootfs?: {type: string; diff_ids: string[]}
  history?: Array<{created?: string; created_by?: string; author?: string; comment?: string; empty_layer?: boolean}>
}

export function parseConfig(doc: ImageDoc): OciConfig {
  return JSON.parse(doc.config) as OciConfig
}

/** Image size as Podman counts it: layers' uncompressed sizes plus config and manifest. */
export function imageSize(store: Store, doc: ImageDoc): number {
  let size = Buffer.byteLength(doc.config) + Buffer.byteLength(doc.manifest)
  for (const l of doc.layers) {
    try {
      size += store.layers.get(l).size
    } catch {
      // a layer removed under us: count what is left
    }
  }
  return size
}

export function repoDigests(doc: ImageDoc): string[] {
  const repos = new Set<string>()
  for (const n of doc.names) {
    const r = parseReference(n)
    repos.add(`${r.domain ? r.domain + '/' : ''}${r.path}`)
  }
  const out: string[] = []
  for (const repo of repos) for (const d of doc.digests) out.push(`${repo}@${d}`)
  return out
}

export function createdOf(doc: ImageDoc): Date {
  const c = parseConfig(doc).created
  return new Date(c ?? doc.added)
}

/** `image inspect` JSON, Podman's keys and order. */
export function inspectImage(store: Store, doc: ImageDoc): Record<string, unknown> {
  const cfg = parseConfig(doc)
  const size = imageSize(store, doc)
  const labels = cfg.config?.Labels ?? {}
  let annotations: Record<string, string> = {}
  try {
    annotations = (JSON.parse(doc.manifest) as {annotations?: Record<string, string>}).annotations ?? {}
  } catch {
    // a manifest we could not parse has no annotations to show
  }
  const history = cfg.history ?? []
  return {
    Id: doc.id,
    Digest: doc.digest,
    RepoTags: doc.names,
    RepoDigests: repoDigests(doc),
    Parent: '',
    Comment: history.length ? history[history.length - 1].comment ?? '' : '',
    Created: cfg.created ?? doc.added,
    Config: cfg.config ?? {},
    Version: '',
    Author: cfg.author ?? '',
    Architecture: cfg.architecture ?? '',
    Os: cfg.os ?? '',
    ...(cfg.variant ? {Variant: cfg.variant} : {}),
    Size: size,
    VirtualSize: size,
    GraphDriver: {Name: store.driver.name, Data: graphDriverData(store, doc)},
    RootFS: {Type: cfg.rootfs?.type ?? 'layers', Layers: cfg.rootfs?.diff_ids ?? []},
    Labels: cfg.config?.Labels ? labels : null,
    Annotations: annotations,
    ManifestType: doc.manifestMediaType,
    User: cfg.config?.User ?? '',
    History: cfg.history ?? null, // Podman: null for an image without history (build --omit-history)
    NamesHistory: doc.names,
  }
}

function graphDriverData(store: Store, doc: ImageDoc): Record<string, string> | null {
  if (store.driver.name !== 'overlay' || doc.layers.length === 0) return null
  const top = doc.layers[doc.layers.length - 1]
  const lower = doc.layers.slice(0, -1).reverse().map(l => store.driver.dir(l))
  return {
    ...(lower.length ? {LowerDir: lower.join(':')} : {}),
    UpperDir: store.driver.dir(top),
    WorkDir: store.driver.dir(top).replace(/diff$/, 'work'),
  }
}

export interface ImageRow {
  ID: string
  Id: string
  Repository: string
  Tag: string
  Names: string[]
  Digest: string
  RepoDigests: string[]
  Created: string
  CreatedAt: string
  CreatedTime: Date
  Size: string
  VirtualSize: string
  SharedSize: string
  Labels: Record<string, string> | null
  Containers: number
  Dangling: boolean
  ReadOnly: boolean
  /** Podman's template names for the same (its ImageSummary methods), and its empty ParentId. */
  IsDangling: boolean
  IsReadOnly: boolean
  ParentId: string
  /** The image's names, printed as Go prints a list: [a b]. */
  RepoTags: string[]
  History: string[]
  /** Raw byte size, for sorting and JSON. */
  bytes: number
}
