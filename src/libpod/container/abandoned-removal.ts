// A container left in 'removing' by an rm that was killed after it marked
// it (its remover's owner token names a dead process): the container was
// already stopped and released, so it goes back to exited (created when it
// never ran), and is listed, removable and holds its name as any other.
// syncContainer calls this, so every command that reads a container sees it.
import type {Runtime} from '../runtime.js'
import type {Container} from './types.js'

export async function resumeAbandonedRemoval(rt: Runtime, c: Container): Promise<Container> {
  const state = await rt.containers.update(c.config.id, s => {
    if (!rt.containers.removalAbandoned({config: c.config, state: s})) return s
    return {...s, status: s.startedAt ? 'exited' : 'created', remover: undefined, pid: undefined, mountPoint: undefined}
  }).catch(() => c.state)
  return {config: c.config, state}
}
