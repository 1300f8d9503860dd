// The steps that change a stage's filesystem: RUN (a container created from
// a typed ContainerSpec, run through the same Runtime, monitor and OCI
// runtime as `peapod run`) and COPY/ADD (written into a created container's
// rootfs, chroot-style). Either way the container's changes become one
// layer (commit's stageContainerLayer) and the container is removed.
import {existsSync, lstatSync, readdirSync, rmdirSync, rmSync} from 'node:fs'
import path from 'node:path'
import {Readable} from 'node:stream'
import {BuildError} from '../define/errors.js'
import {stageContainerLayer} from '../container/commit.js'
import {FsRoot, TreeSink, cleanParts, walkTree, type FsEntry} from '../container/fsroot.js'
import {readInRoot, withContainerFs} from '../container/rootfs-access.js'
import {removeContainer} from '../container/ops.js'
import {containerPaths} from '../container/paths.js'
import {newContainer} from '../create.js'
import type {Runtime} from '../runtime.js'
import type {Mount} from '../specgen/mounts.js'
import type {ContainerSpec} from '../specgen/container.js'
import type {NetNS} from '../specgen/network.js'
import {rootfsDirs} from '../storage/mount.js'
import type {StagedLayer} from '../storage/layers.js'
import {withRunOptions, type BuildRunOptions} from '../specgen/build.js'
import {pump} from '../container/cp.js'
import {failpoint} from '../util/failpoint.js'

/** Containers made by this build, removed at its end (also on failure and SIGINT). */
export class Scratch {
  readonly containers = new Set<string>()
  keep = false
  /** SIGINT/SIGTERM came: the build stops at the next step. */
  interrupted = false
  private chain: Promise<void> = Promise.resolve()

  /** Removes them (one removal at a time: the signal handler and the build's end may both ask). */
  removeAll(rt: Runtime): Promise<void> {
    this.chain = this.chain.then(async () => {
      if (this.keep) return
      for (const id of [...this.containers]) {
        try {
          await removeContainer(rt, id, {force: true, timeout: 0})
          this.containers.delete(id)
        } catch (e) {
          rt.logger.debug(`removing build container ${id}: ${(e as Error).message}`)
        }
      }
    })
    return this.chain
  }

  /** A step's container is done with: removed unless --rm=false. */
  async release(rt: Runtime, id: string): Promise<void> {
    if (this.keep) return
    await removeContainer(rt, id, {force: true, timeout: 0}).catch(() => {})
    this.containers.delete(id)
  }

  check(): void {
    if (this.interrupted) throw new BuildError('interrupted', 130)
  }
}

export interface RunStep {
  image: string
  command: string[]
  env: Record<string, string>
  workdir?: string
  user?: string
  mounts: Mount[]
  network?: NetNS
  quiet: boolean
  /** Targets of mounts to drop from the layer when the step created them. */
  mountTargets: string[]
  /** --timestamp: the time of every file in the layer. */
  mtime?: number
  /** The build's container flags (--cap-add, --volume, --dns ...). */
  run?: BuildRunOptions
  /** --stdin: the step reads the build's stdin. */
  stdin?: boolean
}

async function scratchContainer(rt: Runtime, scratch: Scratch, spec: ContainerSpec): Promise<string> {
  const c = await newContainer(rt, spec)
  scratch.containers.add(c.id)
  return c.id
}

/** Mount points the runtime made for this step's mounts: removed from the container's changes (never in a layer). */
function dropMountTargets(rt: Runtime, id: string, layers: string[], targets: string[]): void {
  const vfs = rt.store.driver.name === 'vfs'
  const dirs = rootfsDirs(containerPaths(rt, id).dir)
  const top = vfs ? dirs.merged : dirs.upper
  const inLower = (rel: string) => vfs
    ? (layers.length > 0 && existsSync(path.join(rt.store.driver.dir(layers[layers.length - 1]), rel)))
    : layers.some(l => lstatSync(path.join(rt.store.driver.dir(l), rel), {throwIfNoEntry: false}))
  for (const t of targets) {
    let parts = cleanParts(t)
    while (parts.length) {
      const rel = parts.join('/')
      if (inLower(rel)) break
      const at = path.join(top, rel)
      const st = lstatSync(at, {throwIfNoEntry: false})
      if (!st) break
      if (st.isDirectory()) {
        if (readdirSync(at).length) break
        rmdirSync(at)
      } else if (st.isFile() && st.size === 0) {
        rmSync(at)
      } else {
        break
      }
      parts = parts.slice(0, -1)
    }
  }
}

