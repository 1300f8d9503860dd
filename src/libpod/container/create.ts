// `create`: resolve the image, reserve name and ID, prepare the rootfs and
// write the container's documents from a ContainerSpec. Nothing runs yet.
// Which pod the container joins is decided above (src/libpod/create.ts) and
// handed in as a PodPlacement, so container/ needs nothing from pod/.
import {resolveCgroupns} from './cgroupns.js'
import {containerEvent} from '../events/log.js'
import {InvalidArgument, NameInUse, NoSuchImage} from '../define/errors.js'
import type {Runtime} from '../runtime.js'
import {createRootfs} from '../storage/mount.js'
import {checkRootfsDir, NO_IMAGE} from './rootfs-dir.js'
import {parseConfig} from '../image/inspect.js'
import {resolveNetworkOptions} from '../network/index.js'
import type {ContainerSpec} from '../specgen/container.js'
import type {ContainerNetworkSpec} from '../specgen/network.js'
import {signalName, validateContainerSpec} from '../specgen/validate.js'
import {createVolumes, resolveMounts} from '../volume/mounts.js'
import {healthConfigFromImage} from './healthcheck.js'
import {resolveLifecycle} from './life.js'
import {randomName} from './names.js'
import {ContainerStore} from './store.js'
import {resolveCommand} from '../spec/command.js'
import {SYSTEMD_STOP_SIGNAL, useSystemdMode, validateSystemdMode} from '../spec/systemd.js'
import {resolveResources} from './resources.js'
import {ociFor} from '../oci/runtime.js'
import {usersConfigFields} from './userns.js'
import {failpoint} from '../util/failpoint.js'
import type {ContainerConfig} from './types.js'

/** Where a container sits in a pod, decided by the Runtime (pod membership) or by pod create (the infra). */
export interface PodPlacement {
  /** The pod's ID. */
  pod: string
  /** The pod's infra container (holds the shared namespaces). */
  isInfra?: boolean
  /** The hostname a member sharing the pod's UTS namespace gets. */
  hostname?: string
  /** Namespaces joined from the infra (`container:ID`). */
  namespaces?: ContainerConfig['namespaces']
  /** The network to create the container with, in place of the spec's (the infra's when shared). */
  network?: ContainerNetworkSpec
}

const PROXY_VARS = ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'ftp_proxy', 'FTP_PROXY', 'no_proxy', 'NO_PROXY']
/** Our own variables (rootless re-exec, lifted global flags): not the user's environment. */
const OWN_VARS = /^PEAPOD_(ROOTLESS_UID|PAUSE_PID|GLOBAL_FLAGS|ARGV)$/

/**
 * The host variables the container takes, recorded at create as Podman does
 * (a later `start` from another shell changes nothing): all of them with
 * envHost, else the proxy ones.
 */
function hostEnvOf(spec: ContainerSpec): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(spec.hostEnv ?? process.env)) {
    if (v === undefined || OWN_VARS.test(k)) continue
    if (spec.envHost || PROXY_VARS.includes(k)) out[k] = v
  }
  return out
}

/** The image as the user named it, for ps's IMAGE column. */
function imageName(ref: string, image: {id: string; names: string[]}): string {
  if (image.names.includes(ref)) return ref
  if (image.names.includes(`${ref}:latest`)) return `${ref}:latest`
  return image.names.find(n => n.endsWith('/' + ref) || n.endsWith('/' + ref + ':latest')) ?? image.names[0] ?? image.id
}

