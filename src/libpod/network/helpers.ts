// Rootless user-mode networking helpers attached to a network namespace:
// slirp4netns (Podman 4's default, with its API socket for port forwarding)
// and pasta (passt). Each runs detached until teardown kills it.
// Raw spawn for slirp4netns: it is detached and long-lived, with a ready pipe on fd 3 (short calls use util/process.ts).
import {childProcess} from '../util/builtins.js'
import {closeSync, openSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {connect} from 'node:net'
import {InvalidArgument, NetworkFailure} from '../define/errors.js'
import {log as logger} from '../util/log.js'
import {run} from '../util/process.js'
import {HELPER_TIMEOUT} from './netns.js'
import {expandPorts} from './ports.js'
import type {PortMapping} from './types.js'
import {pidRunning, processAlive, processesWithArgs} from '../util/liveness.js'
import {failpoint} from '../util/failpoint.js'

export const SLIRP_GUEST_IP = '10.0.2.100'
export const SLIRP_DNS = '10.0.2.3'
export const SLIRP_GATEWAY = '10.0.2.2'

export interface SlirpOptions {
  allowHostLoopback: boolean
  cidr?: string
  enableIpv6: boolean
  mtu: number
  outboundAddr?: string
  outboundAddr6?: string
  /** rootlessport (default): peapod's forwarder for TCP; slirp4netns: slirp's own hostfwd. */
  portHandler: 'rootlessport' | 'slirp4netns'
}

/** `--network slirp4netns:allow_host_loopback=true,mtu=1500,...` (Podman's option names). */
export function parseSlirpOptions(list: string[]): SlirpOptions {
  const o: SlirpOptions = {allowHostLoopback: false, enableIpv6: false, mtu: 65520, portHandler: 'rootlessport'}
  const bool = (k: string, v: string) => {
    if (v !== 'true' && v !== 'false') throw new InvalidArgument(`invalid value of ${k} for slirp4netns: ${v}`)
    return v === 'true'
  }
  for (const item of list) {
    const eq = item.indexOf('=')
    const k = eq === -1 ? item : item.slice(0, eq)
    const v = eq === -1 ? '' : item.slice(eq + 1)
    switch (k) {
      case 'allow_host_loopback': o.allowHostLoopback = bool(k, v); break
      case 'enable_ipv6': o.enableIpv6 = bool(k, v); break
      case 'cidr': o.cidr = v; break
      case 'mtu':
        if (!/^\d+$/.test(v)) throw new InvalidArgument(`invalid value of mtu for slirp4netns: ${v}`)
        o.mtu = Number(v)
        break
      case 'outbound_addr': o.outboundAddr = v; break
      case 'outbound_addr6': o.outboundAddr6 = v; break
      case 'port_handler':
        if (v !== 'rootlessport' && v !== 'slirp4netns') throw new InvalidArgument(`unknown port_handler for slirp4netns: ${JSON.stringify(v)}`)
        o.portHandler = v
        break
      default: throw new InvalidArgument(`unknown option for slirp4netns: ${JSON.stringify(item)}`)
    }
  }
  return o
}

/** The guest address slirp4netns configures: .100 of its CIDR. */
export function slirpGuestIp(o: SlirpOptions): string {
  if (!o.cidr) return SLIRP_GUEST_IP
  const [a] = o.cidr.split('/')
  const p = a.split('.').map(Number)
  return `${p[0]}.${p[1]}.${p[2]}.100`
}

export function slirpDnsIp(o: SlirpOptions): string {
  if (!o.cidr) return SLIRP_DNS
  const p = o.cidr.split('/')[0].split('.').map(Number)
  return `${p[0]}.${p[1]}.${p[2]}.3`
}

/**
 * Starts slirp4netns on a netns and waits until it configured tap0.
 * Returns its pid; its output goes to `logFile`.
 */
export async function startSlirp(bin: string, netns: string, apiSocket: string, logFile: string, o: SlirpOptions, pidFile?: string): Promise<number> {
  const args = ['--configure', `--mtu=${o.mtu}`, '--enable-sandbox', '--enable-seccomp']
  if (!o.allowHostLoopback) args.push('--disable-host-loopback')
  if (o.enableIpv6) args.push('--enable-ipv6')
  if (o.cidr) args.push(`--cidr=${o.cidr}`)
  if (o.outboundAddr) args.push(`--outbound-addr=${o.outboundAddr}`)
  if (o.outboundAddr6) args.push(`--outbound-addr6=${o.outboundAddr6}`)
  rmSync(apiSocket, {force: true})
  args.push('-r', '3', '--api-socket', apiSocket, '--netns-type=path', netns, 'tap0')
  logger.debug(`slirp4netns command: ${bin} ${args.join(' ')}`)
  const log = openSync(logFile, 'a')
  const child = childProcess().spawn(bin, args, {detached: true, stdio: ['ignore', log, log, 'pipe']})
  closeSync(log)
  failpoint('network.slirp.after-spawn')
  // before it is ready: a command killed while waiting leaves teardown its pid
  // (killed before even this, teardown finds it by its netns: stopStraySlirp)
  if (pidFile && child.pid) writeFileSync(pidFile, String(child.pid))
  const pid = await new Promise<number>((resolve, reject) => {
    const ready = child.stdio[3] as NodeJS.ReadableStream
    const fail = (why: string) => {
      let text = ''
      try {
        text = readFileSync(logFile, 'utf8').trim().split('\n').filter(l => !/syslog/.test(l)).pop() ?? ''
      } catch {
        // no log
      }
      reject(new NetworkFailure(`slirp4netns failed: ${text || why}`))
    }
    child.once('error', e => fail(e.message))
    child.once('exit', code => fail(`exited with ${code}`))
    ready.once('data', () => {
      child.removeAllListeners('exit')
      resolve(child.pid!)
    })
  })
  ;(child.stdio[3] as NodeJS.ReadableStream & {destroy: () => void}).destroy()
  child.unref()
  return pid
}

interface SlirpReply { return?: {id?: number}; error?: {desc?: string} }

/** One request on slirp4netns's API socket (one connection each). */
function slirpApi(socket: string, req: unknown): Promise<SlirpReply> {
  return new Promise((resolve, reject) => {
    const c = connect(socket)
    let text = ''
    c.on('data', d => { text += d })
    c.on('error', e => reject(new NetworkFailure(`slirp4netns API: ${e.message}`)))
    c.on('end', () => {
      try {
        resolve(JSON.parse(text) as SlirpReply)
      } catch {
        reject(new NetworkFailure(`slirp4netns API: bad reply ${JSON.stringify(text)}`))
      }
    })
    c.on('connect', () => c.end(JSON.stringify(req)))
  })
}

/** Forwards each published port (host → guest) through slirp4netns; returns the rule ids. */
export async function slirpForward(socket: string, ports: PortMapping[], guestIp?: string, guestPortIsHostPort = false): Promise<number[]> {
  const ids: number[] = []
  for (const p of expandPorts(ports)) {
    for (const proto of p.protocol.split(',')) {
      if (proto === 'sctp') throw new InvalidArgument('sctp ports cannot be published with slirp4netns')
      const r = await slirpApi(socket, {execute: 'add_hostfwd', arguments: {
        proto, host_addr: p.host_ip || '0.0.0.0', host_port: p.host_port,
        ...(guestIp ? {guest_addr: guestIp} : {}), guest_port: guestPortIsHostPort ? p.host_port : p.container_port,
      }})
      if (r.error || r.return?.id === undefined) {
        throw new NetworkFailure(`cannot expose port ${p.host_port}: ${r.error?.desc ?? 'slirp4netns refused'}: listen ${proto} ${p.host_ip || '0.0.0.0'}:${p.host_port}: bind: address already in use`)
      }
      ids.push(r.return.id)
    }
  }
  return ids
}

export async function slirpUnforward(socket: string, ids: number[]): Promise<void> {
  for (const id of ids) await slirpApi(socket, {execute: 'remove_hostfwd', arguments: {id}}).catch(() => {})
}

/** pasta: `-t`/`-u` specs for the published ports ("127.0.0.1/8080-8081:80-81"). */
function pastaPortArgs(ports: PortMapping[]): string[] {
  const tcp: string[] = []
  const udp: string[] = []
  for (const p of ports) {
    const r = (s: number) => (p.range > 1 ? `${s}-${s + p.range - 1}` : String(s))
    const spec = `${p.host_ip ? `${p.host_ip}/` : ''}${r(p.host_port)}:${r(p.container_port)}`
    for (const proto of p.protocol.split(',')) {
      if (proto === 'tcp') tcp.push(spec)
      else if (proto === 'udp') udp.push(spec)
      else throw new InvalidArgument(`${proto} ports cannot be published with pasta`)
    }
  }
  return [
    ...(tcp.length ? tcp.flatMap(s => ['-t', s]) : ['-t', 'none']),
    ...(udp.length ? udp.flatMap(s => ['-u', s]) : ['-u', 'none']),
  ]
}

/**
 * Starts pasta on a netns (it configures the namespace's interface with the
 * host's addresses, then forks to the background). Returns its pid.
 */
export async function startPasta(bin: string, netns: string, pidFile: string, logFile: string, ports: PortMapping[], extra: string[]): Promise<number> {
  const own = new Set(extra.filter(a => a.startsWith('-')).map(a => a.replace(/=.*/, '')))
  const args = [...extra]
  if (!own.has('-t') && !own.has('--tcp-ports') && !own.has('-u') && !own.has('--udp-ports')) args.push(...pastaPortArgs(ports))
  else if (ports.length) args.push(...pastaPortArgs(ports).filter((a, i, all) => a !== 'none' && all[i + 1] !== 'none'))
  if (!own.has('-T') && !own.has('--tcp-ns')) args.push('-T', 'none')
  if (!own.has('-U') && !own.has('--udp-ns')) args.push('-U', 'none')
  if (!own.has('--map-gw') && !own.has('--no-map-gw')) args.push('--no-map-gw')
  args.push('--config-net', '--quiet', '--pid', pidFile, '--log-file', logFile, '--netns', netns)
  logger.debug(`pasta arguments: ${args.join(' ')}`)
  rmSync(pidFile, {force: true})
  try {
    await run([bin, ...args], {timeout: HELPER_TIMEOUT})
  } catch (e) {
    const text = ((e as {stderr?: string}).stderr ?? '').split('\n').filter(l => l && !/syslog/.test(l)).pop()
    throw new NetworkFailure(`pasta failed: ${text || (e as Error).message}`)
  }
  const pid = Number(readFileSync(pidFile, 'utf8').trim())
  if (!pid) throw new NetworkFailure('pasta failed: no pid')
  return pid
}

/** Kills a helper if it is still the process we started (its command line names the netns). */
export async function stopHelper(pid: number | undefined, marker: string): Promise<void> {
  if (!pid || !processAlive(pid, marker)) return
  try {
    process.kill(pid, 'SIGTERM')
  } catch {
    return
  }
  // Bounded wait, so that "nothing left" holds once teardown returns.
  for (let i = 0; i < 200; i++) {
    if (!pidRunning(pid)) return
    await new Promise(r => setTimeout(r, 5))
  }
  try {
    process.kill(pid, 'SIGKILL')
  } catch {
    // gone
  }
}

/**
 * Stops every slirp4netns attached to `netns`, found by its command line:
 * one whose start was killed before its pid was written anywhere.
 */
export async function stopStraySlirp(netns: string): Promise<void> {
  for (const pid of processesWithArgs(a => /(^|\/)slirp4netns$/.test(a[0] ?? '') && a.includes(netns))) await stopHelper(pid, netns)
}
