// ContainerSpec: everything a container is created from, typed, modelled on
// Podman's pkg/specgen SpecGenerator. The CLI fills it from flags
// (src/cli/container-spec.ts); kube play, Quadlet, build RUN steps and an API
// fill the same record. Grouped as Podman groups it so that new options
// (--memory, --userns, --device, --restart …) land as typed fields in the
// right group.
import type {HealthConfig, HealthOnFailure} from '../container/types.js'
import type {Mount, TmpfsMount} from './mounts.js'
import type {ContainerNetworkSpec} from './network.js'
import type {ResourceSpec} from './resources.js'
import type {SecurityConfig, Ulimit} from './security.js'
import type {ContainerUsersConfig} from './namespaces.js'
import type {ContainerDevicesConfig} from './devices.js'
import type {ContainerLifecycleConfig} from './lifecycle.js'

/** Podman's ContainerBasicConfig. */
export interface ContainerBasicConfig {
  /** Absent: a generated name. */
  name?: string
  /** The arguments after the image (replace the image's Cmd). */
  command?: string[]
  /** Absent: the image's; [] clears it (and the image's Cmd). */
  entrypoint?: string[]
  /** Resolved variables (env files first, then -e), in order. */
  env?: Record<string, string>
  /** Take the whole host environment (else only its proxy variables). */
  envHost?: boolean
  /** The host environment to take from (default: this process's). */
  hostEnv?: Record<string, string | undefined>
  labels?: Record<string, string>
  annotations?: Record<string, string>
  /** A signal number (canonical names: signalName()). */
  stopSignal?: number
  /** Seconds before SIGKILL (default 10). */
  stopTimeout?: number
  /** --rm */
  remove?: boolean
  terminal?: boolean
  /** Keep stdin open (-i). */
  stdin?: boolean
  /** k8s-file (default), none, passthrough, journald. */
  logDriver?: string
  logOptions?: Record<string, string>
  /** Proxy signals to the container while attached (default true). */
  sigProxy?: boolean
  hostname?: string
  /** An existing pod (name or ID) to join; the Runtime resolves it. */
  pod?: string
  /** The command line that created the container (inspect's Config.CreateCommand). */
  createCommand?: string[]
  /** --init-ctr: an init container of its pod, run before the others at each pod start (`always`) or the first only (`once`, then removed). */
  initContainerType?: 'always' | 'once'
  /** --sdnotify: who tells systemd the container is ready (default container). */
  sdNotifyMode?: SdNotifyMode
  /** --systemd: systemd mode when the command is an init or systemd (true, the default), always or never. */
  systemd?: import('../spec/systemd.js').SystemdMode
}

export type SdNotifyMode = 'container' | 'conmon' | 'ignore' | 'healthy'

/** Podman's ContainerStorageConfig. */
export interface ContainerStorageConfig {
  /** The image's name or ID, as the user named it. */
  image: string
  /** -v and --mount mounts, in order. */
  mounts?: Mount[]
  /** --tmpfs mounts: kept apart from `mounts` because inspect lists them apart (HostConfig.Tmpfs). */
  tmpfs?: TmpfsMount[]
  /** --volumes-from: the containers whose volumes and binds to mount. */
  volumesFrom?: Array<{container: string; readonly?: boolean; relabel?: boolean}>
  workdir?: string
  readOnlyFilesystem?: boolean
  /** --rootfs: a host directory as the root instead of the image (which is then ''). */
  rootfs?: {path: string; overlay: boolean}
  /** Run an init (catatonit) as PID 1. */
  init?: boolean
}

/** Podman's ContainerSecurityConfig. */
export interface ContainerSecurityConfig {
  privileged?: boolean
  /** user[:group], names or IDs. */
  user?: string
  capAdd?: string[]
  capDrop?: string[]
  security?: SecurityConfig
}

/** Podman's ContainerResourceConfig: cgroup limits and options in resources.ts. */
export interface ContainerResourceConfig extends ResourceSpec {
  ulimits?: Ulimit[]
}

/** Podman's ContainerHealthCheckConfig. */
export interface ContainerHealthCheckConfig {
  /** Absent: the image's HEALTHCHECK; test ['NONE'] disables it. */
  healthcheck?: HealthConfig
  healthOnFailure?: HealthOnFailure
}

export interface ContainerNetworkConfig {
  network?: ContainerNetworkSpec
}

export type ContainerSpec = ContainerBasicConfig & ContainerStorageConfig & ContainerSecurityConfig &
  ContainerResourceConfig & ContainerHealthCheckConfig & ContainerNetworkConfig &
  ContainerUsersConfig & ContainerDevicesConfig & ContainerLifecycleConfig
