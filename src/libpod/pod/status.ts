// A pod's status, derived from its containers as Podman does.
import type {Container} from '../container/types.js'
import type {PodStatus} from './types.js'

export function podStatus(containers: Container[]): PodStatus {
  if (containers.length === 0) return 'Created'
  let running = 0, paused = 0, stopped = 0, created = 0, errored = 0
  for (const c of containers) {
    switch (c.state.status) {
      case 'running': running++; break
      case 'paused': paused++; break
      case 'exited': case 'stopped': stopped++; break
      case 'created': case 'configured': case 'initialized': created++; break
      default: errored++
    }
  }
  const n = containers.length
  if (running > 0) return running === n ? 'Running' : 'Degraded'
  if (paused === n) return 'Paused'
  if (stopped === n) return 'Exited'
  if (stopped > 0) return 'Stopped'
  if (errored > 0) return 'Error'
  return 'Created'
}
