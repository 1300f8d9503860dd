// `create`: resolve the image, reserve name and ID, prepare the rootfs and
// write the container's documents. Nothing runs yet.
import {InvalidArgument, NameInUse, NoSuchImage} from '../define/errors.js'
import {normalizeCapability, parseEnvFile, parseSecurityOpts, parseSignal, parseTmpfsSpec, parseUlimit} from '../spec/index.js'
import {addEnvEntry, parseEnvList} from '../spec/env.js'
import type {Runtime} from '../runtime.js'
import {createRootfs} from '../storage/mount.js'
import {parseConfig} from '../image/inspect.js'
import {resolveNetworkOptions, type NetworkFlags} from '../network/index.js'
import {createVolumes, resolveMounts} from '../volume/mounts.js'
import {healthConfigFromFlags, healthConfigFromImage, parseOnFailure, type HealthFlags} from './healthcheck.js'
import {randomName} from './names.js'
import {ContainerStore} from './store.js'
import {podMembership} from '../pod/member.js'
import type {ContainerConfig} from './types.js'

export interface CreateOptions {
  image: string
  command: string[]
  name?: string
  entrypoint?: string[]
  env?: string[]
  envFiles?: string[]
  envHost?: boolean
  workdir?: string
  user?: string
  hostname?: string
  labels?: string[]
  annotations?: string[]
  tty?: boolean
  interactive?: boolean
  remove?: boolean
  readOnly?: boolean
  privileged?: boolean
  init?: boolean
  capAdd?: string[]
  capDrop?: string[]
  securityOpt?: string[]
  /** -v values, parsed and checked here. */
  volumes?: string[]
  /** --mount values (type=bind|volume|tmpfs|image,...). */
  mounts?: string[]
  /** --volumes-from CTR[:ro|rw|z]. */
  volumesFrom?: string[]
  tmpfs?: string[]
  ulimits?: string[]
  network?: string
  /** NETWORK: all network flags (--network, -p, -P, --dns…); `network` alone when absent. */
  net?: NetworkFlags
  stopSignal?: string
  stopTimeout?: number
  logDriver?: string
  logOptions?: string[]
  sigProxy?: boolean
  /** --health-*, --no-healthcheck. */
  health?: HealthFlags
  /** The command line, for inspect (Config.CreateCommand). */
  createCommand?: string[]
  /** POD: --pod NAME|ID (the pod must exist). */
  pod?: string
  /** POD: the ID of the pod whose infra container this is. */
  infraOf?: string
}

const PROXY_VARS = ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'ftp_proxy', 'FTP_PROXY', 'no_proxy', 'NO_PROXY']
/** Our own variables (rootless re-exec, lifted global flags): not the user's environment. */
const OWN_VARS = /^PEAPOD_(ROOTLESS_UID|PAUSE_PID|GLOBAL_FLAGS)$/

/**
 * The environment is taken from the host at create, as Podman does: `-e KEY`
 * and `KEY` lines of env files take the creating shell's value, --env-host
 * its whole environment; a later `start` from another shell changes nothing.
 */
function resolveEnv(opts: CreateOptions, host: NodeJS.ProcessEnv): {env: string[]; envFiles: string[]; hostEnv: Record<string, string>} {
  const lines = (m: Map<string, string>) => [...m].map(([k, v]) => `${k}=${v}`)
  const env = lines(parseEnvList(opts.env ?? [], host))
  const envFiles = (opts.envFiles ?? []).map(text => lines(parseEnvFile(text, host)).join('\n'))
  const hostEnv: Record<string, string> = {}
  for (const [k, v] of Object.entries(host)) {
    if (v === undefined || OWN_VARS.test(k)) continue
    if (opts.envHost || PROXY_VARS.includes(k)) hostEnv[k] = v
  }
  return {env, envFiles, hostEnv}
}

export function parseKeyValues(list: string[] = [], what: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const item of list) {
    const eq = item.indexOf('=')
    const k = eq === -1 ? item : item.slice(0, eq)
    if (!k) throw new InvalidArgument(`invalid ${what} "${item}": must be key=value`)
    out[k] = eq === -1 ? '' : item.slice(eq + 1)
  }
  return out
}


/** What the spec generator would reject at start, checked at create so that a bad flag leaves nothing behind. */
function validate(opts: CreateOptions): void {
  for (const e of opts.env ?? []) addEnvEntry(new Map(), e, {})
  for (const text of opts.envFiles ?? []) parseEnvFile(text, {})
  for (const c of [...opts.capAdd ?? [], ...opts.capDrop ?? []]) if (c.toLowerCase() !== 'all') normalizeCapability(c)
  parseSecurityOpts(opts.securityOpt ?? [])
  for (const u of opts.ulimits ?? []) parseUlimit(u)
  if (opts.stopSignal !== undefined) parseSignal(opts.stopSignal)
  if (opts.stopTimeout !== undefined && opts.stopTimeout < 0) throw new InvalidArgument(`invalid argument "${opts.stopTimeout}" for "--stop-timeout" flag: strconv.ParseUint: parsing "${opts.stopTimeout}": invalid syntax`)
}

