// Health checks as Podman 4.3 does them: the configuration from
// --health-* (makeHealthCheckFromCli) or the image, `healthcheck run` (an
// exec of the check command, the result kept in the container's
// healthcheck.log: Status, FailingStreak and the last 5 results), the
// on-failure actions, and what inspect and ps show. The interval timer is
// the container's monitor's (src/conmon: config.healthcheck): it spawns
// `peapod healthcheck run ID` every interval. The run itself: healthcheck-run.ts.
import {engineGlobalArgs} from '../config/global-args.js'
import path from 'node:path'
import {InvalidArgument, PeapodError} from '../define/errors.js'
import type {Runtime} from '../runtime.js'
import {readJson, writeJsonAtomic} from '../state/atomic.js'
import {parseGoDuration} from '../util/duration.js'
import type {Container, ContainerConfig, HealthConfig, HealthOnFailure} from './types.js'

export const HEALTH_ON_FAILURE: readonly HealthOnFailure[] = ['none', 'kill', 'restart', 'stop']
const DEFAULT_INTERVAL = '30s'
const DEFAULT_TIMEOUT = '30s'
const DEFAULT_RETRIES = 3
/** Podman's MaxHealthCheckNumberLogs and MaxHealthCheckLogLength. */
export const MAX_LOGS = 5
export const MAX_LOG_LENGTH = 500

export type HealthStatus = 'healthy' | 'unhealthy' | 'starting'

export interface HealthLogEntry {
  Start: string
  End: string
  ExitCode: number
  Output: string
}

/** Podman's HealthCheckResults, as kept in healthcheck.log and shown by inspect. */
export interface HealthResults {
  Status: string
  FailingStreak: number
  Log: HealthLogEntry[] | null
}


export interface HealthFlags {
  cmd?: string
  interval?: string
  retries?: number
  timeout?: string
  startPeriod?: string
  onFailure?: string
  noHealthcheck?: boolean
}

export function parseOnFailure(v: string | undefined): HealthOnFailure {
  const a = (v ?? 'none') as HealthOnFailure
  if (!HEALTH_ON_FAILURE.includes(a)) throw new InvalidArgument(`invalid on-failure action "${v}" for health check: supported actions are ${HEALTH_ON_FAILURE.join(',')}`)
  return a
}

/**
 * Podman's makeHealthCheckFromCli: the command is a JSON array or a string;
 * `CMD ...`/`none` keep their keyword, anything else becomes CMD-SHELL (or CMD
 * for a JSON array of several words). Durations are Go durations.
 */
export function healthConfigFromFlags(f: HealthFlags): HealthConfig | undefined {
  if (f.noHealthcheck) {
    if (f.cmd) throw new InvalidArgument('cannot specify both --no-healthcheck and --health-cmd')
    return {test: ['NONE'], interval: 0, timeout: 0, retries: 0, startPeriod: 0}
  }
  if (!f.cmd) return undefined
  const inCmd = f.cmd
  let cmdArr: string[]
  let isArr = true
  try {
    const parsed = JSON.parse(inCmd) as unknown
    if (!Array.isArray(parsed) || !parsed.every(x => typeof x === 'string')) throw new Error('not an array')
    cmdArr = parsed
  } catch {
    const sp = inCmd.indexOf(' ')
    cmdArr = sp < 0 ? [inCmd] : [inCmd.slice(0, sp), inCmd.slice(sp + 1)]
    isArr = false
  }
  if (cmdArr.length === 0) throw new InvalidArgument('must define a healthcheck command for all healthchecks')
  if (cmdArr[0] === 'CMD' || cmdArr[0] === 'none') {
    cmdArr = inCmd.split(/\s+/).filter(Boolean)
  } else if (cmdArr[0] !== 'CMD-SHELL') {
    cmdArr = isArr && cmdArr.length > 1 ? ['CMD', ...cmdArr] : ['CMD-SHELL', cmdArr.join(' ')]
  }
  if (cmdArr[0] === 'none') cmdArr = ['NONE']
  const interval = f.interval === 'disable' ? '0' : (f.interval ?? DEFAULT_INTERVAL)
  const dur = (what: string, v: string) => {
    try {
      return parseGoDuration(v)
    } catch (e) {
      throw new InvalidArgument(`invalid healthcheck-${what}: ${(e as Error).message}`)
    }
  }
  const hc: HealthConfig = {test: cmdArr, interval: dur('interval', interval), timeout: 0, retries: 0, startPeriod: 0}
  const retries = f.retries ?? DEFAULT_RETRIES
  if (retries < 1) throw new InvalidArgument('healthcheck-retries must be greater than 0')
  hc.retries = retries
  hc.timeout = dur('timeout', f.timeout ?? DEFAULT_TIMEOUT)
  if (hc.timeout < 1) throw new InvalidArgument('healthcheck-timeout must be at least 1 second')
  hc.startPeriod = dur('start-period', f.startPeriod ?? '0s')
  if (hc.startPeriod < 0) throw new InvalidArgument('healthcheck-start-period must be 0 seconds or greater')
  return hc
}

