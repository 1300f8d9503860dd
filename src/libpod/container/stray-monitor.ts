// A monitor whose start was never recorded: `start` was killed after it
// forked the monitor and before it wrote 'running' into the state. Nothing
// knows that monitor, so rm and start kill it (its session: the monitor
// and its runtime) before they release or reuse the container's run dir.
import {readFileSync} from 'node:fs'
import {pidRunning, processAlive} from '../util/liveness.js'
import type {ContainerPaths} from './paths.js'

/** Kills the run dir's monitor if one still runs; resolves once it is gone (at most ~5 s). */
export async function killStrayMonitor(p: ContainerPaths): Promise<boolean> {
  let pid: number
  try {
    pid = Number(readFileSync(p.monitorPid, 'utf8').trim())
  } catch {
    return false
  }
  if (!pid || !processAlive(pid, 'conmon')) return false
  try {
    process.kill(-pid, 'SIGKILL') // the monitor leads its own session (launched detached)
  } catch {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      return false
    }
  }
  for (let i = 0; i < 250 && pidRunning(pid); i++) await new Promise(r => setTimeout(r, 20))
  return true
}
