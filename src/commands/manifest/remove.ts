import {Args} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {load} from '../../libpod/index.js'

export default class ManifestRemove extends BaseCommand {
  static override summary = 'Remove an entry from a manifest list or image index'
  static override args = {
    list: Args.string({required: true, description: 'manifest list'}),
    digest: Args.string({required: true, description: 'digest of the instance to remove'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ManifestRemove)
    const rt = await this.runtime(flags)
    const {removeFromList} = await load.manifestOps()
    this.log(await removeFromList(rt, args.list, args.digest))
  }
}
