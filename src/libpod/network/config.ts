// Network settings: containers.conf [network] (default network and subnet,
// subnet pools, config dir) and where the helper binaries live.
import path from 'node:path'
import {get, loadLayered, type Table} from '../config/toml.js'
import type {Runtime} from '../runtime.js'
import {executable} from '../util/executable.js'

export interface NetworkSettings {
  defaultNetwork: string
  defaultSubnet: string
  subnetPools: Array<{base: string; size: number}>
  /** Where network JSON files live. */
  configDir: string
  /** netavark's --config: aardvark-dns's config and netavark's lock (runtime). */
  runDir: string
  dnsBindPort: number
  helperDirs: string[]
}

const cache = new WeakMap<Runtime, NetworkSettings>()

export function networkSettings(rt: Runtime): NetworkSettings {
  let s = cache.get(rt)
  if (s) return s
  // The Config's own parse of containers.conf (one per command: inspect needs its [engine] too),
  // or a parse of our own for a Config made by hand.
  const conf = rt.config.network ? undefined : loadLayered('containers.conf', rt.config.configDirs, 'CONTAINERS_CONF')
  const net = (conf ? get<Table>(conf, 'network') ?? {} : rt.config.network!) as Table
  const engine = (conf ? get<Table>(conf, 'engine') ?? {} : rt.config.engine) as Table
  const pools = Array.isArray(net.default_subnet_pools)
    ? (net.default_subnet_pools as Array<{base?: string; size?: number}>).filter(p => p.base && p.size).map(p => ({base: p.base!, size: p.size!}))
    : []
  s = {
    defaultNetwork: typeof net.default_network === 'string' && net.default_network ? net.default_network : 'podman',
    defaultSubnet: typeof net.default_subnet === 'string' && net.default_subnet ? net.default_subnet : '10.88.0.0/16',
    subnetPools: pools.length ? pools : [
      {base: '10.89.0.0/16', size: 24}, {base: '10.90.0.0/15', size: 24}, {base: '10.92.0.0/14', size: 24},
      {base: '10.96.0.0/11', size: 24}, {base: '10.128.0.0/9', size: 24},
    ],
    // Podman: /etc/containers/networks as root; peapod keeps them in its store
    // (as rootless Podman does), so that --root gives a private set.
    configDir: rt.config.networkConfigDir ? rt.config.networkConfigDir : typeof net.network_config_dir === 'string' && net.network_config_dir && !net.network_config_dir.includes('cni')
      ? net.network_config_dir
      : path.join(rt.config.graphRoot, 'networks'),
    runDir: path.join(rt.config.runRoot, 'networks'),
    dnsBindPort: typeof net.dns_bind_port === 'number' ? net.dns_bind_port : 53,
    helperDirs: Array.isArray(engine.helper_binaries_dir) ? engine.helper_binaries_dir as string[]
      : ['/usr/local/libexec/podman', '/usr/local/lib/podman', '/usr/libexec/podman', '/usr/lib/podman'],
  }
  cache.set(rt, s)
  return s
}


/** A helper (netavark, aardvark-dns) from helper_binaries_dir, or a program (slirp4netns, pasta) from PATH. */
export function findBinary(rt: Runtime | undefined, name: string): string | undefined {
  // --network-cmd-path: the rootless network command (Podman's slirp4netns) given by path
  if (name === 'slirp4netns' && rt?.config.networkCmdPath) return rt.config.networkCmdPath
  const dirs = [
    ...(rt ? networkSettings(rt).helperDirs : ['/usr/local/libexec/podman', '/usr/local/lib/podman', '/usr/libexec/podman', '/usr/lib/podman']),
    ...(process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin').split(':'),
    '/usr/sbin', '/sbin',
  ]
  for (const d of dirs) {
    const p = path.join(d, name)
    if (d && executable(p)) return p
  }
  return undefined
}
