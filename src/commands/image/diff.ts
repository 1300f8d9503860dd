import ContainerDiff from '../container/diff.js'
import {type Runtime, type Change, InvalidArgument, load, NoSuchImage} from '../../libpod/index.js'

export default class ImageDiff extends ContainerDiff {
  static override summary = "Inspect changes to the image's file systems"
  static override description = "Displays changes to the image's filesystem.  The image will be compared to its parent layer."
  static override usage = 'image diff [options] IMAGE [IMAGE]'
  static override aliases = []
  static override strict = false
  static override args = {...ContainerDiff.args}
  // Only --format: the cast keeps the base class's run() typed.
  static override flags = {format: ContainerDiff.flags.format} as unknown as typeof ContainerDiff.flags

  protected override async changes(rt: Runtime, ref: string): Promise<Change[]> {
    const {imageChanges} = await load.diff()
    // `diff` says "layer not known"; `image diff` looks up an image first, as Podman's.
    if (!rt.findImage(ref)) throw new NoSuchImage(`${ref} not found: ${ref}: image not known`)
    return imageChanges(rt, ref)
  }

  override async run(): Promise<void> {
    const {argv} = await this.parse(ImageDiff)
    if ((argv as string[]).length === 0) throw new InvalidArgument('accepts between 1 and 2 arg(s), received 0')
    return super.run()
  }
}
