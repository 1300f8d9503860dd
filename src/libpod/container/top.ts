// `top`: the container's processes with ps-style AIX descriptors, read the
// way Podman's psgo does it (psgo 1.7 as vendored by Podman 4.3): from the
// container's own /proc (reached through /proc/PID/root of its init, so pids,
// ppids and pgids are the container's), with users and groups looked up in
// the container's /etc/passwd and /etc/group. Host data (hpid, huser, hgroup,
// hgroups) comes from the host's /proc. Descriptors psgo does not know make
// Podman run ps(1) inside the container with the arguments as given; so do we.
import {readFileSync, readdirSync, readlinkSync} from 'node:fs'
import {InvalidArgument, TopFailed} from '../define/errors.js'
import type {Runtime} from '../runtime.js'
import {ALL_CAPABILITIES} from '../spec/caps.js'
import {secureJoin} from '../spec/paths.js'
import {parseGroup, parsePasswd} from '../spec/user.js'
import {formatGoDuration} from '../util/duration.js'
import {execForeground, newExecId} from './exec.js'
import {syncContainer} from './sync.js'
import type {Container} from './types.js'


/** psgo's default: `ps -ef` compatible. */
export const DEFAULT_DESCRIPTORS = ['user', 'pid', 'ppid', 'pcpu', 'etime', 'tty', 'time', 'args']

interface Proc {
  pid: string
  hostPid?: number
  stat: string[]
  comm: string
  status: Map<string, string>
  cmdline: string[]
  label: string
}

interface Context {
  /** Container user/group names by id. */
  users: Map<number, string>
  groups: Map<number, string>
  hostUsers: Map<number, string>
  hostGroups: Map<number, string>
  /** Rootless: our user namespace's id maps (container id → host id). */
  uidMap?: Array<[number, number, number]>
  gidMap?: Array<[number, number, number]>
  bootTime: number
  nowNs: bigint
  fullCaps: bigint
  hostPids: Map<string, number>
}

type Fn = (p: Proc, ctx: Context) => string

interface Descriptor {
  code?: string
  normal: string
  header: string
  onHost?: boolean
  fn: Fn
}

const CLK_TCK = 100

const ids = (p: Proc, key: string): string[] => (p.status.get(key) ?? '').split(/\s+/).filter(Boolean)
const lookup = (m: Map<number, string>, id: string): string => m.get(Number(id)) ?? id

function startSeconds(p: Proc, ctx: Context): number {
  return ctx.bootTime + Math.floor(Number(p.stat[19]) / CLK_TCK)
}

function elapsedNs(p: Proc, ctx: Context): bigint {
  return ctx.nowNs - BigInt(startSeconds(p, ctx)) * 1000000000n
}

function cpuSeconds(p: Proc): number {
  return Math.floor((Number(p.stat[11]) + Number(p.stat[12])) / CLK_TCK)
}

function capNames(hex: string | undefined, full: bigint): string {
  const mask = BigInt(`0x${hex || '0'}`)
  if (mask === full) return 'full'
  const names: string[] = []
  for (let i = 0; i < ALL_CAPABILITIES.length; i++) if ((mask >> BigInt(i)) & 1n) names.push(ALL_CAPABILITIES[i].replace(/^CAP_/, ''))
  if (!names.length) return 'none'
  return names.sort().join(',')
}

/** tty_nr → name as it appears under /dev (psgo looks it up there; these are the devices a container has). */
export function ttyName(ttyNr: number): string {
  if (!ttyNr) return '?'
  const major = (ttyNr >> 8) & 0xfff
  const minor = (ttyNr & 0xff) | ((ttyNr >> 12) & 0xfff00)
  if (major >= 136 && major <= 143) return `pts/${(major - 136) * 256 + minor}`
  if (major === 4) return minor < 64 ? `tty${minor}` : `ttyS${minor - 64}`
  if (major === 5) return ({0: 'tty', 1: 'console', 2: 'ptmx'} as Record<number, string>)[minor] ?? '?'
  return '?'
}

function mapId(map: Array<[number, number, number]> | undefined, id: string): string | undefined {
  if (!map) return undefined
  const n = Number(id)
  for (const [inside, outside, count] of map) if (n >= inside && n < inside + count) return String(outside + n - inside)
  try {
    return readFileSync('/proc/sys/fs/overflowuid', 'utf8').trim()
  } catch {
    return '65534'
  }
}

