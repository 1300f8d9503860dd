import {Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {authFlags, boolArgv, credsFlag, tlsFlags, tlsVerify} from '../../cli/registry-flags.js'
import {InvalidArgument, load} from '../../libpod/index.js'

export default class ManifestPush extends BaseCommand {
  static override summary = 'Push a manifest list or image index to a registry'
  static override description = 'Pushes manifest lists and image indexes to registries.'
  static override strict = false
  static override usage = '[options] LIST [DESTINATION]'
  static override flags = {
    all: Flags.string({description: 'also push the images in the list (default true)', options: ['true', 'false']}),
    ...authFlags,
    ...tlsFlags,
    digestfile: Flags.string({description: 'after copying the image, write the digest of the resulting digest to the file'}),
    format: Flags.string({char: 'f', description: 'manifest type (oci or v2s2) to attempt to use when pushing the manifest list (default is oci)'}),
    quiet: Flags.boolean({char: 'q', description: 'don\'t output progress information when pushing lists'}),
    'remove-signatures': Flags.boolean({description: 'don\'t copy signatures when pushing images'}),
    rm: Flags.boolean({description: 'remove the manifest list if push succeeds'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ManifestPush, boolArgv(this.argv, ['tls-verify', 'all']))
    const args = argv as string[]
    if (args.length === 0 || args.length > 2) throw new InvalidArgument(`accepts between 1 and 2 arg(s), received ${args.length}`)
    const rt = await this.runtime(flags)
    const [{pushList}, {reporterFor}, {writeFileSync}] = await Promise.all([
      load.manifestOps(), load.registryProgress(), import('node:fs'),
    ])
    const digest = await pushList(rt, args[0], args[1], {
      all: flags.all !== 'false', rm: flags.rm, format: flags.format, tlsVerify: tlsVerify(flags), certDir: flags['cert-dir'],
      creds: await credsFlag(flags.creds), authfile: flags.authfile, reporter: reporterFor(process.stderr, flags.quiet),
    })
    if (flags.digestfile) writeFileSync(flags.digestfile, digest)
  }
}
