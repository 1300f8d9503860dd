// Port publishing: -p/--publish `[[ip:][hostPort]:]containerPort[/tcp|udp|sctp]`
// with ranges, -P with the image's EXPOSE, random host ports, and the
// forms ps, port and inspect print (Podman's).
import {createServer, isIP} from 'node:net'
import {InvalidArgument} from '../define/errors.js'
import type {PortMapping} from './types.js'
import {dgram} from '../util/builtins.js'

const PROTOCOLS = new Set(['tcp', 'udp', 'sctp'])

function portNumber(s: string, what: string): number {
  if (!/^\d+$/.test(s)) throw new InvalidArgument(`parsing ${what}: invalid port number: strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`)
  const n = Number(s)
  if (n < 1 || n > 65535) throw new InvalidArgument(`parsing ${what}: port numbers must be between 1 and 65535 (inclusive), got ${n}`)
  return n
}

function portRange(s: string, what: string): {start: number; len: number} {
  const dash = s.indexOf('-')
  if (dash === -1) return {start: portNumber(s, what), len: 1}
  const a = portNumber(s.slice(0, dash), what)
  const b = portNumber(s.slice(dash + 1), what)
  if (b < a) throw new InvalidArgument(`parsing ${what}: invalid port range ${s}`)
  return {start: a, len: b - a + 1}
}

/** One -p value → mappings (one per protocol); host_port 0 means "pick one at start". */
export function parsePortSpec(spec: string): PortMapping[] {
  let rest = spec
  let protos = ['tcp']
  const slash = rest.lastIndexOf('/')
  if (slash !== -1) {
    protos = rest.slice(slash + 1).split(',').map(p => p.toLowerCase())
    for (const p of protos) if (!PROTOCOLS.has(p)) throw new InvalidArgument(`unrecognized protocol ${JSON.stringify(p)} in port mapping`)
    rest = rest.slice(0, slash)
  }
  let hostIp = ''
  // [v6]:host:ctr
  if (rest.startsWith('[')) {
    const end = rest.indexOf(']')
    if (end === -1 || rest[end + 1] !== ':') throw new InvalidArgument(`invalid IPv6 address in port mapping ${spec}`)
    hostIp = rest.slice(1, end)
    if (isIP(hostIp) !== 6) throw new InvalidArgument(`cannot parse ${JSON.stringify(hostIp)} as an IP address`)
    rest = rest.slice(end + 2)
  }
  const parts = rest.split(':')
  let hostPart = ''
  let ctrPart: string
  if (parts.length === 1) {
    ctrPart = parts[0]
  } else if (parts.length === 2) {
    [hostPart, ctrPart] = parts
  } else if (parts.length === 3 && !hostIp) {
    if (parts[0] === '') throw new InvalidArgument('must provide a non-empty container host IP to publish')
    hostIp = parts[0]
    if (!isIP(hostIp)) throw new InvalidArgument(`cannot parse ${JSON.stringify(hostIp)} as an IP address`)
    hostPart = parts[1]
    ctrPart = parts[2]
  } else {
    throw new InvalidArgument(`invalid port format ${JSON.stringify(spec)}`)
  }
  const ctr = portRange(ctrPart, 'container port')
  const host = hostPart ? portRange(hostPart, 'host port') : {start: 0, len: ctr.len}
  if (host.len !== ctr.len) throw new InvalidArgument(`host and container port ranges have different lengths: ${host.len} vs ${ctr.len}`)
  if (hostIp === '0.0.0.0') hostIp = ''
  return protos.map(protocol => ({host_ip: hostIp, container_port: ctr.start, host_port: host.start, range: ctr.len, protocol}))
}

/** Expands ranges: one entry per port. */
export function expandPorts(list: PortMapping[]): PortMapping[] {
  const out: PortMapping[] = []
  for (const p of list) {
    for (let i = 0; i < (p.range || 1); i++) {
      out.push({...p, container_port: p.container_port + i, host_port: p.host_port ? p.host_port + i : 0, range: 1})
    }
  }
  return out
}

/** Joins consecutive single ports back into ranges (Podman keeps them so). */
export function compactPorts(list: PortMapping[]): PortMapping[] {
  const out: PortMapping[] = []
  for (const p of list) {
    const last = out[out.length - 1]
    if (last && last.protocol === p.protocol && last.host_ip === p.host_ip &&
      last.container_port + last.range === p.container_port && last.host_port + last.range === p.host_port && p.range === 1) {
      last.range++
    } else {
      out.push({...p})
    }
  }
  return out
}

/** EXPOSE keys ("80/tcp", "53/udp", "8000-8010") → port/proto strings. */
export function exposedPorts(image: Record<string, unknown> | undefined, extra: string[] = []): string[] {
  const out: string[] = []
  for (const k of [...Object.keys(image ?? {}), ...extra]) {
    const [ports, proto = 'tcp'] = k.split('/')
    const r = portRange(ports, 'exposed port')
    for (let i = 0; i < r.len; i++) {
      const key = `${r.start + i}/${proto.toLowerCase()}`
      if (!out.includes(key)) out.push(key)
    }
  }
  return out
}

