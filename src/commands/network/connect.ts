import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'

export default class NetworkConnect extends BaseCommand {
  static override summary = 'Add container to a network'
  static override description = 'Connects a container to a network (bridge mode containers): a running one gets the new interface at once, a stopped one when it starts.'
  static override usage = 'network connect [options] NETWORK CONTAINER'
  static override args = {
    network: Args.string({required: true, description: 'network name or ID'}),
    container: Args.string({required: true, description: 'container name or ID'}),
  }
  static override flags = {
    alias: Flags.string({multiple: true, multipleNonGreedy: true, description: 'network scoped alias for container'}),
    ip: Flags.string({description: 'set a static ipv4 address for this container network'}),
    ip6: Flags.string({description: 'set a static ipv6 address for this container network'}),
    'mac-address': Flags.string({description: 'set a static mac address for this container network'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(NetworkConnect)
    const rt = await this.runtime(flags)
    await rt.network(args.network).connect(args.container, {aliases: flags.alias, ip: flags.ip, ip6: flags.ip6, mac: flags['mac-address']})
  }
}
