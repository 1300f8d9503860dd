import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {eachContainer, filteredSelection} from '../../cli/each-container.js'
import {InvalidArgument} from '../../libpod/index.js'

export default class ContainerRestart extends BaseCommand {
  static override summary = 'Restart one or more containers'
  static override description = 'Stops (with the stop signal, then SIGKILL after the timeout) and starts again each container; a container that is not running is just started.'
  static override aliases = ['restart']
  static override strict = false
  static override args = {container: Args.string({description: 'container name or ID'})}
  static override flags = {
    all: Flags.boolean({char: 'a', description: 'Restart all non-running containers'}),
    cidfile: Flags.string({multiple: true, multipleNonGreedy: true, description: 'Read the container ID from the file'}),
    filter: Flags.string({char: 'f', multiple: true, multipleNonGreedy: true, description: 'Filter output based on conditions given'}),
    latest: Flags.boolean({char: 'l', description: 'Act on the latest container podman is aware of'}),
    running: Flags.boolean({description: 'Restart only running containers'}),
    time: Flags.integer({char: 't', min: 0, description: 'Seconds to wait for stop before killing the container'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ContainerRestart)
    if (flags.filter?.length && argv.length) throw new InvalidArgument('--filter takes no arguments')
    if (!flags.all && !flags.running && !flags.latest && !flags.cidfile && !flags.filter?.length && argv.length === 0) throw new InvalidArgument('you must provide at least one name or id')
    if (flags.all && argv.length > 0) throw new InvalidArgument('--all, --latest, or --cidfile cannot be used together with container names')
    const rt = await this.runtime(flags)
    await eachContainer(rt, argv as string[], {
      all: flags.all || flags.running || Boolean(flags.filter?.length),
      latest: flags.latest,
      cidfiles: flags.cidfile,
      allFilter: await filteredSelection(rt, flags.filter, flags.running ? c => c.state.status === 'running' : undefined),
    }, async c => {
      await c.restart(flags.time)
      return flags.all || flags.running || flags.filter?.length ? c.id : undefined
    })
  }
}
