import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {InvalidArgument, load} from '../../libpod/index.js'
import {writeOut} from '../../cli/stdout.js'

export default class ImageTree extends BaseCommand {
  static override userNamespace = false
  static override summary = 'Prints layer hierarchy of an image in a tree format'
  static override usage = 'image tree [options] IMAGE'
  static override examples = ['peapod image tree alpine:latest', 'peapod image tree --whatrequires alpine:latest']
  static override strict = false
  static override args = {image: Args.string({description: 'image name or ID'})}
  static override flags = {
    whatrequires: Flags.boolean({description: 'Show all child images and layers of the specified image'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ImageTree)
    const args = argv as string[]
    if (args.length !== 1) throw new InvalidArgument(`accepts 1 arg(s), received ${args.length}`)
    const rt = await this.runtime(flags)
    const {imageTree} = await load.imageTree()
    writeOut(imageTree(rt, args[0], flags.whatrequires) + '\n')
  }
}
