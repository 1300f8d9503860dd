import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {load} from '../../libpod/index.js'

export default class ContainerRestore extends BaseCommand {
  static override summary = 'Restore one or more containers from a checkpoint'
  static override description = 'Needs CRIU; on hosts where "criu check" fails (as here) the command exits 125 saying why.'
  static override usage = 'container restore [options] CONTAINER [CONTAINER...]'
  static override strict = false
  static override args = {container: Args.string({description: 'container name or ID'})}
  static override flags = {
    all: Flags.boolean({char: 'a', description: 'Restore all checkpointed containers'}),
    import: Flags.string({char: 'i', description: 'Restore from exported checkpoint archive (tar.gz)'}),
    keep: Flags.boolean({char: 'k', description: 'Keep all temporary checkpoint files'}),
    latest: Flags.boolean({char: 'l', description: 'Act on the latest container podman is aware of'}),
    'tcp-established': Flags.boolean({description: 'Checkpoint a container with established TCP connections'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(ContainerRestore)
    const rt = await this.runtime(flags)
    const {checkpointSupport} = await load.checkpoint()
    await checkpointSupport(rt, 'restoring')
  }
}
