// Resource limits ({name, soft, hard}) → process.rlimits. Only what the user asks for
// goes in the spec (see ENGINEERING-NOTES "Host facts"); values above what
// this process may set are clamped to the host's hard limit, and a rootless
// soft limit above it is an error rather than a runtime failure.
import {readFileSync} from 'node:fs'
import {InvalidArgument} from '../define/errors.js'
import type {Ulimit} from '../specgen/security.js'
import type {OciRlimit} from './oci.js'

/** RLIM_INFINITY as the runtime-spec's uint64. */
export const RLIM_INFINITY = 18446744073709551615n

export type {Ulimit} from '../specgen/security.js'

// /proc/self/limits row titles → ulimit names.
const PROC_NAMES: Record<string, string> = {
  'Max cpu time': 'cpu',
  'Max file size': 'fsize',
  'Max data size': 'data',
  'Max stack size': 'stack',
  'Max core file size': 'core',
  'Max resident set': 'rss',
  'Max processes': 'nproc',
  'Max open files': 'nofile',
  'Max locked memory': 'memlock',
  'Max address space': 'as',
  'Max file locks': 'locks',
  'Max pending signals': 'sigpending',
  'Max msgqueue size': 'msgqueue',
  'Max nice priority': 'nice',
  'Max realtime priority': 'rtprio',
  'Max realtime timeout': 'rttime',
}

/** Host limits by ulimit name; Infinity for unlimited. */
export type HostLimits = ReadonlyMap<string, {soft: number; hard: number}>

/** This process's limits, from /proc/self/limits (or the given text). */
export function readHostLimits(text?: string): HostLimits {
  const out = new Map<string, {soft: number; hard: number}>()
  let t = text
  if (t === undefined) {
    try {
      t = readFileSync('/proc/self/limits', 'utf8')
    } catch {
      return out
    }
  }
  for (const line of t.split('\n')) {
    const m = /^(Max [a-z ]+?)\s{2,}(\S+)\s+(\S+)/.exec(line)
    const name = m && PROC_NAMES[m[1]]
    if (!m || !name) continue
    const num = (v: string) => (v === 'unlimited' ? Infinity : Number(v))
    out.set(name, {soft: num(m[2]), hard: num(m[3])})
  }
  return out
}

export interface RlimitOptions {
  rootless: boolean
  /** Whether this process may raise hard limits (CAP_SYS_RESOURCE in the initial namespace). */
  canRaise: boolean
  /** Default: readHostLimits(). */
  hostLimits?: HostLimits
}

function uint64(v: number): number | bigint {
  return v === -1 || v === Infinity ? RLIM_INFINITY : v
}

/** The spec's rlimits for the parsed --ulimit values (empty input → empty output). */
export function toOciRlimits(ulimits: readonly Ulimit[], opts: RlimitOptions): OciRlimit[] {
  if (ulimits.length === 0) return []
  const host = opts.hostLimits ?? readHostLimits()
  return ulimits.map(u => {
    let soft = u.soft === -1 ? Infinity : u.soft
    let hard = u.hard === -1 ? Infinity : u.hard
    const max = host.get(u.name)?.hard
    if (!opts.canRaise && max !== undefined && hard > max) {
      if (opts.rootless && soft > max) {
        throw new InvalidArgument(`ulimit ${u.name}: soft limit ${u.soft === -1 ? 'unlimited' : u.soft} exceeds the host's hard limit ${max === Infinity ? 'unlimited' : max}, which a rootless container cannot raise`)
      }
      hard = max
      if (soft > hard) soft = hard
    }
    return {type: `RLIMIT_${u.name.toUpperCase()}`, hard: uint64(hard), soft: uint64(soft)}
  })
}

/** Whether the process holds CAP_SYS_RESOURCE (bit 24) in its effective set. */
export function hasSysResource(status?: string): boolean {
  let text = status
  if (text === undefined) {
    try {
      text = readFileSync('/proc/self/status', 'utf8')
    } catch {
      return false
    }
  }
  const m = /^CapEff:\s*([0-9a-f]+)/m.exec(text)
  return !!m && ((BigInt('0x' + m[1]) >> 24n) & 1n) === 1n
}
