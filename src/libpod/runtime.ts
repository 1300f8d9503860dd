// Runtime: the one entry point into the engine. Opens the config and the
// stores; commands call its members (and the objects it hands out) and never
// touch the store's files. Work that spans objects (pod members, volumes and
// networks in use) lives at this level, in src/libpod/runtime/.
//
// This module is on every command's start-up path (index.ts exports it), so
// it imports only types statically: open() loads the config, the image and
// container stores; the pod, volume and network stores and the other object
// classes load on first use (engineModule below).
import type {Config, GlobalOptions} from './config/config.js'
import type {ContainerHooks} from './container/hooks.js'
import type {ContainerStore} from './container/store.js'
import type {ImageDoc} from './image/images.js'
import type {ImportOptions} from './image/import.js'
import type {PsOptions, PsRow} from './container/list.js'
import type {PodPsOptions, PodRow} from './pod/list.js'
import type {NetworkStore} from './network/store.js'
import type {PodStore} from './pod/store.js'
import type {Store} from './storage/store.js'
import type {Logger} from './util/log.js'
import type {OciRuntime} from './oci/types.js'
import type {VolumeStore} from './volume/store.js'
import type {Container, Image, Network, Pod, Secrets, Volume} from './objects.js'
import {collate} from './util/collate.js'
import {requireFrom} from './util/require-from.js'

export type {GlobalOptions}

/** What open() loads: the Runtime's own members stay synchronous. */
interface Loaded {
  loadLayered: typeof import('./config/toml.js').loadLayered
  get: typeof import('./config/toml.js').get
  lookupImage: typeof import('./image/lookup.js').lookupImage
  findImage: typeof import('./image/lookup.js').findImage
  Container: typeof import('./container/container.js').Container
}

let requireHere: NodeJS.Require | undefined

/**
 * A module of the engine, loaded synchronously on first use (Node 20.19+
 * requires ES modules): the Runtime's members stay synchronous while
 * `images` or `ps` never load the pod, volume or network stores (~8 ms of
 * CPU at start-up). The same module instance as an import would give.
 */
function engineModule<T>(spec: string): T {
  if (!FROM_SOURCES) return (requireHere ??= requireFrom(import.meta.url))(spec) as T
  // From the sources every such module must be in ON_USE_MODULES (open() imports them).
  if (!fromSources.has(spec)) throw new Error(`engine module ${spec} is not in ON_USE_MODULES`)
  return fromSources.get(spec) as T
}

/**
 * Run from the TypeScript sources (tsx: the unit tests), require() would
 * compile a second copy of a module, with its own error classes; there
 * open() imports them instead.
 */
const fromSources = new Map<string, unknown>()
const FROM_SOURCES = import.meta.url.endsWith('.ts')
const ON_USE_MODULES = ['./pod/store.js', './volume/store.js', './network/store.js', './pod/pod.js', './volume/volume.js',
  './network/network.js', './image/image.js', './secret/secrets.js', './config/registries.js']

/** The parts of the engine the Runtime loads on first use. */
const onUse = {
  PodStore: () => engineModule<typeof import('./pod/store.js')>('./pod/store.js').PodStore,
  VolumeStore: () => engineModule<typeof import('./volume/store.js')>('./volume/store.js').VolumeStore,
  NetworkStore: () => engineModule<typeof import('./network/store.js')>('./network/store.js').NetworkStore,
  Pod: () => engineModule<typeof import('./pod/pod.js')>('./pod/pod.js').Pod,
  Volume: () => engineModule<typeof import('./volume/volume.js')>('./volume/volume.js').Volume,
  Network: () => engineModule<typeof import('./network/network.js')>('./network/network.js').Network,
  Image: () => engineModule<typeof import('./image/image.js')>('./image/image.js').Image,
  Secrets: () => engineModule<typeof import('./secret/secrets.js')>('./secret/secrets.js').Secrets,
  registries: () => engineModule<typeof import('./config/registries.js')>('./config/registries.js'),
}

