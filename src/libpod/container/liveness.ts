// Whether a container's monitor still runs: a live pid that is still our
// monitor (its command line names conmon), not a reused pid.
import {processAlive} from '../util/liveness.js'
import type {Container} from './types.js'

export function monitorAlive(c: Container): boolean {
  return processAlive(c.state.monitorPid, 'conmon')
}
