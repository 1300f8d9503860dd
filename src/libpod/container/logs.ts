// Reading a container's k8s-file log: `<RFC3339Nano> stdout|stderr F|P <msg>`
// lines, with partial (P) lines joined, --tail/--since/--until, and follow.
import {closeSync, existsSync, openSync, readFileSync, readSync, statSync, watch} from 'node:fs'
import {InvalidArgument} from '../define/errors.js'
import type {Runtime} from '../runtime.js'
import {waitExited} from './ops.js'
import {containerPaths} from './paths.js'
import {parseTime as parseTimeValue} from '../util/time.js'

export interface LogLine {
  time: string
  stream: 'stdout' | 'stderr'
  text: string
}

export interface LogOptions {
  tail?: number
  since?: Date
  until?: Date
  follow?: boolean
}

/** Podman's --since/--until: RFC3339 timestamps, Unix seconds, or durations before now (10m, 1h30m). */
export function parseTime(v: string, now = Date.now()): Date {
  try {
    return new Date(parseTimeValue(v, now))
  } catch {
    throw new InvalidArgument(`invalid time "${v}"`)
  }
}

/**
 * A log timestamp as Go's RFC3339Nano prints it in local time (Podman's
 * `logs -t`): trailing zeros of the fraction dropped, `Z` for UTC.
 */
export function goRFC3339Nano(stamp: string, offsetMin = -new Date(Date.parse(stamp)).getTimezoneOffset()): string {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(stamp)
  if (!m) return stamp
  const frac = (m[2] ?? '').replace(/0+$/, '')
  const fileOff = m[3] === 'Z' ? 0 : (m[3][0] === '-' ? -1 : 1) * (Number(m[3].slice(1, 3)) * 60 + Number(m[3].slice(4, 6)))
  let base = m[1]
  if (fileOff !== offsetMin) {
    const t = new Date(Date.parse(`${m[1]}${m[3]}`) + offsetMin * 60_000)
    base = t.toISOString().slice(0, 19)
  }
  const p = (n: number) => String(n).padStart(2, '0')
  const zone = offsetMin === 0 ? 'Z' : `${offsetMin < 0 ? '-' : '+'}${p(Math.floor(Math.abs(offsetMin) / 60))}:${p(Math.abs(offsetMin) % 60)}`
  return `${base}${frac ? '.' + frac : ''}${zone}`
}

/** Parses log text into whole lines (partial records joined). `carry` keeps an unfinished P record across reads. */
export function parseLog(text: string, carry: {pending?: LogLine} = {}): LogLine[] {
  const out: LogLine[] = []
  for (const raw of text.split('\n')) {
    if (!raw) continue
    const a = raw.indexOf(' ')
    const b = raw.indexOf(' ', a + 1)
    const c = raw.indexOf(' ', b + 1)
    if (a < 0 || b < 0 || c < 0) continue
    const time = raw.slice(0, a)
    const stream = raw.slice(a + 1, b) as 'stdout' | 'stderr'
    const tag = raw.slice(b + 1, c)
    const msg = raw.slice(c + 1)
    const prev = carry.pending
    const line: LogLine = prev && prev.stream === stream ? {time: prev.time, stream, text: prev.text + msg} : {time, stream, text: msg}
    if (prev && prev.stream !== stream) out.push(prev)
    if (tag.startsWith('P')) carry.pending = line
    else {
      carry.pending = undefined
      out.push(line)
    }
  }
  return out
}

function inWindow(l: LogLine, o: LogOptions): boolean {
  if (!o.since && !o.until) return true
  const t = Date.parse(l.time)
  return (!o.since || t >= o.since.getTime()) && (!o.until || t <= o.until.getTime())
}

/** Writes a container's log lines through `emit`; with follow, until the container exits. */
export async function readLogs(rt: Runtime, id: string, opts: LogOptions, emit: (l: LogLine) => void): Promise<void> {
  const file = containerPaths(rt, id).log
  const carry: {pending?: LogLine} = {}
  let offset = 0
  const readNew = (): LogLine[] => {
    if (!existsSync(file)) return []
    const size = statSync(file).size
    if (size < offset) offset = 0 // rotated (max-size)
    if (size === offset) return []
    const fd = openSync(file, 'r')
    const buf = Buffer.alloc(size - offset)
    readSync(fd, buf, 0, buf.length, offset)
    closeSync(fd)
    const text = buf.toString('utf8')
    const lastNl = text.lastIndexOf('\n')
    if (lastNl < 0) return []
    offset += Buffer.byteLength(text.slice(0, lastNl + 1))
    return parseLog(text.slice(0, lastNl + 1), carry)
  }
  let first = existsSync(file) ? parseLog(readFileSync(file, 'utf8'), carry) : []
  offset = existsSync(file) ? statSync(file).size : 0
  first = first.filter(l => inWindow(l, opts))
  if (opts.tail !== undefined && opts.tail >= 0) first = first.slice(Math.max(0, first.length - opts.tail))
  first.forEach(emit)
  if (!opts.follow) return
  const c = rt.containers.read(id)
  if (!c || (c.state.status !== 'running' && c.state.status !== 'paused')) return
  await new Promise<void>(resolve => {
    let watcher: ReturnType<typeof watch> | undefined
    const flush = () => readNew().filter(l => inWindow(l, opts)).forEach(emit)
    try {
      watcher = watch(containerPaths(rt, id).dir, () => flush())
    } catch {
      // no dir to watch: the container is gone
    }
    void waitExited(rt, id).then(() => {
      flush()
      if (carry.pending) emit(carry.pending)
      watcher?.close()
      resolve()
    })
  })
}
