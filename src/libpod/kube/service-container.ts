// kube play --service-container (what Quadlet's .kube units run), as Podman
// 4.3.1: a container of the pause image, named after the YAML's digest
// (`<12 hex>-service`), started before the pods. systemd tracks it: once the
// pods run, play sends READY=1 with MAINPID=<its monitor> to the unit's
// NOTIFY_SOCKET (the pods' own containers do not notify), and `kube down`
// removes it with the pods.
import {createHash} from 'node:crypto'
import type {Runtime} from '../runtime.js'
import {createContainer} from '../container/create.js'
import {sendReady} from '../container/sdnotify.js'
import {ensureInfraImage, INFRA_COMMAND} from '../pod/infra-image.js'

/** Podman's name for the service container of a YAML. */
export function serviceContainerName(yaml: string): string {
  return `${createHash('sha256').update(yaml).digest('hex').slice(0, 12)}-service`
}

/** Removes the YAML's service container when there is one. */
export async function removeServiceContainer(rt: Runtime, yaml: string): Promise<void> {
  const c = rt.containers.find(serviceContainerName(yaml))
  if (c) await rt.container(c.config.id).remove({force: true})
}

/**
 * Creates and starts the service container (replacing an old one). Takes
 * NOTIFY_SOCKET out of this process's environment, so that the pods'
 * containers leave the unit alone; returns what ready() needs.
 */
export async function startServiceContainer(rt: Runtime, yaml: string): Promise<{ready: () => void}> {
  await removeServiceContainer(rt, yaml)
  const socket = process.env.NOTIFY_SOCKET
  delete process.env.NOTIFY_SOCKET
  const image = await ensureInfraImage(rt)
  const cfg = await createContainer(rt, {
    image, name: serviceContainerName(yaml), entrypoint: INFRA_COMMAND, command: [],
    network: {netns: {mode: 'none'}}, sdNotifyMode: 'ignore',
  })
  await rt.container(cfg.id).start()
  return {
    ready: () => {
      const pid = rt.containers.read(cfg.id)?.state.monitorPid
      if (socket) sendReady(socket, pid)
    },
  }
}
