import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {eachContainer, filteredSelection} from '../../cli/each-container.js'
import {InvalidArgument} from '../../libpod/index.js'

export default class ContainerStop extends BaseCommand {
  static override summary = 'Stop one or more containers'
  static override aliases = ['stop']
  static override strict = false
  static override args = {container: Args.string({description: 'container name or ID'})}
  static override flags = {
    all: Flags.boolean({char: 'a', description: 'Stop all running containers'}),
    ignore: Flags.boolean({char: 'i', description: 'Ignore errors when a specified container is missing'}),
    cidfile: Flags.string({multiple: true, multipleNonGreedy: true, description: 'Read the container ID from the file'}),
    filter: Flags.string({char: 'f', multiple: true, multipleNonGreedy: true, description: 'Filter output based on conditions given'}),
    latest: Flags.boolean({char: 'l', description: 'Act on the latest container podman is aware of'}),
    time: Flags.integer({char: 't', min: 0, description: 'Seconds to wait for stop before killing the container'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ContainerStop)
    if (flags.filter?.length && argv.length) throw new InvalidArgument('--filter takes no arguments')
    if (!flags.all && !flags.latest && !flags.cidfile && !flags.filter?.length && argv.length === 0) throw new InvalidArgument('you must provide at least one name or id')
    const rt = await this.runtime(flags)
    const allFilter = await filteredSelection(rt, flags.filter, c => c.active)
    await eachContainer(rt, argv as string[], {...flags, all: flags.all || Boolean(flags.filter?.length), cidfiles: flags.cidfile, allFilter}, async c => { await c.stop(flags.time) })
  }
}
