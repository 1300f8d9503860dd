import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {eachContainer} from '../../cli/each-container.js'
import {InvalidArgument} from '../../libpod/index.js'

export default class ContainerKill extends BaseCommand {
  static override summary = 'Kill one or more running containers with a specific signal'
  static override aliases = ['kill']
  static override strict = false
  static override args = {container: Args.string({description: 'container name or ID'})}
  static override flags = {
    all: Flags.boolean({char: 'a', description: 'Signal all running containers'}),
    cidfile: Flags.string({multiple: true, multipleNonGreedy: true, description: 'Read the container ID from the file'}),
    latest: Flags.boolean({char: 'l', description: 'Act on the latest container podman is aware of'}),
    signal: Flags.string({char: 's', description: 'Signal to send to the container', default: 'KILL'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ContainerKill)
    if (!flags.all && !flags.latest && !flags.cidfile && argv.length === 0) throw new InvalidArgument('you must provide at least one name or id')
    const rt = await this.runtime(flags)
    await eachContainer(rt, argv as string[], {...flags, cidfiles: flags.cidfile, allFilter: c => c.active}, async c => { await c.kill(flags.signal) })
  }
}
