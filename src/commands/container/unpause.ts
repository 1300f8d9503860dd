import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {forEachRef} from '../../cli/each-ref.js'
import {ContainerStateImproper, InvalidArgument} from '../../libpod/index.js'

export default class ContainerUnpause extends BaseCommand {
  static override summary = 'Unpause the processes in one or more containers'
  static override aliases = ['unpause']
  static override strict = false
  static override args = {container: Args.string({description: 'container name or ID'})}
  static override flags = {
    all: Flags.boolean({char: 'a', description: 'Unpause all paused containers'}),
    latest: Flags.boolean({char: 'l', description: 'Act on the latest container podman is aware of'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ContainerUnpause)
    const refs = argv as string[]
    const rt = await this.runtime(flags)
    await rt.checkUnpauseSupported()
    if ((flags.all || flags.latest) && refs.length) throw new InvalidArgument('--all, --latest and containers cannot be used together')
    if (!flags.all && !flags.latest && refs.length === 0) throw new InvalidArgument('you must provide at least one name or id')
    let targets = refs
    if (flags.all) targets = rt.containers.list().map(c => c.config.id).sort()
    if (flags.latest) targets = rt.containerRefs({latest: true})
    await forEachRef(targets, async ref => {
      try {
        await rt.container(ref).unpause()
      } catch (e) {
        if (flags.all && e instanceof ContainerStateImproper) return undefined
        throw e
      }
      return ref
    })
  }
}
