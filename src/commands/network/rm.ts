import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {ExitCode, NetworkInUse, NoSuchNetwork} from '../../libpod/index.js'

export default class NetworkRm extends BaseCommand {
  static override summary = 'Remove networks'
  static override description = 'Remove one or more networks. A network in use by a container is only removed with --force, which removes those containers first.\n\nExit status: 0 all removed; 1 a network did not exist; 2 a network is in use; 125 any other failure.'
  static override usage = 'network rm [options] NETWORK [NETWORK...]'
  static override aliases = ['network:remove']
  static override strict = false
  static override args = {network: Args.string({required: true, description: 'network name or ID'})}
  static override flags = {
    force: Flags.boolean({char: 'f', description: 'remove any containers using network'}),
    time: Flags.integer({char: 't', min: 0, description: 'Seconds to wait for running containers to stop before killing the container', default: 10}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(NetworkRm)
    const rt = await this.runtime(flags)
    const errors: Error[] = []
    for (const n of argv as string[]) {
      try {
        this.log(await rt.network(n).remove({force: flags.force, timeout: flags.time}))
      } catch (e) {
        errors.push(e as Error)
      }
    }
    if (!errors.length) return
    for (const e of errors) process.stderr.write(`Error: ${e.message}\n`)
    if (errors.some(e => e instanceof NetworkInUse)) throw new ExitCode(2)
    if (errors.every(e => e instanceof NoSuchNetwork)) throw new ExitCode(1)
    throw new ExitCode(125)
  }
}
