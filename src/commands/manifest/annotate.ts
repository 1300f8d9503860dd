import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {InvalidArgument, load} from '../../libpod/index.js'

export default class ManifestAnnotate extends BaseCommand {
  static override summary = 'Add or update information about an entry in a manifest list or image index'
  static override args = {
    list: Args.string({required: true, description: 'manifest list'}),
    digest: Args.string({description: 'digest of the instance to annotate'}),
  }
  static override flags = {
    annotation: Flags.string({multiple: true, multipleNonGreedy: true, description: 'set an annotation for the specified image'}),
    arch: Flags.string({description: 'override the architecture of the specified image'}),
    features: Flags.string({multiple: true, multipleNonGreedy: true, description: 'override the features of the specified image'}),
    index: Flags.boolean({description: 'apply --annotation values to the image index itself'}),
    os: Flags.string({description: 'override the OS of the specified image'}),
    'os-features': Flags.string({multiple: true, multipleNonGreedy: true, description: 'override the OS features of the specified image'}),
    'os-version': Flags.string({description: 'override the OS version of the specified image'}),
    variant: Flags.string({description: 'override the Variant of the specified image'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ManifestAnnotate)
    if (!flags.index && !args.digest) throw new InvalidArgument('requires the digest of an instance (or --index)')
    const rt = await this.runtime(flags)
    const {annotateList} = await load.manifestOps()
    this.log(await annotateList(rt, args.list, args.digest ?? '', {
      annotations: flags.annotation, arch: flags.arch, os: flags.os, osVersion: flags['os-version'], variant: flags.variant,
      features: flags.features, osFeatures: flags['os-features'], indexAnnotations: flags.index,
    }))
  }
}
