// Work that spans a pod and its containers, at the Runtime level (container/
// never imports pod/): a member's start starts the infra first; exit policy
// `stop`; a pod's lifecycle over its containers (the infra starts first and
// stops last; members start and stop together); `pod rm` refuses running
// members unless forced, then removes members, the pod's document and its
// infra.
import {podEvent} from '../events/log.js'
import {InvalidArgument, NoSuchContainer} from '../define/errors.js'
import type {Runtime} from '../runtime.js'
import {killContainer, removeContainer, stopContainer, waitExited} from '../container/ops.js'
import {pauseContainer, unpauseContainer} from '../container/pause.js'
import {startContainer} from '../container/start.js'
import {isActive, type Container, type ContainerConfig} from '../container/types.js'
import {podContainers} from '../pod/containers.js'
import {NoSuchPod, PodNotReady} from '../define/errors.js'
import {podStatus} from '../pod/status.js'
import {removePodCgroup} from '../pod/cgroup.js'
import type {PodConfig} from '../pod/types.js'
import {failpoint} from '../util/failpoint.js'
import {maybeRemoveServiceContainer, maybeStartServiceContainer, maybeStopServiceContainer} from './service-container.js'

/** Before a member starts: its pod's infra container runs. */
export async function beforeMemberStart(rt: Runtime, c: ContainerConfig): Promise<void> {
  if (!c.pod || c.isInfra) return
  const infraId = rt.pods.read(c.pod)?.infraId
  if (!infraId) return
  const infra = rt.containers.read(infraId)
  if (!infra) throw new InvalidArgument(`the infra container ${infraId} of pod ${c.pod} is gone`)
  if (infra.state.status === 'running' || infra.state.status === 'paused') return
  await startContainer(rt, infraId)
}

/**
 * After a member exited (its cleanup): exit policy `stop` stops the infra when
 * no member is left running; then a kube play service container may stop.
 */
export async function afterMemberExit(rt: Runtime, c: ContainerConfig): Promise<void> {
  // An init container's exit is its success: the pod goes on to its other members.
  if (!c.pod || c.isInfra || c.annotations?.[INIT_CONTAINER_TYPE]) return
  const pod = rt.pods.read(c.pod)
  if (!pod) return
  await stopInfraIfDone(rt, pod)
  await maybeStopServiceContainer(rt, pod)
}

async function stopInfraIfDone(rt: Runtime, pod: PodConfig): Promise<void> {
  if (!pod.infraId || pod.exitPolicy !== 'stop') return
  const others = rt.containers.list().filter(o => o.config.pod === pod.id && !o.config.isInfra)
  if (others.some(o => isActive(o.state.status))) return
  const infra = rt.containers.read(pod.infraId)
  if (!infra || !isActive(infra.state.status)) return
  await stopContainer(rt, pod.infraId)
}

const members = (list: Container[]) => list.filter(c => !c.config.isInfra)

/** Runs fn on each container at once; throws the first failure after all have finished. */
async function each(list: Container[], fn: (c: Container) => Promise<unknown>): Promise<void> {
  const results = await Promise.allSettled(list.map(c => fn(c)))
  const failed = results.find(r => r.status === 'rejected' && !(r.reason instanceof NoSuchContainer))
  if (failed) throw (failed as PromiseRejectedResult).reason
}

/** Podman's annotation of an init container (kube play's initContainers): `once` or `always`. */
export const INIT_CONTAINER_TYPE = 'io.podman.annotations.init.container.type'

/**
 * Starts the pod: the infra, then its init containers one after the other,
 * each to a clean exit (`once` ones are removed then, as Podman does), then
 * the other members together.
 */
export async function startPod(rt: Runtime, ref: string): Promise<PodConfig> {
  const pod = rt.pods.lookup(ref)
  const list = await podContainers(rt, pod)
  await maybeStartServiceContainer(rt, pod)
  if (pod.infraId) await startContainer(rt, pod.infraId)
  const initType = (c: Container) => c.config.annotations?.[INIT_CONTAINER_TYPE]
  for (const c of members(list).filter(initType)) {
    await startContainer(rt, c.config.id)
    await waitExited(rt, c.config.id)
    const code = rt.containers.read(c.config.id)?.state.exitCode ?? -1
    if (code !== 0) throw new InvalidArgument(`init container ${c.config.name} of pod ${pod.name} exited with code ${code}`)
    if (initType(c) === 'once') await removeContainer(rt, c.config.id, {force: true, timeout: 0})
  }
  await each(members(list).filter(c => !initType(c) && !isActive(c.state.status)), c => startContainer(rt, c.config.id))
  podEvent(rt.config, pod, 'start')
  return pod
}