/** An image's Healthcheck (Docker config), with Podman's defaults for a zero interval or timeout. */
export function healthConfigFromImage(img: {Healthcheck?: {Test?: string[]; Interval?: number; Timeout?: number; StartPeriod?: number; Retries?: number}} | undefined): HealthConfig | undefined {
  const h = img?.Healthcheck
  if (!h?.Test?.length) return undefined
  return {
    test: h.Test,
    interval: h.Interval || parseGoDuration(DEFAULT_INTERVAL),
    timeout: h.Timeout || parseGoDuration(DEFAULT_TIMEOUT),
    retries: h.Retries ?? 0,
    startPeriod: h.StartPeriod ?? 0,
  }
}

/** Whether the container has a health check to run (NONE and "" do not count). */
export function hasHealthcheck(c: ContainerConfig): boolean {
  const t = c.healthcheck?.test
  return Boolean(t && t.length > 0 && t[0] !== '' && t[0] !== 'NONE')
}

export function healthLogPath(rt: Runtime, id: string): string {
  return path.join(rt.containers.containerDir(id), 'healthcheck.log')
}

const EMPTY: HealthResults = {Status: '', FailingStreak: 0, Log: null}

export function readHealth(rt: Runtime, id: string): HealthResults {
  try {
    return readJson<HealthResults>(healthLogPath(rt, id)) ?? {...EMPTY}
  } catch {
    return {...EMPTY}
  }
}

/** The health status ps shows in parentheses; '' without a health check. */
export function healthStatus(rt: Runtime, c: Container): string {
  if (!hasHealthcheck(c.config)) return ''
  return readHealth(rt, c.config.id).Status
}

/** inspect's .State.Health. */
export function inspectHealth(rt: Runtime, c: Container): HealthResults {
  if (!hasHealthcheck(c.config)) return {...EMPTY}
  return readHealth(rt, c.config.id)
}

/** inspect's .Config.Healthcheck (Schema2HealthConfig: every field omitempty), undefined without one. */
export function inspectHealthConfig(c: ContainerConfig): Record<string, unknown> | undefined {
  const h = c.healthcheck
  if (!h) return undefined
  return {
    ...(h.test.length ? {Test: h.test} : {}),
    ...(h.startPeriod ? {StartPeriod: h.startPeriod} : {}),
    ...(h.interval ? {Interval: h.interval} : {}),
    ...(h.timeout ? {Timeout: h.timeout} : {}),
    ...(h.retries ? {Retries: h.retries} : {}),
  }
}

/**
 * At (re)start, by a caller holding the container's lock: the status becomes
 * "starting" (failing streak and log kept, as Podman's updateHealthStatus).
 */
export function healthOnStart(rt: Runtime, c: ContainerConfig): void {
  if (!hasHealthcheck(c)) return
  const h = readHealth(rt, c.id)
  writeJsonAtomic(healthLogPath(rt, c.id), {...h, Status: 'starting'})
}

/** The monitor's timer: `peapod healthcheck run ID` every interval (none for interval 0). */
export function healthMonitorConfig(rt: Runtime, c: ContainerConfig): {intervalMs: number; command: string[]} | undefined {
  if (!hasHealthcheck(c) || !c.healthcheck!.interval) return undefined
  return {
    intervalMs: Math.max(1, Math.round(c.healthcheck!.interval / 1e6)),
    command: [...rt.config.peapodCommand, ...engineGlobalArgs(rt.config),
      '--storage-driver', rt.store.driver.name, 'healthcheck', 'run', c.id],
  }
}
