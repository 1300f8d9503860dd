// Creating a container at the Runtime level (Podman's Runtime.NewContainer):
// the one place that knows about both containers and pods, so container/
// never imports pod/. kube play, Quadlet, build and the CLI all come here.
import type {ContainerConfig} from './container/types.js'
import type {Runtime} from './runtime.js'
import type {ContainerSpec} from './specgen/container.js'
import type {PodSpec} from './specgen/pod.js'

/**
 * Creates a container from its spec: in the pod `spec.pod` when given, in a
 * new pod made from `newPod` (create/run --pod new:NAME), else on its own.
 */
export async function newContainer(rt: Runtime, spec: ContainerSpec, newPod?: PodSpec): Promise<ContainerConfig> {
  if (spec.replace || spec.cgroupsMode) await (await import('./container/replace.js')).beforeCreate(rt, spec)
  if (newPod) return (await import('./pod/new.js')).createInNewPod(rt, newPod, spec)
  if (spec.pod) return (await import('./pod/new.js')).createInPod(rt, {...spec, pod: spec.pod})
  return (await import('./container/create.js')).createContainer(rt, spec)
}
