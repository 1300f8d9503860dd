import {Args} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {authFlags, boolArgv, credsFlag, tlsFlags, tlsVerify} from '../../cli/registry-flags.js'
import {load} from '../../libpod/index.js'

export default class ManifestInspect extends BaseCommand {
  static override summary = 'Display the contents of a manifest list or image index'
  static override description = 'Display the contents of a manifest list or image index (local, else from its registry).'
  static override args = {name: Args.string({required: true, description: 'manifest list or image'})}
  static override flags = {...authFlags, ...tlsFlags}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ManifestInspect, boolArgv(this.argv))
    const rt = await this.runtime(flags)
    const {inspectManifest} = await load.manifestOps()
    this.log(await inspectManifest(rt, args.name, {
      tlsVerify: tlsVerify(flags), certDir: flags['cert-dir'], creds: await credsFlag(flags.creds), authfile: flags.authfile,
    }))
  }
}
