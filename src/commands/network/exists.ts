import {Args} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {ExitCode} from '../../libpod/index.js'

export default class NetworkExists extends BaseCommand {
  static override userNamespace = false
  static override summary = 'network exists'
  static override description = 'If the named network exists, exit 0; otherwise 1.'
  static override args = {network: Args.string({required: true, description: 'network name or ID'})}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(NetworkExists)
    const rt = await this.runtime(flags)
    if (!rt.networks.exists(args.network)) throw new ExitCode(1)
  }
}