export async function createContainer(rt: Runtime, spec0: ContainerSpec, placement?: PodPlacement, asGiven: ContainerSpec = spec0): Promise<ContainerConfig> {
  validateContainerSpec(spec0)
  // --cgroupns=container:NAME: kept by ID
  let spec = spec0.cgroupns?.startsWith('container:') ? {...spec0, cgroupns: resolveCgroupns(rt, spec0.cgroupns)} : spec0
  // RESOURCES: cgroup limits checked against the host (container/resources.ts)
  // containers.conf `cgroupns` when --cgroupns is not given (Podman's; its own default is private on cgroup v2 only)
  const confCgroupns = rt.config.containers?.cgroupns
  if (spec.cgroupns === undefined && typeof confCgroupns === 'string' && confCgroupns) spec = {...spec, cgroupns: confCgroupns as ContainerSpec['cgroupns']}
  const {resources, warnings} = resolveResources(spec, {rootless: rt.config.rootless, runtimeName: spec.cgroupsMode === 'disabled' ? ociFor(rt).name : undefined})
  if (spec.rootfs) checkRootfsDir(spec.rootfs)
  const image = spec.rootfs ? NO_IMAGE : rt.lookupImage(spec.image)
  const imgCfg = parseConfig(image).config ?? {}
  const command = spec.command ?? []
  const entrypoint = spec.entrypoint ?? imgCfg.Entrypoint ?? []
  const cmd = command.length ? command : (spec.entrypoint !== undefined ? [] : imgCfg.Cmd ?? [])
  if (entrypoint.length === 0 && cmd.length === 0) throw new InvalidArgument('no command or entrypoint provided, and no CMD or ENTRYPOINT from image')
  // --systemd: decided on the command as it will run (spec/systemd.ts)
  validateSystemdMode(spec.systemd)
  const systemd = useSystemdMode(spec.systemd, resolveCommand({imageEntrypoint: imgCfg.Entrypoint, imageCmd: imgCfg.Cmd, entrypoint: spec.entrypoint, command, init: spec.init}))
  // USERS/NAMESPACES/DEVICES (container/userns.ts): ID maps, --ipc/--pid/--uts, devices
  const users = usersConfigFields(rt, spec, placement?.isInfra ? undefined : placement?.namespaces)
  // mounts, volumes-from and the image's VOLUMEs (volumes are created below, once all else is checked)
  const resolved = resolveMounts(rt, spec, image)
  // NETWORK (src/libpod/network): mode, named networks, ports (-P: the image's EXPOSE), DNS, hosts
  const {network, options: networkOptions} = await resolveNetworkOptions(rt, placement?.network ?? spec.network ?? {},
    (imgCfg as {ExposedPorts?: Record<string, unknown>}).ExposedPorts, ref => rt.containers.lookup(ref).config.id)
  const id = ContainerStore.newId()
  const name = spec.name ?? randomName()
  const security = spec.security ?? {}
  const config: ContainerConfig = {
    id,
    name,
    imageId: image.id,
    imageName: spec.rootfs ? '' : imageName(spec.image, image),
    spec: storedSpec(asGiven),
    ...spec.rootfs ? {rootfs: {...spec.rootfs}} : {},
    created: new Date().toISOString(),
    command,
    entrypoint: spec.entrypoint,
    env: Object.entries(spec.env ?? {}).map(([k, v]) => `${k}=${v}`),
    envFiles: [],
    hostEnv: hostEnvOf(spec),
    envHost: spec.envHost ?? false,
    createCommand: spec.createCommand,
    sdNotifyMode: spec.sdNotifyMode,
    ...systemd ? {systemd} : {},
    workdir: spec.workdir,
    user: spec.user,
    hostname: spec.hostname,
    labels: {...spec.labels},
    // --init-ctr: the annotation kube play's init containers carry (runtime/pods.ts runs them)
    annotations: {...spec.annotations, ...spec.initContainerType ? {'io.podman.annotations.init.container.type': spec.initContainerType} : {}},
    tty: spec.terminal ?? false,
    interactive: spec.stdin ?? false,
    remove: spec.remove ?? false,
    readOnly: spec.readOnlyFilesystem ?? false,
    privileged: spec.privileged ?? false,
    init: spec.init ?? false,
    capAdd: spec.capAdd ?? [],
    capDrop: spec.capDrop ?? [],
    security,
    mounts: resolved.mounts,
    tmpfs: resolved.tmpfs,
    ulimits: spec.ulimits ?? [],
    ...Object.keys(resources).length ? {resources} : {},
    network,
    networkOptions,
    stopSignal: signalName(spec.stopSignal ?? (systemd ? SYSTEMD_STOP_SIGNAL : 15)),
    stopTimeout: spec.stopTimeout ?? 10,
    logDriver: spec.logDriver ?? 'k8s-file',
    logOptions: {...spec.logOptions},
    runtime: rt.config.runtime,
    sigProxy: spec.sigProxy ?? true,
    storageDriver: rt.store.driver.name,
    ...health(spec, image.config),
    life: resolveLifecycle(rt, spec), // LIFECYCLE/ENV
    ...placement ? podFields(placement) : {},
    ...users,
  }
  checkRuntime(rt, config)
  await createVolumes(rt, resolved)
  const store = rt.containers
  // Under the store lock so that `rmi` sees the container as a user of its image.
  await rt.store.locked(() => {
    if (!spec.rootfs && !rt.store.images.exists(image.id)) throw new NoSuchImage(`${spec.image}: image not known`)
    reserveGivenOrRandom(store, config, spec.name === undefined)
    try {
      failpoint('container.create.after-reserve')
      createRootfs(rt.store, store.containerDir(id), image.layers, spec.rootfs)
      failpoint('container.create.after-rootfs')
      store.create(config, {status: 'created', restartCount: 0})
      failpoint('container.create.after-document')
    } catch (e) {
      store.remove(config)
      throw e
    }
  })
  for (const w of warnings) rt.logger.plain(w)
  containerEvent(rt.config, config, 'create')
  return config
}

/** Podman refuses at create a runtime it cannot find: such a container could never start. */
function checkRuntime(rt: Runtime, config: ContainerConfig): void {
  try {
    ociFor(rt, {runtime: config.runtime, network: config.network})
  } catch (e) {
    const wanted = rt.config.runtimeExplicit || !config.runtime ? rt.config.runtime : config.runtime
    if (wanted && !wanted.includes('/')) throw new InvalidArgument(`default OCI runtime "${wanted}" not found: invalid argument`)
    throw e
  }
}

function podFields(p: PodPlacement): Pick<ContainerConfig, 'pod' | 'isInfra' | 'hostname' | 'namespaces'> {
  if (p.isInfra) return {pod: p.pod, isInfra: true}
  return {pod: p.pod, ...p.hostname !== undefined ? {hostname: p.hostname} : {}, ...p.namespaces ? {namespaces: p.namespaces} : {}}
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

/** The spec's health check, else the image's HEALTHCHECK. */
function health(spec: ContainerSpec, imageConfig: string): Pick<ContainerConfig, 'healthcheck' | 'healthOnFailure'> {
  let hc = spec.healthcheck
  if (!hc) {
    try {
      hc = healthConfigFromImage((JSON.parse(imageConfig) as {config?: Parameters<typeof healthConfigFromImage>[0]}).config)
    } catch {
      hc = undefined
    }
  }
  return {...(hc ? {healthcheck: hc} : {}), healthOnFailure: spec.healthOnFailure ?? 'none'}
}

/** The spec as `clone` will reuse it: without the host environment (kept apart, in hostEnv) and --replace. */
function storedSpec(spec: ContainerSpec): ContainerSpec {
  const {hostEnv: _h, replace: _r, ...rest} = spec
  return JSON.parse(JSON.stringify(rest)) as ContainerSpec
}
