import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {authFlags, boolArgv, credsFlag, tlsFlags, tlsVerify} from '../../cli/registry-flags.js'
import {load} from '../../libpod/index.js'

export default class ManifestAdd extends BaseCommand {
  static override summary = 'Add images to a manifest list or image index'
  static override description = 'Adds an image to a manifest list or image index.'
  static override args = {
    list: Args.string({required: true, description: 'manifest list'}),
    image: Args.string({required: true, description: 'image (docker://... by default, or containers-storage:NAME)'}),
  }
  static override flags = {
    all: Flags.boolean({description: 'add all of the list\'s images if the image is a list'}),
    annotation: Flags.string({multiple: true, multipleNonGreedy: true, description: 'set an annotation for the specified image'}),
    arch: Flags.string({description: 'override the architecture of the specified image'}),
    ...authFlags,
    ...tlsFlags,
    features: Flags.string({multiple: true, multipleNonGreedy: true, description: 'override the features of the specified image'}),
    os: Flags.string({description: 'override the OS of the specified image'}),
    'os-version': Flags.string({description: 'override the OS version of the specified image'}),
    variant: Flags.string({description: 'override the Variant of the specified image'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ManifestAdd, boolArgv(this.argv))
    const rt = await this.runtime(flags)
    const {addToList} = await load.manifestOps()
    const id = await addToList(rt, args.list, args.image, {
      all: flags.all, annotations: flags.annotation, arch: flags.arch, os: flags.os, osVersion: flags['os-version'],
      variant: flags.variant, features: flags.features, tlsVerify: tlsVerify(flags), certDir: flags['cert-dir'],
      creds: await credsFlag(flags.creds), authfile: flags.authfile,
    })
    this.log(id)
  }
}
