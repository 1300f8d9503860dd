import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {forEachRef} from '../../cli/each-ref.js'
import {ContainerStateImproper, InvalidArgument} from '../../libpod/index.js'

export default class ContainerPause extends BaseCommand {
  static override summary = 'Pause all the processes in one or more containers'
  static override aliases = ['pause']
  static override strict = false
  static override args = {container: Args.string({description: 'container name or ID'})}
  static override flags = {
    all: Flags.boolean({char: 'a', description: 'Pause all running containers'}),
    latest: Flags.boolean({char: 'l', description: 'Act on the latest container podman is aware of'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ContainerPause)
    const refs = argv as string[]
    if ((flags.all || flags.latest) && refs.length) throw new InvalidArgument('--all, --latest and containers cannot be used together')
    if (!flags.all && !flags.latest && refs.length === 0) throw new InvalidArgument('you must provide at least one name or id')
    const rt = await this.runtime(flags)
    let targets = refs
    if (flags.all) targets = rt.containers.list().map(c => c.config.id).sort()
    if (flags.latest) targets = rt.containerRefs({latest: true})
    await forEachRef(targets, async ref => {
      try {
        await rt.container(ref).pause()
      } catch (e) {
        // --all passes over the containers that do not run (Podman).
        if (flags.all && e instanceof ContainerStateImproper) return undefined
        throw e
      }
      return ref
    })
  }
}