/** Whether a host port is free now (bind and close; the helper binds it for good). */
export function portFree(p: {host_ip: string; host_port: number; protocol: string}): Promise<boolean> {
  const host = p.host_ip || (p.protocol === 'udp' ? '0.0.0.0' : undefined)
  if (p.protocol === 'udp') {
    return new Promise(resolve => {
      const s = dgram().createSocket(isIP(host ?? '') === 6 ? 'udp6' : 'udp4')
      s.once('error', () => resolve(false))
      s.bind(p.host_port, host, () => s.close(() => resolve(true)))
    })
  }
  return new Promise(resolve => {
    const srv = createServer()
    srv.once('error', () => resolve(false))
    srv.listen({port: p.host_port, host, exclusive: true}, () => srv.close(() => resolve(true)))
  })
}

/** A free port the kernel picks (for -P and -p CTR without a host port). */
export function randomPort(hostIp: string, protocol: string): Promise<number> {
  if (protocol === 'udp') {
    return new Promise((resolve, reject) => {
      const s = dgram().createSocket(isIP(hostIp) === 6 ? 'udp6' : 'udp4')
      s.once('error', reject)
      s.bind(0, hostIp || '0.0.0.0', () => {
        const port = s.address().port
        s.close(() => resolve(port))
      })
    })
  }
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen({port: 0, host: hostIp || undefined, exclusive: true}, () => {
      const port = (srv.address() as {port: number}).port
      srv.close(() => resolve(port))
    })
  })
}

/**
 * The ports to publish at start: -p ones with their random host ports
 * picked, and for -P each exposed port not published yet. Every host port
 * is checked to be free, so that a clash fails before anything is set up.
 */
export async function resolvePorts(ports: PortMapping[], publishAll: boolean, exposed: string[], rootless: boolean, taken: PortMapping[] = []): Promise<PortMapping[]> {
  const out: PortMapping[] = []
  for (const p of ports) {
    if (p.host_port) {
      out.push({...p})
      continue
    }
    // No host port: each container port gets its own random one.
    for (const e of expandPorts([p])) out.push({...e, host_port: await randomPort(e.host_ip, e.protocol)})
  }
  if (publishAll) {
    for (const key of exposed) {
      const [port, proto] = key.split('/')
      const n = Number(port)
      if (out.some(p => p.protocol === proto && n >= p.container_port && n < p.container_port + p.range)) continue
      out.push({host_ip: '', container_port: n, host_port: await randomPort('', proto), range: 1, protocol: proto})
    }
  }
  const busy = new Set(expandPorts(taken).map(p => `${p.protocol}:${p.host_port}`))
  for (const p of expandPorts(out)) {
    // Published by another container (rootful DNAT binds nothing), or bound on the host.
    if (busy.has(`${p.protocol}:${p.host_port}`) || !await portFree(p)) {
      throw new InvalidArgument(`${rootless ? 'rootlessport ' : ''}listen ${p.protocol} ${p.host_ip || '0.0.0.0'}:${p.host_port}: bind: address already in use`)
    }
    busy.add(`${p.protocol}:${p.host_port}`)
  }
  return compactPorts(out)
}

const range = (start: number, len: number) => (len > 1 ? `${start}-${start + len - 1}` : String(start))

/** ps PORTS: "0.0.0.0:8080->80/tcp, 127.0.0.1:9000-9001->90-91/udp". */
export function formatPortsPs(ports: PortMapping[]): string {
  return ports.map(p => `${p.host_ip || '0.0.0.0'}:${range(p.host_port, p.range)}->${range(p.container_port, p.range)}/${p.protocol}`).join(', ')
}

/** `port` lines: "80/tcp -> 0.0.0.0:8080", one per port. */
export function formatPortLines(ports: PortMapping[]): string[] {
  return expandPorts(ports).map(p => `${p.container_port}/${p.protocol} -> ${p.host_ip || '0.0.0.0'}:${p.host_port}`)
}

/** inspect's NetworkSettings.Ports / HostConfig.PortBindings. */
export function portBindings(ports: PortMapping[], exposed: string[] = []): Record<string, Array<{HostIp: string; HostPort: string}> | null> {
  const out: Record<string, Array<{HostIp: string; HostPort: string}> | null> = {}
  for (const p of expandPorts(ports)) {
    const key = `${p.container_port}/${p.protocol}`
    ;(out[key] ??= []).push({HostIp: p.host_ip, HostPort: String(p.host_port)})
  }
  for (const e of exposed) if (!(e in out)) out[e] = null
  return out
}
