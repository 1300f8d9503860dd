// `healthcheck run`: one check of a container, as Podman 4.3's
// runHealthCheck: an exec of the check command (stdout and stderr together,
// the first 500 characters kept), the result appended to healthcheck.log
// (the last 5 kept), the failing streak and status updated (failures during
// the start period do not count), then the on-failure action once the
// container is unhealthy. A check that took longer than the timeout failed
// (it is not killed, as in Podman).
import {HealthcheckError, NoSuchContainer, PeapodError} from '../define/errors.js'
import type {Runtime} from '../runtime.js'
import {writeJsonAtomic} from '../state/atomic.js'
import {formatGoDuration} from '../util/duration.js'
import {execForeground, newExecId} from './exec.js'
import {MAX_LOG_LENGTH, MAX_LOGS, hasHealthcheck, healthLogPath, readHealth, type HealthLogEntry, type HealthResults} from './healthcheck.js'
import type {Container} from './types.js'

function checkCommand(test: string[]): string[] | undefined {
  switch (test[0]) {
    case undefined:
    case '':
    case 'NONE':
      return undefined
    case 'CMD':
      return test.slice(1)
    case 'CMD-SHELL':
      return ['/bin/sh', '-c', test.slice(1).join(' ')]
    default:
      return test
  }
}

/** Go's time.RFC3339Nano in local time, as Podman's health log has it. */
function rfc3339NanoLocal(ms: number, extraNs: number): string {
  const d = new Date(ms)
  const pad = (n: number, w = 2) => String(n).padStart(w, '0')
  let frac = (String(d.getMilliseconds()).padStart(3, '0') + String(extraNs).padStart(6, '0')).replace(/0+$/, '')
  if (frac) frac = '.' + frac
  const off = -d.getTimezoneOffset()
  const zone = off === 0 ? 'Z' : `${off < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${frac}${zone}`
}

function now(): {ms: number; ns: bigint; text: string} {
  const t = performance.timeOrigin + performance.now()
  const ms = Math.floor(t)
  const extra = Math.floor((t - ms) * 1e6)
  return {ms, ns: BigInt(ms) * 1000000n + BigInt(extra), text: rfc3339NanoLocal(ms, extra)}
}

export interface HealthRunResult {
  /** This check's result (Podman prints "unhealthy" and exits 1 when it failed). */
  healthy: boolean
  /** The container's health after it. */
  results: HealthResults
}

/**
 * `healthcheck run`: one check, recorded; then the on-failure action when
 * the container turned unhealthy. Errors (not running, no health check, the
 * exec could not be made, timeout) are thrown after recording, as Podman's.
 */
export async function runHealthcheck(rt: Runtime, nameOrId: string): Promise<HealthRunResult> {
  const found = rt.containers.find(nameOrId)
  if (!found) throw new NoSuchContainer(`unable to look up ${nameOrId} to perform a health check: no container with name or ID "${nameOrId}" found: no such container`)
  const {syncContainer} = await import('./sync.js')
  const c = await syncContainer(rt, found)
  const id = c.config.id
  if (c.state.status !== 'running') throw new HealthcheckError(`container ${id} is not running`)
  const hc = c.config.healthcheck
  const cmd = hc && hasHealthcheck(c.config) ? checkCommand(hc.test) : undefined
  if (!hc || !cmd || !cmd.length || cmd[0] === '') throw new HealthcheckError(`container ${id} has no defined healthcheck`)

  const start = now()
  let returnCode = 0
  let failed = false
  let error: Error | undefined
  let output = ''
  try {
    const r = await execForeground(rt, c, newExecId(), {command: cmd, stdin: false, capture: true})
    output = r.output ?? ''
    if (r.exitCode !== 0) {
      failed = true
      returnCode = 1
    }
  } catch (e) {
    failed = true
    // The runtime could not run the command (not found, not executable, its
    // own error): an unhealthy result. Anything else is an engine error.
    const code = (e as PeapodError).exitCode
    if (e instanceof PeapodError && (code === 126 || code === 127 || e.message.startsWith('OCI runtime error'))) {
      returnCode = 1
    } else {
      returnCode = 125
      error = e as Error
    }
  }
  const end = now()
  const inStartPeriod = hc.startPeriod > 0 && c.state.startedAt !== undefined &&
    start.ms < Date.parse(c.state.startedAt) + hc.startPeriod / 1e6
  // Podman keeps the lines (without their newlines), joined by newlines.
  let log = output.split('\n').map(l => l.replace(/\r$/, ''))
  if (log[log.length - 1] === '') log = log.slice(0, -1)
  let eventLog = log.join('\n')
  if (eventLog.length > MAX_LOG_LENGTH) eventLog = eventLog.slice(0, MAX_LOG_LENGTH)
  if (Number(end.ns - start.ns) > hc.timeout) {
    returnCode = -1
    failed = true
    error = new HealthcheckError(`healthcheck command exceeded timeout of ${formatGoDuration(hc.timeout)}`)
  }
  const entry: HealthLogEntry = {Start: start.text, End: end.text, ExitCode: returnCode, Output: eventLog}
  let firstPass = false
  const results = await rt.containers.locked(id, () => {
    const h = readHealth(rt, id)
    firstPass = entry.ExitCode === 0 && !(h.Log ?? []).some(e => e.ExitCode === 0)
    if (entry.ExitCode === 0) {
      h.Status = 'healthy'
      h.FailingStreak = 0
    } else {
      if (!h.Status) h.Status = 'healthy'
      if (!inStartPeriod) {
        h.FailingStreak++
        if (h.FailingStreak >= hc.retries) h.Status = 'unhealthy'
      }
    }
    h.Log = [...(h.Log ?? []), entry].slice(-MAX_LOGS)
    writeJsonAtomic(healthLogPath(rt, id), h, {durable: false}) // no fsync: state/atomic.ts
    return h
  })
  if (results.Status === 'unhealthy') await onFailure(rt, c)
  // --sdnotify=healthy: READY=1 at the first passing check (the monitor sent MAINPID; we run under it)
  if (firstPass && c.config.sdNotifyMode === 'healthy') {
    const {monitorSocket, sendReady} = await import('./sdnotify.js')
    const socket = monitorSocket(rt, id)
    if (socket) sendReady(socket)
  }
  if (error) throw error
  return {healthy: !failed, results}
}

/** --health-on-failure, once the container is unhealthy. */
async function onFailure(rt: Runtime, c: Container): Promise<void> {
  const action = c.config.healthOnFailure ?? 'none'
  if (action === 'none') return
  const ops = await import('./ops.js')
  const id = c.config.id
  try {
    if (action === 'kill') {
      await ops.killContainer(rt, id, 'KILL')
    } else {
      await ops.stopContainer(rt, id)
      if (action === 'restart') {
        const {startContainer} = await import('./start.js')
        await rt.containers.update(id, s => ({...s, restartCount: (s.restartCount ?? 0) + 1}))
        await startContainer(rt, id)
      }
    }
  } catch (e) {
    const what = action === 'kill' ? 'killing container health-check turned unhealthy' : action === 'restart' ? 'restarting/stopping container after health-check turned unhealthy' : 'stopping container after health-check turned unhealthy'
    throw new HealthcheckError(`${what}: ${(e as Error).message}`)
  }
}
