// The rest of the lifecycle: kill, stop, wait, cleanup (the monitor's exit
// command), remove, and noticing a monitor that died (SIGKILL) so that a
// container is never reported running forever.
import {containerEvent} from '../events/log.js'
import {existsSync, rmSync, watch, writeFileSync} from 'node:fs'
import {constants} from 'node:os'
import path from 'node:path'
import {containerBeingRemoved, ContainerStateImproper, DependencyExists, InfraContainerRemoval, InvalidArgument, NameInUse, NoSuchContainer, noSuchContainer} from '../define/errors.js'
import type {Runtime} from '../runtime.js'
import {readJson} from '../state/atomic.js'
import {rootfsDirs, unmountRootfs} from '../storage/mount.js'
import {releaseMounts} from '../volume/prepare.js'
import {removeAnonymousVolumes} from '../volume/usage.js'
import {monitorAlive} from './liveness.js'
import {inNamespace, syncContainer, type ExitStatus} from './sync.js'
import {containerPaths} from './paths.js'
import {releaseBundle, startContainer} from './start.js'
import {teardownContainerNetwork} from '../network/setup.js'
import type {Container, ContainerState} from './types.js'
import {checkTransition, isActive} from '../define/state.js'
import {labelMatches} from '../util/filters.js'
import {parseTime} from '../util/time.js'
import {ociFor} from '../oci/runtime.js'
import {restartIfDue, shouldRestart} from './life.js'
import {failpoint} from '../util/failpoint.js'
import {ownerToken} from '../util/owner.js'
import {killStrayMonitor} from './stray-monitor.js'

export {ContainerStateImproper, DependencyExists}
export {syncContainer}



/** Signal name or number → the name runc takes (KILL, TERM, 9 …). */
export function normalizeSignal(sig: string): string {
  const s = sig.toUpperCase().replace(/^SIG/, '')
  if (/^\d+$/.test(s)) {
    if (Number(s) < 1 || Number(s) > 64) throw new InvalidArgument(`invalid signal: ${sig}`)
    return s
  }
  if (!(`SIG${s}` in constants.signals)) throw new InvalidArgument(`invalid signal: ${sig}`)
  return s
}


/** The runtime's delete, for cleanup and rm: a runtime that is gone (or was never there) must not wedge a container. */
async function runtimeDelete(rt: Runtime, c: Container): Promise<void> {
  try {
    const oci = ociFor(rt, c.config)
    if (oci.hasState?.(c.config.id) === false) return // nothing to delete: no runtime process to start
    await oci.delete(c.config.id, {force: true})
  } catch {
    // never created in the runtime, or the runtime is missing
  }
}

/** Sends a signal to the container's process through the runtime. */
export async function killContainer(rt: Runtime, nameOrId: string, signal = 'KILL'): Promise<Container> {
  const sig = normalizeSignal(signal)
  const c = await syncContainer(rt, rt.containers.lookup(nameOrId))
  checkTransition('kill', c.config.id, c.state.status)
  // As Podman's: a container killed by the user is not restarted by its policy.
  if (c.config.life?.restartPolicy) await rt.containers.update(c.config.id, s => ({...s, stoppedByUser: true}))
  await ociFor(rt, c.config).kill(c.config.id, sig)
  containerEvent(rt.config, c.config, 'kill')
  return c
}

/** Resolves when the container's state is no longer active, or after timeoutMs (false). */
export function waitExited(rt: Runtime, id: string, timeoutMs = Infinity): Promise<boolean> {
  return waitForState(rt, id, s => !isActive(s.status), timeoutMs)
}

/**
 * Resolves true when `done(state)` holds (or the container is gone), false
 * after timeoutMs. Woken by changes to the container's documents.
 */
