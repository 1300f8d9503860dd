// Creating a container at the Runtime level (Podman's Runtime.NewContainer):
// the one place that knows about both containers and pods, so container/
// never imports pod/. kube play, Quadlet, build and the CLI all come here.
import type {ContainerConfig} from './container/types.js'
import type {PodConfig} from './pod/types.js'
import type {Runtime} from './runtime.js'
import type {ContainerSpec} from './specgen/container.js'
import type {PodSpec} from './specgen/pod.js'

/**
 * Creates a container from its spec: in the pod `spec.pod` when given, in a
 * new pod made from `newPod` (create/run --pod new:NAME), else on its own.
 */
export async function newContainer(rt: Runtime, spec: ContainerSpec, newPod?: PodSpec): Promise<ContainerConfig> {
  // --replace: checked first, then the old one goes (Podman removes it before creating)
  if (spec.replace) {
    (await import('./specgen/validate.js')).validateContainerSpec(spec)
    const [{replaceExisting}, {removeContainer}] = await Promise.all([import('./container/life.js'), import('./container/ops.js')])
    const {NoSuchContainer} = await import('./define/errors.js')
    // an --rm container may remove itself (its cleanup) while we stop it
    await replaceExisting(rt, spec.name, id => removeContainer(rt, id, {force: true, timeout: 0}).catch(e => {
      if (!(e instanceof NoSuchContainer)) throw e
    }))
  }
  if (newPod) return (await import('./pod/new.js')).createInNewPod(rt, newPod, spec)
  if (spec.pod) return (await import('./pod/new.js')).createInPod(rt, {...spec, pod: spec.pod})
  return (await import('./container/create.js')).createContainer(rt, spec)
}

/**
 * Creates a pod from its spec. --replace: a pod of the same name goes first
 * (forced, as Podman's pod create --replace), after the spec is checked.
 */
export async function newPod(rt: Runtime, spec: PodSpec): Promise<PodConfig> {
  if (spec.replace) {
    (await import('./specgen/validate.js')).validatePodSpec(spec)
    const old = rt.pods.find(spec.name!)
    if (old && old.name === spec.name) await (await import('./runtime/pods.js')).removePod(rt, old.id, {force: true, timeout: 0})
  }
  return (await import('./pod/create.js')).createPod(rt, spec)
}
