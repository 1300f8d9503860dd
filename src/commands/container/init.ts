import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {eachContainer} from '../../cli/each-container.js'
import {InvalidArgument} from '../../libpod/index.js'

export default class ContainerInit extends BaseCommand {
  static override summary = 'Initialize one or more containers'
  static override description = 'Mounts the container\'s root filesystem and writes its OCI bundle without starting it; the container is then "initialized" until it is started.'
  static override aliases = ['init']
  static override strict = false
  static override args = {container: Args.string({description: 'container name or ID'})}
  static override flags = {
    all: Flags.boolean({char: 'a', description: 'Initialize all containers'}),
    latest: Flags.boolean({char: 'l', description: 'Act on the latest container podman is aware of'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ContainerInit)
    if (!flags.all && !flags.latest && argv.length === 0) throw new InvalidArgument('must provide at least one name or ID')
    const rt = await this.runtime(flags)
    const initable = new Set(['created', 'configured', 'exited', 'stopped'])
    await eachContainer(rt, argv as string[], {all: flags.all, latest: flags.latest, allFilter: c => initable.has(c.state.status)}, async c => {
      await c.init()
      return flags.all || flags.latest ? c.id : undefined
    })
  }
}
