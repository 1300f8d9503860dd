// Go's time.Duration as Podman reads and prints it: time.ParseDuration
// ("1m30s", "0.5s", "300ms", "disable" is the caller's business) and
// Duration.String() ("1m30s", "550.94659ms", "0s"). Nanoseconds as numbers
// (exact up to ~104 days, which is plenty for intervals and elapsed times).

import {InvalidArgument} from '../define/errors.js'

const UNITS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  'µs': 1e3, // U+00B5
  'μs': 1e3, // U+03BC
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
}

/** Go's strconv.Quote for the error messages (ASCII input assumed). */
function quote(s: string): string {
  return JSON.stringify(s)
}

/**
 * Go's time.ParseDuration: `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+`, or "0".
 * Returns nanoseconds; throws InvalidArgument with Go's message.
 */
export function parseGoDuration(input: string): number {
  const orig = input
  let s = input
  let neg = false
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-'
    s = s.slice(1)
  }
  if (s === '0') return 0
  if (s === '') throw new InvalidArgument(`time: invalid duration ${quote(orig)}`)
  let total = 0
  while (s !== '') {
    const m = /^(\d*)(?:\.(\d*))?/.exec(s)!
    const [whole, intPart, frac] = [m[0], m[1], m[2]]
    if (intPart === '' && (frac === undefined || frac === '')) throw new InvalidArgument(`time: invalid duration ${quote(orig)}`)
    s = s.slice(whole.length)
    const u = /^[^0-9.]*/.exec(s)![0]
    if (u === '') throw new InvalidArgument(`time: missing unit in duration ${quote(orig)}`)
    const unit = UNITS[u]
    if (unit === undefined) throw new InvalidArgument(`time: unknown unit ${quote(u)} in duration ${quote(orig)}`)
    s = s.slice(u.length)
    const value = Number(intPart || '0') + (frac ? Number(`0.${frac}`) : 0)
    total += Math.round(value * unit)
  }
  return neg ? -total : total
}

/** Digits of v/scale with the fraction's trailing zeros dropped (Go's fmtFrac + fmtInt). */
function frac(v: bigint, scale: bigint): string {
  const i = v / scale
  const f = v % scale
  if (f === 0n) return String(i)
  const digits = String(scale).length - 1
  return `${i}.${String(f).padStart(digits, '0').replace(/0+$/, '')}`
}

/** Go's Duration.String(): "1h2m3.5s", "3m52.680538746s", "550.94659ms", "0s". */
export function formatGoDuration(ns: number | bigint): string {
  let u = typeof ns === 'bigint' ? ns : BigInt(Math.round(ns))
  if (u === 0n) return '0s'
  const sign = u < 0n ? '-' : ''
  if (u < 0n) u = -u
  if (u < 1000000000n) {
    if (u < 1000n) return `${sign}${u}ns`
    if (u < 1000000n) return `${sign}${frac(u, 1000n)}µs`
    return `${sign}${frac(u, 1000000n)}ms`
  }
  const h = u / 3600000000000n
  u -= h * 3600000000000n
  const m = u / 60000000000n
  u -= m * 60000000000n
  let out = sign
  if (h > 0n) out += `${h}h`
  if (h > 0n || m > 0n) out += `${m}m`
  return `${out}${frac(u, 1000000000n)}s`
}
