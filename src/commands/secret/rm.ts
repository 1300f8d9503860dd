import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {ExitCode, InvalidArgument} from '../../libpod/index.js'

export default class SecretRm extends BaseCommand {
  static override userNamespace = false
  static override summary = 'Remove one or more secrets'
  static override description = 'Containers that were given a secret keep what they were given.'
  static override usage = 'secret rm [options] SECRET [SECRET...]'
  static override aliases = ['secret:remove']
  static override strict = false
  static override args = {secret: Args.string({description: 'secret name or ID'})}
  static override flags = {
    all: Flags.boolean({char: 'a', description: 'Remove all secrets'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(SecretRm)
    const refs = argv as string[]
    if (Boolean(flags.all) === (refs.length > 0)) throw new InvalidArgument('`podman secret rm` requires one argument, or the --all flag')
    const rt = await this.runtime(flags)
    const targets = flags.all ? rt.secrets.list().map(s => s.id) : refs
    let failed = false
    for (const ref of targets) {
      try {
        this.log(await rt.secrets.remove(ref))
      } catch (e) {
        failed = true
        process.stderr.write(`Error: ${(e as Error).message}\n`)
      }
    }
    if (failed) throw new ExitCode(125)
  }
}