export async function createContainer(rt: Runtime, opts: CreateOptions): Promise<ContainerConfig> {
  // POD: --pod new:NAME creates the pod (with the ports) first
  if (opts.pod?.startsWith('new:')) return (await import('../pod/new.js')).createInNewPod(rt, opts)
  validate(opts)
  const image = rt.lookupImage(opts.image)
  const imgCfg = parseConfig(image).config ?? {}
  const entrypoint = opts.entrypoint ?? imgCfg.Entrypoint ?? []
  const cmd = opts.command.length ? opts.command : (opts.entrypoint !== undefined ? [] : imgCfg.Cmd ?? [])
  if (entrypoint.length === 0 && cmd.length === 0) throw new InvalidArgument('no command or entrypoint provided, and no CMD or ENTRYPOINT from image')
  // -v, --mount, --volumes-from and the image's VOLUMEs (volumes are created below, once all else is checked)
  const resolved = resolveMounts(rt, opts, image)
  const mounts = resolved.mounts
  for (const t of opts.tmpfs ?? []) parseTmpfsSpec(t)
  // NETWORK (src/libpod/network): mode, named networks, ports (-P: the image's EXPOSE), DNS, hosts
  // POD: a member joins the infra's namespaces (its network, hostname, IPC)
  const member = opts.pod ? podMembership(rt, opts.pod, opts) : undefined
  const {network, options: networkOptions} = await resolveNetworkOptions(rt, member?.net ?? opts.net ?? {network: opts.network ? [opts.network] : []},
    (imgCfg as {ExposedPorts?: Record<string, unknown>}).ExposedPorts, ref => rt.containers.lookup(ref).config.id)
  const logDriver = opts.logDriver ?? 'k8s-file'
  if (!['k8s-file', 'none', 'passthrough', 'journald'].includes(logDriver)) throw new InvalidArgument(`invalid log driver: ${logDriver}`)
  const id = ContainerStore.newId()
  const name = opts.name ?? randomName()
  const config: ContainerConfig = {
    id,
    name,
    imageId: image.id,
    imageName: image.names.includes(opts.image) ? opts.image : (image.names.find(n => n.endsWith('/' + opts.image) || n.endsWith('/' + opts.image + ':latest')) ?? image.names[0] ?? image.id),
    created: new Date().toISOString(),
    command: opts.command,
    entrypoint: opts.entrypoint,
    ...resolveEnv(opts, process.env),
    envHost: opts.envHost ?? false,
    createCommand: opts.createCommand,
    workdir: opts.workdir,
    user: opts.user,
    hostname: opts.hostname,
    labels: parseKeyValues(opts.labels, 'label'),
    annotations: parseKeyValues(opts.annotations, 'annotation'),
    tty: opts.tty ?? false,
    interactive: opts.interactive ?? false,
    remove: opts.remove ?? false,
    readOnly: opts.readOnly ?? false,
    privileged: opts.privileged ?? false,
    init: opts.init ?? false,
    capAdd: opts.capAdd ?? [],
    capDrop: opts.capDrop ?? [],
    securityOpt: opts.securityOpt ?? [],
    mounts,
    tmpfs: opts.tmpfs ?? [],
    ulimits: opts.ulimits ?? [],
    network,
    networkOptions,
    stopSignal: opts.stopSignal ?? 'SIGTERM',
    stopTimeout: opts.stopTimeout ?? 10,
    logDriver,
    logOptions: parseKeyValues(opts.logOptions, 'log option'),
    runtime: rt.config.runtime,
    sigProxy: opts.sigProxy ?? true,
    storageDriver: rt.store.driver.name,
    ...health(opts, image.config),
    ...member?.config,
    ...opts.infraOf ? {pod: opts.infraOf, isInfra: true} : {},
  }
  await createVolumes(rt, resolved)
  const store = rt.containers
  // Under the store lock so that `rmi` sees the container as a user of its image.
  await rt.store.locked(() => {
    if (!rt.store.images.exists(image.id)) throw new NoSuchImage(`${opts.image}: image not known`)
    reserveGivenOrRandom(store, config, opts.name === undefined)
    try {
      createRootfs(rt.store, store.containerDir(id), image.layers)
      store.create(config, {status: 'created', restartCount: 0})
    } catch (e) {
      store.remove(config)
      throw e
    }
  })
  return config
}

/** Reserves the container's name; a generated one that is taken is drawn again, as Podman does. */
function reserveGivenOrRandom(store: ContainerStore, config: ContainerConfig, generated: boolean): void {
  for (let tries = 0; ; tries++) {
    try {
      store.reserveName(config.name, config.id)
      return
    } catch (e) {
      if (!generated || !(e instanceof NameInUse) || tries >= 100) throw e
      config.name = randomName()
    }
  }
}

/** --health-* (validated before anything is written), else the image's HEALTHCHECK. */
function health(opts: CreateOptions, imageConfig: string): Pick<ContainerConfig, 'healthcheck' | 'healthOnFailure'> {
  const onFailure = parseOnFailure(opts.health?.onFailure)
  let hc = healthConfigFromFlags(opts.health ?? {})
  if (!hc) {
    try {
      hc = healthConfigFromImage((JSON.parse(imageConfig) as {config?: Parameters<typeof healthConfigFromImage>[0]}).config)
    } catch {
      hc = undefined
    }
  }
  return {...(hc ? {healthcheck: hc} : {}), healthOnFailure: onFailure}
}
