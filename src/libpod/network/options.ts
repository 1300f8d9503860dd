// The network flags of create/run, checked and resolved at create (so a bad
// flag leaves nothing behind): the network mode, named networks with their
// aliases and static addresses, published ports (random host ports picked
// now, as Podman does), DNS and /etc/hosts options.
import {isIP} from 'node:net'
import {InvalidArgument} from '../errors.js'
import type {Runtime} from '../runtime.js'
import {networkSettings} from './config.js'
import {NoSuchNetwork} from './errors.js'
import {parseSlirpOptions} from './helpers.js'
import {compactPorts, expandPorts, exposedPorts, parsePortSpec, randomPort} from './ports.js'
import type {ContainerNetworkOptions, PerNetworkOptions, PortMapping} from './types.js'

/** The CLI's network flags, as given. */
export interface NetworkFlags {
  network?: string[]
  publish?: string[]
  publishAll?: boolean
  expose?: string[]
  dns?: string[]
  dnsSearch?: string[]
  dnsOption?: string[]
  addHost?: string[]
  noHosts?: boolean
  networkAlias?: string[]
  ip?: string
  ip6?: string
  mac?: string
}

export const MAC = /^([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$/

/** The mode used when --network is not given: containers.conf netns, else slirp4netns rootless, the default bridge rootful. */
export function defaultNetworkMode(rt: Runtime): string {
  const conf = rt.config.containers?.netns
  if (typeof conf === 'string' && conf && conf !== 'private' && conf !== 'bridge') return conf
  if (conf === 'bridge') return 'bridge'
  return rt.config.rootless ? 'slirp4netns' : 'bridge'
}

/** `NAME[:alias=a,ip=1.2.3.4,mac=..,interface_name=eth1]` */
function parseNamedNetwork(spec: string): {name: string; opts: Partial<PerNetworkOptions>} {
  const colon = spec.indexOf(':')
  const name = colon === -1 ? spec : spec.slice(0, colon)
  const opts: Partial<PerNetworkOptions> = {}
  if (colon !== -1) {
    for (const o of spec.slice(colon + 1).split(',').filter(Boolean)) {
      const eq = o.indexOf('=')
      const k = eq === -1 ? o : o.slice(0, eq)
      const v = eq === -1 ? '' : o.slice(eq + 1)
      switch (k) {
        case 'alias': (opts.aliases ??= []).push(v); break
        case 'ip': case 'ip6':
          if (!isIP(v)) throw new InvalidArgument(`invalid ip address ${JSON.stringify(v)}`)
          ;(opts.static_ips ??= []).push(v)
          break
        case 'mac':
          if (!MAC.test(v)) throw new InvalidArgument(`address ${v}: invalid MAC address`)
          opts.static_mac = v.toLowerCase().replace(/-/g, ':')
          break
        case 'interface_name': opts.interface_name = v; break
        default: throw new InvalidArgument(`unknown network option ${JSON.stringify(k)}`)
      }
    }
  }
  return {name, opts}
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
export async function resolveNetworkOptions(rt: Runtime, f: NetworkFlags, imageExposed: Record<string, unknown> | undefined,
  lookupContainer: (ref: string) => string): Promise<ResolvedNetwork> {
  const specs = (f.network ?? []).filter(s => s !== '')
  let mode = ''
  const options: ContainerNetworkOptions = {}
  const named: Array<{name: string; opts: Partial<PerNetworkOptions>}> = []
  for (const s of specs.length ? specs : [defaultNetworkMode(rt)]) {
    const kind = s.split(':')[0]
    let m: string
    if (s === 'none' || s === 'host') m = s
    else if (s === 'private' || s === 'default') m = defaultNetworkMode(rt)
    else if (kind === 'slirp4netns') {
      m = 'slirp4netns'
      options.modeOptions = s.length > kind.length ? s.slice(kind.length + 1).split(',').filter(Boolean) : []
      parseSlirpOptions(options.modeOptions)
    } else if (kind === 'pasta') {
      m = 'pasta'
      options.modeOptions = s.length > kind.length ? s.slice(kind.length + 1).split(',').filter(Boolean) : []
    } else if (kind === 'container') {
      const ref = s.slice('container:'.length)
      if (!ref) throw new InvalidArgument('container: network mode requires a container name or ID')
      m = `container:${lookupContainer(ref)}`
    } else if (kind === 'ns') {
      const p = s.slice(3)
      if (!p.startsWith('/')) throw new InvalidArgument(`invalid network namespace path ${JSON.stringify(p)}: must be absolute`)
      m = `ns:${p}`
    } else if (s === 'bridge') {
      m = 'bridge'
    } else {
      m = 'bridge'
      named.push(parseNamedNetwork(s))
    }
    if (m === 'bridge' && s === 'bridge') named.push({name: '', opts: {}})
    if (mode && (mode !== 'bridge' || m !== 'bridge')) {
      throw new InvalidArgument(`cannot set multiple networks without bridge network mode, selected mode ${mode}: invalid argument`)
    }
    mode = m
  }
  if (mode === 'bridge' && !named.length) named.push({name: '', opts: {}})

  // Named networks: they must exist; bare `bridge` is the default network.
  if (mode === 'bridge') {
    const store = rt.networks
    const networks: Record<string, PerNetworkOptions> = {}
    for (const [i, n] of named.entries()) {
      let doc
      try {
        doc = store.get(n.name || networkSettings(rt).defaultNetwork)
      } catch (e) {
        if (e instanceof NoSuchNetwork) throw new InvalidArgument(`unable to find network with name or ID ${n.name}: network not found`)
        throw e
      }
      if (networks[doc.name]) throw new InvalidArgument(`network ${doc.name} is already specified`)
      networks[doc.name] = {interface_name: n.opts.interface_name || `eth${i}`, ...n.opts.aliases ? {aliases: n.opts.aliases} : {},
        ...n.opts.static_ips ? {static_ips: n.opts.static_ips} : {}, ...n.opts.static_mac ? {static_mac: n.opts.static_mac} : {}}
    }
    // --ip/--mac-address/--network-alias go to the first network.
    const first = Object.values(networks)[0]
    if (f.ip) (first.static_ips ??= []).push(f.ip)
    if (f.ip6) (first.static_ips ??= []).push(f.ip6)
    if (f.mac) first.static_mac = f.mac.toLowerCase().replace(/-/g, ':')
    if (f.networkAlias?.length) first.aliases = [...first.aliases ?? [], ...f.networkAlias]
    options.networks = networks
  } else {
    if (f.ip || f.ip6 || f.mac) throw new InvalidArgument('invalid config provided: networks and static ip/mac address can only be used with Bridge mode networking')
    if (f.networkAlias?.length) throw new InvalidArgument('invalid config provided: network aliases can only be used with Bridge mode networking')
  }
  if (f.ip && isIP(f.ip) !== 4) throw new InvalidArgument(`${f.ip} is not an IPv4 address`)
  if (f.ip6 && isIP(f.ip6) !== 6) throw new InvalidArgument(`${f.ip6} is not an IPv6 address`)
  if (f.mac && !MAC.test(f.mac)) throw new InvalidArgument(`address ${f.mac}: invalid MAC address`)
  if (f.ip) options.ip = f.ip
  if (f.mac) options.mac = f.mac

  // Ports: published only where the container has a network of its own.
  const shared = mode === 'none' || mode === 'host' || mode.startsWith('container:') || mode.startsWith('ns:')
  const ports: PortMapping[] = []
  for (const p of f.publish ?? []) ports.push(...parsePortSpec(p))
  const exposed = exposedPorts(imageExposed, (f.expose ?? []).map(e => (e.includes('/') ? e : `${e}/tcp`)))
  if (!shared) {
    // Random host ports are picked now and kept, as Podman does.
    const resolved: PortMapping[] = []
    for (const p of ports) {
      if (p.host_port) resolved.push(p)
      else for (const e of expandPorts([p])) resolved.push({...e, host_port: await randomPort(e.host_ip, e.protocol)})
    }
    if (f.publishAll) {
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
    if (f.publishAll) options.publishAll = true
  }
  if (exposed.length) options.exposed = exposed

  for (const d of f.dns ?? []) {
    if (d !== 'none' && !isIP(d)) throw new InvalidArgument(`${d} is not an ip address`)
  }
  if (f.dns?.length) options.dns = f.dns
  if (f.dnsSearch?.length) options.dnsSearch = f.dnsSearch
  if (f.dnsOption?.length) options.dnsOptions = f.dnsOption
  if (f.noHosts && f.addHost?.length) throw new InvalidArgument('--no-hosts and --add-host cannot be set together')
  for (const h of f.addHost ?? []) {
    const i = h.indexOf(':')
    if (i <= 0 || !isIP(h.slice(i + 1).replace(/^\[|\]$/g, ''))) throw new InvalidArgument(`bad format for add-host: ${JSON.stringify(h)}`)
  }
  if (f.addHost?.length) options.addHosts = f.addHost
  if (f.noHosts) options.noHosts = true
  return {network: mode, options}
}

/** The networks a container is on (bridge mode), in order. */
export function containerNetworks(o: ContainerNetworkOptions | undefined): string[] {
  return Object.keys(o?.networks ?? {})
}
