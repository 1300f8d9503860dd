// Networks as Podman 4 keeps them for netavark (the JSON of
// /etc/containers/networks/*.json), netavark's setup input and output, and
// what a container asked for and got.

/** A network config file, in Podman's netavark JSON format (same keys, same order). */
export interface NetworkDoc {
  name: string
  id: string
  driver: string
  network_interface?: string
  created: string
  subnets?: NetworkSubnet[]
  ipv6_enabled: boolean
  internal: boolean
  dns_enabled: boolean
  labels?: Record<string, string>
  options?: Record<string, string>
  ipam_options?: Record<string, string>
}

export interface NetworkSubnet {
  subnet: string
  gateway?: string
  lease_range?: {start_ip?: string; end_ip?: string}
}

/** netavark's PortMapping (and Podman's ps JSON `Ports`). */
export interface PortMapping {
  host_ip: string
  container_port: number
  host_port: number
  range: number
  protocol: string
}

/** What the container asked for on one named network (--network NAME:alias=...,ip=...). */
export interface PerNetworkOptions {
  aliases?: string[]
  interface_name: string
  static_ips?: string[]
  static_mac?: string
}

/** netavark's StatusBlock for one network. */
export interface NetworkStatusBlock {
  dns_search_domains?: string[]
  dns_server_ips?: string[]
  interfaces?: Record<string, {mac_address: string; subnets?: Array<{ipnet: string; gateway?: string}>}>
}

/**
 * The network part of a container's config, fixed at create. The container's
 * `network` field keeps the mode: none, host, slirp4netns, pasta, bridge
 * (named networks), container:ID, ns:PATH.
 */
export interface ContainerNetworkOptions {
  /** bridge mode: network name → per-network options, in the order given. */
  networks?: Record<string, PerNetworkOptions>
  /** slirp4netns:… / pasta:… options as given. */
  modeOptions?: string[]
  /** -p, parsed and grouped into ranges; -P's random ports are picked at start. */
  ports?: PortMapping[]
  /** -P: publish the image's EXPOSEd ports (and --expose) on random host ports. */
  publishAll?: boolean
  /** The image's EXPOSE plus --expose: "80/tcp". */
  exposed?: string[]
  dns?: string[]
  dnsSearch?: string[]
  dnsOptions?: string[]
  /** --add-host host:ip */
  addHosts?: string[]
  noHosts?: boolean
  /** --mac-address, --ip for the first network (kept in networks too). */
  mac?: string
  ip?: string
}

/** The running network, kept in the runtime dir from setup until teardown. */
export interface NetworkState {
  containerId: string
  mode: string
  /** The bind-mounted network namespace (absent for host / ns: / container:). */
  netns?: string
  /** The namespace the container joins. */
  nsPath?: string
  /** slirp4netns or pasta helper. */
  helperPid?: number
  helperApiSocket?: string
  /** The rootless TCP port forwarder (portfwd-child). */
  forwarderPid?: number
  /** The ports actually published (-P ones resolved). */
  ports: PortMapping[]
  /** netavark results per network. */
  status?: Record<string, NetworkStatusBlock>
  /** The IPs IPAM handed out, per network. */
  ips?: Record<string, string[]>
  /** Rootless user networks: in the shared rootless netns; the hostfwd ids there. */
  rootlessNetns?: boolean
  hostfwdIds?: number[]
  /** The container's address for /etc/hosts. */
  address?: string
  dnsServers?: string[]
  dnsSearch?: string[]
}

/** What start needs from setup. */
export interface NetworkSetupResult {
  /** Set when the container must join a namespace by path: the spec's `ns:PATH`. */
  nsPath?: string
  /** Host network: share the host's. */
  host?: boolean
  state?: NetworkState
}
