import {BaseCommand} from '../../cli/base-command.js'
import {load} from '../../libpod/index.js'

export default class SystemRenumber extends BaseCommand {
  static override summary = 'Migrate lock numbers'
  static override description = "Podman reassigns its numbered locks after a change of num_locks. peapod's locks are files named for each object, so nothing needs reassigning: renumber waits until no command holds the store lock and records a system renumber event."
  static override flags = {}

  async run(): Promise<void> {
    const {flags} = await this.parse(SystemRenumber)
    const rt = await this.runtime(flags)
    await (await load.system()).systemRenumber(rt)
  }
}