export function waitForState(rt: Runtime, id: string, done: (s: ContainerState) => boolean, timeoutMs = Infinity, orFile?: string): Promise<boolean> {
  const dir = rt.containers.containerDir(id)
  return new Promise(resolve => {
    let finished = false
    // Declared before finish() can run: a directory removed meanwhile (a concurrent rm) finishes at
    // once, and a `const` below would still be in its TDZ ("Cannot access 'timer' before initialization").
    let timer: ReturnType<typeof setTimeout> | undefined
    let liveness: ReturnType<typeof setInterval> | undefined
    const finish = (v: boolean) => {
      if (finished) return
      finished = true
      watcher?.close()
      fileWatcher?.close()
      clearTimeout(timer)
      clearInterval(liveness)
      resolve(v)
    }
    const check = () => {
      if (orFile && existsSync(orFile)) return finish(true)
      const c = rt.containers.read(id)
      if (!c || done(c.state)) finish(true)
    }
    let watcher: ReturnType<typeof watch> | undefined
    let fileWatcher: ReturnType<typeof watch> | undefined
    // orFile (the monitor's exit file) comes before the exit command records the exit.
    if (orFile) {
      try {
        fileWatcher = watch(path.dirname(orFile), () => check())
        fileWatcher.on('error', () => {})
      } catch {
        // no run dir: the state document decides
      }
    }
    try {
      watcher = watch(dir, () => check())
      watcher.on('error', () => finish(true))
    } catch {
      return finish(true)
    }
    timer = timeoutMs === Infinity ? undefined : setTimeout(() => finish(false), timeoutMs)
    // A monitor killed outright writes nothing: notice it on this slow tick.
    liveness = setInterval(() => {
      const c = rt.containers.read(id)
      // (a state that cannot be recorded, e.g. on a full disk, must not make the wait endless)
      if (c && isActive(c.state.status) && !monitorAlive(c)) void syncContainer(rt, c).then(now => (done(now.state) ? finish(true) : check()), check)
    }, 500)
    check()
  })
}

/**
 * Tells the container's monitor that this process cleans up after the exit
 * (conmon/protocol.ts, CLEANUP CLAIMED), so it runs no exit command. Only
 * inside the namespace, where the cleanup can unmount. False: not claimed.
 */
export function claimCleanup(rt: Runtime, id: string): boolean {
  if (!inNamespace(rt)) return false
  try {
    writeFileSync(path.join(path.dirname(containerPaths(rt, id).exitFile), 'cleanup-claimed'), '')
    return true
  } catch {
    return false // no run dir: nothing is running
  }
}

/** Stop: the stop signal, then SIGKILL after the timeout (Podman's -t, default the container's). */
export async function stopContainer(rt: Runtime, nameOrId: string, timeoutSec?: number): Promise<Container> {
  let c = await syncContainer(rt, rt.containers.lookup(nameOrId))
  const id = c.config.id
  if (c.state.status === 'initialized') return uninitContainer(rt, id)
  // --restart: a policy's start in flight ends first (under the lock); from then on the policy stands down
  if (c.config.life?.restartPolicy) c = {...c, state: await rt.containers.update(id, s => ({...s, stoppedByUser: true}))}
  if (!isActive(c.state.status)) return c
  await rt.containers.update(id, s => ({...s, stoppedByUser: true}))
  const timeout = timeoutSec ?? c.config.stopTimeout
  // In the namespace the cleanup below records the exit: the monitor's exit file is enough to go
  // on, and the monitor need not run its exit command (conmon/protocol.ts, CLEANUP CLAIMED).
  const exitFile = claimCleanup(rt, id) ? containerPaths(rt, id).exitFile : undefined
  // Exited already (its exit command not yet recorded it; rm -f right after a short run): no signal
  // to send, and no runtime process to send it with.
  let done = exitFile !== undefined && existsSync(exitFile)
  const exited = (ms: number) => waitForState(rt, id, s => !isActive(s.status), ms, exitFile)
  // Through a promise: a runtime that is gone must not throw past the stop.
  const kill = (sig: string) => Promise.resolve().then(() => ociFor(rt, c.config).kill(id, sig)).catch(() => {})
  if (!done && timeout > 0) {
    await kill(normalizeSignal(c.config.stopSignal))
    failpoint('container.stop.after-signal')
    done = await exited(timeout * 1000)
  }
  if (!done) {
    await kill('KILL')
    await exited(30_000)
  }
  // As Podman's stop: return once the container is cleaned up (unmounted),
  // not merely exited; the monitor's exit command may still be at it.
  if (inNamespace(rt)) await cleanupContainer(rt, id).catch(() => {})
  c = rt.containers.read(id) ?? c
  containerEvent(rt.config, c.config, 'stop')
  return c
}

