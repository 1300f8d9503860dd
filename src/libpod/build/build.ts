// `build`: a Containerfile's stages run in order (only those the target
// needs), each instruction committed as an image as buildah does with
// --layers, the layer cache consulted first. Progress lines as Podman
// prints them go to `out`; the image ID is returned.
import {mkdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import type {Readable} from 'node:stream'
import {BuildError, PeapodError} from '../define/errors.js'
import {FsRoot, cleanParts, walkTree} from '../container/fsroot.js'
import type {ImageDoc} from '../image/images.js'
import {tagImage} from '../image/manage.js'
import {normalizeName} from '../image/archive/names.js'
import type {PullOptions, PullPolicy} from '../image/pull.js'
import type {Runtime} from '../runtime.js'
import type {Mount} from '../specgen/mounts.js'
import type {NetNS} from '../specgen/network.js'
import {cacheKey, cacheLookup, cacheStore, linkLayerLookup, linkLayerStore} from './cache.js'
import {digestEntries, findContainerfile, ignoreMatcher, openContext, resolveSources, type BuildContext} from './context.js'
import {expandWord, expandWords, keyValues, type Vars} from './expand.js'
import {adopt, commitStep, dockerToRuntime, workingFrom, type Working} from './image.js'
import type {BuildRunOptions} from '../specgen/build.js'
import type {SshSource} from '../specgen/build-ssh.js'
import {parseContainerfile, type Containerfile, type Instruction, type Stage} from './parse.js'
import {Scratch, copyStep, resolveChown, runStep, withImageRoot, type CopyItem} from './steps.js'
import {failpoint} from '../util/failpoint.js'

export interface BuildOptions {
  /** The context directory, or '-' for a tar archive on stdin. */
  context: string
  /** -f: a path, or '-' for stdin. */
  file?: string
  tags: string[]
  buildArgs: Record<string, string>
  target?: string
  quiet: boolean
  labels: Record<string, string>
  annotations: Record<string, string>
  format: 'oci' | 'docker'
  noCache: boolean
  layers: boolean
  rm: boolean
  forceRm: boolean
  pull: PullPolicy
  network?: NetNS
  ignoreFile?: string
  /** --timestamp: epoch seconds for every created time and file time (reproducible images). */
  timestamp?: number
  /** --secret id=ID,src=PATH. */
  secrets: Record<string, string>
  stdin?: Readable
  /** The build's container flags, given to every RUN step (--cap-add, --volume, --dns, --network ...). */
  run?: BuildRunOptions
  /** --stdin: RUN steps read the build's stdin. */
  runStdin?: boolean
  /** --env: variables set in every stage's image from its start (a RUN sees them). */
  env?: Array<[string, string]>
  /** --unsetenv: variables removed from the final image. */
  unsetEnv?: string[]
  /** --identity-label (default true): the io.peapod.version label. */
  identityLabel?: boolean
  /** --omit-history: no history in the images. */
  omitHistory?: boolean
  /** --from: the image that replaces the first FROM's. */
  from?: string
  /** --platform/--os/--arch/--variant: the image's platform (and the base images pulled for it). */
  platform?: {os?: string; arch?: string; variant?: string}
  /** --os-version, --os-feature. */
  osVersion?: string
  osFeatures?: string[]
  /** --authfile, --tls-verify, --creds, --cert-dir: for the pulls of base images. */
  pullOptions?: PullOptions
  /** --retry, --retry-delay (ms): pulls retried after a failure. */
  retry?: {count: number; delayMs: number}
  /** --cache-ttl: only cached images younger than this (ms) are used; 0: none. */
  cacheTtlMs?: number
  /** --build-context NAME=...: what FROM NAME, COPY --from=NAME and RUN --mount=from=NAME read. */
  buildContexts?: Record<string, BuildContextSource>
  /** --squash: the new layers as one; --squash-all: the whole image as one layer. */
  squash?: 'new' | 'all'
  /** --skip-unused-stages (default true): only the stages the target needs. */
  skipUnusedStages?: boolean
  /** --jobs: stages built at once (default 1; 0: no limit). */
  jobs?: number
  /** --cache-from: repositories where a step's cached image is looked up (tagged by its cache key) and pulled. */
  cacheFrom?: string[]
  /** --cache-to: the repository each step's new image is pushed to, tagged by its cache key. */
  cacheTo?: string
  /** --ssh ID[=PATH,...]: the agents RUN --mount=type=ssh,id=ID forwards. */
  ssh?: Record<string, SshSource>
  /** --all-platforms: build for every platform of the base images' lists (checked, then refused: see all-platforms.ts). */
  allPlatforms?: boolean
  /** --cpp-flag: extra flags of cpp for a Containerfile named *.in. */
  cppFlags?: string[]
  /** Progress (Podman's stdout lines). */
  out: (line: string) => void
  warn: (message: string) => void
}

/** An additional build context: a directory, a tarball's URL, or an image. */
export interface BuildContextSource {
  dir?: string
  url?: string
  image?: string
}

/** Build args every build knows (Docker's predefined proxy args and the platform ones). */
const PREDEFINED = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'FTP_PROXY', 'ftp_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy']

function platformArgs(): Record<string, string> {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch
  return {
    TARGETPLATFORM: `linux/${arch}`, TARGETOS: 'linux', TARGETARCH: arch, TARGETVARIANT: '',
    BUILDPLATFORM: `linux/${arch}`, BUILDOS: 'linux', BUILDARCH: arch, BUILDVARIANT: '',
  }
}

/** An image mounted for a RUN --mount=type=bind,from= (its rootfs is the mount's source). */
interface Held {
  image: string
  source: string
  /** The mount's index in the step's mounts. */
  index: number
  ins: Instruction
}

interface StageResult {
  image?: ImageDoc
}

interface StageVars {
  /** ENV of the image being built. */
  env: Vars
  /** ARGs declared in the stage, with their values (undefined: declared without a value). */
  args: Map<string, string | undefined>
}

function envMap(config: Record<string, unknown>): Vars {
  const m: Vars = new Map()
  for (const e of (config.Env as string[] | undefined) ?? []) {
    const i = e.indexOf('=')
    if (i > 0) m.set(e.slice(0, i), e.slice(i + 1))
  }
  return m
}

/** The variables an instruction expands with: the stage's ARGs, then ENV over them. */
function scope(v: StageVars): Vars {
  const m: Vars = new Map()
  for (const [k, val] of v.args) if (val !== undefined) m.set(k, val)
  for (const [k, val] of v.env) m.set(k, val)
  return m
}

function flag(ins: Instruction, name: string): string | undefined {
  return ins.flags.find(f => f.name === name)?.value
}

function where(cf: Containerfile, ins: {line: number}): string {
  return `${path.basename(cf.file)}:${ins.line}`
}

function stepText(ins: Instruction): string {
  return `${ins.keyword} ${ins.original}`.trim()
}

