// kube play --service-container under systemd (Quadlet's .kube units): the
// service container (kube/service.ts) stands for the unit. The pods' own
// containers must leave the unit's NOTIFY_SOCKET alone, and once the pods
// run, play sends READY=1 with MAINPID=<the service container's monitor>.
import type {Runtime} from '../runtime.js'
import {sendReady} from '../container/sdnotify.js'

/** Takes NOTIFY_SOCKET out of this process's environment (the containers made next inherit it otherwise). */
export function takeNotifySocket(): string | undefined {
  const socket = process.env.NOTIFY_SOCKET
  delete process.env.NOTIFY_SOCKET
  return socket
}

/** READY=1 to systemd, with the service container's monitor as the unit's main process. */
export function notifyServiceReady(rt: Runtime, serviceId: string, socket: string | undefined): void {
  if (socket) sendReady(socket, rt.containers.read(serviceId)?.state.monitorPid)
}
