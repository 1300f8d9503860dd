import {Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {authFlags, boolArgv, credsFlag, tlsFlags, tlsVerify} from '../../cli/registry-flags.js'
import {InvalidArgument, load} from '../../libpod/index.js'

export default class ImagePush extends BaseCommand {
  static override summary = 'Push an image to a specified destination'
  static override description = 'Pushes a source image to a specified destination.\n\nThe Image "DESTINATION" uses a "transport":"details" format. See podman-push(1) section "DESTINATION" for the expected format.'
  static override aliases = ['push']
  static override strict = false
  static override usage = '[options] IMAGE [DESTINATION]'
  static override flags = {
    ...authFlags,
    ...tlsFlags,
    compress: Flags.boolean({description: 'Compress tarball image layers when pushing to a directory using the \'dir\' transport (default: same compression as source)'}),
    'compression-format': Flags.string({description: 'compression format to use (gzip)'}),
    'digestfile': Flags.string({description: 'Write the digest of the pushed image to the specified file'}),
    'disable-content-trust': Flags.boolean({description: 'This is a Docker specific option and is a NOOP'}),
    format: Flags.string({char: 'f', description: 'Manifest type (oci, v2s2, or v2s1) to use in the destination (default is manifest type of source, with fallbacks)'}),
    quiet: Flags.boolean({char: 'q', description: 'Suppress output information when pushing images'}),
    'remove-signatures': Flags.boolean({description: 'Discard any pre-existing signatures in the image'}),
    'sign-by': Flags.string({description: 'Add a signature at the destination using the specified key (not supported)'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ImagePush, boolArgv(this.argv))
    const args = argv as string[]
    if (args.length === 0 || args.length > 2) throw new InvalidArgument(`accepts between 1 and 2 arg(s), received ${args.length}`)
    if (flags['sign-by']) throw new InvalidArgument('--sign-by: signing images is not supported')
    const rt = await this.runtime(flags)
    const [{pushImage}, {reporterFor}] = await Promise.all([
      load.push(), load.registryProgress(),
    ])
    await pushImage(rt, args[0], args[1], {
      tlsVerify: tlsVerify(flags),
      certDir: flags['cert-dir'],
      creds: await credsFlag(flags.creds),
      authfile: flags.authfile,
      format: flags.format,
      compressionFormat: flags['compression-format'],
      digestfile: flags.digestfile,
      reporter: reporterFor(process.stderr, flags.quiet),
    })
  }
}
