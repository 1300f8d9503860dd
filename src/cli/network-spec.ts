// Network flag values (--network, -p, --expose, --dns, --add-host, --ip …)
// → the spec's typed ContainerNetworkSpec, with Podman's messages.
import {isIP} from 'node:net'
import {InvalidArgument} from '../libpod/define/errors.js'
import {parseNetworkMode} from '../libpod/network/options.js'
import {exposedPorts, parsePortSpec} from '../libpod/network/ports.js'
import type {ContainerNetworkSpec, NetNS, NetworkAttachment, PortProtocol} from '../libpod/specgen/network.js'

const modeName = (ns: NetNS) => (ns.mode === 'container' ? `container:${ns.container}` : ns.mode === 'ns' ? `ns:${ns.path}` : ns.mode)

/** --network values (repeatable): one mode, or several named networks (bridge). */
export function parseNetworkFlags(values: readonly string[]): {netns?: NetNS; networks?: NetworkAttachment[]} {
  let netns: NetNS | undefined
  const networks: NetworkAttachment[] = []
  for (const v of values.filter(v => v !== '')) {
    const r = parseNetworkMode(v)
    if (netns && r.netns && (netns.mode !== 'bridge' || r.netns.mode !== 'bridge')) {
      throw new InvalidArgument(`cannot set multiple networks without bridge network mode, selected mode ${modeName(netns)}: invalid argument`)
    }
    if (r.netns) netns = r.netns
    if (r.network) networks.push(r.network)
  }
  return {...netns ? {netns} : {}, ...networks.length ? {networks} : {}}
}

/** `--add-host host:ip` (an IPv6 address may be in brackets). */
export function parseAddHost(h: string): {host: string; ip: string} {
  const i = h.indexOf(':')
  const ip = h.slice(i + 1).replace(/^\[|\]$/g, '')
  if (i <= 0 || !isIP(ip)) throw new InvalidArgument(`bad format for add-host: ${JSON.stringify(h)}`)
  return {host: h.slice(0, i), ip}
}

/** The network flags (of networkFlags, or pod create's subset) → the spec's network. */
export function toNetworkSpec(f: Record<string, unknown>): ContainerNetworkSpec {
  const list = (k: string) => (f[k] as string[] | undefined) ?? []
  const out: ContainerNetworkSpec = parseNetworkFlags(list('network'))
  const ports = list('publish').flatMap(p => parsePortSpec(p))
  if (ports.length) out.portMappings = ports
  if (f['publish-all']) out.publishExposedPorts = true
  const expose = exposedPorts(undefined, list('expose').map(e => (e.includes('/') ? e : `${e}/tcp`)))
  if (expose.length) out.expose = expose.map(e => ({port: Number(e.split('/')[0]), protocol: e.split('/')[1] as PortProtocol}))
  const dns = list('dns').flatMap(d => d.split(',')).filter(Boolean)
  if (dns.length) out.dnsServers = dns
  if (list('dns-search').length) out.dnsSearch = list('dns-search')
  if (list('dns-option').length) out.dnsOptions = list('dns-option')
  if (f['no-hosts'] && list('add-host').length) throw new InvalidArgument('--no-hosts and --add-host cannot be set together')
  if (list('add-host').length) out.hostAdd = list('add-host').map(parseAddHost)
  if (f['no-hosts']) out.useImageHosts = true
  if (list('network-alias').length) out.aliases = list('network-alias')
  if (f.ip !== undefined) out.staticIP = f.ip as string
  if (f.ip6 !== undefined) out.staticIPv6 = f.ip6 as string
  if (f['mac-address'] !== undefined) out.staticMAC = f['mac-address'] as string
  return out
}
