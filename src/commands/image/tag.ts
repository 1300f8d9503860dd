import {Args} from '../../cli/oclif.js'
import {load} from '../../libpod/index.js'
import {BaseCommand} from '../../cli/base-command.js'

export default class ImageTag extends BaseCommand {
  static override userNamespace = false
  static override summary = 'Add an additional name to a local image'
  static override aliases = ['tag']
  static override strict = false
  static override args = {
    image: Args.string({required: true, description: 'image name or ID'}),
    target: Args.string({required: true, description: 'new name(s)'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ImageTag)
    const [image, ...names] = argv as string[]
    const rt = await this.runtime(flags)
    await (await load.imageManage()).tagImage(rt.store, image, names, rt.searchRegistries)
  }
}
