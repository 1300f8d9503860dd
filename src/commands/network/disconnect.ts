import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'

export default class NetworkDisconnect extends BaseCommand {
  static override summary = 'Disconnect a container from a network'
  static override usage = 'network disconnect [options] NETWORK CONTAINER'
  static override args = {
    network: Args.string({required: true, description: 'network name or ID'}),
    container: Args.string({required: true, description: 'container name or ID'}),
  }
  static override flags = {
    force: Flags.boolean({char: 'f', description: 'force removal of container from network'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(NetworkDisconnect)
    const rt = await this.runtime(flags)
    await rt.network(args.network).disconnect(args.container)
  }
}
