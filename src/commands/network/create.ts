import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {parseKeyValues} from '../../cli/container-spec.js'
import {InvalidArgument} from '../../libpod/index.js'

const many = (description: string) => Flags.string({description, multiple: true, multipleNonGreedy: true})

export default class NetworkCreate extends BaseCommand {
  static override summary = 'Create networks for containers and pods'
  static override description = 'Create a network configuration for use with containers and pods, in Podman\'s netavark format (one JSON file per network in the store\'s networks directory). A bridge network gets the first free subnet of the default pools (10.89.0.0/24, ...) unless --subnet is given; DNS (aardvark-dns) is on for bridge networks unless --disable-dns.'
  static override usage = 'network create [options] [NAME]'
  static override examples = ['peapod network create mynet', 'peapod network create --subnet 192.168.55.0/24 --gateway 192.168.55.3 mynet', 'peapod network create -d macvlan -o parent=eth0 --subnet 192.168.1.0/24 macnet']
  static override args = {name: Args.string({description: 'network name (default: podmanN)'})}
  static override flags = {
    driver: Flags.string({char: 'd', description: 'driver to manage the network (bridge, macvlan, ipvlan)', default: 'bridge'}),
    gateway: many('IPv4 or IPv6 gateway for the subnet'),
    internal: Flags.boolean({description: 'restrict external access from this network'}),
    'ip-range': many('allocate container IP from range'),
    'ipam-driver': Flags.string({description: 'IP Address Management Driver (host-local, dhcp, none)'}),
    ipv6: Flags.boolean({description: 'enable IPv6 networking'}),
    label: many('set metadata on a network'),
    opt: Flags.string({char: 'o', multiple: true, multipleNonGreedy: true, description: 'Set driver specific options (mtu, vlan, parent, mode, isolate, metric)'}),
    subnet: many('subnets in CIDR format'),
    'disable-dns': Flags.boolean({description: 'disable dns plugin'}),
    'interface-name': Flags.string({description: 'interface name which is used by the driver'}),
    ignore: Flags.boolean({description: "Don't fail if network already exists"}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(NetworkCreate)
    if ((flags.gateway?.length || flags['ip-range']?.length) && !flags.subnet?.length) {
      throw new InvalidArgument(`${flags.gateway?.length ? 'gateway' : 'ip-range'} cannot be set without a subnet`)
    }
    const rt = await this.runtime(flags)
    const {doc} = await rt.networks.create({
      name: args.name,
      driver: flags.driver,
      subnets: flags.subnet,
      gateways: flags.gateway,
      ipRanges: flags['ip-range'],
      internal: flags.internal,
      disableDns: flags['disable-dns'],
      ipv6: flags.ipv6,
      labels: parseKeyValues(flags.label, 'label'),
      options: flags.opt,
      ipamDriver: flags['ipam-driver'],
      interfaceName: flags['interface-name'],
      ignore: flags.ignore,
    })
    this.log(doc.name)
  }
}
