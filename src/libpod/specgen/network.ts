// The network part of a ContainerSpec / PodSpec (Podman's
// ContainerNetworkConfig), typed: the CLI parses --network, -p, --dns … into
// it (src/cli/network-flags.ts); the engine checks it against the store and
// keeps the result (network/options.ts resolveNetworkOptions).
import type {PortMapping} from '../network/types.js'

/** The network namespace a container gets. */
export type NetNS =
  | {mode: 'none' | 'host' | 'bridge'}
  | {mode: 'slirp4netns' | 'pasta'; options?: string[]}
  /** Join another container's network namespace (name or ID). */
  | {mode: 'container'; container: string}
  /** Join the namespace at an absolute path. */
  | {mode: 'ns'; path: string}

/** A named network the container joins (bridge mode). */
export interface NetworkAttachment {
  /** The network's name or ID; absent: the default network. */
  name?: string
  aliases?: string[]
  staticIPs?: string[]
  staticMAC?: string
  interfaceName?: string
}

export type PortProtocol = 'tcp' | 'udp' | 'sctp'

export interface ContainerNetworkSpec {
  /** Absent: containers.conf's netns, else slirp4netns rootless and bridge rootful. */
  netns?: NetNS
  /** Named networks, in order (bridge mode; none given: the default network). */
  networks?: NetworkAttachment[]
  /** Published ports; host_port 0 picks a free port at create. */
  portMappings?: PortMapping[]
  /** -P: publish the image's exposed ports (and `expose`) on random host ports. */
  publishExposedPorts?: boolean
  expose?: Array<{port: number; protocol: PortProtocol}>
  /** Static addresses and MAC for the first network. */
  staticIP?: string
  staticIPv6?: string
  staticMAC?: string
  /** Network-scoped aliases for the first network. */
  aliases?: string[]
  dnsServers?: string[]
  dnsSearch?: string[]
  dnsOptions?: string[]
  /** Extra /etc/hosts entries. */
  hostAdd?: Array<{host: string; ip: string}>
  /** Keep the image's /etc/hosts (--no-hosts). */
  useImageHosts?: boolean
}

/** Whether the spec asks for any network configuration (a pod without infra cannot take it). */
export function hasNetworkConfig(n: ContainerNetworkSpec | undefined): boolean {
  return Boolean(n && (n.portMappings?.length || n.netns || n.networks?.length || n.dnsServers?.length || n.hostAdd?.length || n.staticIP || n.staticMAC))
}
