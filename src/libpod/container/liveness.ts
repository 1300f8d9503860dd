// Whether a container's monitor still runs: the states in which it must, and
// the check (a live pid that is still our monitor, not a reused pid).
import {readFileSync} from 'node:fs'
import {pidAlive} from '../storage/layers.js'
import type {Container} from './types.js'

export function monitorAlive(c: Container): boolean {
  const pid = c.state.monitorPid
  if (!pid || !pidAlive(pid)) return false
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('conmon')
  } catch {
    return false
  }
}
