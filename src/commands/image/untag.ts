import {Args} from '../../cli/oclif.js'
import {load} from '../../libpod/index.js'
import {BaseCommand} from '../../cli/base-command.js'

export default class ImageUntag extends BaseCommand {
  static override userNamespace = false
  static override summary = 'Remove a name from a local image'
  static override aliases = ['untag']
  static override strict = false
  static override args = {image: Args.string({required: true, description: 'image name or ID'})}

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ImageUntag)
    const [image, ...names] = argv as string[]
    const rt = await this.runtime(flags)
    await (await load.imageManage()).untagImage(rt.store, image, names, rt.searchRegistries)
  }
}
