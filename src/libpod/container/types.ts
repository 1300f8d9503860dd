// A container is an immutable config (what was asked for at create) and a
// mutable state (what happened since), kept in separate documents.

// Podman's names as `ps` and `inspect` show them: 'created' (Podman's
// Configured: documents written, nothing mounted), 'initialized' (Podman's
// Created: rootfs mounted and OCI bundle written by `init`, no process yet).
export type ContainerStatus = 'configured' | 'created' | 'initialized' | 'running' | 'paused' | 'stopping' | 'stopped' | 'exited' | 'removing'

/**
 * The states in which a container's process (and its monitor) lives.
 * Local until define/state.ts (with the state machine) is merged; then this
 * re-exports its isActive().
 */
export function isActive(status: string): boolean {
  return status === 'running' || status === 'paused' || status === 'stopping'
}

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

export type HealthOnFailure = 'none' | 'kill' | 'restart' | 'stop'

export interface ContainerConfig {
  id: string
  name: string
  imageId: string
  /** The image as the user named it (ps IMAGE column). */
  imageName: string
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
  securityOpt: string[]
  mounts: MountSpec[]
  tmpfs: string[]
  ulimits: string[]
  network: string
  /** NETWORK: named networks, ports, DNS and hosts options (src/libpod/network). */
  networkOptions?: import('../network/types.js').ContainerNetworkOptions
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
  /** POD: the ID of the pod the container belongs to. */
  pod?: string
  /** POD: the pod's infra container (holds the shared namespaces). */
  isInfra?: boolean
  /** Namespaces joined from another container (`container:ID`), e.g. a pod's infra. */
  namespaces?: {ipc?: string; uts?: string; pid?: string}
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
}

export interface Container {
  config: ContainerConfig
  state: ContainerState
}
