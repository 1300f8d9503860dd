import {Args} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {ExitCode} from '../../libpod/index.js'

export default class VolumeExists extends BaseCommand {
  static override userNamespace = false
  static override summary = 'Check if the given volume exists'
  static override args = {volume: Args.string({required: true, description: 'volume name'})}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(VolumeExists)
    const rt = await this.runtime(flags)
    // Podman: 0 when it exists, 1 when it does not, 125 on error.
    if (!rt.volumes.exists(args.volume)) throw new ExitCode(1)
  }
}
