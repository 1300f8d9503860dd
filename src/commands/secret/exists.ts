import {Args} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {ExitCode} from '../../libpod/index.js'

export default class SecretExists extends BaseCommand {
  static override userNamespace = false
  static override summary = 'Check if a secret exists'
  static override description = 'Exit status 0 when a secret of that name or ID exists, 1 when not (Podman 4.4\'s command; 4.3.1 lacks it).'
  static override args = {secret: Args.string({required: true, description: 'secret name or ID'})}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(SecretExists)
    const rt = await this.runtime(flags)
    if (!rt.secrets.exists(args.secret)) throw new ExitCode(1)
  }
}