/** Which containers (or pods) a command names: --all, --latest, or names/IDs. */
export interface Selection<T> {
  all?: boolean
  latest?: boolean
  /** Names, IDs or unique ID prefixes. */
  refs?: readonly string[]
  /** With --all: which ones count (default every one). */
  filter?: (item: T) => boolean
}

/** The outcome of a bulk operation on one object, as Podman's reports: its ID or the error. */
export interface Report<V = unknown> {
  /** The name or ID as the user gave it (the ID for --all/--latest). */
  ref: string
  /** The object's full ID (absent when the lookup failed). */
  id?: string
  /** What the operation returned. */
  value?: V
  error?: Error
}

export class Runtime {
  private registriesCache?: string[]
  private podStore?: PodStore
  private volumeStore?: VolumeStore
  private networkStore?: NetworkStore
  private secretStore?: Secrets

  /** One OCI runtime for every container (unit tests: oci/fake.ts); unset, each container's is chosen. */
  fixedOci?: OciRuntime

  /**
   * Cross-object steps of a container's lifecycle (its pod's infra, exit
   * policy), implemented at the Runtime level so container/ never imports pod/.
   */
  readonly hooks: ContainerHooks = {
    beforeStart: async (rt, c) => (await import('./runtime/pods.js')).beforeMemberStart(rt, c),
    afterExit: async (rt, c) => (await import('./runtime/pods.js')).afterMemberExit(rt, c),
    removePod: async (rt, id, opts) => {
      await (await import('./runtime/pods.js')).removePod(rt, id, opts)
    },
    cleanup: async (rt, id, opts) => (await import('./container/ops.js')).cleanupContainer(rt, id, opts),
  }

  private constructor(
    readonly config: Config,
    /** Images and layers. */
    readonly store: Store,
    /**
     * Container documents: the low-level store (reads do not sync with
     * reality). Commands use container()/selectContainers() instead.
     */
    readonly containers: ContainerStore,
    /** The process's logger, at the level --log-level asked for. */
    readonly logger: Logger,
    private readonly loaded: Loaded,
  ) {}

  /** Reads the configuration (containers.conf, storage.conf, the global options) and opens the stores. */
  static async open(opts: GlobalOptions = {}): Promise<Runtime> {
    const [cfg, storage, cstore, logm, toml, lookup, container] = await Promise.all([
      import('./config/config.js'), import('./storage/store.js'), import('./container/store.js'), import('./util/log.js'),
      import('./config/toml.js'), import('./image/lookup.js'), import('./container/container.js'),
    ])
    if (FROM_SOURCES) await Promise.all(ON_USE_MODULES.map(async m => fromSources.set(m, await import(m))))
    logm.log.setLevel(opts.logLevel)
    const config = cfg.loadConfig(opts)
    return new Runtime(config, storage.Store.open(config), new cstore.ContainerStore(config.graphRoot), logm.log, {
      loadLayered: toml.loadLayered, get: toml.get, lookupImage: lookup.lookupImage, findImage: lookup.findImage,
      Container: container.Container,
    })
  }

  /** Pod documents (the low-level store). */
  get pods(): PodStore {
    return this.podStore ??= new (onUse.PodStore())(this.config.graphRoot)
  }

  /** Volume documents (the low-level store). */
  get volumes(): VolumeStore {
    return this.volumeStore ??= new (onUse.VolumeStore())(this.config.graphRoot, this.store)
  }

  /** Network documents and the default network (the low-level store). */
  get networks(): NetworkStore {
    return this.networkStore ??= new (onUse.NetworkStore())(this)
  }

  /** Secrets (Podman's file driver): create, list, lookup, inspect, remove, read. */
  get secrets(): Secrets {
    return this.secretStore ??= new (onUse.Secrets())(this.config.graphRoot)
  }

  // ---- objects ----

