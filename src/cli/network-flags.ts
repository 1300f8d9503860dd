// The network flags of create and run (Podman's names), and their
// translation into libpod's NetworkFlags.
import {Flags} from './oclif.js'
import {type NetworkFlags} from '../libpod/index.js'

const many = (description: string, char?: string) =>
  Flags.string({description, multiple: true, multipleNonGreedy: true, ...(char ? {char: char as 'p'} : {})})

export const networkFlags = {
  network: Flags.string({
    description: 'Connect a container to a network: none, host, private, bridge, slirp4netns[:OPTIONS], pasta[:OPTIONS], container:ID, ns:PATH, or a network name[:alias=A,ip=IP,mac=MAC,interface_name=NAME]',
    aliases: ['net'], multiple: true, multipleNonGreedy: true,
  }),
  publish: many('Publish a container\'s port, or a range of ports, to the host ([[ip:][hostPort]:]containerPort[/tcp|udp|sctp])', 'p'),
  'publish-all': Flags.boolean({char: 'P', description: 'Publish all exposed ports to random ports on the host interfaces'}),
  expose: many('Expose a port or a range of ports'),
  dns: many('Set custom DNS servers'),
  'dns-search': many('Set custom DNS search domains'),
  'dns-option': many('Set custom DNS options'),
  'add-host': many('Add a custom host-to-IP mapping (host:ip)'),
  'no-hosts': Flags.boolean({description: 'Do not create /etc/hosts within the container, instead use the version from the image'}),
  'network-alias': many('Add network-scoped alias for the container'),
  ip: Flags.string({description: 'Specify a static IPv4 address for the container'}),
  ip6: Flags.string({description: 'Specify a static IPv6 address for the container'}),
  'mac-address': Flags.string({description: 'Container MAC address (e.g. 92:d0:c6:0a:29:33)'}),
}

export function toNetworkFlags(f: Record<string, unknown>): NetworkFlags {
  const list = (k: string) => (f[k] as string[] | undefined) ?? []
  return {
    network: list('network'),
    publish: list('publish'),
    publishAll: f['publish-all'] as boolean | undefined,
    expose: list('expose'),
    dns: list('dns').flatMap(d => d.split(',')).filter(Boolean),
    dnsSearch: list('dns-search'),
    dnsOption: list('dns-option'),
    addHost: list('add-host'),
    noHosts: f['no-hosts'] as boolean | undefined,
    networkAlias: list('network-alias'),
    ip: f.ip as string | undefined,
    ip6: f.ip6 as string | undefined,
    mac: f['mac-address'] as string | undefined,
  }
}
