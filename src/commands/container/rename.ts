import {Args} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'

export default class ContainerRename extends BaseCommand {
  static override summary = 'Rename an existing container'
  static override description = 'The podman rename command allows you to rename an existing container'
  static override usage = 'rename CONTAINER NAME'
  static override aliases = ['rename']
  static override args = {
    container: Args.string({description: 'container name or ID', required: true}),
    name: Args.string({description: 'the new name', required: true}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ContainerRename)
    const rt = await this.runtime(flags)
    await rt.container(args.container).rename(args.name)
  }
}
