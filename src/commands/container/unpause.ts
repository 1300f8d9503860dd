import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {forEachRef} from '../../cli/each-ref.js'
import {cidfileRefs, filteredSelection} from '../../cli/each-container.js'
import {ContainerStateImproper, InvalidArgument} from '../../libpod/index.js'

export default class ContainerUnpause extends BaseCommand {
  static override summary = 'Unpause the processes in one or more containers'
  static override aliases = ['unpause']
  static override strict = false
  static override args = {container: Args.string({description: 'container name or ID'})}
  static override flags = {
    all: Flags.boolean({char: 'a', description: 'Unpause all paused containers'}),
    cidfile: Flags.string({multiple: true, multipleNonGreedy: true, description: 'Read the container ID from the file'}),
    filter: Flags.string({char: 'f', multiple: true, multipleNonGreedy: true, description: 'Filter output based on conditions given'}),
    latest: Flags.boolean({char: 'l', description: 'Act on the latest container podman is aware of'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ContainerUnpause)
    const refs = [...argv as string[], ...cidfileRefs(flags.cidfile)]
    const rt = await this.runtime(flags)
    await rt.checkUnpauseSupported()
    if (flags.filter?.length && refs.length) throw new InvalidArgument('--filter takes no arguments')
    if ((flags.all || flags.latest) && refs.length) throw new InvalidArgument('--all, --latest and containers cannot be used together')
    if (!flags.all && !flags.latest && !flags.filter?.length && refs.length === 0) throw new InvalidArgument('you must provide at least one name or id')
    let targets = refs
    if (flags.all) targets = rt.containers.list().map(c => c.config.id).sort()
    if (flags.latest) targets = rt.containerRefs({latest: true})
    if (flags.filter?.length) targets = rt.containerRefs({all: true, filter: await filteredSelection(rt, flags.filter)})
    await forEachRef(targets, async ref => {
      try {
        await rt.container(ref).unpause()
      } catch (e) {
        if ((flags.all || flags.filter?.length) && e instanceof ContainerStateImproper) return undefined
        throw e
      }
      return ref
    })
  }
}
