// Committing a build step as an image, as buildah does with --layers: every
// instruction gives an image (dangling unless it is the last), with one
// history entry `{created_by, author, comment: "FROM <parent>", empty_layer}`
// and, for RUN/COPY/ADD, one new layer. The config is written as Go marshals
// buildah's (OCI by default; docker keeps HEALTHCHECK, SHELL and ONBUILD).
import {goMarshal, goNow, sortedMap} from '../image/archive/gojson.js'
import {MEDIA} from '../image/archive/ingest.js'
import {sha256, type ImageDoc} from '../image/images.js'
import {commitImage} from '../image/manage.js'
import type {Runtime} from '../runtime.js'
import type {StagedLayer} from '../storage/layers.js'

const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

export type RuntimeConfig = Record<string, unknown>

/** A stage's image as it is built up, step by step. */
export interface Working {
  /** The last committed image (undefined: FROM scratch, nothing committed yet). */
  image?: ImageDoc
  /** Its layers, bottom to top. */
  layers: string[]
  diffIds: string[]
  history: Array<Record<string, unknown>>
  config: RuntimeConfig
  architecture: string
  os: string
  variant?: string
  /** --os-version, --os-feature (the base's, else none). */
  osVersion?: string
  osFeatures?: string[]
  author?: string
  /** The history comment of the next step: "FROM <base name>" first, then the parent's short ID. */
  parentName: string
  /** Base image annotations (org.opencontainers.image.base.*). */
  baseAnnotations: Record<string, string>
}

export interface StepCommit {
  createdBy: string
  staged?: StagedLayer
  format: 'oci' | 'docker'
  names?: string[]
  /** --timestamp: the created time of config and history. */
  created?: string
  extraLabels?: Record<string, string>
  annotations?: Record<string, string>
  /** --omit-history: the config has no history. */
  omitHistory?: boolean
}

const OCI_KEYS = ['User', 'ExposedPorts', 'Env', 'Entrypoint', 'Cmd', 'Volumes', 'WorkingDir', 'Labels', 'StopSignal', 'ArgsEscaped']

function nonEmpty(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0) && !(typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0)
}

function ociConfig(c: RuntimeConfig): RuntimeConfig {
  const out: RuntimeConfig = {}
  for (const k of OCI_KEYS) {
    const v = c[k]
    if (!nonEmpty(v)) continue
    out[k] = typeof v === 'object' && !Array.isArray(v) ? sortedMap(v as Record<string, unknown>) : v
  }
  return out
}

function dockerConfig(c: RuntimeConfig): RuntimeConfig {
  const map = (v: unknown) => (v && typeof v === 'object' && Object.keys(v as object).length ? sortedMap(v as Record<string, unknown>) : null)
  const out: RuntimeConfig = {Hostname: '', Domainname: '', User: c.User ?? '', AttachStdin: false, AttachStdout: false, AttachStderr: false}
  if (nonEmpty(c.ExposedPorts)) out.ExposedPorts = map(c.ExposedPorts)
  Object.assign(out, {Tty: false, OpenStdin: false, StdinOnce: false, Env: c.Env ?? null, Cmd: c.Cmd ?? null})
  if (c.Healthcheck) out.Healthcheck = c.Healthcheck
  Object.assign(out, {
    Image: '', Volumes: map(c.Volumes), WorkingDir: c.WorkingDir ?? '', Entrypoint: c.Entrypoint ?? null,
    OnBuild: (c.OnBuild as string[] | undefined)?.length ? c.OnBuild : null, Labels: map(c.Labels),
  })
  if (c.StopSignal) out.StopSignal = c.StopSignal
  if ((c.Shell as string[] | undefined)?.length) out.Shell = c.Shell
  return out
}

/** The config's "os.version" and "os.features", when there are any. */
function platformExtras(w: Working): Record<string, unknown> {
  return {...w.osVersion ? {'os.version': w.osVersion} : {}, ...w.osFeatures?.length ? {'os.features': w.osFeatures} : {}}
}

