// A container is an immutable config (what was asked for at create) and a
// mutable state (what happened since), kept in separate documents.

export type ContainerStatus = 'configured' | 'created' | 'running' | 'paused' | 'stopping' | 'stopped' | 'exited' | 'removing'

export interface MountSpec {
  type: 'bind' | 'tmpfs'
  source: string
  destination: string
  options: string[]
}

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
  env: string[]
  envFiles: string[]
  envHost: boolean
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
}

export interface Container {
  config: ContainerConfig
  state: ContainerState
}
