import {Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {InvalidArgument, load} from '../../libpod/index.js'

const FORMATS = ['oci-dir', 'oci-archive', 'docker-dir', 'docker-archive']

export default class ImageSave extends BaseCommand {
  static override summary = 'Save image(s) to an archive'
  static override description = 'Save an image to docker-archive or oci-archive on the local machine. Default is docker-archive.'
  static override aliases = ['save']
  static override strict = false
  static override usage = '[options] IMAGE [IMAGE...]'
  static override flags = {
    compress: Flags.boolean({description: "Compress tarball image layers when saving to a directory using the 'dir' transport (not supported: archives only)"}),
    format: Flags.string({description: 'Save image to oci-archive or docker-archive', default: 'docker-archive'}),
    'multi-image-archive': Flags.boolean({char: 'm', description: 'Interpret additional arguments as images not tags and create a multi-image-archive (only for docker-archive)'}),
    output: Flags.string({char: 'o', description: 'Write to a specified file (default: stdout, which must be redirected)'}),
    quiet: Flags.boolean({char: 'q', description: 'Suppress the output'}),
    uncompressed: Flags.boolean({description: 'Accept uncompressed layers when copying OCI images (layers are always written uncompressed)'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ImageSave)
    const images = argv as string[]
    if (images.length === 0) throw new InvalidArgument('need at least 1 argument')
    if (!FORMATS.includes(flags.format)) throw new InvalidArgument(`format value must be one of ${FORMATS.join(' ')}`)
    if (flags.compress && flags.format !== 'docker-dir') throw new InvalidArgument("--compress can only be set when --format is 'docker-dir'")
    if (flags.format === 'oci-dir' || flags.format === 'docker-dir') {
      throw new InvalidArgument(`format "${flags.format}" is not supported: use oci-archive or docker-archive`)
    }
    if (flags.output === undefined && process.stdout.isTTY) throw new InvalidArgument('refusing to save to terminal. Use -o flag or redirect')
    if (flags.output?.includes(':')) throw new InvalidArgument(`invalid filename (should not contain ':') ${JSON.stringify(flags.output)}`)
    const rt = await this.runtime(flags)
    const {saveImages} = await load.imageSave()
    await saveImages(rt, images, {
      format: flags.format as 'docker-archive' | 'oci-archive',
      multiImage: flags['multi-image-archive'],
      output: flags.output,
      // process.stdout copes with a non-blocking pipe (an fs stream on fd 1 would fail with EAGAIN).
      stream: flags.output === undefined ? process.stdout : undefined,
    })
  }
}
