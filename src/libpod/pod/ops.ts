// A pod's lifecycle over its containers: the infra starts first and stops
// last; members start (and stop) together. `rm` refuses running members
// unless forced, then removes members, the pod's document and its infra.
import {InvalidArgument, NoSuchContainer, NoSuchPod, noSuchPod, PodNotReady} from '../define/errors.js'
import type {Runtime} from '../runtime.js'
import {killContainer, removeContainer, stopContainer, syncContainer} from '../container/ops.js'
import {pauseContainer, unpauseContainer} from '../container/pause.js'
import {startContainer} from '../container/start.js'
import type {Container} from '../container/types.js'
import {podStatus} from './status.js'
import {podStore} from './store.js'
import type {PodConfig} from './types.js'
import {isActive, isRunningOrPaused} from '../define/state.js'


/** The pod's containers (infra included), synced with reality, oldest first. */
export async function podContainers(rt: Runtime, pod: PodConfig, all = rt.containers.list()): Promise<Container[]> {
  const list = await Promise.all(all.filter(c => c.config.pod === pod.id).map(c => syncContainer(rt, c)))
  return list.filter(c => c.state.status !== 'removing').sort((a, b) => a.config.created.localeCompare(b.config.created))
}

const members = (list: Container[]) => list.filter(c => !c.config.isInfra)

/** Runs fn on each container at once; throws the first failure after all have finished. */
async function each(list: Container[], fn: (c: Container) => Promise<unknown>): Promise<void> {
  const results = await Promise.allSettled(list.map(c => fn(c)))
  const failed = results.find(r => r.status === 'rejected' && !(r.reason instanceof NoSuchContainer))
  if (failed) throw (failed as PromiseRejectedResult).reason
}

export async function startPod(rt: Runtime, ref: string): Promise<PodConfig> {
  const pod = podStore(rt).lookup(ref)
  const list = await podContainers(rt, pod)
  if (pod.infraId) await startContainer(rt, pod.infraId)
  await each(members(list).filter(c => !isActive(c.state.status)), c => startContainer(rt, c.config.id))
  return pod
}

export async function stopPod(rt: Runtime, ref: string, timeout?: number): Promise<PodConfig> {
  const pod = podStore(rt).lookup(ref)
  const list = await podContainers(rt, pod)
  await each(members(list), c => stopContainer(rt, c.config.id, timeout))
  if (pod.infraId) await each(list.filter(c => c.config.isInfra), c => stopContainer(rt, c.config.id, timeout))
  return pod
}

export async function restartPod(rt: Runtime, ref: string): Promise<PodConfig> {
  await stopPod(rt, ref)
  return startPod(rt, ref)
}

export async function killPod(rt: Runtime, ref: string, signal = 'KILL'): Promise<PodConfig> {
  const pod = podStore(rt).lookup(ref)
  const running = (await podContainers(rt, pod)).filter(c => isRunningOrPaused(c.state.status))
  if (running.length === 0) throw new InvalidArgument(`no containers in pod ${pod.id} are running: pod has no containers`)
  // Members first, the infra last.
  await each(members(running), c => killContainer(rt, c.config.id, signal))
  await each(running.filter(c => c.config.isInfra), c => killContainer(rt, c.config.id, signal))
  return pod
}

export async function pausePod(rt: Runtime, ref: string): Promise<PodConfig> {
  const pod = podStore(rt).lookup(ref)
  const list = (await podContainers(rt, pod)).filter(c => c.state.status === 'running')
  await each(list, c => pauseContainer(rt, c.config.id))
  return pod
}

export async function unpausePod(rt: Runtime, ref: string): Promise<PodConfig> {
  const pod = podStore(rt).lookup(ref)
  const list = (await podContainers(rt, pod)).filter(c => c.state.status === 'paused')
  await each(list, c => unpauseContainer(rt, c.config.id))
  return pod
}

/**
 * `pod rm`: refuses a pod with running containers unless forced (checked
 * before anything is removed); forced, stops them (timeout as rm -t).
 */
export async function removePod(rt: Runtime, ref: string, opts: {force?: boolean; timeout?: number} = {}): Promise<string> {
  const store = podStore(rt)
  const pod = store.lookup(ref)
  const list = await podContainers(rt, pod)
  const busy = list.filter(c => isActive(c.state.status) || c.state.status === 'initialized')
  // As Podman: a running infra alone does not keep the pod (it is stopped); running members do.
  const c = busy.find(x => !x.config.isInfra)
  if (c && !opts.force) {
    throw new PodNotReady(`removing container ${c.config.id} from pod ${pod.id}: cannot remove container ${c.config.id} as it is ${c.state.status} - running or paused containers cannot be removed without force: container state improper`)
  }
  const timeout = opts.timeout ?? 10
  // Everything is going, so the infra is stopped together with its members.
  if (busy.length) await each(busy, c => stopContainer(rt, c.config.id, timeout))
  await each(members(list), c => removeContainer(rt, c.config.id, {force: true, timeout}))
  await store.locked(pod.id, async () => {
    if (!store.read(pod.id)) throw noSuchPod(ref)
    // The document goes first: from then on the infra may be removed.
    store.remove(pod)
  })
  if (pod.infraId) await removeContainer(rt, pod.infraId, {force: true, timeout}).catch(e => {
    if (!(e instanceof NoSuchContainer)) throw e
  })
  return pod.id
}

/** `pod prune`: removes the pods none of whose containers runs. */
export async function prunePods(rt: Runtime): Promise<{removed: string[]; errors: Error[]}> {
  const removed: string[] = []
  const errors: Error[] = []
  const all = rt.containers.list()
  for (const pod of podStore(rt).list()) {
    const status = podStatus(await podContainers(rt, pod, all))
    if (status !== 'Exited' && status !== 'Stopped' && status !== 'Created') continue
    try {
      removed.push(await removePod(rt, pod.id, {force: true}))
    } catch (e) {
      if (!(e instanceof NoSuchPod)) errors.push(e as Error)
    }
  }
  return {removed, errors}
}
