import {Flags} from '../../cli/oclif.js'
import {load} from '../../libpod/index.js'
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
    const [{hostUid, isRootless}, {stopPauseProcess}] = await Promise.all([load.configPaths(), load.rootlessPause()])
    if (isRootless()) stopPauseProcess(hostUid())
  }
}
