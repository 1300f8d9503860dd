// `run/create --pod new:NAME`: the pod is created first, carrying the
// container's published ports (they belong to the infra); if the container
// cannot be created the pod goes again.
import type {Runtime} from '../runtime.js'
import {createContainer, type CreateOptions} from '../container/create.js'
import type {ContainerConfig} from '../container/types.js'
import {InvalidArgument} from '../define/errors.js'
import {createPod} from './create.js'
import {removePod} from './ops.js'

export async function createInNewPod(rt: Runtime, opts: CreateOptions): Promise<ContainerConfig> {
  const name = opts.pod!.slice('new:'.length)
  if (!name) throw new InvalidArgument('new pod name must be at least one character')
  const net = opts.net ?? {}
  const pod = await createPod(rt, {name, net: {publish: net.publish ?? []}, createCommand: opts.createCommand})
  try {
    return await createContainer(rt, {...opts, pod: pod.id, net: {...net, publish: []}})
  } catch (e) {
    await removePod(rt, pod.id, {force: true}).catch(() => {})
    throw e
  }
}
