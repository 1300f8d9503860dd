import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {eachContainer} from '../../cli/each-container.js'
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
    latest: Flags.boolean({char: 'l', description: 'Act on the latest container podman is aware of'}),
    time: Flags.integer({char: 't', min: 0, description: 'Seconds to wait for stop before killing the container'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ContainerStop)
    if (!flags.all && !flags.latest && !flags.cidfile && argv.length === 0) throw new InvalidArgument('you must provide at least one name or id')
    const rt = await this.runtime(flags)
    await eachContainer(rt, argv as string[], {...flags, cidfiles: flags.cidfile, allFilter: c => c.active}, async c => { await c.stop(flags.time) })
  }
}