/** The stages the target needs: itself and what it copies from or is built on, transitively. */
function neededStages(cf: Containerfile, target: number): Set<number> {
  const need = new Set<number>()
  const byName = (ref: string): number | undefined => {
    const i = cf.stages.findIndex(s => s.name === ref.toLowerCase())
    if (i >= 0) return i
    if (/^\d+$/.test(ref) && Number(ref) < cf.stages.length) return Number(ref)
    return undefined
  }
  const visit = (i: number) => {
    if (need.has(i)) return
    need.add(i)
    const s = cf.stages[i]
    const b = byName(s.base)
    if (b !== undefined && b < i) visit(b)
    for (const ins of s.instructions) {
      const from = flag(ins, 'from')
      if (from !== undefined) {
        const j = byName(from)
        if (j !== undefined && j < i) visit(j)
      }
      for (const m of ins.flags.filter(f => f.name === 'mount')) {
        const fm = /(?:^|,)from=([^,]+)/.exec(m.value ?? '')
        const j = fm ? byName(fm[1]) : undefined
        if (j !== undefined && j < i) visit(j)
      }
    }
  }
  visit(target)
  return need
}

function parseMountFlag(v: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const part of v.split(',')) {
    const i = part.indexOf('=')
    if (i < 0) out[part] = 'true'
    else out[part.slice(0, i)] = part.slice(i + 1)
  }
  return out
}

