import {Flags} from '../../cli/oclif.js'
import {hostUid, isRootless} from '../../libpod/config/paths.js'
import {stopPauseProcess} from '../../libpod/rootless/pause.js'
import {BaseCommand} from '../../cli/base-command.js'

export default class SystemMigrate extends BaseCommand {
  static override userNamespace = false
  static override summary = 'Migrate containers'
  static override description = 'Restarts the rootless pause process that holds the user namespace, so that changed /etc/subuid and /etc/subgid ranges take effect.'
  static override flags = {
    'new-runtime': Flags.string({description: 'Specify a new runtime for all containers'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(SystemMigrate)
    await this.runtime(flags)
    if (isRootless()) stopPauseProcess(hostUid())
  }
}
