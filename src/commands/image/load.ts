import {Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {InvalidArgument, load} from '../../libpod/index.js'

export default class ImageLoad extends BaseCommand {
  static override summary = 'Load image(s) from a tar archive'
  static override description = 'Loads an image from a locally stored archive (tar file) into container storage.'
  static override aliases = ['load']
  static override strict = false
  static override flags = {
    input: Flags.string({char: 'i', description: 'Read from specified archive file (default: stdin)'}),
    quiet: Flags.boolean({char: 'q', description: 'Suppress the output'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ImageLoad)
    if (argv.length) throw new InvalidArgument('`podman load` takes no arguments')
    if (flags.input === undefined && process.stdin.isTTY) {
      throw new InvalidArgument('cannot read from terminal, use command-line redirection or the --input flag')
    }
    const rt = await this.runtime(flags)
    const {loadImages} = await load.imageLoad()
    const names = await loadImages(rt.store, {input: flags.input, stdin: process.stdin})
    this.log('Loaded image: ' + names.join('\nLoaded image: '))
  }
}
