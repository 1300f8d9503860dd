// Checks of a ContainerSpec / PodSpec that need no store, with Podman's
// messages (all InvalidArgument: exit code 125). The engine runs them first
// at create, so a bad spec leaves nothing behind whoever filled it.
import {constants} from 'node:os'
import {InvalidArgument} from '../define/errors.js'
import {normalizeCapability} from '../spec/caps.js'
import type {ContainerSpec} from './container.js'
import {hasNetworkConfig} from './network.js'
import type {PodSpec} from './pod.js'
import {ULIMIT_NAMES, type Ulimit} from './security.js'
import {validateLifecycle} from './lifecycle.js'

export const LOG_DRIVERS: readonly string[] = ['k8s-file', 'none', 'passthrough', 'journald']
const SIGRTMAX = 64

/** The name peapod stores for a signal number: SIGTERM for 15, the number itself for a real-time signal. */
export function signalName(n: number): string {
  const found = Object.entries(constants.signals as Record<string, number>).find(([k, v]) => v === n && k !== 'SIGIOT' && k !== 'SIGPOLL')
  return found ? found[0] : String(n)
}

function ulimitError(u: Ulimit, why: string): InvalidArgument {
  return new InvalidArgument(`ulimit option ${JSON.stringify(`${u.name}=${u.soft}:${u.hard}`)} requires name=SOFT:HARD, failed to be parsed: ${why}`)
}

export function validateUlimit(u: Ulimit): void {
  if (!ULIMIT_NAMES.includes(u.name)) throw ulimitError(u, `invalid ulimit type: ${u.name}`)
  if (!Number.isInteger(u.soft) || !Number.isInteger(u.hard)) throw ulimitError(u, 'limits must be integers')
  if (u.hard !== -1 && (u.soft === -1 || u.soft > u.hard)) throw ulimitError(u, `ulimit soft limit must be less than or equal to hard limit: ${u.soft} > ${u.hard}`)
}

function validatePath(p: string): void {
  if (!p.startsWith('/')) throw new InvalidArgument(`invalid container path ${JSON.stringify(p)}, must be an absolute path`)
}

/** What can be checked of a container spec without the store. */
export function validateContainerSpec(s: ContainerSpec): void {
  if (!s.image && !s.rootfs) throw new InvalidArgument('no image specified')
  for (const k of Object.keys(s.env ?? {})) if (k === '' || /^[ \t]/.test(k)) throw new InvalidArgument(`invalid environment variable: ${JSON.stringify(`${k}=${s.env![k]}`)}`)
  for (const c of [...s.capAdd ?? [], ...s.capDrop ?? []]) if (c.toLowerCase() !== 'all') normalizeCapability(c)
  for (const u of s.ulimits ?? []) validateUlimit(u)
  if (s.stopSignal !== undefined && (!Number.isInteger(s.stopSignal) || s.stopSignal < 1 || s.stopSignal > SIGRTMAX)) throw new InvalidArgument(`invalid signal: ${s.stopSignal}`)
  if (s.stopTimeout !== undefined && s.stopTimeout < 0) throw new InvalidArgument(`invalid argument "${s.stopTimeout}" for "--stop-timeout" flag: strconv.ParseUint: parsing "${s.stopTimeout}": invalid syntax`)
  if (s.logDriver !== undefined && !LOG_DRIVERS.includes(s.logDriver)) throw new InvalidArgument(`invalid log driver: ${s.logDriver}`)
  if (s.workdir !== undefined && s.workdir !== '' && !s.workdir.startsWith('/')) throw new InvalidArgument(`workdir ${JSON.stringify(s.workdir)} must be an absolute path`)
  const seen = new Set<string>()
  for (const m of [...s.mounts ?? [], ...s.tmpfs ?? []]) {
    validatePath(m.destination)
    if (m.type === 'bind' && !m.source.startsWith('/')) throw new InvalidArgument(`invalid host path ${JSON.stringify(m.source)}, must be an absolute path`)
    if (m.type === 'tmpfs' && m.mode !== undefined && !(Number.isInteger(m.mode) && m.mode >= 0 && m.mode <= 0o7777)) throw new InvalidArgument(`invalid tmpfs mode ${m.mode}`)
    if (seen.has(m.destination)) throw new InvalidArgument(`${m.destination}: duplicate mount destination`)
    seen.add(m.destination)
  }
  for (const p of s.security?.mask ?? []) if (p !== '' && !p.startsWith('/')) throw new InvalidArgument(`mask path ${JSON.stringify(p)} is not an absolute path`)
  validateLifecycle(s)
  const h = s.healthcheck
  if (h && h.test[0] !== 'NONE') {
    if (h.test.length === 0) throw new InvalidArgument('must define a healthcheck command for all healthchecks')
    if (h.retries < 1) throw new InvalidArgument('healthcheck-retries must be greater than 0')
    if (h.timeout < 1) throw new InvalidArgument('healthcheck-timeout must be at least 1 second')
    if (h.startPeriod < 0) throw new InvalidArgument('healthcheck-start-period must be 0 seconds or greater')
  }
}

/** What can be checked of a pod spec without the store. */
export function validatePodSpec(s: PodSpec): void {
  if (s.replace && !s.name) throw new InvalidArgument('cannot replace pod without --name being set')
  if (s.infra === false) {
    if (hasNetworkConfig(s.network)) throw new InvalidArgument('cannot set network options (--network, --publish, --dns, --add-host, --ip, --mac-address) without an infra container: invalid argument')
    if (s.share?.length) throw new InvalidArgument('you must have an infra container to share namespaces: invalid argument')
  }
  if (s.exitPolicy !== undefined && s.exitPolicy !== 'continue' && s.exitPolicy !== 'stop') throw new InvalidArgument(`invalid pod exit policy: "${s.exitPolicy}"`)
}
