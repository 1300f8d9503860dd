// `commit`: a new image from a container's changes, as Podman makes it
// (libpod/container_commit.go over buildah): one new layer on the image's
// (--squash: one layer holding the whole rootfs), the image's config with
// the container's environment, command, entrypoint, working directory,
// user, labels and ports, then --change on top, and one history entry
// `{created_by: "/bin/sh", comment: "FROM <image>"}`.
//
// The layer: overlay — a tar of the upper dir, whiteouts (0:0 character
// devices) as `.wh.NAME`, opaque directories (trusted./user.overlay.opaque)
// followed by `.wh..wh..opq`; vfs — the container's copy compared with the
// image's top layer. It is unpacked with LayerStore.stage as any layer.
import {containerEvent} from '../events/log.js'
import {constants, lstatSync, openSync, readlinkSync, writeFileSync, type Stats} from 'node:fs'
import {Readable} from 'node:stream'
import {InvalidArgument, noSuchContainer} from '../define/errors.js'
import {goMarshal, goNow, sortedMap} from '../image/archive/gojson.js'
import {dockerManifest, MEDIA} from '../image/archive/ingest.js'
import {normalizeName} from '../image/archive/names.js'
import {parseChanges, type ImageConfigChanges} from '../image/import.js'
import {sha256, type ImageDoc} from '../image/images.js'
import {commitImage} from '../image/manage.js'
import type {Runtime} from '../runtime.js'
import {finishEnv, mergeEnv} from '../spec/env.js'
import type {StagedLayer} from '../storage/layers.js'
import {rootfsDirs} from '../storage/mount.js'
import {tarOf} from './cp.js'
import {treeChanges} from './diff.js'
import {FsRoot, devNumbers, entryType, split, walkTree, type FsEntry} from './fsroot.js'
import {syncContainer} from './sync.js'
import {pauseContainer, unpauseContainer} from './pause.js'
import {containerPaths} from './paths.js'
import {withContainerFs} from './rootfs-access.js'
import type {Container} from './types.js'
import {treeXattrs} from './xattrs.js'

export interface CommitOptions {
  /** Image name (normalised like Podman: foo → localhost/foo:latest); none makes a dangling image. */
  reference?: string
  changes?: string[]
  message?: string
  author?: string
  pause?: boolean
  squash?: boolean
  format?: string
  includeVolumes?: boolean
  /** Progress lines (Podman prints them on stderr unless -q). */
  progress?: (line: string) => void
}

const WHITEOUT = '.wh.'
const OPAQUE = '.wh..wh..opq'
const OPAQUE_XATTRS = ['trusted.overlay.opaque', 'user.overlay.opaque']

/** Image config as stored (Go field order is kept by goMarshal's key order). */
interface ImageConfigDoc {
  created?: string
  author?: string
  architecture?: string
  variant?: string
  os?: string
  config?: Record<string, unknown>
  rootfs?: {type: string; diff_ids: string[]}
  history?: Array<Record<string, unknown>>
}

function overlayEntries(upper: string, xattrs: Map<string, Map<string, Buffer>>): AsyncGenerator<FsEntry> {
  const root = new FsRoot(upper)
  const gen = walkTree(root, '', '', {
    xattrs,
    convert: (e, st) => {
      if (e.type === 'char' && st.rdev === 0) {
        const {parent, base} = split(e.name)
        return [{name: parent ? `${parent}/${WHITEOUT}${base}` : `${WHITEOUT}${base}`, type: 'file', mode: 0o600, uid: e.uid, gid: e.gid, mtime: e.mtime, size: 0}]
      }
      if (!e.xattrs) return undefined
      const kv = new Map([...e.xattrs].filter(([k]) => !OPAQUE_XATTRS.includes(k)))
      const opaque = OPAQUE_XATTRS.some(k => e.xattrs?.get(k)?.toString() === 'y')
      const kept: FsEntry = {...e, xattrs: kv.size ? kv : undefined}
      if (!opaque || e.type !== 'dir') return [kept]
      return [kept, {name: `${e.name}${OPAQUE}`, type: 'file', mode: e.mode & 0o777, uid: e.uid, gid: e.gid, mtime: 0, size: 0}]
    },
  })
  return (async function* () {
    try {
      yield* gen
    } finally {
      root.close()
    }
  })()
}