/** Stopping an initialized container (mounted, never run): release it, as Podman it ends up exited. */
async function uninitContainer(rt: Runtime, id: string): Promise<Container> {
  await rt.containers.locked(id, async () => {
    const c = rt.containers.read(id)
    if (!c || c.state.status !== 'initialized') return
    await releaseBundle(rt, containerPaths(rt, id))
    rt.containers.updateHeld(id, s => ({...s, status: 'exited', exitCode: 0, finishedAt: new Date().toISOString(), mountPoint: undefined}))
  })
  return rt.containers.lookup(id)
}

/** `restart`: stop (when running) then start again. */
export async function restartContainer(rt: Runtime, nameOrId: string, timeoutSec?: number): Promise<Container> {
  const c = await syncContainer(rt, rt.containers.lookup(nameOrId))
  if (isActive(c.state.status)) await stopContainer(rt, c.config.id, timeoutSec)
  await startContainer(rt, c.config.id)
  containerEvent(rt.config, c.config, 'restart')
  return rt.containers.lookup(c.config.id)
}

/** `rename`: the new name is reserved before the old one is released, under the store lock. */
export async function renameContainer(rt: Runtime, nameOrId: string, newName: string): Promise<Container> {
  const c = rt.containers.lookup(nameOrId)
  const id = c.config.id
  await rt.store.locked(() => rt.containers.locked(id, () => {
    const cur = rt.containers.read(id)
    if (!cur) throw noSuchContainer(nameOrId)
    if (cur.state.status === 'removing') throw containerBeingRemoved(id)
    try {
      rt.containers.reserveName(newName, id)
    } catch (e) {
      if (!(e instanceof NameInUse)) throw e
      throw new NameInUse(`renaming container ${id}: name ${newName} already in use, cannot rename container ${id}: container already exists`)
    }
    rt.containers.writeConfig({...cur.config, name: newName})
    rt.containers.releaseName(cur.config.name, id)
  }))
  const renamed = rt.containers.lookup(id)
  containerEvent(rt.config, renamed.config, 'rename')
  return renamed
}

/** Containers that need this one (they joined its network namespace: --network container:X; or its cgroup namespace). */
export function dependentsOf(rt: Runtime, c: Container, all = rt.containers.list()): Container[] {
  return all.filter(o => {
    if (o.config.id === c.config.id) return false
    if (o.config.resources?.cgroupns === `container:${c.config.id}`) return true
    if (!o.config.network.startsWith('container:')) return false
    const ref = o.config.network.slice('container:'.length)
    return ref === c.config.name || (ref.length >= 3 && c.config.id.startsWith(ref))
  })
}

/**
 * `container prune`: removes every container that is not running (Podman:
 * created, initialized, stopped, exited), with the label/until filters.
 */
export async function pruneContainers(rt: Runtime, filters: string[] = []): Promise<{removed: string[]; errors: Error[]}> {
  const preds = filters.map(f => pruneFilter(f))
  const list = await Promise.all(rt.containers.list().map(c => syncContainer(rt, c)))
  const removed: string[] = []
  const errors: Error[] = []
  for (const c of list) {
    if (isActive(c.state.status) || c.state.status === 'removing') continue
    if (!preds.every(p => p(c))) continue
    try {
      await removeContainer(rt, c.config.id, {force: true})
      removed.push(c.config.id)
    } catch (e) {
      if (!(e instanceof NoSuchContainer)) errors.push(e as Error)
    }
  }
  return {removed, errors}
}

