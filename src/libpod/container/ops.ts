// The rest of the lifecycle: kill, stop, wait, cleanup (the monitor's exit
// command), remove, and noticing a monitor that died (SIGKILL) so that a
// container is never reported running forever.
import {existsSync, readFileSync, rmSync, watch} from 'node:fs'
import {constants} from 'node:os'
import path from 'node:path'
import {InvalidArgument, NoSuchContainer, PeapodError} from '../errors.js'
import type {Runtime} from '../runtime.js'
import {readJson} from '../state/atomic.js'
import {unmountRootfs} from '../storage/mount.js'
import {pidAlive} from '../storage/layers.js'
import {containerPaths} from './paths.js'
import {runtimeCommand} from './start.js'
import type {Container, ContainerState} from './types.js'

export class ContainerStateImproper extends PeapodError {}

interface ExitStatus { exitCode: number; finishedAt: string; error?: string; oomKilled?: boolean }

const ACTIVE = new Set(['running', 'paused', 'stopping'])

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

function monitorAlive(rt: Runtime, c: Container): boolean {
  const pid = c.state.monitorPid
  if (!pid || !pidAlive(pid)) return false
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('conmon')
  } catch {
    return false
  }
}

/** True when this process can run the OCI runtime and unmount (root, or inside our user namespace). */
function inNamespace(rt: Runtime): boolean {
  return !rt.config.rootless || Boolean(process.env.PEAPOD_ROOTLESS_UID)
}

/**
 * Brings a container's state in line with reality: a running container
 * whose monitor is gone has exited (with the exit file's code when the
 * monitor wrote one). Cheap when nothing is wrong: one kill(pid, 0).
 */
export async function syncContainer(rt: Runtime, c: Container): Promise<Container> {
  if (!ACTIVE.has(c.state.status) || monitorAlive(rt, c)) return c
  const p = containerPaths(rt, c.config.id)
  const state = await rt.containers.update(c.config.id, s => {
    if (!ACTIVE.has(s.status)) return s
    const exit = readJson<ExitStatus>(p.exitFile)
    return {...s, status: 'exited', exitCode: exit?.exitCode ?? 137, finishedAt: exit?.finishedAt ?? new Date().toISOString(),
      error: exit ? s.error : 'container monitor died', pid: undefined}
  }).catch(() => c.state)
  if (inNamespace(rt)) await cleanupContainer(rt, c.config.id, {fromSync: true}).catch(() => {})
  return {config: c.config, state}
}

/** Sends a signal to the container's process through the runtime. */
export async function killContainer(rt: Runtime, nameOrId: string, signal = 'KILL'): Promise<Container> {
  const sig = normalizeSignal(signal)
  const c = await syncContainer(rt, rt.containers.lookup(nameOrId))
  if (c.state.status !== 'running' && c.state.status !== 'paused') {
    throw new ContainerStateImproper(`can only kill running containers. ${c.config.id} is in state ${c.state.status}: container state improper`)
  }
  await runtimeCommand(rt, c.config, ['kill', c.config.id, sig])
  return c
}

/** Resolves when the container's state is no longer active, or after timeoutMs (false). */
export function waitExited(rt: Runtime, id: string, timeoutMs = Infinity): Promise<boolean> {
  return waitForState(rt, id, s => !ACTIVE.has(s.status), timeoutMs)
}

/**
 * Resolves true when `done(state)` holds (or the container is gone), false
 * after timeoutMs. Woken by changes to the container's documents.
 */
export function waitForState(rt: Runtime, id: string, done: (s: ContainerState) => boolean, timeoutMs = Infinity): Promise<boolean> {
  const dir = rt.containers.containerDir(id)
  return new Promise(resolve => {
    let finished = false
    const finish = (v: boolean) => {
      if (finished) return
      finished = true
      watcher?.close()
      clearTimeout(timer)
      clearInterval(liveness)
      resolve(v)
    }
    const check = () => {
      const c = rt.containers.read(id)
      if (!c || done(c.state)) finish(true)
    }
    let watcher: ReturnType<typeof watch> | undefined
    try {
      watcher = watch(dir, () => check())
      watcher.on('error', () => finish(true))
    } catch {
      return finish(true)
    }
    const timer = timeoutMs === Infinity ? undefined : setTimeout(() => finish(false), timeoutMs)
    // A monitor killed outright writes nothing: notice it on this slow tick.
    const liveness = setInterval(() => {
      const c = rt.containers.read(id)
      if (c && ACTIVE.has(c.state.status) && !monitorAlive(rt, c)) void syncContainer(rt, c).then(check)
    }, 500)
    check()
  })
}