function hostUser(p: Proc, ctx: Context): string {
  if (p.hostPid === undefined) return '?'
  const uid = ids(p, 'Uid')[1]
  const mapped = mapId(ctx.uidMap, uid)
  return mapped !== undefined ? lookup(ctx.users, mapped) : lookup(ctx.hostUsers, uid)
}

function hostGroup(p: Proc, ctx: Context): string {
  if (p.hostPid === undefined) return '?'
  const gid = ids(p, 'Gid')[1]
  const mapped = mapId(ctx.gidMap, gid)
  return mapped !== undefined ? lookup(ctx.groups, mapped) : lookup(ctx.hostGroups, gid)
}

function goTime(seconds: number): string {
  // Go's time.Time.String() in local time: "2006-01-02 15:04:05 -0700 MST".
  const d = new Date(seconds * 1000)
  const pad = (n: number) => String(n).padStart(2, '0')
  const off = -d.getTimezoneOffset()
  const abs = Math.abs(off)
  const zone = Intl.DateTimeFormat('en-US', {timeZoneName: 'short'}).formatToParts(d).find(x => x.type === 'timeZoneName')?.value ?? ''
  const name = off === 0 && /^(GMT|UTC)$/.test(zone) ? 'UTC' : zone
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${off < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}${pad(abs % 60)} ${name}`
}

/** psgo 1.7's descriptors (Podman 4.3.1), in its order. */
export const DESCRIPTORS: readonly Descriptor[] = [
  {code: '%C', normal: 'pcpu', header: '%CPU', fn: (p, ctx) => {
    const elapsed = Number(elapsedNs(p, ctx)) / 1e9
    return (100 * cpuSeconds(p) / elapsed).toFixed(3)
  }},
  {code: '%G', normal: 'group', header: 'GROUP', fn: (p, ctx) => lookup(ctx.groups, ids(p, 'Gid')[1])},
  {normal: 'groups', header: 'GROUPS', fn: (p, ctx) => ids(p, 'Groups').map(g => lookup(ctx.groups, g)).join(',')},
  {code: '%P', normal: 'ppid', header: 'PPID', fn: p => p.status.get('PPid') ?? ''},
  {code: '%U', normal: 'user', header: 'USER', fn: (p, ctx) => lookup(ctx.users, ids(p, 'Uid')[1])},
  {code: '%a', normal: 'args', header: 'COMMAND', fn: p => (p.cmdline[0] ? p.cmdline.join(' ') : `[${p.status.get('Name') ?? ''}]`)},
  {code: '%c', normal: 'comm', header: 'COMMAND', fn: p => p.comm},
  {code: '%g', normal: 'rgroup', header: 'RGROUP', fn: (p, ctx) => lookup(ctx.groups, ids(p, 'Gid')[0])},
  {code: '%n', normal: 'nice', header: 'NI', fn: p => p.stat[16]},
  {code: '%p', normal: 'pid', header: 'PID', fn: p => p.pid},
  {code: '%r', normal: 'pgid', header: 'PGID', fn: p => p.stat[2]},
  {code: '%t', normal: 'etime', header: 'ELAPSED', fn: (p, ctx) => formatGoDuration(elapsedNs(p, ctx))},
  {code: '%u', normal: 'ruser', header: 'RUSER', fn: (p, ctx) => lookup(ctx.users, ids(p, 'Uid')[0])},
  {code: '%x', normal: 'time', header: 'TIME', fn: p => formatGoDuration(cpuSeconds(p) * 1e9)},
  {code: '%y', normal: 'tty', header: 'TTY', fn: p => ttyName(Number(p.stat[4]))},
  {code: '%z', normal: 'vsz', header: 'VSZ', fn: p => String(Math.floor(Number(p.stat[20]) / 1024))},
  {normal: 'capamb', header: 'AMBIENT CAPS', fn: (p, ctx) => capNames(p.status.get('CapAmb'), ctx.fullCaps)},
  {normal: 'capinh', header: 'INHERITED CAPS', fn: (p, ctx) => capNames(p.status.get('CapInh'), ctx.fullCaps)},
  {normal: 'capprm', header: 'PERMITTED CAPS', fn: (p, ctx) => capNames(p.status.get('CapPrm'), ctx.fullCaps)},
  {normal: 'capeff', header: 'EFFECTIVE CAPS', fn: (p, ctx) => capNames(p.status.get('CapEff'), ctx.fullCaps)},
  {normal: 'capbnd', header: 'BOUNDING CAPS', fn: (p, ctx) => capNames(p.status.get('CapBnd'), ctx.fullCaps)},
  {normal: 'seccomp', header: 'SECCOMP', fn: p => ({0: 'disabled', 1: 'strict', 2: 'filter'} as Record<string, string>)[p.status.get('Seccomp') ?? ''] ?? '?'},
  {normal: 'label', header: 'LABEL', fn: p => p.label},
  {normal: 'hpid', header: 'HPID', onHost: true, fn: p => (p.hostPid === undefined ? '?' : String(p.hostPid))},
  {normal: 'huser', header: 'HUSER', onHost: true, fn: hostUser},
  {normal: 'hgroup', header: 'HGROUP', onHost: true, fn: hostGroup},
  {normal: 'hgroups', header: 'HGROUPS', onHost: true, fn: (p, ctx) => {
    if (p.hostPid === undefined) return '?'
    return ids(p, 'Groups').map(g => mapId(ctx.gidMap, g) ?? g).map(g => (ctx.gidMap ? lookup(ctx.groups, g) : g)).join(',')
  }},
  {normal: 'rss', header: 'RSS', fn: p => (p.status.get('VmRSS') ?? '0 kB').split(/\s+/)[0] || '0'},
  {normal: 'state', header: 'STATE', fn: p => (p.status.get('State') ?? '').split(/\s+/)[0]},
  {normal: 'stime', header: 'STIME', fn: (p, ctx) => goTime(startSeconds(p, ctx))},
]

/** `top --list-descriptors`: the normal names, sorted. */
export function listDescriptors(): string[] {
  return DESCRIPTORS.map(d => d.normal).sort()
}

/** Descriptors split on commas; undefined when one is unknown to psgo (then ps(1) runs). */
function translate(descriptors: string[]): Descriptor[] | undefined {
  const wanted = descriptors.flatMap(d => d.split(',')).filter(Boolean)
  const list = wanted.length ? wanted : DEFAULT_DESCRIPTORS
  const out: Descriptor[] = []
  for (const raw of list) {
    const d = raw.trim()
    const found = DESCRIPTORS.filter(x => d === x.code || d === x.normal)
    if (!found.length) return undefined
    out.push(...found)
  }
  return out
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
}

function idNames(text: string | undefined, kind: 'passwd' | 'group'): Map<number, string> {
  const m = new Map<number, string>()
  if (!text) return m
  const entries = kind === 'passwd' ? parsePasswd(text).map(u => [u.uid, u.name] as const) : parseGroup(text).map(g => [g.gid, g.name] as const)
  // The first entry for an id wins, as in runc's lookups.
  for (const [id, name] of entries) if (!m.has(id)) m.set(id, name)
  return m
}

function readMap(file: string): Array<[number, number, number]> | undefined {
  const text = readText(file)
  if (!text) return undefined
  return text.trim().split('\n').map(l => l.trim().split(/\s+/).map(Number) as [number, number, number])
}

function parseStatus(text: string): Map<string, string> {
  const m = new Map<string, string>()
  for (const line of text.split('\n')) {
    const i = line.indexOf(':')
    if (i > 0) m.set(line.slice(0, i), line.slice(i + 1).trim())
  }
  return m
}

function readProc(procRoot: string, pid: string): Proc | undefined {
  const statText = readText(`${procRoot}/${pid}/stat`)
  const statusText = readText(`${procRoot}/${pid}/status`)
  const cmdText = readText(`${procRoot}/${pid}/cmdline`)
  if (statText === undefined || statusText === undefined || cmdText === undefined) return undefined
  const open = statText.indexOf('(')
  const close = statText.lastIndexOf(')')
  const label = readText(`${procRoot}/${pid}/attr/current`)
  return {
    pid,
    comm: statText.slice(open + 1, close),
    stat: statText.slice(close + 2).trim().split(' '),
    status: parseStatus(statusText),
    cmdline: cmdText.split('\0'),
    label: label === undefined ? '?' : label.replace(/^\n+|\n+$/g, ''),
  }
}

/** Host pids of the processes in a pid namespace, by their pid inside it. */
function hostPidsOf(initPid: number): Map<string, number> {
  const out = new Map<string, number>()
  let ns: string
  try {
    ns = readlinkSync(`/proc/${initPid}/ns/pid`)
  } catch {
    return out
  }
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue
    try {
      if (readlinkSync(`/proc/${e}/ns/pid`) !== ns) continue
      const nspid = /^NSpid:\s*(.*)$/m.exec(readFileSync(`/proc/${e}/status`, 'utf8'))?.[1].trim().split(/\s+/)
      if (nspid && nspid.length > 1) out.set(nspid[nspid.length - 1], Number(e))
    } catch {
      // gone, or not ours to look at
    }
  }
  return out
}

/** Rows (header first) from psgo-style descriptors. */
function psgoRows(c: Container, ds: Descriptor[], rootless: boolean): string[][] {
  const init = c.state.pid!
  const root = `/proc/${init}/root`
  const procRoot = `${root}/proc`
  let pids: string[]
  try {
    pids = readdirSync(procRoot).filter(e => /^\d+$/.test(e)).sort((a, b) => Number(a) - Number(b))
  } catch (e) {
    throw new TopFailed(`reading the container's processes: ${(e as Error).message}`)
  }
  const onHost = ds.some(d => d.onHost)
  const stat = readText('/proc/stat') ?? ''
  const capLast = Number(readText('/proc/sys/kernel/cap_last_cap') ?? '40')
  const ctx: Context = {
    users: idNames(readText(secureJoin(root, '/etc/passwd')), 'passwd'),
    groups: idNames(readText(secureJoin(root, '/etc/group')), 'group'),
    hostUsers: rootless ? new Map() : idNames(readText('/etc/passwd'), 'passwd'),
    hostGroups: rootless ? new Map() : idNames(readText('/etc/group'), 'group'),
    uidMap: rootless ? readMap('/proc/self/uid_map') : undefined,
    gidMap: rootless ? readMap('/proc/self/gid_map') : undefined,
    bootTime: Number(/^btime\s+(\d+)/m.exec(stat)?.[1] ?? 0),
    nowNs: BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6)),
    fullCaps: (1n << BigInt(capLast + 1)) - 1n,
    hostPids: onHost ? hostPidsOf(init) : new Map(),
  }
  const rows: string[][] = [ds.map(d => d.header)]
  for (const pid of pids) {
    const p = readProc(procRoot, pid)
    if (!p) continue
    if (onHost) {
      p.hostPid = ctx.hostPids.get(pid)
      // Host data is read from the host's /proc (ids as our namespace sees them).
      if (p.hostPid !== undefined) {
        const hs = readText(`/proc/${p.hostPid}/status`)
        if (hs) {
          const st = parseStatus(hs)
          for (const k of ['Uid', 'Gid', 'Groups']) p.status.set(`host${k}`, st.get(k) ?? '')
        }
      }
    }
    rows.push(ds.map(d => (d.onHost && p.hostPid !== undefined ? d.fn(hostView(p), ctx) : d.fn(p, ctx))))
  }
  return rows
}

