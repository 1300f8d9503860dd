// A pod: a group of containers that share namespaces held by an infra
// container. Its document is its immutable config; its status is derived
// from its containers (which record the pod's ID in their own config).

export type ExitPolicy = 'continue' | 'stop'

/** The namespaces a pod's members may share with its infra container. */
export const SHAREABLE = ['cgroup', 'ipc', 'net', 'pid', 'uts'] as const
export type SharedNamespace = typeof SHAREABLE[number]

export interface PodConfig {
  id: string
  name: string
  created: string
  /** The command line that created the pod (inspect's CreateCommand). */
  createCommand?: string[]
  labels: Record<string, string>
  /** --hostname (members sharing UTS see it; default the pod's name). */
  hostname?: string
  /** Namespaces the members join (Podman's default: ipc, net, uts). */
  share: SharedNamespace[]
  exitPolicy: ExitPolicy
  /** The infra container's ID (absent with --no-infra). */
  infraId?: string
  /** The pod's cgroup (its members' parent) and its limits: pod/cgroup.ts. */
  cgroupPath?: string
  resources?: import('../specgen/resources.js').ContainerResources
  /** The typed spec the pod was made from: what `pod clone` starts from. */
  spec?: import('../specgen/pod.js').PodSpec
  /** --share-parent=false: the members are not under a pod cgroup (and the pod's limits are dropped, as Podman does). */
  shareParent?: false
  /** --device: added to every member. */
  devices?: import('../specgen/devices.js').DeviceSpec[]
  /** kube play --service-container: its ID (the service stops when its pods are done, goes with the last one). */
  serviceContainerId?: string
}

// Podman's pod states: in define/state.ts with the container states.
export type {PodStatus} from '../define/state.js'
