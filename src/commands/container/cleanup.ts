import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {eachContainer} from '../../cli/each-container.js'
import {ContainerStateImproper, InvalidArgument, isRunningOrPaused, load} from '../../libpod/index.js'

export default class ContainerCleanup extends BaseCommand {
  static override summary = 'Clean up network and mountpoints of one or more containers'
  static override description = 'Run by each container\'s monitor when the container exits: records the exit status, unmounts the rootfs, releases the runtime state and removes --rm containers. With --all, --latest, --rm or --rmi it is Podman\'s user command: it prints each container and refuses running ones.'
  static override strict = false
  static override args = {container: Args.string({description: 'container name or ID'})}
  static override flags = {
    all: Flags.boolean({char: 'a', description: 'Cleans up all containers'}),
    latest: Flags.boolean({char: 'l', description: 'Act on the latest container podman is aware of'}),
    rm: Flags.boolean({description: 'After cleanup, remove the container entirely'}),
    rmi: Flags.boolean({description: 'After cleanup, remove the image entirely'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ContainerCleanup)
    const refs = argv as string[]
    const rt = await this.runtime(flags)
    if (!flags.all && !flags.latest && !flags.rm && !flags.rmi) {
      // the monitor's exit command: quiet, and a container already gone is no error
      for (const ref of refs) {
        const c = rt.containers.find(ref)
        if (c) await rt.container(c.config.id).cleanup()
      }
      return
    }
    if (flags.all && refs.length) throw new InvalidArgument('no arguments are needed with --all')
    if (!flags.all && !flags.latest && refs.length === 0) throw new InvalidArgument('you must provide at least one name or id')
    await eachContainer(rt, refs, {all: flags.all, latest: flags.latest}, async c => {
      const doc = await c.refresh().then(() => c.data)
      if (isRunningOrPaused(doc.state.status)) {
        throw ContainerStateImproper.because(`failed to clean up container ${c.id}: container ${c.id} is running or paused, refusing to clean up`)
      }
      await c.cleanup()
      if (flags.rm) await c.remove({force: true})
      if (flags.rmi) {
        // as Podman: the image goes only when nothing uses it (without --rm, the container still does)
        const {removeImages} = await load.imageManage()
        await removeImages(rt.store, [doc.config.imageId], {inUse: id => rt.imageUsers(id), registries: rt.searchRegistries})
      }
    })
  }
}
