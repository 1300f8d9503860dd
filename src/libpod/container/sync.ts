// Noticing a monitor that died (SIGKILL) so that a container is never
// reported running forever. Its own module because every reader (ps,
// inspect, top, port, stats) calls it: the cleanup it may need, with the
// OCI runtime and network teardown behind it, loads only when a monitor
// really died.
import type {Runtime} from '../runtime.js'
import {exitCommandArgv} from './exit-command.js'
import {readJson} from '../state/atomic.js'
import {isActive} from '../define/state.js'
import {containerEvent} from '../events/log.js'
import {resumeAbandonedRemoval} from './abandoned-removal.js'
import {monitorAlive} from './liveness.js'
import {containerPaths} from './paths.js'
import {childProcess} from '../util/builtins.js'
import type {ContainerState, Container} from './types.js'

export interface ExitStatus { exitCode: number; finishedAt: string; error?: string; oomKilled?: boolean }

/** True when this process can run the OCI runtime and unmount (root, or inside our user namespace). */
export function inNamespace(rt: Runtime): boolean {
  return !rt.config.rootless || Boolean(process.env.PEAPOD_ROOTLESS_UID)
}

/**
 * Brings a container's state in line with reality: a running container
 * whose monitor is gone has exited (with the exit file's code when the
 * monitor wrote one). Cheap when nothing is wrong: one kill(pid, 0).
 */
export async function syncContainer(rt: Runtime, c: Container): Promise<Container> {
  if (rt.containers.removalAbandoned(c)) return resumeAbandonedRemoval(rt, c)
  if (!isActive(c.state.status) || monitorAlive(c)) return c
  const p = containerPaths(rt, c.config.id)
  let died: number | undefined
  let seen: ContainerState | undefined
  const state = await rt.containers.update(c.config.id, s => {
    if (!isActive(s.status)) return s
    const exit = readJson<ExitStatus>(p.exitFile)
    died = exit?.exitCode ?? 137
    return seen = {...s, status: 'exited' as const, exitCode: exit?.exitCode ?? 137, finishedAt: exit?.finishedAt ?? new Date().toISOString(),
      error: exit ? s.error : 'container monitor died', pid: undefined}
  }).catch(() => seen ?? c.state) // (not recorded, e.g. a full disk: the caller still sees it exited)
  if (died !== undefined) containerEvent(rt.config, c.config, 'died', {ContainerExitCode: died})
  if (inNamespace(rt)) {
    await rt.hooks.cleanup(rt, c.config.id, {fromSync: true}).catch(() => {})
  } else if (died !== undefined) {
    // (rootless ps, inspect: not in our namespace) The container's runtime, mounts and network are
    // still there, its processes running: a peapod that joins the namespace cleans up, as the
    // dead monitor's exit command would have. Left to the next start, its runtime refused the
    // container ("container with given ID already exists"; the storm, issue 17).
    cleanupInNamespace(rt, c.config.id)
  }
  return {config: c.config, state}
}

/** Runs the exit command (the cleanup of ID) detached, as the monitor does. */
function cleanupInNamespace(rt: Runtime, id: string): void {
  const argv = exitCommandArgv(rt, id)
  try {
    childProcess().spawn(argv[0], argv.slice(1), {detached: true, stdio: 'ignore'}).unref()
  } catch {
    // the next command in the namespace (start, rm) releases what is left
  }
}
