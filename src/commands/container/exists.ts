import {Args} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {ExitCode} from '../../libpod/index.js'

export default class ContainerExists extends BaseCommand {
  static override userNamespace = false
  static override summary = 'Check if a container exists in local storage'
  static override args = {container: Args.string({description: 'container name or ID', required: true})}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ContainerExists)
    const rt = await this.runtime(flags)
    if (!rt.containers.find(args.container)) throw new ExitCode(1)
  }
}
