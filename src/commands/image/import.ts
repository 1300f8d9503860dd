import {Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {InvalidArgument, load} from '../../libpod/index.js'

export default class ImageImport extends BaseCommand {
  static override summary = 'Import a tarball to create a filesystem image'
  static override description = 'Create a container image from the contents of the specified tarball (.tar, .tar.gz, .tgz), or from stdin with "-". Optionally tag the image. You can specify the instructions using the --change option.'
  static override aliases = ['import']
  static override strict = false
  static override usage = '[options] PATH [REFERENCE]'
  static override flags = {
    arch: Flags.string({description: 'Set the architecture of the imported image'}),
    change: Flags.string({char: 'c', multiple: true, multipleNonGreedy: true, description: 'Apply the following possible instructions to the created image: CMD | ENTRYPOINT | ENV | EXPOSE | LABEL | ONBUILD | STOPSIGNAL | USER | VOLUME | WORKDIR'}),
    message: Flags.string({char: 'm', description: 'Set commit message for imported image'}),
    os: Flags.string({description: 'Set the OS of the imported image'}),
    quiet: Flags.boolean({char: 'q', description: 'Suppress output'}),
    variant: Flags.string({description: 'Set the variant of the imported image'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ImageImport)
    const args = argv as string[]
    if (args.length < 1 || args.length > 2) throw new InvalidArgument(`accepts between 1 and 2 arg(s), received ${args.length}`)
    const rt = await this.runtime(flags)
    const {importImage} = await load.imageImport()
    const id = await importImage(rt.store, {
      source: args[0],
      reference: args[1],
      stdin: process.stdin,
      changes: flags.change,
      message: flags.message,
      os: flags.os,
      arch: flags.arch,
      variant: flags.variant,
    })
    this.log(`sha256:${id}`)
  }
}
