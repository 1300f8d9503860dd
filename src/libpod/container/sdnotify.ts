// --sdnotify: how systemd (a Type=notify unit) learns that the container
// runs. systemd's socket is NOTIFY_SOCKET in the environment of the command
// that starts the container (the unit's ExecStart).
// - conmon: the monitor sends MAINPID=<its pid> and READY=1 once the
//   container runs (the unit then tracks the monitor, which outlives `run -d`);
// - container: the socket is given to the container (bound at
//   /run/notify/notify.sock, NOTIFY_SOCKET set), which sends READY=1 itself;
//   the monitor sends MAINPID;
// - healthy: the monitor sends MAINPID; READY=1 follows the first passing
//   health check (`healthcheck run`);
// - ignore: NOTIFY_SOCKET is dropped.
// Node's dgram has no AF_UNIX datagram sockets, so the messages go through
// systemd's own systemd-notify(1) (`--pid=N` sends MAINPID=N; accepted with
// NotifyAccess=all, which generated units set).
import {spawnSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import type {Runtime} from '../runtime.js'
import {containerPaths} from './paths.js'
import type {ContainerConfig} from './types.js'

export const CONTAINER_NOTIFY_SOCKET = '/run/notify/notify.sock'

/** The socket to notify, or undefined (no systemd asked, or --sdnotify=ignore). */
export function notifySocket(cfg: ContainerConfig, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if ((cfg.sdNotifyMode ?? 'container') === 'ignore') return undefined
  return env.NOTIFY_SOCKET || undefined
}

/** What the monitor does: always MAINPID, READY too in conmon mode. */
export function monitorNotify(cfg: ContainerConfig, env: NodeJS.ProcessEnv = process.env): {socket: string; ready: boolean} | undefined {
  const socket = notifySocket(cfg, env)
  return socket ? {socket, ready: cfg.sdNotifyMode === 'conmon'} : undefined
}

interface SpecLike {
  mounts?: Array<{destination: string; type?: string; source?: string; options?: string[]}>
  process?: {env?: string[]}
}

/** --sdnotify=container: the host socket bound into the container, NOTIFY_SOCKET pointing at it. */
export function addNotifySocket(spec: SpecLike, cfg: ContainerConfig, env: NodeJS.ProcessEnv = process.env): void {
  if ((cfg.sdNotifyMode ?? 'container') !== 'container') return
  const socket = notifySocket(cfg, env)
  // an abstract socket (`@…`) lives in the network namespace: it cannot be bound in
  if (!socket?.startsWith('/')) return
  ;(spec.mounts ??= []).push({destination: CONTAINER_NOTIFY_SOCKET, type: 'bind', source: socket, options: ['bind', 'rprivate']})
  spec.process ??= {}
  spec.process.env = [...(spec.process.env ?? []).filter(e => !e.startsWith('NOTIFY_SOCKET=')), `NOTIFY_SOCKET=${CONTAINER_NOTIFY_SOCKET}`]
}

/** Sends READY=1 (and MAINPID when given) to `socket`; false when systemd-notify failed. */
export function sendReady(socket: string, mainPid?: number): boolean {
  const args = [...(mainPid ? [`--pid=${mainPid}`] : []), '--ready']
  const r = spawnSync('systemd-notify', args, {env: {...process.env, NOTIFY_SOCKET: socket}, stdio: 'ignore', timeout: 5000})
  return r.status === 0
}

/** The socket the running container's monitor was given (its config), for READY after a health check. */
export function monitorSocket(rt: Runtime, id: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(containerPaths(rt, id).monitorConfig, 'utf8')) as {sdNotify?: {socket: string}}).sdNotify?.socket
  } catch {
    return undefined
  }
}
