// What `build`'s container flags (--cap-add, --security-opt, --ulimit,
// --memory, --userns, --ipc, --device, --volume, --dns, --add-host,
// --network ...) give every RUN step: typed ContainerSpec fields, merged into
// the spec each step's container is created from, as buildah applies them to
// each RUN.
import type {ContainerSpec} from './container.js'

/** The ContainerSpec fields a build's flags may set for its RUN steps. */
export type BuildRunOptions = Pick<ContainerSpec,
  | 'capAdd' | 'capDrop' | 'security' | 'ulimits'
  | 'resourceLimits' | 'shmSize' | 'cgroupParent' | 'cgroupns'
  | 'userns' | 'uidMap' | 'gidMap' | 'subUidName' | 'subGidName' | 'ipc' | 'pid' | 'uts'
  | 'devices' | 'mounts' | 'network' | 'httpProxy'>

/**
 * A RUN step's spec with the build's options: their mounts go first (the
 * step's own --mount ones may cover them); the step's network mode (RUN
 * --network) wins over the build's, the build's DNS and hosts stay.
 */
export function withRunOptions(step: ContainerSpec, o: BuildRunOptions | undefined): ContainerSpec {
  if (!o) return step
  const {mounts, network, ...rest} = o
  const out: ContainerSpec = {...step, ...rest}
  if (mounts?.length) out.mounts = [...mounts, ...(step.mounts ?? [])]
  if (network) out.network = {...network, ...(step.network?.netns ? {netns: step.network.netns} : {})}
  if (out.network && !out.network.netns) delete out.network.netns
  return out
}
