import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {forEachRef} from '../../cli/each-ref.js'
import {InvalidArgument, load} from '../../libpod/index.js'

export default class ImageUnmount extends BaseCommand {
  static override summary = "Unmount an image's root filesystem"
  static override description = 'Each `image mount` counts one more mount of the image; an unmount takes one off and prints the image\'s ID. The root file system is really unmounted when the count reaches zero, or at once with --force. An image that is not mounted is skipped silently.'
  static override usage = 'image unmount [options] IMAGE [IMAGE...]'
  static override aliases = ['image:umount']
  static override strict = false
  static override args = {image: Args.string({description: 'image name or ID'})}
  static override flags = {
    all: Flags.boolean({char: 'a', description: 'Unmount all of the currently mounted images'}),
    force: Flags.boolean({char: 'f', description: 'Force the complete unmount of the specified mounted images (whatever their mount count)'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ImageUnmount)
    const refs = argv as string[]
    if (flags.all && refs.length) throw new InvalidArgument('when using the --all switch, you may not pass any image names or IDs')
    if (!flags.all && refs.length === 0) throw new InvalidArgument('image name or ID must be specified')
    const rt = await this.runtime(flags)
    const {mountedImages, unmountImage} = await load.imageMount()
    const targets = flags.all ? mountedImages(rt).map(m => m.id) : refs
    await forEachRef(targets, r => unmountImage(rt, r, {force: flags.force}))
  }
}