/** Commits the step: a new image on top of the working one; updates `w`. */
export async function commitStep(rt: Runtime, w: Working, step: StepCommit): Promise<ImageDoc> {
  const created = step.created ?? goNow()
  const entry: Record<string, unknown> = {created, created_by: step.createdBy}
  if (w.author) entry.author = w.author
  entry.comment = w.parentName
  if (!step.staged) entry.empty_layer = true
  const history = step.omitHistory ? [] : [...w.history, entry]
  const diffIds = step.staged ? [...w.diffIds, step.staged.doc.diffId] : w.diffIds
  const runtime = {...w.config}
  if (step.extraLabels && Object.keys(step.extraLabels).length) runtime.Labels = {...(runtime.Labels as object ?? {}), ...step.extraLabels}
  const docker = step.format === 'docker'
  const cfg = docker ? dockerConfig(runtime) : ociConfig(runtime)
  const config = goMarshal(docker
    ? {
      created,
      ...(w.author ? {author: w.author} : {}),
      container_config: cfg,
      config: cfg,
      architecture: w.architecture,
      ...(w.variant ? {variant: w.variant} : {}),
      os: w.os,
      ...platformExtras(w),
      ...(w.image ? {parent: `sha256:${w.image.id}`} : {}),
      rootfs: {type: 'layers', diff_ids: diffIds},
      ...history.length ? {history} : {},
    }
    : {
      created,
      ...(w.author ? {author: w.author} : {}),
      architecture: w.architecture,
      ...(w.variant ? {variant: w.variant} : {}),
      os: w.os,
      ...platformExtras(w),
      config: cfg,
      rootfs: {type: 'layers', diff_ids: diffIds},
      ...history.length ? {history} : {},
    })
  const layerSizes = w.layers.map(l => {
    const d = rt.store.layers.get(l)
    return {diffId: d.diffId, size: d.size}
  })
  if (step.staged) layerSizes.push({diffId: step.staged.doc.diffId, size: step.staged.doc.size})
  const annotations = {...w.baseAnnotations, ...(step.annotations ?? {})}
  const manifest = docker
    ? goMarshal({
      schemaVersion: 2,
      mediaType: MEDIA.dockerManifest,
      config: {mediaType: MEDIA.dockerConfig, size: Buffer.byteLength(config), digest: sha256(config)},
      layers: layerSizes.map(l => ({mediaType: MEDIA.dockerLayerGzip, size: l.size, digest: l.diffId})),
    })
    : goMarshal({
      schemaVersion: 2,
      mediaType: MEDIA.ociManifest,
      config: {mediaType: MEDIA.ociConfig, digest: sha256(config), size: Buffer.byteLength(config)},
      layers: layerSizes.map(l => ({mediaType: MEDIA.ociLayer, digest: l.diffId, size: l.size})),
      ...(Object.keys(annotations).length ? {annotations: sortedMap(annotations)} : {}),
    })
  const doc = await commitImage(rt.store, {
    config,
    manifest,
    manifestMediaType: docker ? MEDIA.dockerManifest : MEDIA.ociManifest,
    staged: step.staged ? [...w.layers, step.staged] : [...w.layers],
    names: step.names ?? [],
  })
  adopt(w, doc)
  return doc
}

/** Makes `doc` the working image (after a commit or a cache hit). */
export function adopt(w: Working, doc: ImageDoc): void {
  const cfg = JSON.parse(doc.config) as {config?: RuntimeConfig; history?: Array<Record<string, unknown>>; rootfs?: {diff_ids?: string[]}; author?: string}
  w.image = doc
  w.layers = [...doc.layers]
  w.diffIds = cfg.rootfs?.diff_ids ?? []
  w.history = cfg.history ?? []
  w.config = dockerToRuntime(cfg.config ?? {})
  w.parentName = `FROM ${doc.id.slice(0, 12)}`
}

/** The runtime config of an image's config (docker's fields mapped onto the OCI names we keep). */
export function dockerToRuntime(c: RuntimeConfig): RuntimeConfig {
  const out: RuntimeConfig = {}
  for (const k of [...OCI_KEYS, 'Healthcheck', 'Shell', 'OnBuild']) if (nonEmpty(c[k])) out[k] = c[k]
  return out
}

/** The working state of a stage from its base image (undefined: scratch). */
export function workingFrom(doc: ImageDoc | undefined, baseName: string): Working {
  if (!doc) {
    return {layers: [], diffIds: [], history: [], config: {Env: [DEFAULT_PATH]}, architecture: process.arch === 'x64' ? 'amd64' : process.arch, os: 'linux', parentName: 'FROM scratch', baseAnnotations: {}}
  }
  const cfg = JSON.parse(doc.config) as {config?: RuntimeConfig; history?: Array<Record<string, unknown>>; rootfs?: {diff_ids?: string[]}; architecture?: string; os?: string; variant?: string; 'os.version'?: string; 'os.features'?: string[]}
  const config = dockerToRuntime(cfg.config ?? {})
  // buildah gives a base without PATH the default one
  const env = (config.Env as string[] | undefined) ?? []
  if (!env.some(e => e.startsWith('PATH='))) config.Env = [DEFAULT_PATH, ...env]
  return {
    image: doc,
    layers: [...doc.layers],
    diffIds: cfg.rootfs?.diff_ids ?? [],
    history: cfg.history ?? [],
    config,
    architecture: cfg.architecture ?? 'amd64',
    os: cfg.os ?? 'linux',
    variant: cfg.variant,
    osVersion: cfg['os.version'],
    osFeatures: cfg['os.features'],
    parentName: `FROM ${baseName}`,
    baseAnnotations: {'org.opencontainers.image.base.digest': doc.digest, 'org.opencontainers.image.base.name': baseName},
  }
}
