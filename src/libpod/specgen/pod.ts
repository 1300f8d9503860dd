// PodSpec: what a pod is created from (Podman's PodSpecGenerator), typed.
import type {ExitPolicy, SharedNamespace} from '../pod/types.js'
import type {ContainerNetworkSpec} from './network.js'
import type {ResourceSpec} from './resources.js'
import type {PodUsersSpec} from './namespaces.js'
import type {ContainerSpec} from './container.js'

export interface PodSpec {
  /** Absent: a generated name. */
  name?: string
  /** --replace: a pod of the same name is removed (forced) first. */
  replace?: boolean
  /** Create an infra container (default true). */
  infra?: boolean
  /** Absent: peapod's pause image. */
  infraImage?: string
  infraCommand?: string[]
  infraName?: string
  /** --infra-conmon-pidfile: where the infra's monitor writes its PID on start (systemd pod units). */
  infraConmonPidFile?: string
  /** The infra container's network (ports, DNS, networks): the members share it. */
  network?: ContainerNetworkSpec
  /** Namespaces the members join; absent: ipc, net, uts. */
  share?: SharedNamespace[]
  hostname?: string
  labels?: Record<string, string>
  exitPolicy?: ExitPolicy
  createCommand?: string[]
  /** The pod's cgroup limits, --cgroup-parent and --shm-size (resources.ts). */
  resources?: ResourceSpec
  /** --userns, --uidmap/--gidmap, --subuidname/--subgidname, --pid, --uts, --device. */
  users?: PodUsersSpec
  /** --volume/--volumes-from: the infra's mounts, which every member inherits (as volumes-from the infra). */
  mounts?: ContainerSpec['mounts']
  volumesFrom?: ContainerSpec['volumesFrom']
  /** --security-opt and --sysctl: the infra's own (the members see the sysctls of the namespaces they share). */
  security?: ContainerSpec['security']
  sysctl?: ContainerSpec['sysctl']
  /** --share-parent=false: no pod cgroup; members go under the default parent (default true). */
  shareParent?: boolean
  /** kube play --service-container: the container that stands for the play (runtime/service-container.ts). */
  serviceContainer?: string
}

/** Podman's default --share. */
export const DEFAULT_SHARE: readonly SharedNamespace[] = ['ipc', 'net', 'uts']
