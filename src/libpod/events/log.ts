// The file event logger (Podman's events_logger = "file"): one JSON line per
// event appended to events.log. Each event is one write(2) on an O_APPEND
// descriptor, so lines from concurrent commands never interleave. Writing is
// best effort: an operation never fails because its event could not be logged.
import {appendFileSync, mkdirSync} from 'node:fs'
import path from 'node:path'
import type {Config} from '../config/config.js'
import {hostUid} from '../config/paths.js'
import type {EngineEvent, EventStatus, EventType} from './types.js'

/** Podman's tmp_dir: --tmpdir, containers.conf engine.tmp_dir, else its default (root /run/libpod). */
export function tmpDirOf(cfg: Pick<Config, 'rootless' | 'tmpDir' | 'engine'>): string {
  if (cfg.tmpDir) return cfg.tmpDir
  const conf = cfg.engine.tmp_dir
  if (typeof conf === 'string' && conf) return conf
  if (!cfg.rootless) return '/run/libpod'
  const xr = process.env.XDG_RUNTIME_DIR
  return xr && path.isAbsolute(xr) ? path.join(xr, 'libpod/tmp') : `/tmp/podman-run-${hostUid()}/libpod/tmp`
}

/** events_logfile_path, else <tmp_dir>/events/events.log (where Podman writes it). */
export function eventsLogPath(cfg: Pick<Config, 'rootless' | 'tmpDir' | 'engine'>): string {
  const conf = cfg.engine.events_logfile_path
  if (typeof conf === 'string' && conf) return conf
  return path.join(tmpDirOf(cfg), 'events/events.log')
}

/**
 * The backend in force: --events-backend, else containers.conf events_logger,
 * else file. journald is written as file: peapod has no journald writer and
 * Podman itself falls back to the file where there is no journal.
 */
export function eventsBackend(cfg: Pick<Config, 'eventsBackend' | 'engine'>): 'file' | 'none' {
  const b = cfg.eventsBackend || (typeof cfg.engine.events_logger === 'string' ? cfg.engine.events_logger : '') || 'file'
  return b === 'none' ? 'none' : 'file'
}

/** Go's time.Time JSON: RFC 3339 with up to nanoseconds, trailing zeros dropped. */
export function eventTime(now = Date.now(), nanos = process.hrtime.bigint() % 1_000_000n): string {
  const iso = new Date(now).toISOString() // 2006-01-02T15:04:05.000Z
  const frac = (iso.slice(20, 23) + String(nanos).padStart(6, '0')).replace(/0+$/, '')
  return iso.slice(0, 19) + (frac ? '.' + frac : '') + 'Z'
}

/** Appends one event (no-op with the `none` backend). */
export function writeEvent(cfg: Config, ev: Omit<EngineEvent, 'Time'> & {Time?: string}): void {
  if (eventsBackend(cfg) === 'none') return
  const file = eventsLogPath(cfg)
  const line = JSON.stringify(ordered({...ev, Time: ev.Time ?? eventTime()})) + '\n'
  try {
    appendFileSync(file, line, {mode: 0o700})
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return
    try {
      mkdirSync(path.dirname(file), {recursive: true, mode: 0o700})
      appendFileSync(file, line, {mode: 0o700})
    } catch {
      // best effort
    }
  }
}

const KEYS: readonly (keyof EngineEvent)[] = ['ContainerExitCode', 'ID', 'Image', 'Name', 'Network', 'Status', 'Time', 'Type', 'HealthStatus', 'PodID', 'Attributes']

/** Podman's key order, empty optional fields left out (Go's omitempty). */
function ordered(ev: EngineEvent): EngineEvent {
  const out: Record<string, unknown> = {}
  for (const k of KEYS) {
    const v = ev[k]
    if (k === 'Attributes') out[k] = v ?? null
    else if (k === 'Name' || k === 'Status' || k === 'Time' || k === 'Type') out[k] = v ?? ''
    else if (v !== undefined && v !== '' && v !== 0) out[k] = v
  }
  return out as unknown as EngineEvent
}

/** What a container event needs of the container (its config). */
export interface ContainerLike {
  id: string
  name: string
  imageName?: string
  pod?: string
  labels?: Record<string, string>
}

/** A container event: its image, pod and labels as attributes (Podman's newContainerEvent). */
export function containerEvent(cfg: Config, c: ContainerLike, status: EventStatus, extra: Partial<EngineEvent> = {}): void {
  writeEvent(cfg, {ID: c.id, Image: c.imageName ?? '', Name: c.name, Status: status, Type: 'container',
    PodID: c.pod, Attributes: {...c.labels ?? {}}, ...extra})
}

export function podEvent(cfg: Config, p: {id: string; name: string}, status: EventStatus): void {
  writeEvent(cfg, {ID: p.id, Name: p.name, Status: status, Type: 'pod', Attributes: null})
}

/** Image events: Name is the reference, path or source the operation worked on. */
export function imageEvent(cfg: Config, id: string | undefined, name: string, status: EventStatus): void {
  writeEvent(cfg, {ID: id, Name: name, Status: status, Type: 'image', Attributes: null})
}

export function volumeEvent(cfg: Config, name: string, status: EventStatus): void {
  writeEvent(cfg, {Name: name, Status: status, Type: 'volume', Attributes: null})
}

/** connect/disconnect: the container's ID and name with the network's name (Podman's newNetworkEvent). */
export function networkEvent(cfg: Config, ev: {id: string; name: string; network: string; status: EventStatus; driver?: string}): void {
  writeEvent(cfg, {ID: ev.id, Name: ev.name, Network: ev.network, Status: ev.status, Type: 'network',
    Attributes: ev.driver ? {driver: ev.driver} : null})
}

export function systemEvent(cfg: Config, status: EventStatus, name = ''): void {
  writeEvent(cfg, {Name: name, Status: status, Type: 'system', Attributes: null})
}

export type {EngineEvent, EventStatus, EventType}