export async function build(rt: Runtime, opts: BuildOptions): Promise<string> {
  const tmpParent = path.join(rt.config.graphRoot, 'tmp')
  mkdirSync(tmpParent, {recursive: true})
  for (const k of Object.keys(opts.buildArgs)) if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new BuildError(`invalid build arg ${JSON.stringify(k)}: a name is letters, digits and '_'`)
  for (const [name, c] of Object.entries(opts.buildContexts ?? {})) {
    if (c.dir === undefined) continue
    let isDir = false
    try {
      isDir = statSync(c.dir).isDirectory()
    } catch {
      isDir = false
    }
    if (!isDir) throw new BuildError(`build context "${name}": ${JSON.stringify(c.dir)} is not a directory`)
  }
  if (opts.jobs !== undefined && (!Number.isInteger(opts.jobs) || opts.jobs < 0)) throw new BuildError('building: invalid value for jobs.  It must be a positive integer')
  if (opts.cacheTo !== undefined || opts.cacheFrom?.length) {
    const {checkCacheRepo} = await import('./remote-cache.js')
    for (const r of opts.cacheFrom ?? []) checkCacheRepo('cache-from', r)
    if (opts.cacheTo !== undefined) checkCacheRepo('cache-to', opts.cacheTo)
  }
  const fileFromStdin = opts.file === '-'
  if (fileFromStdin && opts.context === '-') throw new BuildError('the context and the Containerfile cannot both be read from stdin')
  let text: string | undefined
  if (fileFromStdin) text = readFileSync(0, 'utf8')
  const ctx = await openContext(opts.context, {stdin: opts.stdin, ignoreFile: opts.ignoreFile, tmpParent})
  const scratch = new Scratch()
  scratch.keep = !opts.rm
  const onSignal = () => {
    // Ctrl-C: the running step's container goes now, the build stops at its next step
    scratch.interrupted = true
    scratch.keep = false
    void scratch.removeAll(rt)
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  let builder: Builder | undefined
  let agents: {sockets: Record<string, string>; close(): void} | undefined
  try {
    if (opts.ssh && Object.keys(opts.ssh).length) agents = await (await import('./ssh.js')).startSshAgents(opts.ssh, tmpParent)
    const file = fileFromStdin ? 'Containerfile' : findContainerfile(ctx.dir, opts.file)
    if (text === undefined) text = readFileSync(file, 'utf8')
    if (!fileFromStdin && file.endsWith('.in')) text = await (await import('./preprocess.js')).preprocessContainerfile(file, text, ctx.dir, opts.cppFlags ?? [], opts.warn)
    const cf = parseContainerfile(text, fileFromStdin ? '-' : path.basename(file))
    builder = new Builder(rt, opts, cf, ctx, scratch, tmpParent)
    builder.sshSockets = agents?.sockets ?? {}
    return await builder.run()
  } catch (e) {
    if (scratch.interrupted) throw new BuildError('interrupted', 130)
    if (!opts.forceRm) scratch.keep = true
    throw e
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    await scratch.removeAll(rt)
    agents?.close()
    ctx.cleanup()
    for (const dir of builder?.fetchedContexts.values() ?? []) rmSync(dir, {recursive: true, force: true})
  }
}

class Builder {
  private readonly results = new Map<number, StageResult>()
  /** --build-context URLs unpacked (name → directory), removed at the end. */
  readonly fetchedContexts = new Map<string, string>()
  /** --ssh: id → agent socket on the host (RUN --mount=type=ssh). */
  sshSockets: Record<string, string> = {}
  private readonly headerArgs = new Map<string, string | undefined>()
  private readonly usedBuildArgs = new Set<string>()
  /** Images this build committed (--layers=false removes all but the result). */
  private readonly created: string[] = []
  /** The target stage's base image (--squash keeps its layers). */
  private targetBase?: {doc?: ImageDoc; name: string}
  /** The target stage's "[i/N] " (multi-stage builds). */
  private commitPrefix = ''

  constructor(
    private readonly rt: Runtime,
    private readonly opts: BuildOptions,
    private readonly cf: Containerfile,
    private readonly ctx: BuildContext,
    private readonly scratch: Scratch,
    private readonly tmpParent: string,
  ) {}

  private buildArg(name: string): string | undefined {
    if (name in this.opts.buildArgs) {
      this.usedBuildArgs.add(name)
      return this.opts.buildArgs[name]
    }
    return undefined
  }

  async run(): Promise<string> {
    const cf = this.cf
    const esc = cf.escape
    for (const a of cf.headerArgs) {
      for (const [k, v] of keyValues(a.args, new Map([...this.headerArgs].filter(([, x]) => x !== undefined) as Array<[string, string]>), esc, 'ARG', undefined, true)) {
        this.headerArgs.set(k, this.buildArg(k) ?? v)
      }
    }
    // --from: the first stage is built on that image instead
    if (this.opts.from !== undefined && cf.stages.length) cf.stages[0].base = this.opts.from
    if (this.opts.allPlatforms) {
      const vars: Vars = new Map([...this.headerArgs].filter(([, x]) => x !== undefined) as Array<[string, string]>)
      await (await import('./all-platforms.js')).checkAllPlatforms(this.rt, cf, vars, this.opts)
    }
    let target = cf.stages.length - 1
    if (this.opts.target !== undefined) {
      target = cf.stages.findIndex(s => s.name === this.opts.target?.toLowerCase())
      if (target < 0) throw new BuildError(`the target "${this.opts.target}" was not found in the provided Dockerfile`)
    }
    const need = neededStages(cf, target)
    const stages = cf.stages.filter(s => s.index <= target)
    const todo = stages.filter(s => need.has(s.index) || this.opts.skipUnusedStages === false)
    let last: ImageDoc | undefined
    const jobs = this.opts.jobs ?? 1
    if (jobs === 1) {
      for (const s of todo) last = await this.buildStage(s, s.index === target, stages.length)
    } else {
      // --jobs: a stage starts once the stages it reads are built, at most `jobs` at once (0: no limit)
      const {runStagesInParallel} = await import('./jobs.js')
      const deps = new Map(todo.map(s => [s.index, [...neededStages(cf, s.index)].filter(i => i !== s.index && todo.some(t => t.index === i))]))
      const built = await runStagesInParallel(todo.map(s => s.index), deps, jobs, async i => {
        const s = cf.stages[i]
        return this.buildStage(s, s.index === target, stages.length)
      })
      last = built.get(target) ?? built.get(todo[todo.length - 1]?.index)
    }
    const unused = Object.keys(this.opts.buildArgs).filter(k => !this.usedBuildArgs.has(k) && !PREDEFINED.includes(k))
    if (unused.length) this.opts.warn(`one or more build args were not consumed: [${unused.sort().join(' ')}]`)
    if (!last) throw new BuildError('the build made no image')
    if (this.opts.squash) last = await this.squashed(last)
    if (!this.opts.layers || this.opts.squash) {
      // no layer cache: the intermediate images go, only the result stays
      const {removeImages} = await import('../image/manage.js')
      const result = last.id
      const extra = [...new Set(this.created)].filter(id => id !== result && this.rt.store.images.exists(id) && this.rt.store.images.get(id).names.length === 0)
      if (extra.length) await removeImages(this.rt.store, extra, {inUse: id => this.rt.imageUsers(id)})
    }
    return last.id
  }

  /** What, besides the steps, makes a committed image different: part of every cache key. */
  private get keyTag(): string {
    const o = this.opts
    if (!o.env?.length && !o.unsetEnv?.length && o.identityLabel !== false && !o.omitHistory && !o.platform && !o.osVersion && !o.osFeatures?.length) return o.format
    return JSON.stringify([o.format, o.env ?? [], o.unsetEnv ?? [], o.identityLabel !== false, Boolean(o.omitHistory), o.platform ?? {}, o.osVersion ?? '', o.osFeatures ?? []])
  }

  /** A base image (FROM, COPY --from, RUN --mount from=) pulled as --pull says, with the build's pull options, retried as --retry says. */
  async pull(ref: string): Promise<ImageDoc> {
    const {pullImageIfNeeded} = await import('../image/pull.js')
    const opts: PullOptions = {...this.opts.pullOptions, ...this.opts.platform ? {platform: this.opts.platform} : {}}
    const retry = this.opts.retry ?? {count: 3, delayMs: 2000}
    for (let attempt = 0; ; attempt++) {
      try {
        return await pullImageIfNeeded(this.rt, ref, this.opts.pull, opts)
      } catch (e) {
        // only a registry's failure is worth another try (not an unknown image with --pull=never, nor a bad name)
        const retriable = (e as Error).name === 'RegistryError' || /ECONNREFUSED|ECONNRESET|ETIMEDOUT|fetch failed|status 5\d\d/.test((e as Error).message)
        if (!retriable || attempt >= retry.count) throw e
        this.opts.warn(`Failed, retrying in ${retry.delayMs / 1000}s ... (${attempt + 1}/${retry.count}). Error: ${(e as Error).message}`)
        await new Promise(resolve => setTimeout(resolve, retry.delayMs))
      }
    }
  }

  /** --squash (the target's new layers as one, over its base's) or --squash-all (one layer): the final image, committed and tagged. */
  private async squashed(last: ImageDoc): Promise<ImageDoc> {
    const out = this.opts.quiet ? () => {} : this.opts.out
    const all = this.opts.squash === 'all'
    const base = all ? undefined : this.targetBase?.doc
    const cfg = JSON.parse(last.config) as {config?: Record<string, unknown>; history?: Array<Record<string, unknown>>; architecture?: string; os?: string; variant?: string; author?: string; 'os.version'?: string; 'os.features'?: string[]; rootfs?: {diff_ids?: string[]}}
    const baseCfg = base ? JSON.parse(base.config) as {history?: Array<Record<string, unknown>>; rootfs?: {diff_ids?: string[]}} : undefined
    const baseFromTarget = this.targetBase?.doc ? (JSON.parse(this.targetBase.doc.config) as {history?: unknown[]}).history?.length ?? 0 : 0
    const history = cfg.history ?? []
    const steps = history.slice(baseFromTarget)
    const lastEntry = steps[steps.length - 1] ?? history[history.length - 1] ?? {}
    const names = this.finalNames()
    out(`${this.commitPrefix}COMMIT${names.length ? ` ${this.opts.tags[0]}` : ''}`)
    const newLayers = last.layers.slice(base?.layers.length ?? 0)
    let staged: Parameters<typeof commitStep>[2]['staged']
    if (newLayers.length || all) {
      const {stageTreeDiff} = await import('../container/commit.js')
      const top = base?.layers[base.layers.length - 1]
      staged = await withImageRoot(this.rt, this.scratch, last.id, async root => base
        ? withImageRoot(this.rt, this.scratch, base.id, broot => stageTreeDiff(this.rt, top, root.root, broot.root, this.opts.timestamp))
        : stageTreeDiff(this.rt, undefined, root.root, undefined, this.opts.timestamp))
    }
    const w: Working = {
      image: base,
      layers: base ? [...base.layers] : [],
      diffIds: baseCfg?.rootfs?.diff_ids ?? [],
      // the steps' entries: empty but for the last, which has the squashed layer
      history: [...(baseCfg?.history ?? []), ...steps.slice(0, -1).map(h => ({...h, empty_layer: true}))],
      config: dockerToRuntime(cfg.config ?? {}),
      architecture: cfg.architecture ?? 'amd64',
      os: cfg.os ?? 'linux',
      variant: cfg.variant,
      osVersion: cfg['os.version'],
      osFeatures: cfg['os.features'],
      author: cfg.author,
      parentName: `FROM ${this.targetBase?.name ?? 'scratch'}`,
      baseAnnotations: base && this.targetBase ? {'org.opencontainers.image.base.digest': base.digest, 'org.opencontainers.image.base.name': this.targetBase.name} : {},
    }
    const doc = await commitStep(this.rt, w, {
      createdBy: String(lastEntry.created_by ?? ''),
      staged,
      format: this.opts.format,
      names,
      created: String(lastEntry.created ?? '') || undefined,
      annotations: this.opts.annotations,
      omitHistory: this.opts.omitHistory,
    })
    if (staged) this.rt.store.layers.discard(staged)
    out(`--> ${doc.id.slice(0, 11)}`)
    for (const n of names) out(`Successfully tagged ${n}`)
    return doc
  }

  private prefix(s: Stage, count: number): string {
    return count > 1 ? `[${s.index + 1}/${count}] ` : ''
  }

  private async resolveBase(s: Stage, announce: (base: string) => void): Promise<{doc?: ImageDoc; name: string}> {
    const vars: Vars = new Map()
    for (const [k, v] of this.headerArgs) if (v !== undefined) vars.set(k, v)
    const base = expandWord(s.base, vars, this.cf.escape)
    announce(base)
    if (base === '') throw new BuildError(`${where(this.cf, s)}: FROM names no image (it expanded to "")`)
    if (base === 'scratch') return {name: 'scratch'}
    const idx = this.cf.stages.findIndex(x => x.name === base.toLowerCase())
    if (idx >= 0 && idx < s.index) {
      const r = this.results.get(idx)
      if (!r?.image) throw new BuildError(`${where(this.cf, s)}: stage "${base}" made no image`)
      return {doc: r.image, name: r.image.id.slice(0, 12)}
    }
    const bc = this.opts.buildContexts?.[base]
    if (bc && bc.image === undefined) throw new BuildError(`${where(this.cf, s)}: FROM ${base}: the build context "${base}" is a directory, not an image`)
    const ref = bc?.image ?? base
    try {
      const doc = await this.pull(ref)
      const name = doc.names.find(n => n === ref || n.endsWith('/' + ref) || n.endsWith('/' + ref + ':latest')) ?? doc.names[0] ?? doc.id
      return {doc, name}
    } catch (e) {
      throw new BuildError(`creating build container: ${(e as Error).message} (${where(this.cf, s)})`)
    }
  }

  private async buildStage(s: Stage, isTarget: boolean, count: number): Promise<ImageDoc> {
    const out = this.opts.quiet ? () => {} : this.opts.out
    const pre = this.prefix(s, count)
    if (isTarget) this.commitPrefix = pre
    const total = s.instructions.length + 1
    const base = await this.resolveBase(s, text => out(`${pre}STEP 1/${total}: FROM ${text}${s.name ? ` AS ${s.name}` : ''}`))
    const w = workingFrom(base.doc, base.name)
    if (isTarget) this.targetBase = base
    const p = this.opts.platform
    if (p?.os) w.os = p.os
    if (p?.arch) w.architecture = p.arch
    if (p?.variant !== undefined) w.variant = p.variant || undefined
    if (this.opts.osVersion !== undefined) w.osVersion = this.opts.osVersion
    if (this.opts.osFeatures?.length) w.osFeatures = [...new Set([...(w.osFeatures ?? []), ...this.opts.osFeatures])]
    if (this.opts.env?.length) {
      // --env: in the image from the stage's start, so RUN steps see them too
      let env = (w.config.Env as string[] | undefined) ?? []
      for (const [k, v] of this.opts.env) env = [...env.filter(e => e.split('=')[0] !== k), `${k}=${v}`]
      w.config.Env = env
    }
    const vars: StageVars = {env: envMap(w.config), args: new Map()}
    // ONBUILD triggers of the base image run first
    const triggers = ((w.config.OnBuild as string[] | undefined) ?? []).map((t, i): Instruction => {
      const sub = parseContainerfile(`FROM scratch\n${t}\n`, `ONBUILD ${i + 1}`)
      return sub.stages[0].instructions[0]
    })
    w.config.OnBuild = []
    const steps = [...triggers, ...s.instructions]
    let committed = false
    for (let i = 0; i < steps.length; i++) {
      const ins = steps[i]
      const isLast = i === steps.length - 1
      const stepNo = i - triggers.length + 2
      this.scratch.check()
      if (i >= triggers.length) out(`${pre}STEP ${stepNo}/${total}: ${stepText(ins)}`)
      try {
        await this.step(s, w, vars, ins, isTarget && isLast)
      } catch (e) {
        if (e instanceof BuildError && e.exitCode !== 125) throw e
        if (e instanceof BuildError && (/^[^ ]+:\d+: /.test(e.message) || e.message.startsWith('building at STEP'))) throw e
        throw new BuildError(`building at STEP "${stepText(ins)}": ${where(this.cf, ins)}: ${(e as Error).message}`, e instanceof PeapodError ? e.exitCode : 125)
      }
      committed = true
    }
    if (!committed || (isTarget && (this.opts.tags.length || Object.keys(this.opts.labels).length || Object.keys(this.opts.annotations).length) && steps.length === 0)) {
      // FROM alone: the base image is the stage's result (tagged when it is the target)
      if (!w.image || isTarget) await this.commitMeta(w, `/bin/sh -c #(nop) FROM ${s.base}`, isTarget, true)
    }
    if (!w.image) throw new BuildError(`${where(this.cf, s)}: the stage made no image`)
    this.results.set(s.index, {image: w.image})
    return w.image
  }

  private finalNames(): string[] {
    return this.opts.tags.map(t => normalizeName(t))
  }

  /** Commits a step without a layer (or tags a cached one), printing Podman's lines. */
  private async commitMeta(w: Working, createdBy: string, isFinal: boolean, noCache = false, staged?: Parameters<typeof commitStep>[2]['staged'], key?: string): Promise<void> {
    const out = this.opts.quiet ? () => {} : this.opts.out
    // --squash: the final image is committed by squashed(), steps print nothing
    const squash = Boolean(this.opts.squash)
    const names = isFinal && !squash ? this.finalNames() : []
    if (isFinal && !squash) out(`${this.commitPrefix}COMMIT${names.length ? ` ${this.opts.tags[0]}` : ''}`)
    // --unsetenv: gone from the final image only (RUN steps still saw them)
    if (isFinal && this.opts.unsetEnv?.length) w.config.Env = ((w.config.Env as string[] | undefined) ?? []).filter(e => !this.opts.unsetEnv!.includes(e.split('=')[0]))
    const identity: Record<string, string> = this.opts.identityLabel === false ? {} : {'io.peapod.version': '0.1.0'}
    const doc = await commitStep(this.rt, w, {
      createdBy,
      staged,
      format: this.opts.format,
      names,
      created: this.opts.timestamp === undefined ? undefined : new Date(this.opts.timestamp * 1000).toISOString().replace('.000Z', 'Z'),
      extraLabels: isFinal ? {...this.opts.labels, ...identity} : identity,
      omitHistory: this.opts.omitHistory,
      annotations: isFinal ? this.opts.annotations : undefined,
    })
    if (staged) this.rt.store.layers.discard(staged)
    failpoint('build.step.after-commit')
    this.created.push(doc.id)
    if (key && !noCache && this.opts.layers && !squash) {
      cacheStore(this.rt, key, doc.id)
      if (this.opts.cacheTo !== undefined) {
        const {pushCached} = await import('./remote-cache.js')
        await pushCached(this.rt, this.opts.cacheTo, key, doc.id, this.opts.pullOptions ?? {})
      }
    }
    if (!squash) out(`--> ${doc.id.slice(0, 11)}`)
    for (const n of names) out(`Successfully tagged ${n}`)
  }

  private usedArgs(vars: StageVars): Record<string, string> {
    const out: Record<string, string> = {}
    for (const [k, v] of vars.args) if (v !== undefined && !vars.env.has(k)) out[k] = v
    return out
  }

  /** Tries the cache for a step; on a hit the working image moves there. */
  private async tryCache(w: Working, key: string, isFinal: boolean): Promise<boolean> {
    if (this.opts.noCache || !this.opts.layers || this.opts.squash) return false
    let hit = cacheLookup(this.rt, key)
    const local = hit !== undefined
    if (!hit && this.opts.cacheFrom?.length) {
      // --cache-from: the key looked up in the repositories, the image pulled on a hit
      const {pullCached} = await import('./remote-cache.js')
      hit = await pullCached(this.rt, this.opts.cacheFrom, key, this.opts.pullOptions ?? {})
      if (hit) cacheStore(this.rt, key, hit.id)
    }
    if (!hit) return false
    // --cache-ttl: an older cached image is not used
    if (this.opts.cacheTtlMs !== undefined && Date.now() - Date.parse(hit.added) >= this.opts.cacheTtlMs) return false
    const out = this.opts.quiet ? () => {} : this.opts.out
    out(`--> Using cache ${hit.id}`)
    if (local && this.opts.cacheTo !== undefined) {
      // as buildah: a step found in the local cache is pushed too (one pulled from --cache-from is not)
      const {pushCached} = await import('./remote-cache.js')
      await pushCached(this.rt, this.opts.cacheTo, key, hit.id, this.opts.pullOptions ?? {})
    }
    adopt(w, hit)
    return !isFinal || true
  }

  private async finishCached(w: Working, isFinal: boolean): Promise<void> {
    const out = this.opts.quiet ? () => {} : this.opts.out
    const names = this.finalNames()
    if (isFinal && (names.length || Object.keys(this.opts.labels).length || Object.keys(this.opts.annotations).length)) {
      if (Object.keys(this.opts.labels).length || Object.keys(this.opts.annotations).length) {
        // labels/annotations of the final image are not part of the cached step: commit them on top
        await this.commitMeta(w, '/bin/sh -c #(nop) LABEL ' + Object.entries(this.opts.labels).map(([k, v]) => `${k}=${v}`).join(' '), true, true)
        return
      }
      out(`${this.commitPrefix}COMMIT ${this.opts.tags[0]}`)
      await tagImage(this.rt.store, w.image!.id, names)
      out(`--> ${w.image!.id.slice(0, 11)}`)
      for (const n of names) out(`Successfully tagged ${n}`)
      return
    }
    out(`--> ${w.image!.id.slice(0, 11)}`)
  }

  private async step(s: Stage, w: Working, vars: StageVars, ins: Instruction, isFinal: boolean): Promise<void> {
    const esc = this.cf.escape
    const sc = scope(vars)
    const used = new Set<string>()
    const parent = w.image?.id ?? 'scratch'
    const meta = async (createdBy: string, mutate: () => void) => {
      const key = cacheKey({parent, instruction: createdBy + (this.opts.timestamp ?? ''), args: this.usedArgs(vars), format: this.keyTag})
      mutate()
      if (await this.tryCache(w, key, isFinal)) return this.finishCached(w, isFinal)
      await this.commitMeta(w, createdBy, isFinal, false, undefined, key)
    }
    const nop = `/bin/sh -c #(nop) ${ins.keyword} ${ins.original}`.trimEnd()
    const cfg = w.config
    switch (ins.keyword) {
      case 'ARG': {
        for (const [k, v] of keyValues(ins.args, sc, esc, 'ARG', used, true)) {
          const fromCli = this.buildArg(k)
          const header = this.headerArgs.has(k) ? this.headerArgs.get(k) : undefined
          const pre = PREDEFINED.includes(k) ? process.env[k] : platformArgs()[k]
          vars.args.set(k, fromCli ?? v ?? header ?? pre)
        }
        return meta(`/bin/sh -c #(nop) ARG ${ins.args.split(/\s+/).map(a => a.split('=')[0]).join(' ')}`, () => {})
      }
      case 'ENV': {
        const pairs = keyValues(ins.args, sc, esc, 'ENV', used) as Array<[string, string]>
        return meta(nop, () => {
          let env = (cfg.Env as string[] | undefined) ?? []
          for (const [k, v] of pairs) {
            env = env.filter(e => e.split('=')[0] !== k)
            env.push(`${k}=${v}`)
            vars.env.set(k, v)
          }
          cfg.Env = env
        })
      }
      case 'LABEL': {
        const pairs = keyValues(ins.args, sc, esc, 'LABEL', used) as Array<[string, string]>
        return meta(nop, () => {
          cfg.Labels = {...(cfg.Labels as object ?? {}), ...Object.fromEntries(pairs)}
        })
      }
      case 'WORKDIR': {
        const dir = expandWord(ins.args, sc, esc, used)
        const abs = path.posix.resolve((cfg.WorkingDir as string | undefined) || '/', dir)
        return meta(`/bin/sh -c #(nop) WORKDIR ${abs}`, () => { cfg.WorkingDir = abs })
      }
      case 'USER':
        return meta(nop, () => { cfg.User = expandWord(ins.args, sc, esc, used) })
      case 'EXPOSE': {
        const ports = expandWords(ins.args, sc, esc, used).map(p => (p.includes('/') ? p : `${p}/tcp`))
        return meta(nop, () => { cfg.ExposedPorts = {...(cfg.ExposedPorts as object ?? {}), ...Object.fromEntries(ports.map(p => [p, {}]))} })
      }
      case 'VOLUME': {
        const vols = ins.json ?? expandWords(ins.args, sc, esc, used)
        return meta(nop, () => { cfg.Volumes = {...(cfg.Volumes as object ?? {}), ...Object.fromEntries(vols.map(v => [v, {}]))} })
      }
      case 'STOPSIGNAL':
        return meta(nop, () => { cfg.StopSignal = expandWord(ins.args, sc, esc, used) })
      case 'MAINTAINER':
        return meta(nop, () => { w.author = ins.args })
      case 'CMD':
      case 'ENTRYPOINT': {
        const shell = (cfg.Shell as string[] | undefined)?.length ? cfg.Shell as string[] : ['/bin/sh', '-c']
        const v = ins.json ?? [...shell, ins.args]
        return meta(nop, () => {
          if (ins.keyword === 'CMD') cfg.Cmd = v
          else cfg.Entrypoint = v
        })
      }
      case 'SHELL': {
        if (!ins.json) throw new BuildError('SHELL requires the arguments to be in JSON form')
        if (this.opts.format === 'oci') this.opts.warn(`SHELL is not supported for OCI image format, [${ins.json.join(' ')}] will be ignored. Must use \`docker\` format`)
        return meta(nop, () => { cfg.Shell = ins.json })
      }
      case 'HEALTHCHECK':
        return meta(nop, () => { cfg.Healthcheck = healthcheck(ins) })
      case 'ONBUILD':
        if (this.opts.format === 'oci') this.opts.warn(`ONBUILD is not supported for OCI image format, ${ins.args} will be ignored. Must use \`docker\` format`)
        return meta(nop, () => { cfg.OnBuild = [...((cfg.OnBuild as string[] | undefined) ?? []), ins.args] })
      case 'RUN':
        return this.runInstruction(s, w, vars, ins, isFinal)
      case 'COPY':
      case 'ADD':
        return this.copy(w, vars, ins, isFinal)
      default:
        throw new BuildError(`${where(this.cf, ins)}: unknown instruction: ${ins.keyword}`)
    }
  }

  private async runInstruction(s: Stage, w: Working, vars: StageVars, ins: Instruction, isFinal: boolean): Promise<void> {
    if (!w.image) throw new BuildError(`${where(this.cf, ins)}: RUN needs a base image with a shell (FROM scratch has none)`)
    const cfg = w.config
    const shell = (cfg.Shell as string[] | undefined)?.length ? cfg.Shell as string[] : ['/bin/sh', '-c']
    let command: string[]
    let display: string
    if (ins.json) {
      command = ins.json
      display = `/bin/sh -c ${ins.args}`
    } else if (ins.heredocs.length && /^<<-?["']?[A-Za-z_][A-Za-z0-9_]*["']?$/.test(ins.args.trim())) {
      command = [...shell, ins.heredocs[0].content]
      display = `${shell.join(' ')} ${ins.args}\n${ins.heredocs[0].content}${ins.heredocs[0].name}`
    } else if (ins.heredocs.length) {
      const script = `${ins.args}\n${ins.heredocs.map(h => `${h.content}${h.name}\n`).join('')}`
      command = [...shell, script]
      display = `${shell.join(' ')} ${script.trimEnd()}`
    } else {
      command = [...shell, ins.args]
      display = `${shell.join(' ')} ${ins.args}`
    }
    const args = this.usedArgs(vars)
    const argList = Object.entries(args)
    const createdBy = argList.length ? `|${argList.length} ${argList.map(([k, v]) => `${k}=${v}`).join(' ')} ${display}` : display
    const env: Record<string, string> = {...args}
    for (const [k, v] of vars.env) env[k] = v
    const mounts: Mount[] = []
    const targets: string[] = []
    const held: Held[] = []
    let mountKey = ''
    for (const f of ins.flags) {
      if (f.name === 'network') continue
      if (f.name !== 'mount') throw new BuildError(`${where(this.cf, ins)}: unknown flag: --${f.name}`)
      const m = parseMountFlag(f.value ?? '')
      const type = m.type ?? 'bind'
      const target = m.target ?? m.dst ?? m.destination
      if (type === 'secret') {
        const id = m.id ?? (target ? path.posix.basename(target) : undefined)
        if (!id) throw new BuildError(`${where(this.cf, ins)}: secret mount needs an id`)
        const src = this.opts.secrets[id]
        if (!src) {
          if (m.required === 'true') throw new BuildError(`${where(this.cf, ins)}: secret "${id}" was not given (--secret id=${id},src=FILE)`)
          continue
        }
        const dest = target ?? `/run/secrets/${id}`
        mounts.push({type: 'bind', source: src, destination: dest, readonly: true})
        targets.push(dest)
        continue
      }
      if (type === 'ssh') {
        // the agent's socket, bound where SSH_AUTH_SOCK of the step says (buildah's default place)
        const id = m.id ?? 'default'
        const sock = this.sshSockets[id]
        if (!sock) {
          // as buildkit: skipped unless required=true
          if (m.required !== 'true') continue
          throw new BuildError(`${where(this.cf, ins)}: ssh agent with id ${JSON.stringify(id)} was not given (--ssh ${id}[=SOCKET|KEY])`)
        }
        const dest = target ?? `/run/buildkit/ssh_agent.${mounts.filter(x => x.destination.startsWith('/run/buildkit/ssh_agent.')).length}`
        mounts.push({type: 'bind', source: sock, destination: dest, readonly: false})
        targets.push(dest)
        env.SSH_AUTH_SOCK = dest
        continue
      }
      if (!target) throw new BuildError(`${where(this.cf, ins)}: --mount=type=${type} needs target=`)
      if (type === 'tmpfs') {
        mounts.push({type: 'tmpfs', destination: target, ...(m.size ? {size: m.size} : {})})
      } else if (type === 'cache') {
        const id = m.id ?? target
        const dir = path.join(this.rt.config.graphRoot, 'build-cache-mounts', Buffer.from(id).toString('hex'))
        mkdirSync(dir, {recursive: true, mode: 0o755})
        mounts.push({type: 'bind', source: dir, destination: target, readonly: m.ro === 'true' || m.readonly === 'true'})
      } else if (type === 'bind') {
        const from = m.from === undefined ? undefined : expandWord(m.from, scope(vars), this.cf.escape)
        const source = m.source ?? m.src ?? '/'
        let src = ''
        const got = from === undefined ? {dir: this.ctx.dir, ignored: this.ctx.ignored} : await this.source(from)
        if ('image' in got) {
          // a stage's or an image's rootfs: mounted while the step runs
          held.push({image: got.image, source, index: mounts.length, ins})
          mountKey += `${got.image}:${source}`
        } else {
          const r = new FsRoot(got.dir)
          try {
            const rel = r.resolve(cleanParts(source), {followLast: true})
            if (!rel.exists) throw new BuildError(`${where(this.cf, ins)}: bind mount source ${JSON.stringify(source)} is not in the ${from === undefined ? 'context' : `build context "${from}"`}`)
            src = path.join(got.dir, rel.rel)
            mountKey += await digestEntries(walkTree(r, rel.rel, 'x', {skip: got.ignored}))
          } finally {
            r.close()
          }
        }
        mounts.push({type: 'bind', source: src, destination: target, readonly: !(m.rw === 'true' || m.readwrite === 'true')})
      } else {
        throw new BuildError(`${where(this.cf, ins)}: unsupported mount type "${type}"`)
      }
      targets.push(target)
    }
    const netFlag = ins.flags.find(f => f.name === 'network')?.value
    const network: NetNS | undefined = netFlag === 'none' || netFlag === 'host' ? {mode: netFlag} : undefined
    const key = cacheKey({parent: w.image.id, instruction: createdBy + JSON.stringify(ins.flags) + mountKey + (this.opts.timestamp ?? ''), args, format: this.keyTag})
    if (await this.tryCache(w, key, isFinal)) return this.finishCached(w, isFinal)
    const top = w.layers[w.layers.length - 1]
    const image = w.image.id
    const r = await this.holding(held, mounts, () => runStep(this.rt, this.scratch, top, w.layers, {
      image,
      command,
      env,
      workdir: cfg.WorkingDir as string | undefined,
      user: cfg.User as string | undefined,
      mounts,
      network,
      quiet: this.opts.quiet,
      mountTargets: [...targets, ...(this.opts.run?.mounts ?? []).map(m => m.destination)],
      mtime: this.opts.timestamp,
      run: this.opts.run,
      stdin: this.opts.runStdin,
    }))
    if (r.code !== 0) throw new BuildError(`building at STEP "${stepText(ins)}": while running runtime: exit status ${r.code}`, r.code)
    await this.commitMeta(w, createdBy, isFinal, false, r.staged, key)
  }

  /** Runs fn with the images of RUN --mount=type=bind,from= mounted, their sources filled into the mounts. */
  private async holding<T>(held: Held[], mounts: Mount[], fn: () => Promise<T>): Promise<T> {
    if (!held.length) return fn()
    const [h, ...rest] = held
    return withImageRoot(this.rt, this.scratch, h.image, async root => {
      const rel = root.resolve(cleanParts(h.source), {followLast: true})
      if (!rel.exists) throw new BuildError(`${where(this.cf, h.ins)}: bind mount source ${JSON.stringify(h.source)} is not in the image`)
      ;(mounts[h.index] as {source: string}).source = path.join(root.root, rel.rel)
      return this.holding(rest, mounts, fn)
    })
  }

  /** What COPY --from=ref and RUN --mount=from=ref read: a stage's image, a --build-context (directory, URL, image), or an image. */
  private async source(ref: string): Promise<{image: string} | {dir: string; ignored?: (rel: string) => boolean}> {
    const idx = /^\d+$/.test(ref) ? Number(ref) : this.cf.stages.findIndex(x => x.name === ref.toLowerCase())
    if (idx >= 0 && this.results.has(idx)) return {image: this.results.get(idx)!.image!.id}
    const c = this.opts.buildContexts?.[ref]
    if (c?.dir !== undefined) return {dir: c.dir}
    if (c?.url !== undefined) return {dir: await this.urlContext(ref, c.url)}
    return {image: (await this.pull(c?.image ?? ref)).id}
  }

  /** A --build-context URL: the tarball fetched and unpacked once per build. */
  private async urlContext(name: string, url: string): Promise<string> {
    const had = this.fetchedContexts.get(name)
    if (had) return had
    const {fetchContext} = await import('./context.js')
    const dir = await fetchContext(url, this.tmpParent)
    this.fetchedContexts.set(name, dir)
    return dir
  }

  private async download(ins: Instruction, urls: string[], checksum: string | undefined): Promise<{root: FsRoot; names: string[]; done: () => void}> {
    const {mkdtempSync, rmSync} = await import('node:fs')
    const dir = mkdtempSync(path.join(this.tmpParent, 'peapod-build-add-'))
    const done = () => rmSync(dir, {recursive: true, force: true})
    try {
      const names = await fetchAll(dir, urls, checksum)
      const root = new FsRoot(dir)
      return {root, names, done: () => { root.close(); done() }}
    } catch (e) {
      done()
      throw new BuildError(`building at STEP "${stepText(ins)}": ${where(this.cf, ins)}: ${(e as Error).message}`)
    }
  }

  private async copy(w: Working, vars: StageVars, ins: Instruction, isFinal: boolean): Promise<void> {
    const esc = this.cf.escape
    const sc = scope(vars)
    for (const f of ins.flags) {
      const ok = ins.keyword === 'COPY' ? ['from', 'chown', 'chmod', 'link', 'parents', 'exclude'] : ['chown', 'chmod', 'link', 'checksum', 'exclude']
      if (!ok.includes(f.name)) throw new BuildError(`${where(this.cf, ins)}: unknown flag: --${f.name}`)
    }
    const words = ins.json ?? expandWords(ins.args, sc, esc)
    if (words.length < 2 && !(ins.heredocs.length && words.length >= 1)) throw new BuildError(`${ins.keyword} requires at least two arguments`)
    const destRaw = words[words.length - 1]
    const srcs = words.slice(0, -1)
    const workdir = (w.config.WorkingDir as string | undefined) || '/'
    const dest = path.posix.resolve(workdir, destRaw) + (destRaw.endsWith('/') && destRaw !== '/' ? '/' : '')
    const heredocNames = new Set(ins.heredocs.map(h => h.name))
    const inline = ins.heredocs.map(h => ({name: h.name, content: h.quoted ? h.content : expandWord(h.content.replace(/"/g, '\\"').replace(/'/g, "\\'"), sc, esc)}))
    const fileSrcs = srcs.filter(x => !/^<<-?["']?/.test(x) || !heredocNames.has(x.replace(/^<<-?["']?|["']$/g, '')))
    const chmodV = flag(ins, 'chmod')
    let chmod: number | undefined
    if (chmodV !== undefined) {
      if (!/^[0-7]{3,4}$/.test(chmodV)) throw new BuildError(`invalid --chmod value ${JSON.stringify(chmodV)}: an octal mode`)
      chmod = parseInt(chmodV, 8)
    }
    const chownV = flag(ins, 'chown')
    const chown = chownV !== undefined ? expandWord(chownV, sc, esc) : undefined
    const urls = fileSrcs.filter(x => /^https?:\/\//.test(x))
    if (urls.length && ins.keyword === 'COPY') throw new BuildError(`${where(this.cf, ins)}: source can't be a URL for COPY`)
    for (const u of urls) fileSrcs.splice(fileSrcs.indexOf(u), 1)
    const fetched = urls.length ? await this.download(ins, urls, flag(ins, 'checksum')) : undefined
    const from = flag(ins, 'from')
    // --exclude=PATTERN (repeatable), Docker's ignore-file rules, matched below the root and below the source
    const excludes = ins.flags.filter(f => f.name === 'exclude').map(f => expandWord(f.value ?? '', sc, esc))
    const exMatch = excludes.length ? ignoreMatcher(excludes) : undefined
    const excluded = exMatch ? (rel: string, source: string) => exMatch(rel) || (rel.startsWith(source + '/') && exMatch(rel.slice(source.length + 1))) : undefined
    const parents = ins.flags.some(f => f.name === 'parents' && f.value !== 'false')
    // --link (BuildKit's, later buildah's): the layer is made apart from the previous ones
    const linkV = flag(ins, 'link')
    if (linkV !== undefined && !['true', 'false'].includes(linkV)) throw new BuildError(`${where(this.cf, ins)}: invalid value for --link: ${JSON.stringify(linkV)}`)
    const link = ins.flags.some(f => f.name === 'link') && linkV !== 'false'
    const multi = fileSrcs.length + urls.length + inline.length > 1 || fileSrcs.some(x => /[*?[]/.test(x))
    const destIsDir = dest.endsWith('/') || multi
    const doCopy = async (root: FsRoot, srcLabel: string, ignored?: (rel: string) => boolean) => {
      const items: CopyItem[] = []
      for (const src of fileSrcs) {
        const matched = resolveSources(root, src).filter(rel => !ignored?.(rel))
        // a source all of whose matches --exclude leaves out copies nothing (not an error)
        const found = excluded ? matched.filter(rel => !excluded(rel, rel)) : matched
        if (matched.length === 0) {
          const escape = cleanParts(src).length !== path.posix.normalize(src).split('/').filter(p => p && p !== '.').length ? 'possible escaping context directory error: ' : ''
          throw new BuildError(`building at STEP "${stepText(ins)}": ${where(this.cf, ins)}: checking on sources under ${JSON.stringify(srcLabel)}: ${escape}copier: stat: ${JSON.stringify('/' + cleanParts(src).join('/'))}: no such file or directory`)
        }
        for (const rel of found) items.push({root, rel, isDir: Boolean(root.lstat(rel)?.isDirectory())})
      }
      // ADD URL: the downloaded file, never unpacked
      for (const name of fetched?.names ?? []) items.push({root: fetched!.root, rel: name, isDir: false, noExtract: true})
      if (multi && !dest.endsWith('/') && items.length + inline.length > 1) throw new BuildError(`${where(this.cf, ins)}: adding multiple sources to non-directory destination ${JSON.stringify(dest)}: when using COPY with more than one source file, the destination must be a directory and end with a /`)
      // the cache key: what is copied, how, where, on which parent
      let digest = ''
      for (const it of items) digest += await digestEntries(walkTree(it.root, it.rel, path.posix.basename(it.rel), {skip: excluded ? (rel: string) => Boolean(ignored?.(rel)) || excluded(rel, it.rel) : ignored}))
      for (const f of inline) digest += f.name + '\0' + f.content
      const kind = items.length + inline.length > 1 ? 'multi' : items[0]?.isDir ? 'dir' : 'file'
      const createdBy = `/bin/sh -c #(nop) ${ins.keyword} ${kind}:${(await import('node:crypto')).createHash('sha256').update(digest).digest('hex')} in ${destRaw} `
      const key = cacheKey({parent: w.image?.id ?? 'scratch', instruction: createdBy + JSON.stringify(ins.flags) + (this.opts.timestamp ?? ''), args: {}, content: digest, format: this.keyTag})
      if (await this.tryCache(w, key, isFinal)) return this.finishCached(w, isFinal)
      // --link: the owner's names are the parent image's (the layer's tree starts empty)
      const owner = link && chown !== undefined && w.image && !/^\d+(:\d*)?$/.test(chown)
        ? await withImageRoot(this.rt, this.scratch, w.image.id, async r => resolveChown(r, chown))
        : undefined
      const top = w.layers[w.layers.length - 1]
      const linkKey = link ? cacheKey({parent: '', instruction: createdBy + JSON.stringify(ins.flags) + dest + JSON.stringify(owner ?? null) + (this.opts.timestamp ?? ''), args: {}, content: digest, format: ''}) : undefined
      const reuse = linkKey && !this.opts.noCache && this.opts.layers ? linkLayerLookup(this.rt, linkKey) : undefined
      const staged = reuse
        ? await this.rt.store.layers.stage(top, this.rt.store.layers.tarStream(reuse))
        : await copyStep(this.rt, this.scratch, w.image?.id, top, {
          items, inline, dest, destIsDir: destIsDir || parents, chown, chmod, extract: ins.keyword === 'ADD', ignored, parents, excluded, owner,
        }, this.tmpParent, this.opts.timestamp, link)
      if (linkKey && !reuse && this.opts.layers) linkLayerStore(this.rt, linkKey, staged.doc.id)
      await this.commitMeta(w, createdBy, isFinal, false, staged, key)
    }
    if (from === undefined) {
      const root = new FsRoot(this.ctx.dir)
      try {
        await doCopy(root, this.ctx.dir, this.ctx.ignored)
      } finally {
        root.close()
        fetched?.done()
      }
      return
    }
    const ref = expandWord(from, sc, esc)
    try {
      const got = await this.source(ref)
      if ('image' in got) {
        await withImageRoot(this.rt, this.scratch, got.image, root => doCopy(root, ref))
        return
      }
      const root = new FsRoot(got.dir)
      try {
        await doCopy(root, got.dir)
      } finally {
        root.close()
      }
    } finally {
      fetched?.done()
    }
  }
}

/** Downloads ADD's URLs into a temporary directory (each under its path's last component, mode 0600). */
async function fetchAll(dir: string, urls: string[], checksum: string | undefined): Promise<string[]> {
  const {createHash} = await import('node:crypto')
  const names: string[] = []
  for (const u of urls) {
    let res: Response
    try {
      res = await fetch(u)
    } catch (e) {
      throw new BuildError(`getting ${JSON.stringify(u)}: ${(e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : (e as Error).message}`)
    }
    if (!res.ok) throw new BuildError(`invalid response status ${res.status} getting ${JSON.stringify(u)}`)
    const body = Buffer.from(await res.arrayBuffer())
    if (checksum !== undefined) {
      const got = `sha256:${createHash('sha256').update(body).digest('hex')}`
      if (got !== checksum) throw new BuildError(`unexpected checksum of ${JSON.stringify(u)}: ${got}, expected ${checksum}`)
    }
    const name = path.posix.basename(new URL(u).pathname) || 'index.html'
    writeFileSync(path.join(dir, name), body, {mode: 0o600})
    names.push(name)
  }
  return names
}

function duration(v: string | undefined, def: number): number {
  if (v === undefined) return def
  const m = /^(\d+(?:\.\d+)?)(ns|us|ms|s|m|h)$/.exec(v)
  if (!m) throw new BuildError(`invalid duration ${JSON.stringify(v)}`)
  const mult: Record<string, number> = {ns: 1, us: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9}
  return Math.round(Number(m[1]) * mult[m[2]])
}

function healthcheck(ins: Instruction): Record<string, unknown> {
  const rest = ins.args.trim()
  const [kw, ...more] = rest.split(/\s+/)
  if (kw.toUpperCase() === 'NONE') return {Test: ['NONE']}
  if (kw.toUpperCase() !== 'CMD') throw new BuildError('HEALTHCHECK requires CMD or NONE')
  const cmdText = rest.slice(kw.length).trim()
  const json = cmdText.startsWith('[') ? (JSON.parse(cmdText) as string[]) : undefined
  void more
  const f = (n: string) => ins.flags.find(x => x.name === n)?.value
  return {
    Test: json ? ['CMD', ...json] : ['CMD-SHELL', cmdText],
    ...(f('interval') ? {Interval: duration(f('interval'), 0)} : {}),
    ...(f('timeout') ? {Timeout: duration(f('timeout'), 0)} : {}),
    ...(f('start-period') ? {StartPeriod: duration(f('start-period'), 0)} : {}),
    ...(f('retries') ? {Retries: Number(f('retries'))} : {}),
  }
}

export function writeIidFile(file: string, id: string): void {
  writeFileSync(file, `sha256:${id}`)
}
