import {Args} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {ExitCode} from '../../libpod/index.js'

export default class ImageExists extends BaseCommand {
  static override userNamespace = false
  static override summary = 'Check if an image exists in local storage'
  static override args = {image: Args.string({required: true, description: 'image name or ID'})}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ImageExists)
    const rt = await this.runtime(flags)
    // Podman: 0 when it exists, 1 when it does not, 125 on error.
    if (!rt.findImage(args.image)) throw new ExitCode(1)
  }
}
