// A pod's containers, read from the container store (members record their
// pod's ID in their own config).
import type {Runtime} from '../runtime.js'
import {syncContainer} from '../container/sync.js'
import type {Container} from '../container/types.js'
import type {PodConfig} from './types.js'
import {collate} from '../util/collate.js'

/** The pod's containers (infra included), synced with reality, oldest first. */
export async function podContainers(rt: Runtime, pod: PodConfig, all = rt.containers.list()): Promise<Container[]> {
  const list = await Promise.all(all.filter(c => c.config.pod === pod.id).map(c => syncContainer(rt, c)))
  return list.filter(c => c.state.status !== 'removing').sort((a, b) => collate(a.config.created, b.config.created))
}
