// A spec's network (specgen ContainerNetworkSpec), checked and resolved at
// create (so a bad spec leaves nothing behind): the network mode, named
// networks with their aliases and static addresses, published ports (random
// host ports picked now, as Podman does), DNS and /etc/hosts options.
import {isIP} from 'node:net'
import {InvalidArgument, NoSuchNetwork} from '../define/errors.js'
import type {Runtime} from '../runtime.js'
import {networkSettings} from './config.js'
import {parseSlirpOptions} from './helpers.js'
import {compactPorts, expandPorts, exposedPorts, randomPort} from './ports.js'
import type {ContainerNetworkSpec, NetNS, NetworkAttachment} from '../specgen/network.js'
import type {ContainerNetworkOptions, PerNetworkOptions, PortMapping} from './types.js'

export const MAC = /^([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$/

/** The mode used when --network is not given: containers.conf netns, else slirp4netns rootless, the default bridge rootful. */
export function defaultNetworkMode(rt: Runtime): string {
  const conf = rt.config.containers?.netns
  if (typeof conf === 'string' && conf && conf !== 'private' && conf !== 'bridge') return conf
  if (conf === 'bridge') return 'bridge'
  return rt.config.rootless ? 'slirp4netns' : 'bridge'
}

/**
 * A network mode as containers.conf `netns` and --network write it: none,
 * host, bridge, private/default (undefined: the default), slirp4netns[:OPTS],
 * pasta[:OPTS], container:REF, ns:PATH, or a network's
 * NAME[:alias=a,ip=1.2.3.4,mac=..,interface_name=eth1].
 */
export function parseNetworkMode(s: string): {netns?: NetNS; network?: NetworkAttachment} {
  const kind = s.split(':')[0]
  const opts = () => (s.length > kind.length ? s.slice(kind.length + 1).split(',').filter(Boolean) : [])
  if (s === 'none' || s === 'host') return {netns: {mode: s}}
  if (s === 'private' || s === 'default') return {}
  if (s === 'bridge') return {netns: {mode: 'bridge'}, network: {}}
  if (kind === 'slirp4netns') {
    const options = opts()
    parseSlirpOptions(options)
    return {netns: {mode: 'slirp4netns', options}}
  }
  if (kind === 'pasta') return {netns: {mode: 'pasta', options: opts()}}
  if (kind === 'container') {
    const ref = s.slice('container:'.length)
    if (!ref) throw new InvalidArgument('container: network mode requires a container name or ID')
    return {netns: {mode: 'container', container: ref}}
  }
  if (kind === 'ns') {
    const p = s.slice(3)
    if (!p.startsWith('/')) throw new InvalidArgument(`invalid network namespace path ${JSON.stringify(p)}: must be absolute`)
    return {netns: {mode: 'ns', path: p}}
  }
  return {netns: {mode: 'bridge'}, network: parseNamedNetwork(s)}
}

function parseNamedNetwork(spec: string): NetworkAttachment {
  const colon = spec.indexOf(':')
  const out: NetworkAttachment = {name: colon === -1 ? spec : spec.slice(0, colon)}
  if (colon !== -1) {
    for (const o of spec.slice(colon + 1).split(',').filter(Boolean)) {
      const eq = o.indexOf('=')
      const k = eq === -1 ? o : o.slice(0, eq)
      const v = eq === -1 ? '' : o.slice(eq + 1)
      switch (k) {
        case 'alias': (out.aliases ??= []).push(v); break
        case 'ip': case 'ip6':
          if (!isIP(v)) throw new InvalidArgument(`invalid ip address ${JSON.stringify(v)}`)
          ;(out.staticIPs ??= []).push(v)
          break
        case 'mac':
          if (!MAC.test(v)) throw new InvalidArgument(`address ${v}: invalid MAC address`)
          out.staticMAC = v.toLowerCase().replace(/-/g, ':')
          break
        case 'interface_name': out.interfaceName = v; break
        default: throw new InvalidArgument(`unknown network option ${JSON.stringify(k)}`)
      }
    }
  }
  return out
}

/** The mode word the container's config keeps (ContainerConfig.network). */
function modeName(ns: NetNS): string {
  return ns.mode === 'container' ? `container:${ns.container}` : ns.mode === 'ns' ? `ns:${ns.path}` : ns.mode
}

export interface ResolvedNetwork {
  /** The container's network mode (ContainerConfig.network). */
  network: string
  options: ContainerNetworkOptions
}

/**
 * Checks the flags and returns the mode and options to keep in the
 * container's config. `lookupContainer` resolves container:NAME to its ID.
 */
export async function resolveNetworkOptions(rt: Runtime, f: ContainerNetworkSpec, imageExposed: Record<string, unknown> | undefined,
  lookupContainer: (ref: string) => string): Promise<ResolvedNetwork> {
  const options: ContainerNetworkOptions = {}
  const given = f.networks ?? []
  let netns = f.netns ?? (given.length ? {mode: 'bridge' as const} : undefined)
  let named = [...given]
  if (!netns) {
    const d = parseNetworkMode(defaultNetworkMode(rt))
    netns = d.netns ?? {mode: rt.config.rootless ? 'slirp4netns' : 'bridge'}
    if (d.network) named = [d.network]
  }
  if (netns.mode !== 'bridge' && named.length) {
    throw new InvalidArgument(`cannot set multiple networks without bridge network mode, selected mode ${modeName(netns)}: invalid argument`)
  }
  if (netns.mode === 'slirp4netns' || netns.mode === 'pasta') {
    options.modeOptions = [...netns.options ?? []]
    if (netns.mode === 'slirp4netns') parseSlirpOptions(options.modeOptions)
  }
  if (netns.mode === 'ns' && !netns.path.startsWith('/')) throw new InvalidArgument(`invalid network namespace path ${JSON.stringify(netns.path)}: must be absolute`)
  const mode = netns.mode === 'container' ? `container:${lookupContainer(netns.container)}` : modeName(netns)
  if (mode === 'bridge' && !named.length) named.push({})

  // Named networks: they must exist; bare `bridge` is the default network.
  if (mode === 'bridge') {
    const store = rt.networks
    const networks: Record<string, PerNetworkOptions> = {}
    for (const [i, n] of named.entries()) {
      let doc
      try {
        doc = store.get(n.name || networkSettings(rt).defaultNetwork)
      } catch (e) {
        if (e instanceof NoSuchNetwork) throw new InvalidArgument(`unable to find network with name or ID ${n.name ?? ''}: network not found`)
        throw e
      }
      if (networks[doc.name]) throw new InvalidArgument(`network ${doc.name} is already specified`)
      networks[doc.name] = {interface_name: n.interfaceName || `eth${i}`, ...n.aliases ? {aliases: [...n.aliases]} : {},
        ...n.staticIPs ? {static_ips: [...n.staticIPs]} : {}, ...n.staticMAC ? {static_mac: n.staticMAC} : {}}
    }
    // --ip/--mac-address/--network-alias go to the first network.
    const first = Object.values(networks)[0]
    if (f.staticIP) (first.static_ips ??= []).push(f.staticIP)
    if (f.staticIPv6) (first.static_ips ??= []).push(f.staticIPv6)
    if (f.staticMAC) first.static_mac = f.staticMAC.toLowerCase().replace(/-/g, ':')
    if (f.aliases?.length) first.aliases = [...first.aliases ?? [], ...f.aliases]
    options.networks = networks
  } else {
    if (f.staticIP || f.staticIPv6 || f.staticMAC) throw new InvalidArgument('invalid config provided: networks and static ip/mac address can only be used with Bridge mode networking')
    if (f.aliases?.length) throw new InvalidArgument('invalid config provided: network aliases can only be used with Bridge mode networking')
  }
  if (f.staticIP && isIP(f.staticIP) !== 4) throw new InvalidArgument(`${f.staticIP} is not an IPv4 address`)
  if (f.staticIPv6 && isIP(f.staticIPv6) !== 6) throw new InvalidArgument(`${f.staticIPv6} is not an IPv6 address`)
  if (f.staticMAC && !MAC.test(f.staticMAC)) throw new InvalidArgument(`address ${f.staticMAC}: invalid MAC address`)
  if (f.staticIP) options.ip = f.staticIP
  if (f.staticMAC) options.mac = f.staticMAC

  // Ports: published only where the container has a network of its own.
  const shared = mode === 'none' || mode === 'host' || mode.startsWith('container:') || mode.startsWith('ns:')
  const ports: PortMapping[] = f.portMappings ?? []
  const exposed = exposedPorts(imageExposed, (f.expose ?? []).map(e => `${e.port}/${e.protocol}`))
  if (!shared) {
    // Random host ports are picked now and kept, as Podman does.
    const resolved: PortMapping[] = []
    for (const p of ports) {
      if (p.host_port) resolved.push(p)
      else for (const e of expandPorts([p])) resolved.push({...e, host_port: await randomPort(e.host_ip, e.protocol)})
    }
    if (f.publishExposedPorts) {
      for (const key of exposed) {
        const [port, proto] = key.split('/')
        const n = Number(port)
        if (resolved.some(p => p.protocol === proto && n >= p.container_port && n < p.container_port + p.range)) continue
        resolved.push({host_ip: '', container_port: n, host_port: await randomPort('', proto), range: 1, protocol: proto})
      }
    }
    const seen = new Set<string>()
    for (const p of expandPorts(resolved)) {
      const k = `${p.protocol}:${p.host_ip}:${p.host_port}`
      if (seen.has(k)) throw new InvalidArgument(`conflicting port mappings for host port ${p.host_port} (protocol ${p.protocol})`)
      seen.add(k)
    }
    if (resolved.length) options.ports = compactPorts(resolved)
    if (f.publishExposedPorts) options.publishAll = true
  }
  if (exposed.length) options.exposed = exposed

  for (const d of f.dnsServers ?? []) {
    if (d !== 'none' && !isIP(d)) throw new InvalidArgument(`${d} is not an ip address`)
  }
  if (f.dnsServers?.length) options.dns = f.dnsServers
  if (f.dnsSearch?.length) options.dnsSearch = f.dnsSearch
  if (f.dnsOptions?.length) options.dnsOptions = f.dnsOptions
  if (f.useImageHosts && f.hostAdd?.length) throw new InvalidArgument('--no-hosts and --add-host cannot be set together')
  for (const h of f.hostAdd ?? []) {
    if (!h.host || !isIP(h.ip)) throw new InvalidArgument(`bad format for add-host: ${JSON.stringify(`${h.host}:${h.ip}`)}`)
  }
  // kept as host:ip, the form /etc/hosts is written from
  if (f.hostAdd?.length) options.addHosts = f.hostAdd.map(h => `${h.host}:${h.ip}`)
  if (f.useImageHosts) options.noHosts = true
  return {network: mode, options}
}

/** The networks a container is on (bridge mode), in order. */
export function containerNetworks(o: ContainerNetworkOptions | undefined): string[] {
  return Object.keys(o?.networks ?? {})
}
