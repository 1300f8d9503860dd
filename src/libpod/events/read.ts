// Reading the events file: the past (--since/--until, --stream=false) and
// then, when streaming, every new line as it is appended. Streaming waits on
// the file with fs.watch (a slow poll only backs up a missed notification).
import {closeSync, existsSync, fstatSync, mkdirSync, openSync, readSync, watch, type FSWatcher} from 'node:fs'
import path from 'node:path'
import type {Config} from '../config/config.js'
import {InvalidArgument} from '../define/errors.js'
import {parseTime} from '../util/time.js'
import {eventFilter} from './filter.js'
import {eventsBackend, eventsLogPath} from './log.js'
import type {EngineEvent} from './types.js'

export interface ReadEventsOptions {
  filters?: readonly string[]
  since?: string
  until?: string
  /** Follow the file (default); false: print what is there and return. */
  stream?: boolean
  /** Ends a stream (the command's SIGINT). */
  signal?: AbortSignal
}

/** Go's time.Time as JSON text → epoch ms (with a sub-ms fraction). */
export function eventMillis(t: string): number {
  const m = /^(.*?T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/.exec(t)
  if (!m) return Date.parse(t)
  return Date.parse(m[1] + m[3]) + (m[2] ? Number(`0.${m[2]}`) * 1000 : 0)
}

/**
 * Emits the events that match, oldest first. Without since/until a stream
 * starts at the end of the file (only new events), as Podman's.
 */
export async function readEvents(cfg: Config, opts: ReadEventsOptions, emit: (e: EngineEvent) => void): Promise<void> {
  if (eventsBackend(cfg) === 'none') throw new InvalidArgument('cannot read events with the "none" backend')
  const match = eventFilter(opts.filters ?? [])
  const since = opts.since ? parseTime(opts.since) : undefined
  const until = opts.until ? parseTime(opts.until) : undefined
  const stream = opts.stream ?? true
  const file = eventsLogPath(cfg)
  const fromStart = !stream || since !== undefined || until !== undefined
  let offset = 0
  let pending = ''
  const fd = openEvents(file)
  if (fd === undefined && !stream) return
  const fdRef = {fd}
  if (!fromStart && fd !== undefined) offset = fstatSync(fd).size
  let done = false
  const take = (): void => {
    if (fdRef.fd === undefined) fdRef.fd = openEvents(file)
    if (fdRef.fd === undefined) return
    const size = fstatSync(fdRef.fd).size
    if (size < offset) offset = 0 // rotated or truncated
    while (offset < size && !done) {
      const buf = Buffer.alloc(Math.min(size - offset, 1 << 20))
      const n = readSync(fdRef.fd, buf, 0, buf.length, offset)
      if (n <= 0) break
      offset += n
      const lines = (pending + buf.subarray(0, n).toString('utf8')).split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) {
        if (!line.trim()) continue
        let e: EngineEvent
        try {
          e = JSON.parse(line) as EngineEvent
        } catch {
          continue
        }
        const t = eventMillis(e.Time)
        if (since !== undefined && t < since) continue
        if (until !== undefined && t > until) {
          if (stream) continue
          done = true
          break
        }
        if (match(e)) emit(e)
      }
    }
  }
  try {
    take()
    if (!stream || done) return
    await follow(file, take, until, opts.signal)
  } finally {
    if (fdRef.fd !== undefined) closeSync(fdRef.fd)
  }
}

function openEvents(file: string): number | undefined {
  try {
    return openSync(file, 'r')
  } catch {
    return undefined
  }
}

/** Calls take() whenever the file (or its directory, before it exists) changes; ends at `until` or on abort. */
function follow(file: string, take: () => void, until: number | undefined, signal?: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    const dir = path.dirname(file)
    if (!existsSync(dir)) {
      try {
        mkdirSync(dir, {recursive: true, mode: 0o700})
      } catch {
        // watched below once it exists; the poll covers it
      }
    }
    let watcher: FSWatcher | undefined
    const rewatch = () => {
      try {
        watcher ??= watch(dir, () => take())
        watcher.on('error', () => {
          watcher?.close()
          watcher = undefined
        })
      } catch {
        // no directory yet
      }
    }
    rewatch()
    // A backstop only: inotify can miss writes from another mount namespace.
    const poll = setInterval(() => {
      rewatch()
      take()
    }, 1000)
    const end = () => {
      clearInterval(poll)
      clearTimeout(timer)
      watcher?.close()
      resolve()
    }
    const timer = until !== undefined ? setTimeout(() => {
      take()
      end()
    }, Math.max(0, until - Date.now())) : undefined
    signal?.addEventListener('abort', end, {once: true})
  })
}