function pruneFilter(f: string): (c: Container) => boolean {
  const eq = f.indexOf('=')
  if (eq === -1) throw new InvalidArgument(`invalid filter "${f}": must be in the format "filter=value"`)
  let key = f.slice(0, eq)
  const value = f.slice(eq + 1)
  const negate = key.endsWith('!')
  if (negate) key = key.slice(0, -1)
  let pred: (c: Container) => boolean
  if (key === 'label') {
    pred = c => labelMatches(c.config.labels, value)
  } else if (key === 'until') {
    const t = parseTime(value)
    pred = c => Date.parse(c.config.created) < t
  } else {
    throw new InvalidArgument(`${key} is an invalid filter`)
  }
  return negate ? c => !pred(c) : pred
}

/**
 * `container cleanup`, the monitor's exit command: record the exit status,
 * release the runtime's state, unmount, and for --rm remove the container.
 * Idempotent: `run` and the monitor may both call it.
 */
export async function cleanupContainer(rt: Runtime, id: string, opts: {fromSync?: boolean} = {}): Promise<void> {
  const c0 = rt.containers.find(id)
  if (!c0) {
    // Removed meanwhile (run --rm removes it itself): whatever the monitor
    // wrote since (its exit file) must not outlive it.
    if (/^[0-9a-f]{64}$/.test(id)) rmSync(containerPaths(rt, id).run, {recursive: true, force: true})
    return
  }
  const p = containerPaths(rt, id)
  let remove = false
  let restart = false
  await rt.containers.locked(id, async () => {
    const c = rt.containers.read(id)
    if (!c) return
    if (isActive(c.state.status) && !opts.fromSync && monitorAlive(c) && !existsSync(p.exitFile)) return
    const exit = readJson<ExitStatus>(p.exitFile)
    const wasActive = isActive(c.state.status)
    const hadWork = wasActive || c.state.mountPoint !== undefined
    if (exit || isActive(c.state.status)) {
      rt.containers.updateHeld(id, s => isActive(s.status) || exit
        ? {...s, status: 'exited', exitCode: exit?.exitCode ?? s.exitCode, finishedAt: exit?.finishedAt ?? s.finishedAt ?? new Date().toISOString(), oomKilled: exit?.oomKilled, pid: undefined}
        : s)
    }
    await runtimeDelete(rt, c)
    await teardownContainerNetwork(rt, id).catch(() => {}) // NETWORK
    await unmountRootfs(rt.store, p.dir)
    await releaseMounts(rt, c.config).catch(() => {})
    rmSync(p.run, {recursive: true, force: true})
    rt.containers.updateHeld(id, s => ({...s, mountPoint: undefined}))
    // --restart: the exit command (or whoever cleans up first) starts it again
    restart = !opts.fromSync && shouldRestart(c.config, rt.containers.read(id)?.state ?? c.state)
    remove = c.config.remove && !restart
    // Once per exit: run and the monitor may both clean up.
    if (wasActive) containerEvent(rt.config, c.config, 'died', {ContainerExitCode: exit?.exitCode ?? c.state.exitCode ?? 0})
    if (hadWork) containerEvent(rt.config, c.config, 'cleanup')
  })
  if (restart && await restartIfDue(rt, id, startContainer)) return
  if (remove) await removeContainer(rt, id, {force: true}).catch(e => {
    if (!(e instanceof NoSuchContainer)) throw e
  })
  // POD: exit policy `stop` stops the infra once the last member has exited
  if (c0.config.pod && !c0.config.isInfra) await rt.hooks.afterExit(rt, c0.config).catch(() => {})
}

