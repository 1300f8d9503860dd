import {Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {authFlags, boolArgv, credsFlag, tlsFlags, tlsVerify} from '../../cli/registry-flags.js'
import {InvalidArgument, load} from '../../libpod/index.js'
import {writeOut} from '../../cli/stdout.js'

export default class ImagePull extends BaseCommand {
  static override summary = 'Pull an image from a registry'
  static override description = 'Pulls an image from a registry and stores it locally.\nAn image can be pulled by tag or digest. If a tag is not specified, the image with the \'latest\' tag is pulled.'
  static override aliases = ['pull']
  static override strict = false
  static override usage = '[options] IMAGE [IMAGE...]'
  static override flags = {
    'all-tags': Flags.boolean({char: 'a', description: 'All tagged images in the repository will be pulled'}),
    arch: Flags.string({description: 'Use `ARCH` instead of the architecture of the machine for choosing images'}),
    ...authFlags,
    ...tlsFlags,
    'decryption-key': Flags.string({multiple: true, multipleNonGreedy: true, description: 'Key needed to decrypt the image (not supported)'}),
    'disable-content-trust': Flags.boolean({description: 'This is a Docker specific option and is a NOOP'}),
    os: Flags.string({description: 'Use `OS` instead of the running OS for choosing images'}),
    platform: Flags.string({description: 'Specify the platform for selecting the image. (Conflicts with arch and os)'}),
    policy: Flags.string({description: 'Pull image policy', options: ['always', 'missing', 'never', 'newer'], default: 'always'}),
    quiet: Flags.boolean({char: 'q', description: 'Suppress output information when pulling images'}),
    'signature-policy': Flags.string({hidden: true, description: 'Path to a signature-policy file'}),
    variant: Flags.string({description: 'Use VARIANT instead of the running architecture variant for choosing images'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ImagePull, boolArgv(this.argv))
    const images = argv as string[]
    if (images.length === 0) throw new InvalidArgument('requires at least 1 arg(s), only received 0')
    if (flags['decryption-key']?.length) throw new InvalidArgument('--decryption-key: encrypted images are not supported')
    const rt = await this.runtime(flags)
    const [{pullImages, pullImageIfNeeded}, {reporterFor}] = await Promise.all([
      load.pull(), load.registryProgress(),
    ])
    const opts = {
      tlsVerify: tlsVerify(flags),
      certDir: flags['cert-dir'],
      creds: await credsFlag(flags.creds),
      authfile: flags.authfile,
      platform: {platform: flags.platform, os: flags.os, arch: flags.arch, variant: flags.variant},
      allTags: flags['all-tags'],
      reporter: reporterFor(process.stderr, flags.quiet),
      signaturePolicy: flags['signature-policy'],
      terminal: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    }
    for (const image of images) {
      const docs = flags.policy === 'always' || flags['all-tags']
        ? await pullImages(rt, image, opts)
        : [await pullImageIfNeeded(rt, image, flags.policy as 'missing' | 'never' | 'newer', opts)]
      for (const d of docs) writeOut(d.id + '\n')
    }
  }
}
