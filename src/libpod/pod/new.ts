// `run/create --pod new:NAME`: the pod is created first from its own spec
// (the caller moves the container's published ports there: they belong to
// the infra); if the container cannot be created the pod goes again.
import type {Runtime} from '../runtime.js'
import {createContainer} from '../container/create.js'
import type {ContainerConfig} from '../container/types.js'
import {InvalidArgument} from '../define/errors.js'
import type {ContainerSpec} from '../specgen/container.js'
import type {PodSpec} from '../specgen/pod.js'
import {createPod} from './create.js'
import {podMembership} from './member.js'
import {removePod} from './ops.js'

/** Creates a container in an existing pod (spec.pod: its name or ID): it joins the namespaces the pod shares. */
export async function createInPod(rt: Runtime, spec0: ContainerSpec & {pod: string}): Promise<ContainerConfig> {
  const spec = podUsers(rt, spec0)
  const m = podMembership(rt, spec.pod, spec)
  // RESOURCES: under the pod's cgroup, with its /dev/shm size unless the member asks otherwise
  const pod = rt.pods.lookup(m.config.pod!)
  const inPod = {...spec, cgroupParent: spec.cgroupParent ?? pod.cgroupPath, shmSize: spec.shmSize ?? pod.resources?.shmSize}
  return createContainer(rt, inPod, {...m.config, pod: m.config.pod!, network: m.net}, spec0)
}

/** Creates a pod from `pod`, then the container in it. */
export async function createInNewPod(rt: Runtime, pod: PodSpec, spec: ContainerSpec): Promise<ContainerConfig> {
  const p = await createPod(rt, pod)
  try {
    return await createInPod(rt, {...spec, pod: p.id})
  } catch (e) {
    await removePod(rt, p.id, {force: true}).catch(() => {})
    throw e
  }
}

/** USERS/DEVICES: a member joins the user namespace of its pod's infra (which owns the pod's namespaces) and gets the pod's devices. */
function podUsers(rt: Runtime, spec: ContainerSpec & {pod: string}): ContainerSpec & {pod: string} {
  const pod = rt.pods.lookup(spec.pod)
  const out = {...spec}
  if (pod.devices?.length) out.devices = [...pod.devices, ...spec.devices ?? []]
  const infra = pod.infraId ? rt.containers.read(pod.infraId) : undefined
  const own = infra?.config.users?.idMappings || infra?.config.users?.userns
  const mine = spec.userns || spec.uidMap || spec.gidMap || spec.subUidName || spec.subGidName
  // VOLUMES: pod create's --volume/--volumes-from live on the infra; every member mounts them (its own -v wins)
  if (infra?.config.mounts.some(m => m.type === 'bind' || m.type === 'volume')) out.volumesFrom = [{container: infra.config.id}, ...spec.volumesFrom ?? []]
  if (infra && own && !mine) {
    out.userns = {mode: 'container', container: infra.config.id}
    // keep-id: the members run as the user too, as the infra does
    if (infra.config.users?.userns?.mode === 'keep-id' && spec.user === undefined) out.user = infra.config.user
  }
  return out
}
