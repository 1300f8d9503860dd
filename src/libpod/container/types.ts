// A container is an immutable config (what was asked for at create) and a
// mutable state (what happened since), kept in separate documents.
import type {SecurityConfig, Ulimit} from '../specgen/security.js'
import type {ContainerResources} from '../specgen/resources.js'
import type {StoredUsersConfig} from '../specgen/namespaces.js'
import type {ContainerDevicesConfig} from '../specgen/devices.js'


import type {ContainerStatus} from '../define/state.js'
// The status enum lives in define/state.ts with its transitions.
export type {ContainerStatus}
export {isActive} from '../define/state.js'

/**
 * A mount as the container keeps it: `options` are mount(8)-style options
 * (ro, nosuid, rprivate, z, U, nocopy, size=… — what specgen's
 * mountOptions() makes of the typed spec), completed with Podman's defaults
 * at start.
 */
export interface MountSpec {
  /**
   * bind: source is a host path; volume: source is the volume's name (named
   * or anonymous); tmpfs: a --mount type=tmpfs; image: source is an image ID
   * (--mount type=image).
   */
  type: 'bind' | 'tmpfs' | 'volume' | 'image'
  source: string
  destination: string
  options: string[]
}

/** A health check (Podman's Schema2HealthConfig); durations in nanoseconds, 0 = unset. */
export interface HealthConfig {
  /** ["CMD", ...], ["CMD-SHELL", "..."] or ["NONE"]. */
  test: string[]
  interval: number
  timeout: number
  retries: number
  startPeriod: number
}

/** A --tmpfs mount: destination and mount(8)-style options. */
export interface TmpfsSpec {
  destination: string
  options: string[]
}

export type HealthOnFailure = 'none' | 'kill' | 'restart' | 'stop'

/** The config document's format; absent in documents written before typed specs (see legacy.ts). */
export const CONFIG_VERSION = 2

export interface ContainerConfig {
  /** CONFIG_VERSION when written. */
  version?: number
  id: string
  name: string
  imageId: string
  /** The image as the user named it (ps IMAGE column). */
  imageName: string
  /** The typed spec the container was made from, as given (before a pod's additions; no host environment): what `container clone` starts from. */
  spec?: import('../specgen/container.js').ContainerSpec
  /** --rootfs: a host directory as the root (no image; imageId and imageName are ''). */
  rootfs?: import('./rootfs-dir.js').RootfsDir
  created: string
  /** Command as the user gave it (after the image). */
  command: string[]
  entrypoint?: string[]
  /** -e entries, resolved at create (`KEY` alone took the host's value then). */
  env: string[]
  /** --env-file contents, resolved at create. */
  envFiles: string[]
  envHost: boolean
  /** The host variables the container takes (all with --env-host, else the proxy ones), as at create. */
  hostEnv?: Record<string, string>
  /** The command line that created the container (inspect's Config.CreateCommand). */
  createCommand?: string[]
  workdir?: string
  user?: string
  hostname?: string
  labels: Record<string, string>
  annotations: Record<string, string>
  tty: boolean
  interactive: boolean
  remove: boolean
  readOnly: boolean
  privileged: boolean
  init: boolean
  capAdd: string[]
  capDrop: string[]
  /** --security-opt, typed (documents before version 2: the flag strings). */
  security: SecurityConfig
  mounts: MountSpec[]
  tmpfs: TmpfsSpec[]
  ulimits: Ulimit[]
  /** Cgroup limits and options (--memory, --cpus, --cgroup-parent …): container/resources.ts. */
  resources?: ContainerResources
  network: string
  /** NETWORK: named networks, ports, DNS and hosts options (src/libpod/network). */
  networkOptions?: import('../network/types.js').ContainerNetworkOptions
  /** The stop signal's name (SIGTERM), or its number for one without a name. */
  stopSignal: string
  stopTimeout: number
  logDriver: string
  logOptions: Record<string, string>
  /** OCI runtime name or path chosen at create. */
  runtime: string
  /** Whether stdin is proxied by signals (--sig-proxy). */
  sigProxy: boolean
  /** The store driver the rootfs lives on. */
  storageDriver: string
  /** --health-* (or the image's HEALTHCHECK). */
  healthcheck?: HealthConfig
  /** --health-on-failure (default none). */
  healthOnFailure?: HealthOnFailure
  /** --sdnotify (absent: container). */
  sdNotifyMode?: import('../specgen/container.js').SdNotifyMode
  /** Runs in systemd mode (--systemd): spec/systemd.ts. */
  systemd?: boolean
  /** POD: the ID of the pod the container belongs to. */
  pod?: string
  /** POD: the pod's infra container (holds the shared namespaces). */
  isInfra?: boolean
  /** Namespaces joined from another container (`container:ID`), e.g. a pod's infra. */
  namespaces?: {ipc?: string; uts?: string; pid?: string}
  /** USERS/NAMESPACES: --userns (resolved ID maps), --group-add, --passwd*, --hostuser, --umask ... (container/userns.ts). */
  users?: StoredUsersConfig
  /** DEVICES: --device, --device-cgroup-rule. */
  devices?: ContainerDevicesConfig
  /** LIFECYCLE/ENV: secrets, restart policy, pid files, timeout, env tweaks, tz, sysctls (container/life.ts). */
  life?: import('./life.js').LifecycleSettings
}

export interface ContainerState {
  status: ContainerStatus
  pid?: number
  monitorPid?: number
  startedAt?: string
  finishedAt?: string
  exitCode?: number
  oomKilled?: boolean
  error?: string
  /** Merged rootfs while mounted. */
  mountPoint?: string
  restartCount: number
  /** Set once a stop was asked for (stop/kill), so exit codes from signals are expected. */
  stoppedByUser?: boolean
  /** Outstanding `peapod mount`s of the rootfs (unmount drops one). */
  mountCount?: number
  /** While status is 'removing': the remover's owner token (util/owner.ts), to tell an rm killed mid-way. */
  remover?: string
}

export interface Container {
  config: ContainerConfig
  state: ContainerState
}