  /** A container by name, ID or unique ID prefix (NoSuchContainer otherwise). */
  container(nameOrId: string): Container {
    return new this.loaded.Container(this, this.containers.lookup(nameOrId))
  }

  /** Every container (none being removed; one whose rm was killed is listed), in the store's order (by ID). */
  listContainers(): Container[] {
    return this.containers.list().filter(c => c.state.status !== 'removing' || this.containers.removalAbandoned(c)).map(c => new this.loaded.Container(this, c))
  }

  /** The most recently created container (--latest). */
  latestContainer(): Container | undefined {
    return this.listContainers().sort((a, b) => collate(b.config.created, a.config.created))[0]
  }

  /**
   * The containers a command names (--all, --latest or refs), as refs to act
   * on: for --all/--latest their IDs; names are looked up by forContainers().
   */
  containerRefs(sel: Selection<Container>): string[] {
    if (sel.all) return this.listContainers().filter(c => sel.filter?.(c) ?? true).map(c => c.id)
    if (sel.latest) {
      const c = this.latestContainer()
      return c ? [c.id] : []
    }
    return [...sel.refs ?? []]
  }

  /** The selected containers as objects (throws on the first name that does not exist). */
  selectContainers(sel: Selection<Container>): Container[] {
    return this.containerRefs(sel).map(ref => this.container(ref))
  }

  /**
   * Runs op on each selected container, one after the other, and returns a
   * report for each (Podman's reports): the command prints them.
   */
  async forContainers<V>(sel: Selection<Container>, op: (c: Container) => Promise<V>): Promise<Report<V>[]> {
    return each(this.containerRefs(sel), ref => this.container(ref), c => c.id, op)
  }

  /** A pod by name, ID or unique ID prefix (NoSuchPod otherwise). */
  pod(nameOrId: string): Pod {
    return new (onUse.Pod())(this, this.pods.lookup(nameOrId))
  }

  /** Every pod, in the store's order (by ID). */
  listPods(): Pod[] {
    return this.pods.list().map(p => new (onUse.Pod())(this, p))
  }

  /** The most recently created pod (--latest). */
  latestPod(): Pod | undefined {
    return this.listPods().sort((a, b) => collate(b.config.created, a.config.created))[0]
  }

  podRefs(sel: Selection<Pod>): string[] {
    if (sel.all) return this.listPods().filter(p => sel.filter?.(p) ?? true).map(p => p.id)
    if (sel.latest) {
      const p = this.latestPod()
      return p ? [p.id] : []
    }
    return [...sel.refs ?? []]
  }

  selectPods(sel: Selection<Pod>): Pod[] {
    return this.podRefs(sel).map(ref => this.pod(ref))
  }

  async forPods<V>(sel: Selection<Pod>, op: (p: Pod) => Promise<V>): Promise<Report<V>[]> {
    return each(this.podRefs(sel), ref => this.pod(ref), p => p.id, op)
  }

  /** A volume by name or unique name prefix (NoSuchVolume otherwise). */
  volume(name: string): Volume {
    return new (onUse.Volume())(this, this.volumes.lookup(name))
  }

  /** A network by name or ID (NoSuchNetwork otherwise). */
  network(nameOrId: string): Network {
    return new (onUse.Network())(this, this.networks.get(nameOrId))
  }

  /** An image by name, ID or digest (NoSuchImage otherwise). */
  image(nameOrId: string): Image {
    return new (onUse.Image())(this, this.lookupImage(nameOrId))
  }

  // ---- work over many objects ----

  /** `ps`: container rows with Podman's filters and sorts. */
  async ps(opts: PsOptions = {}): Promise<PsRow[]> {
    return (await import('./container/list.js')).psRows(this, opts)
  }

  /** `pod ps`: pod rows with Podman's filters and sorts. */
  async podPs(opts: PodPsOptions = {}): Promise<PodRow[]> {
    return (await import('./pod/list.js')).podRows(this, opts)
  }

