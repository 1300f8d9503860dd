// What inspect, ps and port show about a container's network, in Podman's
// shapes: NetworkSettings (with Ports and per-network entries), PortBindings,
// ps's PORTS column and its JSON Ports, the networks a container is on.
import type {Runtime} from '../runtime.js'
import type {Container} from '../container/types.js'
import {networkSettings} from './config.js'
import {formatPortsPs, portBindings} from './ports.js'
import {readNetworkState, type NetConfig} from './state.js'
import type {PortMapping} from './types.js'
import {isActive} from '../define/state.js'


export interface ContainerNetworkInfo {
  NetworkSettings: Record<string, unknown>
  PortBindings: Record<string, unknown>
  NetworkMode: string
  PublishAllPorts: boolean
  /** ps JSON's Ports (null when none, as Podman). */
  ports: PortMapping[] | null
  /** ps's PORTS column. */
  psPorts: string
  /** ps's Networks. */
  networks: string[]
}

function emptyEndpoint(): Record<string, unknown> {
  return {EndpointID: '', Gateway: '', IPAddress: '', IPPrefixLen: 0, IPv6Gateway: '', GlobalIPv6Address: '', GlobalIPv6PrefixLen: 0, MacAddress: ''}
}

/** ps's and pod ps's share of containerNetworkInfo (PORTS, JSON Ports, Networks): from the config alone, no state or containers.conf read. */
export function psNetworkInfo(c: Container): Pick<ContainerNetworkInfo, 'ports' | 'psPorts' | 'networks'> {
  const o = (c.config as NetConfig).networkOptions ?? {}
  const ports = o.ports ?? []
  return {ports: ports.length ? ports : null, psPorts: formatPortsPs(ports), networks: Object.keys(o.networks ?? {})}
}

export function containerNetworkInfo(rt: Runtime, c: Container): ContainerNetworkInfo {
  const cfg = c.config as NetConfig
  const o = cfg.networkOptions ?? {}
  const ports = o.ports ?? []
  const up = isActive(c.state.status)
  const st = up ? readNetworkState(rt, cfg.id) : undefined
  const settings: Record<string, unknown> = {
    ...emptyEndpoint(), Bridge: '', SandboxID: '', HairpinMode: false, LinkLocalIPv6Address: '', LinkLocalIPv6PrefixLen: 0,
    Ports: portBindings(ports, o.exposed ?? []),
    SandboxKey: st?.netns ?? (up && cfg.network.startsWith('ns:') ? cfg.network.slice(3) : ''),
  }
  const names = Object.keys(o.networks ?? {})
  if (cfg.network === 'bridge' && names.length) {
    const nets: Record<string, unknown> = {}
    for (const name of names) {
      const per = o.networks![name]
      const block = st?.status?.[name]
      const iface = block?.interfaces?.[per.interface_name] ?? Object.values(block?.interfaces ?? {})[0]
      const sub4 = iface?.subnets?.find(s => !s.ipnet.includes(':'))
      const sub6 = iface?.subnets?.find(s => s.ipnet.includes(':'))
      nets[name] = {
        ...emptyEndpoint(),
        Gateway: sub4?.gateway ?? '', IPAddress: sub4?.ipnet.split('/')[0] ?? '', IPPrefixLen: sub4 ? Number(sub4.ipnet.split('/')[1]) : 0,
        IPv6Gateway: sub6?.gateway ?? '', GlobalIPv6Address: sub6?.ipnet.split('/')[0] ?? '', GlobalIPv6PrefixLen: sub6 ? Number(sub6.ipnet.split('/')[1]) : 0,
        MacAddress: iface?.mac_address ?? '',
        NetworkID: name, DriverOpts: null, IPAMConfig: null, Links: null,
        Aliases: [...per.aliases ?? [], cfg.id.slice(0, 12)],
      }
    }
    // The default network alone fills the top-level fields too, as in Podman.
    if (names.length === 1 && names[0] === networkSettings(rt).defaultNetwork) {
      const n = nets[names[0]] as Record<string, unknown>
      for (const k of Object.keys(emptyEndpoint())) settings[k] = n[k]
    }
    settings.Networks = nets
  }
  return {
    NetworkSettings: settings,
    PortBindings: portBindings(ports),
    NetworkMode: cfg.network,
    PublishAllPorts: Boolean(o.publishAll),
    ports: ports.length ? ports : null,
    psPorts: formatPortsPs(ports),
    networks: names,
  }
}
