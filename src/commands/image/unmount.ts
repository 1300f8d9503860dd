import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {forEachRef} from '../../cli/each-ref.js'
import {InvalidArgument, load} from '../../libpod/index.js'

export default class ImageUnmount extends BaseCommand {
  static override summary = "Unmount an image's root filesystem"
  static override description = 'Unmounts the specified images\' root file system (mounted with `image mount`) and prints their IDs.'
  static override usage = 'image unmount [options] IMAGE [IMAGE...]'
  static override aliases = ['image:umount']
  static override strict = false
  static override args = {image: Args.string({description: 'image name or ID'})}
  static override flags = {
    all: Flags.boolean({char: 'a', description: 'Unmount all of the currently mounted images'}),
    // peapod keeps no per-user mount count for images: every unmount is already complete.
    force: Flags.boolean({char: 'f', description: 'Force the complete unmount of the specified mounted images (every image unmount is complete: no mount count is kept)'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ImageUnmount)
    const refs = argv as string[]
    if (flags.all && refs.length) throw new InvalidArgument('when using the --all switch, you may not pass any image names or IDs')
    if (!flags.all && refs.length === 0) throw new InvalidArgument('image name or ID must be specified')
    const rt = await this.runtime(flags)
    const {mountedImages, unmountImage} = await load.imageMount()
    const targets = flags.all ? mountedImages(rt).map(m => m.id) : refs
    await forEachRef(targets, r => unmountImage(rt, r))
  }
}