/** vfs: entries for what changed against the image's top layer, deletions as whiteouts. */
async function* vfsEntries(merged: string, top: string | undefined, xattrs: Map<string, Map<string, Buffer>>): AsyncGenerator<FsEntry> {
  const changes = (await treeChanges(merged, top)).sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)))
  const root = new FsRoot(merged)
  const now = Math.floor(Date.now() / 1000)
  try {
    for (const c of changes) {
      const rel = c.path.slice(1)
      const {parent, base} = split(rel)
      if (c.kind === 'D') {
        yield {name: parent ? `${parent}/${WHITEOUT}${base}` : `${WHITEOUT}${base}`, type: 'file', mode: 0, uid: 0, gid: 0, mtime: now, size: 0}
        continue
      }
      const at = root.at(parent, base)
      let st: Stats
      try {
        st = lstatSync(at)
      } catch {
        continue
      }
      const type = entryType(st)
      if (!type) continue
      const e: FsEntry = {
        name: type === 'dir' ? `${rel}/` : rel, type, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid,
        mtime: Math.floor(st.mtimeMs / 1000), size: type === 'file' ? st.size : 0,
        ...(type === 'char' || type === 'block' ? devNumbers(st) : {}),
      }
      if (type === 'symlink') e.linkname = readlinkSync(at)
      if (type === 'file') e.open = () => openSync(at, constants.O_RDONLY | constants.O_NOFOLLOW)
      const kv = xattrs.get(rel)
      if (kv?.size) e.xattrs = kv
      yield e
    }
  } finally {
    root.close()
  }
}

/** Stages the new layer from a tar of entries. */
async function stageFrom(rt: Runtime, parent: string | undefined, entries: AsyncIterable<FsEntry>): Promise<StagedLayer> {
  const stream = Readable.from(tarOf(entries))
  return rt.store.layers.stage(parent, stream)
}

/** The container's environment as Podman records it in its spec (before HOME/HOSTNAME). */
function containerEnv(c: Container, imageEnv: string[]): string[] {
  return finishEnv(mergeEnv({imageEnv, envHost: c.config.envHost, envFiles: c.config.envFiles, env: c.config.env, hostEnv: c.config.hostEnv ?? process.env}), {})
}

/** buildah's SetEnv: replace a variable of the same name, else append. */
function setEnv(env: string[], entry: string): string[] {
  const key = entry.split('=')[0]
  const i = env.findIndex(e => e.split('=')[0] === key)
  if (i < 0) return [...env, entry]
  const out = [...env]
  out[i] = entry
  return out
}

function applyChanges(cfg: Record<string, unknown>, ch: ImageConfigChanges): void {
  if (ch.User !== undefined) cfg.User = ch.User
  if (ch.ExposedPorts) cfg.ExposedPorts = {...(cfg.ExposedPorts as object ?? {}), ...ch.ExposedPorts}
  if (ch.Env) for (const e of ch.Env) cfg.Env = setEnv((cfg.Env as string[]) ?? [], e)
  if (ch.Entrypoint !== undefined) cfg.Entrypoint = ch.Entrypoint
  if (ch.Cmd !== undefined) cfg.Cmd = ch.Cmd
  if (ch.Volumes) cfg.Volumes = {...(cfg.Volumes as object ?? {}), ...ch.Volumes}
  if (ch.WorkingDir !== undefined) cfg.WorkingDir = ch.WorkingDir
  if (ch.Labels) cfg.Labels = {...(cfg.Labels as object ?? {}), ...ch.Labels}
  if (ch.StopSignal !== undefined) cfg.StopSignal = ch.StopSignal
  if (ch.OnBuild) cfg.OnBuild = [...((cfg.OnBuild as string[]) ?? []), ...ch.OnBuild]
}

/** The new image's runtime config: the image's, then the container's settings, then --change. */
function commitConfig(c: Container, base: Record<string, unknown>, changes: ImageConfigChanges, includeVolumes: boolean): Record<string, unknown> {
  const cfg: Record<string, unknown> = {...base}
  let env = (base.Env as string[] | undefined) ?? []
  for (const e of containerEnv(c, env)) env = setEnv(env, e)
  cfg.Env = env
  const userEp = c.config.entrypoint
  const entrypoint = userEp === undefined ? ((base.Entrypoint as string[] | undefined) ?? []) : userEp.length === 1 && userEp[0] === '' ? [] : userEp
  const cmd = c.config.command.length ? c.config.command : userEp !== undefined ? [] : ((base.Cmd as string[] | undefined) ?? [])
  cfg.Cmd = cmd
  cfg.Entrypoint = entrypoint
  cfg.WorkingDir = c.config.workdir || (base.WorkingDir as string | undefined) || '/'
  if (c.config.user !== undefined) cfg.User = c.config.user
  if (Object.keys(c.config.labels).length) cfg.Labels = {...(base.Labels as object ?? {}), ...c.config.labels}
  const ports: Record<string, object> = {...(base.ExposedPorts as Record<string, object> ?? {})}
  for (const p of c.config.networkOptions?.ports ?? []) ports[`${p.container_port}/${p.protocol}`] = {}
  for (const p of c.config.networkOptions?.exposed ?? []) ports[p.includes('/') ? p : `${p}/tcp`] = {}
  if (Object.keys(ports).length) cfg.ExposedPorts = ports
  if (includeVolumes) {
    const vols: Record<string, object> = {...(base.Volumes as Record<string, object> ?? {})}
    for (const m of c.config.mounts) if (m.type === 'volume' || m.type === 'bind') vols[m.destination] = {}
    if (Object.keys(vols).length) cfg.Volumes = vols
  }
  applyChanges(cfg, changes)
  return cfg
}

