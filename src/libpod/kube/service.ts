// kube play --service-container: one extra container, as Podman 4.3.1 makes
// it for systemd (`podman-kube@.service`): the pause image with no network,
// named `<first 12 hex of the YAML's sha256>-service`, started before the
// pods. Its life is the pods' (runtime/service-container.ts): it stops when
// they are all done and goes with the last of them (kube down).
import {createHash} from 'node:crypto'
import {NoSuchContainer} from '../define/errors.js'
import type {Runtime} from '../runtime.js'
import type {ContainerConfig} from '../container/types.js'
import {newContainer} from '../create.js'
import {ensureInfraImage, INFRA_COMMAND} from '../pod/infra-image.js'

/** Marks the service container (inspect shows it in Config.Labels). */
export const SERVICE_LABEL = 'io.podman.kube.service'

export function serviceContainerName(text: string): string {
  return `${createHash('sha256').update(text).digest('hex').slice(0, 12)}-service`
}

export async function createServiceContainer(rt: Runtime, text: string): Promise<ContainerConfig> {
  return newContainer(rt, {
    name: serviceContainerName(text),
    image: await ensureInfraImage(rt),
    entrypoint: INFRA_COMMAND,
    command: [],
    network: {netns: {mode: 'none'}},
    labels: {[SERVICE_LABEL]: 'true'},
    sdNotifyMode: 'ignore',
    // Podman's: stopping the service (its pods are done) kills it at once, exit 137.
    stopTimeout: 0,
  })
}

/** Removes the YAML's service container if there is one; its ID. */
export async function removeServiceContainer(rt: Runtime, text: string): Promise<string | undefined> {
  const name = serviceContainerName(text)
  const c = rt.containers.list().find(x => x.config.name === name)
  if (!c) return undefined
  try {
    await rt.container(c.config.id).remove({force: true, timeout: 0})
  } catch (e) {
    if (!(e instanceof NoSuchContainer)) throw e
  }
  return c.config.id
}