  /** `container prune`: removes the containers that do not run (label/until filters). */
  async pruneContainers(filters: string[] = []): Promise<{removed: string[]; errors: Error[]}> {
    return (await import('./container/ops.js')).pruneContainers(this, filters)
  }

  /** `pod prune`: removes the pods none of whose containers runs. */
  async prunePods(): Promise<{removed: string[]; errors: Error[]}> {
    return (await import('./runtime/pods.js')).prunePods(this)
  }

  /** The volumes `volume prune` would remove (none in use, matching the filters). */
  async volumePruneCandidates(filters: string[] = []): Promise<string[]> {
    return (await import('./volume/remove.js')).pruneCandidates(this, filters)
  }

  /** `volume prune`: removes the volumes no container uses; returns their names. */
  async pruneVolumes(filters: string[] = []): Promise<string[]> {
    return (await import('./volume/remove.js')).pruneVolumes(this, filters)
  }

  /** `network prune`: removes every network no container uses, but the default one. */
  async pruneNetworks(filters: readonly string[] = []): Promise<string[]> {
    return (await import('./network/manage.js')).pruneNetworks(this, filters)
  }

  /** Podman checks this before looking containers up: rootless on cgroup v1 nothing can be unpaused. */
  async checkUnpauseSupported(): Promise<void> {
    (await import('./container/pause.js')).checkUnpauseSupported(this)
  }

  /** The OCI runtime a container runs with (--runtime wins over its own choice); no container: the default. */
  async oci(c?: {runtime?: string; network?: string}): Promise<OciRuntime> {
    return (await import('./oci/runtime.js')).ociFor(this, c)
  }

  /** unqualified-search-registries from registries.conf (docker.io when unset). */
  get searchRegistries(): string[] {
    if (!this.registriesCache) {
      const conf = onUse.registries()
      const {registries} = conf.searchRegistriesOf(conf.loadRegistriesConf(this.config.configDirs, {rootless: this.config.rootless}).tables)
      this.registriesCache = registries.length ? registries : ['docker.io']
    }
    return this.registriesCache
  }

  /** `import`: a rootfs tarball (or stdin) as a new image. */
  async importImage(opts: ImportOptions): Promise<Image> {
    const id = await (await import('./image/import.js')).importImage(this.store, opts)
    return this.image(id)
  }

  listImages(): ImageDoc[] {
    return this.store.images.list()
  }

  lookupImage(nameOrId: string): ImageDoc {
    return this.loaded.lookupImage(this.store.images.list(), nameOrId, this.searchRegistries)
  }

  /** The image a name, ID or digest names, or undefined. */
  findImage(nameOrId: string): ImageDoc | undefined {
    return this.loaded.findImage(this.store.images.list(), nameOrId, this.searchRegistries)
  }

  /** IDs of the containers using an image. */
  imageUsers(imageId: string): string[] {
    return this.containers.list().filter(c => c.config.imageId === imageId).map(c => c.config.id)
  }

  /** imageUsers(id).length of every image at once, from one read of the container store (a listing's rows). */
  imageUserCounts(): Map<string, number> {
    const counts = new Map<string, number>()
    for (const c of this.containers.list()) counts.set(c.config.imageId, (counts.get(c.config.imageId) ?? 0) + 1)
    return counts
  }
}

/** Runs op on each target in turn; a failed lookup or op becomes that target's report. */
async function each<T, V>(refs: string[], lookup: (ref: string) => T, idOf: (t: T) => string, op: (t: T) => Promise<V>): Promise<Report<V>[]> {
  const out: Report<V>[] = []
  for (const ref of refs) {
    let id: string | undefined
    try {
      const t = lookup(ref)
      id = idOf(t)
      out.push({ref, id, value: await op(t)})
    } catch (e) {
      out.push({ref, id, error: e as Error})
    }
  }
  return out
}