/** `rm`: refuses a running container unless forced (then stops it first). */
export async function removeContainer(rt: Runtime, nameOrId: string, opts: {force?: boolean; timeout?: number; depend?: boolean; volumes?: boolean; withPod?: boolean} = {}): Promise<string[]> {
  let c = await syncContainer(rt, rt.containers.lookup(nameOrId))
  const id = c.config.id
  // POD: the infra container goes with its pod only (pod rm removes the pod's document first);
  // withPod (rm -a): the last container of a pod takes the pod with it, as Podman's.
  if (c.config.isInfra && c.config.pod && rt.pods.read(c.config.pod)) {
    const others = rt.containers.list().some(o => o.config.pod === c.config.pod && o.config.id !== id)
    // rm -af (as Podman's): the pod goes with its infra even when a member was created after the
    // listing (the storm: rm -af failed over a `run -d --pod` next to it).
    if (!opts.withPod || (others && !opts.force)) throw new InfraContainerRemoval(`container ${id} is the infra container of pod ${c.config.pod} and cannot be removed without removing the pod`)
    await rt.hooks.removePod(rt, c.config.pod, {force: opts.force, timeout: opts.timeout})
    return [id]
  }
  const removed: string[] = []
  const deps = dependentsOf(rt, c)
  if (deps.length) {
    if (!opts.depend) {
      throw new DependencyExists(`container ${id} has dependent containers which must be removed before it: ${deps.map(d => d.config.id).join(',')}: container already exists`)
    }
    for (const d of deps) removed.push(...await removeContainer(rt, d.config.id, opts).catch(e => {
      if (e instanceof NoSuchContainer) return []
      throw e
    }))
  }
  if (isActive(c.state.status) || c.state.status === 'initialized') {
    if (!opts.force) checkTransition('remove', id, c.state.status)
    // As Podman: a forced removal stops gracefully first (the container's stop timeout unless given).
    c = await stopContainer(rt, id, opts.timeout)
  }
  const p = containerPaths(rt, id)
  const config = await rt.containers.locked(id, async () => {
    const cur = rt.containers.read(id)
    if (!cur) return undefined
    if (cur.state.status === 'removing' && !rt.containers.removalAbandoned(cur)) return 'elsewhere' as const
    // A monitor its start never recorded (start killed mid-way) dies with the container.
    await killStrayMonitor(p)
    await runtimeDelete(rt, cur)
    await teardownContainerNetwork(rt, id).catch(() => {}) // NETWORK
    await unmountRootfs(rt.store, p.dir)
    await releaseMounts(rt, cur.config).catch(() => {})
    rmSync(p.run, {recursive: true, force: true})
    failpoint('container.rm.after-release')
    // 'removing' keeps a concurrent start away once the lock is released.
    // The remover's token tells a later command whether this rm was killed before it finished.
    const mark = () => rt.containers.updateHeld(id, s => ({...s, status: 'removing', remover: ownerToken()}))
    try {
      mark()
    } catch (e) {
      // A full disk: the container's own writes (what rm discards anyway) make the room the mark needs
      if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e
      rmSync(rootfsDirs(p.dir).base, {recursive: true, force: true})
      mark()
    }
    return cur.config
  })
  if (!config) throw noSuchContainer(nameOrId)
  if (config === 'elsewhere') {
    // Another rm marked it and let the lock go (rm -af next to rm NAME, in the storm): as Podman's
    // second rm, which waits on the container's lock, wait for that one to finish rather than
    // remove it twice; a remover killed meanwhile leaves the removal to this one.
    const settled = await waitForState(rt, id, s => s.status !== 'removing' || rt.containers.removalAbandoned({config: c.config, state: s}), 30_000)
    if (!settled) throw containerBeingRemoved(id)
    if (rt.containers.read(id)) return removeContainer(rt, id, opts)
    throw noSuchContainer(nameOrId)
  }
  failpoint('container.rm.after-mark')
  // The store lock (never taken while holding a container's): names and image users are store-wide.
  // The container's lock too (store first, then container, as everywhere): a command that holds it
  // (a concurrent rm -af, stop, the exit command) must not have the directory go under its write
  // ("ENOENT ... rename .state.json.PID.tmp" from rm -af in the storm).
  await rt.store.locked(() => rt.containers.locked(id, () => rt.containers.remove(config)))
  failpoint('container.rm.after-remove')
  rmSync(path.join(rt.containers.containerDir(id)), {recursive: true, force: true})
  containerEvent(rt.config, config, 'remove')
  // rm -v, and --rm: the container's anonymous volumes go with it
  if (opts.volumes || config.remove) await removeAnonymousVolumes(rt, config)
  removed.push(id)
  return removed
}

export type {ContainerState}
