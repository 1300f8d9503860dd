import {Args} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {ExitCode, load} from '../../libpod/index.js'

export default class ManifestExists extends BaseCommand {
  static override summary = 'Check if a manifest list exists in local storage'
  static override args = {list: Args.string({required: true, description: 'manifest list'})}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ManifestExists)
    const rt = await this.runtime(flags)
    const {ListStore} = await load.manifestLists()
    if (!new ListStore(rt.store).find(args.list)) throw new ExitCode(1)
  }
}
