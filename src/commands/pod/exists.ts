import {Args} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {ExitCode} from '../../libpod/index.js'

export default class PodExists extends BaseCommand {
  static override userNamespace = false
  static override summary = 'Check if a pod exists in local storage'
  static override args = {pod: Args.string({required: true, description: 'pod name or ID'})}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(PodExists)
    const rt = await this.runtime(flags)
    // Podman: 0 when it exists, 1 when it does not, 125 on error.
    if (!rt.pods.find(args.pod)) throw new ExitCode(1)
  }
}