/** The same process with the host's ids in place of the container's (for the h* descriptors). */
function hostView(p: Proc): Proc {
  const status = new Map(p.status)
  for (const k of ['Uid', 'Gid', 'Groups']) if (p.status.has(`host${k}`)) status.set(k, p.status.get(`host${k}`)!)
  return {...p, status}
}

/**
 * `top CONTAINER [DESCRIPTORS...]`: the output lines (tab-separated cells,
 * header first), ready for Podman's tabwriter.
 */
export async function topContainer(rt: Runtime, nameOrId: string, descriptors: string[]): Promise<string[]> {
  const c = await syncContainer(rt, rt.containers.lookup(nameOrId))
  if (c.state.status !== 'running' || !c.state.pid) throw new InvalidArgument('top can only be used on running containers')
  const ds = translate(descriptors)
  if (ds) return psgoRows(c, ds, rt.config.rootless).map(r => r.join('\t'))
  return execPs(rt, c, descriptors)
}

/** ps(1) in the container with the arguments as given, without the ps line itself. */
async function execPs(rt: Runtime, c: Container, args: string[]): Promise<string[]> {
  let r
  try {
    r = await execForeground(rt, c, newExecId(), {command: ['ps', ...args], stdin: false, capture: true})
  } catch (e) {
    throw new TopFailed(`executing ps(1) in the container: ${(e as Error).message}`)
  }
  const lines = (r.output ?? '').split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  if (r.exitCode !== 0) throw new TopFailed(`executing ps(1) in the container: runtime failed with exit status: ${r.exitCode} and output: ${lines.join(' ')}`)
  const cmd = args.join(' ')
  return lines.filter(l => !l.includes(cmd))
}