export async function stopPod(rt: Runtime, ref: string, timeout?: number): Promise<PodConfig> {
  const pod = rt.pods.lookup(ref)
  const list = await podContainers(rt, pod)
  await each(members(list), c => stopContainer(rt, c.config.id, timeout))
  if (pod.infraId) await each(list.filter(c => c.config.isInfra), c => stopContainer(rt, c.config.id, timeout))
  await maybeStopServiceContainer(rt, pod)
  podEvent(rt.config, pod, 'stop')
  return pod
}

export async function restartPod(rt: Runtime, ref: string): Promise<PodConfig> {
  await stopPod(rt, ref)
  return startPod(rt, ref)
}

export async function killPod(rt: Runtime, ref: string, signal = 'KILL'): Promise<PodConfig> {
  const pod = rt.pods.lookup(ref)
  const running = (await podContainers(rt, pod)).filter(c => c.state.status === 'running' || c.state.status === 'paused')
  if (running.length === 0) throw new InvalidArgument(`no containers in pod ${pod.id} are running: pod has no containers`)
  // Members first, the infra last.
  await each(members(running), c => killContainer(rt, c.config.id, signal))
  await each(running.filter(c => c.config.isInfra), c => killContainer(rt, c.config.id, signal))
  podEvent(rt.config, pod, 'kill')
  return pod
}

export async function pausePod(rt: Runtime, ref: string): Promise<PodConfig> {
  const pod = rt.pods.lookup(ref)
  const list = (await podContainers(rt, pod)).filter(c => c.state.status === 'running')
  await each(list, c => pauseContainer(rt, c.config.id))
  podEvent(rt.config, pod, 'pause')
  return pod
}

export async function unpausePod(rt: Runtime, ref: string): Promise<PodConfig> {
  const pod = rt.pods.lookup(ref)
  const list = (await podContainers(rt, pod)).filter(c => c.state.status === 'paused')
  await each(list, c => unpauseContainer(rt, c.config.id))
  podEvent(rt.config, pod, 'unpause')
  return pod
}

/**
 * `pod rm`: refuses a pod with running containers unless forced (checked
 * before anything is removed); forced, stops them (timeout as rm -t, else
 * each container's stop timeout).
 */
export async function removePod(rt: Runtime, ref: string, opts: {force?: boolean; timeout?: number} = {}): Promise<string> {
  const store = rt.pods
  const pod = store.lookup(ref)
  const list = await podContainers(rt, pod)
  const busy = list.filter(c => isActive(c.state.status) || c.state.status === 'initialized')
  // As Podman: a running infra alone does not keep the pod (it is stopped); running members do.
  const c = busy.find(x => !x.config.isInfra)
  if (c && !opts.force) {
    throw new PodNotReady(`removing container ${c.config.id} from pod ${pod.id}: cannot remove container ${c.config.id} as it is ${c.state.status} - running or paused containers cannot be removed without force: container state improper`)
  }
  // As Podman's pod rm -f (and pod clone --destroy): without -t, each container's own stop timeout
  const timeout = opts.timeout
  // Everything is going, so the infra is stopped together with its members.
  if (busy.length) await each(busy, c => stopContainer(rt, c.config.id, timeout))
  await each(members(list), c => removeContainer(rt, c.config.id, {force: true, timeout}))
  failpoint('pod.rm.after-members')
  await store.locked(pod.id, async () => {
    if (!store.read(pod.id)) throw new NoSuchPod(`no pod with name or ID ${ref} found: no such pod`)
    // The document goes first: from then on the infra may be removed.
    store.remove(pod)
  })
  failpoint('pod.rm.after-document')
  if (pod.infraId) await removeContainer(rt, pod.infraId, {force: true, timeout}).catch(e => {
    if (!(e instanceof NoSuchContainer)) throw e
  })
  removePodCgroup(pod.cgroupPath) // RESOURCES
  await maybeRemoveServiceContainer(rt, pod)
  podEvent(rt.config, pod, 'remove')
  return pod.id
}

/** The pods `pod prune` would remove: none of their containers runs. */
export async function prunablePods(rt: Runtime): Promise<PodConfig[]> {
  const all = rt.containers.list()
  const out: PodConfig[] = []
  for (const pod of rt.pods.list()) {
    const status = podStatus(await podContainers(rt, pod, all))
    if (status === 'Exited' || status === 'Stopped' || status === 'Created') out.push(pod)
  }
  return out
}

/** `pod prune`: removes the pods none of whose containers runs. */
export async function prunePods(rt: Runtime): Promise<{removed: string[]; errors: Error[]}> {
  const removed: string[] = []
  const errors: Error[] = []
  for (const pod of await prunablePods(rt)) {
    try {
      removed.push(await removePod(rt, pod.id, {force: true}))
    } catch (e) {
      if (!(e instanceof NoSuchPod)) errors.push(e as Error)
    }
  }
  return {removed, errors}
}
