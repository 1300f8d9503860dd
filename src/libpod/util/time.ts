// Podman's --since/--until and `until=` filter values (containers/common
// pkg/timetype GetTimestamp): a Go duration before now (10m, 1h30m, 1.5h), an
// RFC3339 time with or without fractional seconds and zone (no zone: local
// time), a date alone (2006-01-02, optionally with a zone), a partial time
// (2006-01-02T15, 2006-01-02T15:04), or Unix seconds with an optional fraction.
import {InvalidArgument} from '../define/errors.js'
import {parseGoDuration} from './duration.js'

const TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?)?([zZ]|[+-]\d{2}:\d{2})?$/

/** The error Podman gives for a value that is none of the above. */
export function badTime(value: string): InvalidArgument {
  return new InvalidArgument(`failed to parse value as time or duration: ${JSON.stringify(value)}`)
}

/** Parses a time value; returns epoch milliseconds (with a fraction when given). */
export function parseTime(value: string, now = Date.now()): number {
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000
  if (/^[+-]?[\d.]+[a-zµμ]/.test(value)) {
    try {
      return now - parseGoDuration(value) / 1e6
    } catch {
      // not a duration: try a time below
    }
  }
  const m = TIME.exec(value)
  if (!m) throw badTime(value)
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m
  const n = [y, mo, d, h, mi, s].map(Number)
  if (n[1] < 1 || n[1] > 12 || n[2] < 1 || n[2] > 31 || n[3] > 23 || n[4] > 59 || n[5] > 59) throw badTime(value)
  const fracMs = frac ? Number(`0.${frac}`) * 1000 : 0
  // Go refuses a day out of range for its month (2023-02-30); Date rolls it over.
  const day = new Date(Date.UTC(n[0], n[1] - 1, n[2])).getUTCDate()
  if (day !== n[2]) throw badTime(value)
  if (zone === undefined) return new Date(n[0], n[1] - 1, n[2], n[3], n[4], n[5]).getTime() + fracMs
  const off = /^[zZ]$/.test(zone) ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)))
  return Date.UTC(n[0], n[1] - 1, n[2], n[3], n[4], n[5]) - off * 60_000 + fracMs
}