/** OCI ImageConfig as Go marshals it: its field order, omitempty. */
function ociRuntimeConfig(c: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  const nonEmpty = (v: unknown) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0) && !(typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0)
  for (const k of ['User', 'ExposedPorts', 'Env', 'Entrypoint', 'Cmd', 'Volumes', 'WorkingDir', 'Labels', 'StopSignal', 'ArgsEscaped']) {
    const v = c[k]
    if (!nonEmpty(v)) continue
    out[k] = typeof v === 'object' && !Array.isArray(v) ? sortedMap(v as Record<string, unknown>) : v
  }
  return out
}

/** Docker's container config (all fields, as buildah writes it). */
function dockerRuntimeConfig(c: Record<string, unknown>, image: string): Record<string, unknown> {
  const map = (v: unknown) => (v && typeof v === 'object' && Object.keys(v as object).length ? sortedMap(v as Record<string, unknown>) : null)
  const out: Record<string, unknown> = {
    Hostname: '', Domainname: '', User: c.User ?? '',
    AttachStdin: false, AttachStdout: false, AttachStderr: false,
  }
  if (c.ExposedPorts && Object.keys(c.ExposedPorts as object).length) out.ExposedPorts = map(c.ExposedPorts)
  Object.assign(out, {
    Tty: false, OpenStdin: false, StdinOnce: false,
    Env: c.Env ?? null, Cmd: c.Cmd ?? null,
    Image: image, Volumes: map(c.Volumes), WorkingDir: c.WorkingDir ?? '',
    Entrypoint: c.Entrypoint ?? null, OnBuild: (c.OnBuild as string[] | undefined)?.length ? c.OnBuild : null,
    Labels: map(c.Labels),
  })
  if (c.StopSignal) out.StopSignal = c.StopSignal
  return out
}

/** The image name the container was made from, fully qualified when the image has such a name. */
function imageNameOf(c: Container, img: ImageDoc): string {
  const n = c.config.imageName
  if (img.names.includes(n)) return n
  return img.names.find(x => x.endsWith('/' + n) || x.endsWith('/' + n + ':latest')) ?? n
}

async function* clamped(entries: AsyncIterable<FsEntry>, mtime: number | undefined): AsyncGenerator<FsEntry> {
  for await (const e of entries) yield mtime === undefined ? e : {...e, mtime}
}

/**
 * Stages the layer of a container's changes over its image's top layer
 * (commit, build's RUN and COPY steps). `mtime`: every entry's time (build
 * --timestamp, for reproducible layers).
 */
export async function stageContainerLayer(rt: Runtime, id: string, top: string | undefined, mtime?: number): Promise<StagedLayer> {
  if (rt.store.driver.name === 'vfs') {
    const merged = rootfsDirs(containerPaths(rt, id).dir).merged
    return stageFrom(rt, top, clamped(vfsEntries(merged, top ? rt.store.driver.dir(top) : undefined, await treeXattrs(merged, '^security\\.capability$')), mtime))
  }
  const upper = rootfsDirs(containerPaths(rt, id).dir).upper
  return stageFrom(rt, top, clamped(overlayEntries(upper, await treeXattrs(upper, '^(security\\.capability|trusted\\.overlay\\.opaque|user\\.overlay\\.opaque)$')), mtime))
}

/** A layer of the differences between two full trees (build --squash; no old tree: all of the new one), staged over `parent`. */
export async function stageTreeDiff(rt: Runtime, parent: string | undefined, newTree: string, oldTree: string | undefined, mtime?: number): Promise<StagedLayer> {
  return stageFrom(rt, parent, clamped(vfsEntries(newTree, oldTree, await treeXattrs(newTree, '^security\\.capability$')), mtime))
}

