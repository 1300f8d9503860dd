import {Args} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {NetworkStore} from '../../libpod/network/store.js'
import {ExitCode} from '../../libpod/index.js'

export default class NetworkExists extends BaseCommand {
  static override summary = 'network exists'
  static override description = 'If the named network exists, exit 0; otherwise 1.'
  static override args = {network: Args.string({required: true, description: 'network name or ID'})}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(NetworkExists)
    const rt = await this.runtime(flags)
    if (!new NetworkStore(rt).exists(args.network)) throw new ExitCode(1)
  }
}
