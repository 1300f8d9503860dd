// Container and pod states, and which operations may move a container from one
// state to another (Podman's libpod/define/containerstate.go plus the state
// checks of container_api.go). The operations are data: each says from which
// states it is legal, the state it leads to, and Podman's error otherwise.
import {ContainerStateImproper} from './errors.js'

/**
 * Podman's names as `ps` and `inspect` show them: 'created' (Podman's
 * Configured: documents written, nothing mounted), 'initialized' (Podman's
 * Created: rootfs mounted and OCI bundle written by `init`, no process yet).
 * 'stopped' is shown as 'exited' (see displayState).
 */
export type ContainerStatus = 'configured' | 'created' | 'initialized' | 'running' | 'paused' | 'stopping' | 'stopped' | 'exited' | 'removing'

export const CONTAINER_STATUSES: readonly ContainerStatus[] = ['configured', 'created', 'initialized', 'running', 'paused', 'stopping', 'stopped', 'exited', 'removing']

/** States in which the container has a process, so its monitor must be alive. */
const ACTIVE_STATES: ReadonlySet<string> = new Set<ContainerStatus>(['running', 'paused', 'stopping'])

/** The container has a process (running, paused or being stopped): its monitor must be alive. */
export function isActive(status: string): boolean {
  return ACTIVE_STATES.has(status)
}

/** Running or paused: a process a signal can reach, a namespace to join. */
export function isRunningOrPaused(status: string): boolean {
  return status === 'running' || status === 'paused'
}

/** The state's name as `ps`, `inspect` and Podman's errors show it ('stopped' is 'exited'). */
export function displayState(status: string): string {
  return status === 'stopped' ? 'exited' : status
}

/** Operations that move a container between states (or need it in one). */
export type ContainerOp = 'init' | 'start' | 'kill' | 'stop' | 'pause' | 'unpause' | 'exec' | 'remove' | 'exit'

interface OpRule {
  /** States from which the operation is legal. */
  from: readonly ContainerStatus[]
  /** The state it leads to (none: it leaves the state as it is, e.g. exec). */
  to?: ContainerStatus
  /** Podman's error text, before `: container state improper`. */
  message(id: string, status: ContainerStatus): string
}

const NOT_STARTED: readonly ContainerStatus[] = ['configured', 'created', 'initialized', 'stopped', 'exited']

/** The legal transitions, per operation, with Podman's wording when one is not. */
export const CONTAINER_OPS: Readonly<Record<ContainerOp, OpRule>> = {
  init: {from: ['configured', 'created', 'stopped', 'exited'], to: 'initialized',
    message: id => `container ${id} has already been created in runtime`},
  start: {from: NOT_STARTED, to: 'running',
    message: id => `container ${id} must be in Created or Stopped state to be started`},
  kill: {from: ['running', 'paused'],
    message: (id, s) => `can only kill running containers. ${id} is in state ${s}`},
  stop: {from: ['running', 'paused', 'stopping'], to: 'stopping',
    message: (id, s) => `can only stop created or running containers. ${id} is in state ${s}`},
  pause: {from: ['running'], to: 'paused',
    message: (id, s) => s === 'paused' ? `"${id}" is already paused` : `"${displayState(s)}" is not running, can't pause`},
  unpause: {from: ['paused'], to: 'running',
    message: id => `"${id}" is not paused, can't unpause`},
  exec: {from: ['running'],
    message: () => 'can only create exec sessions on running containers'},
  // Without force; with force the container is stopped first.
  remove: {from: ['configured', 'created', 'stopped', 'exited'], to: 'removing',
    message: (id, s) => `cannot remove container ${id} as it is ${s === 'initialized' ? 'running' : s} - running or paused containers cannot be removed without force`},
  // The process ended (the monitor records it).
  exit: {from: ['running', 'paused', 'stopping'], to: 'exited',
    message: (id, s) => `container ${id} is in state ${s} and has no process to exit`},
}

/** Whether `op` is legal on a container in state `status`. */
export function canDo(op: ContainerOp, status: string): boolean {
  return (CONTAINER_OPS[op].from as readonly string[]).includes(status)
}

/**
 * Throws Podman's `... : container state improper` when `op` is illegal on
 * container `id` in state `status`; returns the state the operation leads to.
 */
export function checkTransition(op: ContainerOp, id: string, status: ContainerStatus): ContainerStatus {
  const rule = CONTAINER_OPS[op]
  if (!canDo(op, status)) throw ContainerStateImproper.because(rule.message(id, status))
  return rule.to ?? status
}

/** Every state a container can move to from `status`, by any operation. */
export function nextStates(status: ContainerStatus): ContainerStatus[] {
  const out = new Set<ContainerStatus>()
  for (const rule of Object.values(CONTAINER_OPS)) if (rule.to && rule.from.includes(status)) out.add(rule.to)
  return [...out]
}

/** Podman's pod states. */
export type PodStatus = 'Created' | 'Running' | 'Degraded' | 'Paused' | 'Exited' | 'Stopped' | 'Error'

/** A pod's status, derived from its containers' states as Podman does. */
export function podStatusOf(statuses: readonly string[]): PodStatus {
  if (statuses.length === 0) return 'Created'
  let running = 0, paused = 0, stopped = 0, created = 0, errored = 0
  for (const s of statuses) {
    switch (s) {
      case 'running': running++; break
      case 'paused': paused++; break
      case 'exited': case 'stopped': stopped++; break
      case 'created': case 'configured': case 'initialized': created++; break
      default: errored++
    }
  }
  const n = statuses.length
  if (running > 0) return running === n ? 'Running' : 'Degraded'
  if (paused === n) return 'Paused'
  if (stopped === n) return 'Exited'
  if (stopped > 0) return 'Stopped'
  if (errored > 0) return 'Error'
  return 'Created'
}