/** Runs the command; returns its exit code and, when 0, the layer of its changes. */
export async function runStep(rt: Runtime, scratch: Scratch, top: string | undefined, layers: string[], step: RunStep): Promise<{code: number; staged?: StagedLayer}> {
  const id = await scratchContainer(rt, scratch, withRunOptions({
    image: step.image,
    command: step.command,
    entrypoint: [],
    env: step.env,
    workdir: step.workdir || undefined,
    user: step.user || undefined,
    mounts: step.mounts,
    logDriver: step.quiet && !step.stdin ? 'none' : 'passthrough',
    // --stdin: the build's stdin (else /dev/null)
    ...step.stdin ? {stdin: true} : {},
    healthcheck: {test: ['NONE'], interval: 0, timeout: 0, retries: 0, startPeriod: 0},
    // Podman's default: a private network (the default bridge rootful, slirp4netns rootless)
    ...step.network ? {network: {netns: step.network}} : {},
    labels: {'io.peapod.build': 'true'},
  }, step.run))
  const c = rt.container(id)
  await c.start()
  failpoint('build.run.after-start')
  // a SIGINT during the start: its removal may have come too early
  if (scratch.interrupted) await scratch.removeAll(rt)
  scratch.check()
  const code = await c.wait()
  scratch.check()
  if (code !== 0) return {code}
  // the exit command's cleanup may still be unmounting: the changes are in the upper dir either way
  if (step.mountTargets.length) dropMountTargets(rt, id, layers, step.mountTargets)
  const staged = await stageContainerLayer(rt, id, top, step.mtime)
  failpoint('build.run.after-layer')
  await scratch.release(rt, id)
  return {code, staged}
}

export interface CopyItem {
  /** Where the source is read from: a host directory (the context) or an image's rootfs. */
  root: FsRoot
  /** Real path below the root. */
  rel: string
  isDir: boolean
  /** ADD of a URL: copied as is, never unpacked. */
  noExtract?: boolean
}

export interface CopySpec {
  items: CopyItem[]
  /** Heredoc files: name → content. */
  inline: Array<{name: string; content: string}>
  /** Absolute destination inside the image. */
  dest: string
  destIsDir: boolean
  chown?: string
  chmod?: number
  /** ADD: local tar archives are unpacked. */
  extract: boolean
  ignored?: (rel: string) => boolean
  /** COPY --parents: each source keeps its path (below the context or image root) under the destination. */
  parents?: boolean
  /** COPY --exclude: whether a path is excluded (its path below the root, and below the source). */
  excluded?: (rel: string, source: string) => boolean
  /** The owner when --chown was resolved elsewhere (COPY --link: against the parent image, not the empty tree). */
  owner?: {uid: number; gid: number}
}

/** Numeric owner of a --chown value: names looked up in the image's /etc/passwd and /etc/group. */
export function resolveChown(root: FsRoot, v: string): {uid: number; gid: number} {
  const [u, g] = v.split(':')
  const lookup = (file: string, name: string, what: string): number => {
    if (/^\d+$/.test(name)) return Number(name)
    const line = (readInRoot(root, file) ?? '').split('\n').find(l => l.split(':')[0] === name)
    if (!line) throw new BuildError(`looking up ${what} "${name}": no such ${what} in the image's ${file}`)
    return Number(line.split(':')[2])
  }
  const uid = lookup('/etc/passwd', u, 'user')
  let gid: number
  if (g !== undefined && g !== '') gid = lookup('/etc/group', g, 'group')
  else if (/^\d+$/.test(u)) gid = uid
  else gid = Number((readInRoot(root, '/etc/passwd') ?? '').split('\n').find(l => l.split(':')[0] === u)?.split(':')[3] ?? uid)
  return {uid, gid}
}

const ARCHIVE_MAGIC: Array<[number, number[]]> = [
  [0, [0x1f, 0x8b]], [0, [0x42, 0x5a, 0x68]], [0, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]], [0, [0x28, 0xb5, 0x2f, 0xfd]],
  [257, [0x75, 0x73, 0x74, 0x61, 0x72]],
]

function isArchive(head: Buffer): boolean {
  return ARCHIVE_MAGIC.some(([off, m]) => head.length >= off + m.length && m.every((b, i) => head[off + i] === b))
}

async function* withMode(entries: AsyncIterable<FsEntry>, chmod: number | undefined): AsyncGenerator<FsEntry> {
  for await (const e of entries) yield chmod === undefined || e.type === 'symlink' ? e : {...e, mode: chmod}
}

