import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {forEachRef} from '../../cli/each-ref.js'
import {InvalidArgument, isActive, load} from '../../libpod/index.js'

export default class ContainerUnmount extends BaseCommand {
  static override summary = "Unmount working container's root filesystem"
  static override usage = 'container unmount [options] CONTAINER [CONTAINER...]'
  static override aliases = ['unmount', 'umount', 'container:umount']
  static override strict = false
  static override args = {container: Args.string({description: 'container name or ID'})}
  static override flags = {
    all: Flags.boolean({char: 'a', description: 'Unmount all of the currently mounted containers'}),
    force: Flags.boolean({char: 'f', description: 'Force the complete unmount of the specified mounted containers'}),
    latest: Flags.boolean({char: 'l', description: 'Act on the latest container podman is aware of'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ContainerUnmount)
    const refs = argv as string[]
    if ((flags.all || flags.latest) && refs.length) throw new InvalidArgument('when using the --all or --latest switch, you may not pass any containers names or IDs')
    if (!flags.all && !flags.latest && refs.length === 0) throw new InvalidArgument('when not using the --all or --latest switch, you must pass at least one container name or ID')
    const rt = await this.runtime(flags)
    const {isContainerMounted, unmountContainer} = await load.containerMount()
    let targets = refs
    if (flags.all) {
      // Every mounted container that does not run.
      targets = rt.containers.list()
        .filter(c => !isActive(c.state.status) && c.state.status !== 'removing' && isContainerMounted(rt, c))
        .map(c => c.config.id).sort()
    }
    if (flags.latest) targets = rt.containerRefs({latest: true})
    await forEachRef(targets, async ref => {
      await unmountContainer(rt, ref, flags.force)
      return ref
    })
  }
}
