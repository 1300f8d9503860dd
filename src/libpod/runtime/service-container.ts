// kube play --service-container: the service container stands for the
// play's pods (a .kube unit's main process), so the unit lives as long as
// they do. Podman 4.3.1's rules (libpod/service.go), which has no
// --service-exit-code-propagation yet:
// - once every pod of the service is stopped, exited or errored (checked
//   when a member's cleanup ran and after `pod stop`), the service container
//   is stopped; its stop timeout is 0, so it is killed and exits 137
//   whatever the pods' exit codes were;
// - `pod start` of one of its pods starts it again;
// - it is removed with the last of its pods.
import {NoSuchContainer} from '../define/errors.js'
import type {Runtime} from '../runtime.js'
import {removeContainer, stopContainer} from '../container/ops.js'
import {startContainer} from '../container/start.js'
import {isActive} from '../container/types.js'
import {podContainers} from '../pod/containers.js'
import {podStatus} from '../pod/status.js'
import type {PodConfig} from '../pod/types.js'

const DONE = new Set(['Stopped', 'Exited', 'Error'])

const servicePods = (rt: Runtime, serviceId: string): PodConfig[] => rt.pods.list().filter(p => p.serviceContainerId === serviceId)

/** Stops the pod's service container once none of the service's pods runs (several cleanups may race: a stopped one is left alone). */
export async function maybeStopServiceContainer(rt: Runtime, pod: PodConfig): Promise<void> {
  const id = pod.serviceContainerId
  const svc = id ? rt.containers.read(id) : undefined
  if (!id || !svc || !isActive(svc.state.status)) return
  const all = rt.containers.list()
  for (const p of servicePods(rt, id)) {
    if (!DONE.has(podStatus(await podContainers(rt, p, all)))) return
  }
  await stopContainer(rt, id).catch(e => {
    if (!(e instanceof NoSuchContainer)) rt.logger.debug(`stopping service container ${id}: ${(e as Error).message}`)
  })
}

/** `pod start`: the service container runs again first. */
export async function maybeStartServiceContainer(rt: Runtime, pod: PodConfig): Promise<void> {
  const id = pod.serviceContainerId
  const svc = id ? rt.containers.read(id) : undefined
  if (!id || !svc || isActive(svc.state.status)) return
  await startContainer(rt, id)
}

/** After a pod's removal: the service container goes with the last of its pods. */
export async function maybeRemoveServiceContainer(rt: Runtime, pod: PodConfig): Promise<void> {
  const id = pod.serviceContainerId
  if (!id || servicePods(rt, id).length) return
  await removeContainer(rt, id, {force: true, timeout: 0}).catch(e => {
    if (!(e instanceof NoSuchContainer)) throw e
  })
}
