// A pod's status, derived from its containers as Podman does.
import type {Container} from '../container/types.js'
import {podStatusOf, type PodStatus} from '../define/state.js'

export function podStatus(containers: Container[]): PodStatus {
  return podStatusOf(containers.map(c => c.state.status))
}