/** Stop: the stop signal, then SIGKILL after the timeout (Podman's -t, default the container's). */
export async function stopContainer(rt: Runtime, nameOrId: string, timeoutSec?: number): Promise<Container> {
  let c = await syncContainer(rt, rt.containers.lookup(nameOrId))
  const id = c.config.id
  if (!ACTIVE.has(c.state.status)) return c
  await rt.containers.update(id, s => ({...s, stoppedByUser: true}))
  const timeout = timeoutSec ?? c.config.stopTimeout
  if (timeout > 0) {
    await runtimeCommand(rt, c.config, ['kill', id, normalizeSignal(c.config.stopSignal)]).catch(() => {})
    if (await waitExited(rt, id, timeout * 1000)) return rt.containers.read(id) ?? c
  }
  await runtimeCommand(rt, c.config, ['kill', id, 'KILL']).catch(() => {})
  await waitExited(rt, id, 30_000)
  c = rt.containers.read(id) ?? c
  return c
}

/**
 * `container cleanup`, the monitor's exit command: record the exit status,
 * release the runtime's state, unmount, and for --rm remove the container.
 * Idempotent: `run` and the monitor may both call it.
 */
export async function cleanupContainer(rt: Runtime, id: string, opts: {fromSync?: boolean} = {}): Promise<void> {
  const c0 = rt.containers.find(id)
  if (!c0) return
  const p = containerPaths(rt, id)
  let remove = false
  await rt.containers.locked(id, async () => {
    const c = rt.containers.read(id)
    if (!c) return
    if (ACTIVE.has(c.state.status) && !opts.fromSync && monitorAlive(rt, c) && !existsSync(p.exitFile)) return
    const exit = readJson<ExitStatus>(p.exitFile)
    if (exit || ACTIVE.has(c.state.status)) {
      rt.containers.updateHeld(id, s => ACTIVE.has(s.status) || exit
        ? {...s, status: 'exited', exitCode: exit?.exitCode ?? s.exitCode, finishedAt: exit?.finishedAt ?? s.finishedAt ?? new Date().toISOString(), oomKilled: exit?.oomKilled, pid: undefined}
        : s)
    }
    await runtimeCommand(rt, c.config, ['delete', '--force', id]).catch(() => {})
    await unmountRootfs(rt.store, p.dir)
    rmSync(p.run, {recursive: true, force: true})
    rt.containers.updateHeld(id, s => ({...s, mountPoint: undefined}))
    remove = c.config.remove
  })
  if (remove) await removeContainer(rt, id, {force: true}).catch(e => {
    if (!(e instanceof NoSuchContainer)) throw e
  })
}

/** `rm`: refuses a running container unless forced (then stops it first). */
export async function removeContainer(rt: Runtime, nameOrId: string, opts: {force?: boolean; timeout?: number} = {}): Promise<string> {
  let c = await syncContainer(rt, rt.containers.lookup(nameOrId))
  const id = c.config.id
  if (ACTIVE.has(c.state.status)) {
    if (!opts.force) {
      throw new ContainerStateImproper(`cannot remove container ${id} as it is ${c.state.status} - running or paused containers cannot be removed without force: container state improper`)
    }
    c = await stopContainer(rt, id, opts.timeout ?? 0)
  }
  const p = containerPaths(rt, id)
  const config = await rt.containers.locked(id, async () => {
    const cur = rt.containers.read(id)
    if (!cur) return undefined
    await runtimeCommand(rt, cur.config, ['delete', '--force', id]).catch(() => {})
    await unmountRootfs(rt.store, p.dir)
    rmSync(p.run, {recursive: true, force: true})
    // 'removing' keeps a concurrent start away once the lock is released.
    rt.containers.updateHeld(id, s => ({...s, status: 'removing'}))
    return cur.config
  })
  // The store lock (never taken while holding a container's): names and image users are store-wide.
  if (config) await rt.store.locked(() => rt.containers.remove(config))
  rmSync(path.join(rt.containers.containerDir(id)), {recursive: true, force: true})
  return id
}

export type {ContainerState}