/** Writes the COPY/ADD sources into the tree at `root` (a container's rootfs, or an empty dir for FROM scratch). */
export async function copyInto(root: FsRoot, spec: CopySpec): Promise<void> {
  const owner = spec.owner ?? (spec.chown ? resolveChown(root, spec.chown) : {uid: 0, gid: 0})
  const destParts = cleanParts(spec.dest)
  const destRes = root.resolve(destParts, {followLast: true})
  const destIsDir = spec.destIsDir || Boolean(destRes.exists && destRes.st?.isDirectory())
  const sinkOpts = {chown: owner, overwrite: true, ignoreDevices: false, display: (rel: string) => '/' + rel}
  const dirRel = destIsDir ? root.resolve(destParts, {followLast: true, create: true}).rel : root.resolve(destParts.slice(0, -1), {followLast: true, create: true}).rel
  const destBase = destParts[destParts.length - 1] ?? ''
  for (const f of spec.inline) {
    const name = destIsDir ? f.name : destBase
    const sink = new TreeSink(root, dirRel, sinkOpts)
    const body = Buffer.from(f.content)
    const {openSync, writeFileSync, mkdtempSync} = await import('node:fs')
    const os = await import('node:os')
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'peapod-heredoc-'))
    try {
      writeFileSync(path.join(tmp, 'f'), body)
      await sink.put({name, type: 'file', mode: spec.chmod ?? 0o644, uid: 0, gid: 0, mtime: Math.floor(Date.now() / 1000), size: body.length}, {fd: openSync(path.join(tmp, 'f'), 'r')})
      sink.finish()
    } finally {
      rmSync(tmp, {recursive: true, force: true})
    }
  }
  for (const it of spec.items) {
    const base = path.posix.basename(it.rel)
    const ex = spec.excluded
    const skip = ex ? (rel: string) => Boolean(spec.ignored?.(rel)) || ex(rel, it.rel) : spec.ignored
    if (spec.parents) {
      // the source's own path below the destination
      const parts = [...destParts, ...cleanParts(it.rel)]
      const at = root.resolve(it.isDir ? parts : parts.slice(0, -1), {followLast: true, create: true}).rel
      await pump(withMode(walkTree(it.root, it.rel, it.isDir ? '' : base, {skip}), spec.chmod), new TreeSink(root, at, sinkOpts))
      continue
    }
    if (spec.extract && !it.isDir && !it.noExtract) {
      const {openSync, readSync, closeSync, createReadStream} = await import('node:fs')
      const parent = path.posix.dirname(it.rel) === '.' ? '' : path.posix.dirname(it.rel)
      const hostPath = it.root.at(parent, base)
      const fd = openSync(hostPath, 'r')
      const head = Buffer.alloc(512)
      const n = readSync(fd, head, 0, 512, 0)
      closeSync(fd)
      if (isArchive(head.subarray(0, n))) {
        const {untarInto} = await import('../container/cp.js')
        const target = root.resolve(destParts, {followLast: true, create: true}).rel
        await untarInto(createReadStream(hostPath), new TreeSink(root, target, {...sinkOpts, chown: spec.chown ? owner : undefined}))
        continue
      }
    }
    let name: string
    let rename: {from: string; to: string} | undefined
    if (it.isDir) {
      // a directory's contents go into the destination
      name = ''
      const target = destIsDir || !destRes.exists ? root.resolve(destParts, {followLast: true, create: true}).rel : dirRel
      const sink = new TreeSink(root, target, sinkOpts)
      await pump(withMode(walkTree(it.root, it.rel, name, {skip}), spec.chmod), sink)
      continue
    }
    name = base
    if (!destIsDir) rename = {from: base, to: destBase}
    const sink = new TreeSink(root, dirRel, {...sinkOpts, rename})
    await pump(withMode(walkTree(it.root, it.rel, name, {skip}), spec.chmod), sink)
  }
}

/**
 * COPY/ADD as a layer: a created container's rootfs written to (or, FROM
 * scratch, an empty tree). `link` (COPY --link): the files are written into an
 * empty tree whose tar is the layer, applied over `top`: the layer holds only
 * the copied files (and their directories), whatever the parent holds.
 */
export async function copyStep(rt: Runtime, scratch: Scratch, image: string | undefined, top: string | undefined, spec: CopySpec, tmpParent: string, mtime?: number, link = false): Promise<StagedLayer> {
  if (!image || link) {
    const {mkdtempSync} = await import('node:fs')
    const dir = mkdtempSync(path.join(tmpParent, 'peapod-build-scratch-'))
    const root = new FsRoot(dir)
    try {
      await copyInto(root, spec)
      const {tarOf} = await import('../container/cp.js')
      const entries = walkTree(root, '', '')
      return await rt.store.layers.stage(link ? top : undefined, Readable.from(tarOf(mtime === undefined ? entries : (async function* () {
        for await (const e of entries) yield {...e, mtime}
      })())))
    } finally {
      root.close()
      rmSync(dir, {recursive: true, force: true})
    }
  }
  const id = await scratchContainer(rt, scratch, {image, command: ['/bin/sh'], entrypoint: [], labels: {'io.peapod.build': 'true'}, network: {netns: {mode: 'none'}}})
  await withContainerFs(rt, id, ref => new BuildError(`no build container ${ref}`), async cfs => {
    await copyInto(cfs.root, spec)
  }, {rootfsOnly: true})
  const staged = await stageContainerLayer(rt, id, top, mtime)
  await scratch.release(rt, id)
  return staged
}

/** Runs fn with the rootfs of an image (COPY --from): a created container, mounted for the call. */
export async function withImageRoot<T>(rt: Runtime, scratch: Scratch, image: string, fn: (root: FsRoot) => Promise<T>): Promise<T> {
  const id = await scratchContainer(rt, scratch, {image, command: ['/bin/sh'], entrypoint: [], labels: {'io.peapod.build': 'true'}, network: {netns: {mode: 'none'}}})
  try {
    return await withContainerFs(rt, id, ref => new BuildError(`no build container ${ref}`), cfs => fn(cfs.root), {rootfsOnly: true})
  } finally {
    await removeContainer(rt, id, {force: true, timeout: 0}).catch(() => {})
    scratch.containers.delete(id)
  }
}