export async function commitContainer(rt: Runtime, ref: string, opts: CommitOptions = {}): Promise<string> {
  const format = opts.format ?? 'oci'
  if (format !== 'oci' && format !== 'docker') throw new InvalidArgument(`unrecognized image type "${format}"`)
  if (opts.message && format !== 'docker') throw new InvalidArgument('messages are only compatible with the docker image format (-f docker)')
  const changes = parseChanges(opts.changes ?? [])
  if (format === 'oci') delete changes.OnBuild
  const names = opts.reference ? [normalizeName(opts.reference)] : []
  const found = rt.containers.find(ref)
  if (!found) throw noSuchContainer(ref)
  const c = await syncContainer(rt, found)
  const id = c.config.id
  if (c.config.rootfs) throw new InvalidArgument('cannot commit a container that uses an exploded rootfs')
  const image = rt.store.images.get(c.config.imageId)
  const baseDoc = JSON.parse(image.config) as ImageConfigDoc
  await rt.store.ready()

  const paused = opts.pause && c.state.status === 'running'
  if (paused) await pauseContainer(rt, id)
  let staged: StagedLayer | undefined
  try {
    const top = image.layers[image.layers.length - 1]
    if (opts.squash) {
      staged = await withContainerFs(rt, id, r => noSuchContainer(r), async cfs => {
        const xattrs = await treeXattrs(cfs.root.root, '^security\\.capability$')
        return stageFrom(rt, undefined, walkTree(cfs.root, '', '', {xattrs}))
      }, {rootfsOnly: true})
    } else {
      staged = await stageContainerLayer(rt, id, top)
    }
  } finally {
    if (paused) await unpauseContainer(rt, id).catch(() => {})
  }

  try {
    const created = goNow()
    const imageName = imageNameOf(c, image)
    const baseHistory = opts.squash ? [] : (baseDoc.history ?? [])
    const baseDiffIds = opts.squash ? [] : (baseDoc.rootfs?.diff_ids ?? [])
    const diffIds = [...baseDiffIds, staged.doc.diffId]
    const runtimeCfg = commitConfig(c, (baseDoc.config ?? {}) as Record<string, unknown>, changes, Boolean(opts.includeVolumes))
    const entry: Record<string, unknown> = format === 'docker'
      ? {created, ...(opts.author ? {author: opts.author} : {}), created_by: '/bin/sh', comment: `FROM ${imageName}`}
      : {created, created_by: '/bin/sh', ...(opts.author ? {author: opts.author} : {}), comment: `FROM ${imageName}`}
    const history = [...baseHistory, entry]
    let config: string
    if (format === 'docker') {
      const dc = dockerRuntimeConfig(runtimeCfg, imageName)
      config = goMarshal({
        ...(opts.message ? {comment: opts.message} : {}),
        created,
        container: id,
        container_config: dc,
        ...(opts.author ? {author: opts.author} : {}),
        config: dc,
        architecture: baseDoc.architecture ?? 'amd64',
        ...(baseDoc.variant ? {variant: baseDoc.variant} : {}),
        os: baseDoc.os ?? 'linux',
        ...(opts.squash ? {} : {parent: `sha256:${image.id}`}),
        rootfs: {type: 'layers', diff_ids: diffIds},
        history,
      })
    } else {
      config = goMarshal({
        created,
        ...(opts.author ? {author: opts.author} : {}),
        architecture: baseDoc.architecture ?? 'amd64',
        ...(baseDoc.variant ? {variant: baseDoc.variant} : {}),
        os: baseDoc.os ?? 'linux',
        config: ociRuntimeConfig(runtimeCfg),
        rootfs: {type: 'layers', diff_ids: diffIds},
        history,
      })
    }
    const layerSizes = [
      ...(opts.squash ? [] : image.layers.map(l => {
        const d = rt.store.layers.get(l)
        return {diffId: d.diffId, size: d.size}
      })),
      {diffId: staged.doc.diffId, size: staged.doc.size},
    ]
    const manifest = format === 'docker'
      ? dockerManifest(config, layerSizes)
      : goMarshal({
        schemaVersion: 2,
        mediaType: MEDIA.ociManifest,
        config: {mediaType: MEDIA.ociConfig, digest: sha256(config), size: Buffer.byteLength(config)},
        layers: layerSizes.map(l => ({mediaType: MEDIA.ociLayer, digest: l.diffId, size: l.size})),
      })
    const progress = opts.progress
    progress?.('Getting image source signatures')
    for (const l of layerSizes) progress?.(`Copying blob ${l.diffId}`)
    progress?.(`Copying config ${sha256(config)}`)
    progress?.('Writing manifest to image destination')
    progress?.('Storing signatures')
    const doc = await commitImage(rt.store, {
      config,
      manifest,
      manifestMediaType: format === 'docker' ? MEDIA.dockerManifest : MEDIA.ociManifest,
      staged: [...(opts.squash ? [] : image.layers), staged],
      names,
    })
    containerEvent(rt.config, c.config, 'commit')
    return doc.id
  } finally {
    rt.store.layers.discard(staged)
  }
}

export function writeIidFile(file: string, id: string): void {
  writeFileSync(file, id)
}
