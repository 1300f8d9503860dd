import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {filteredSelection, targetRefs} from '../../cli/each-container.js'
import {ContainerStateImproper, ExitCode, InvalidArgument, load, NoSuchContainer} from '../../libpod/index.js'

export default class ContainerRm extends BaseCommand {
  static override summary = 'Remove one or more containers'
  static override description = 'Exit status: 0 all removed; 1 one of the containers did not exist (and no other failure); 2 one of them is running or paused; 125 any other failure.'
  static override aliases = ['rm', 'container:remove']
  static override strict = false
  static override args = {container: Args.string({description: 'container name or ID'})}
  static override flags = {
    all: Flags.boolean({char: 'a', description: 'Remove all containers'}),
    cidfile: Flags.string({multiple: true, multipleNonGreedy: true, description: 'Read the container ID from the file'}),
    depend: Flags.boolean({description: 'Remove container and all containers that depend on the selected container'}),
    filter: Flags.string({multiple: true, multipleNonGreedy: true, description: 'Filter output based on conditions given'}),
    force: Flags.boolean({char: 'f', description: 'Force removal of a running or unusable container'}),
    ignore: Flags.boolean({char: 'i', description: 'Ignore errors when a specified container is missing'}),
    latest: Flags.boolean({char: 'l', description: 'Act on the latest container podman is aware of'}),
    time: Flags.integer({char: 't', min: 0, description: 'Seconds to wait for stop before killing the container'}),
    volumes: Flags.boolean({char: 'v', description: 'Remove anonymous volumes associated with the container'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ContainerRm)
    if (flags.filter?.length && argv.length) throw new InvalidArgument('--filter takes no arguments')
    if (!flags.all && !flags.latest && !flags.cidfile && !flags.filter?.length && argv.length === 0) throw new InvalidArgument('must provide at least one name or ID')
    if ((flags.all || flags.latest) && argv.length > 0) throw new InvalidArgument('--all, --latest, and --cidfile cannot be used together with container names')
    const rt = await this.runtime(flags)
    const errors: Error[] = []
    const allFilter = await filteredSelection(rt, flags.filter)
    let refs = targetRefs(rt, argv as string[], {...flags, all: flags.all || Boolean(flags.filter?.length), allFilter, cidfiles: flags.cidfile})
    // POD: with --all, pods' infra containers go last, and their pods with them
    if (flags.all) refs = [...refs.filter(r => !rt.containers.find(r)?.config.isInfra), ...refs.filter(r => rt.containers.find(r)?.config.isInfra)]
    for (const ref of refs) {
      try {
        const removed = await rt.container(ref).remove({force: flags.force, timeout: flags.time, depend: flags.depend, volumes: flags.volumes, withPod: flags.all})
        // The dependents first (full IDs), then the container as it was named.
        for (const id of removed.slice(0, -1)) this.log(id)
        this.log(flags.all ? removed[removed.length - 1] : ref)
      } catch (e) {
        // -f and -i: a container that is not there is no failure (Podman).
        if ((flags.force || flags.ignore) && e instanceof NoSuchContainer) continue
        errors.push(e as Error)
      }
    }
    // --all: what creates and removes killed mid-way left (names, directories) goes too.
    if (flags.all) await (await load.check()).sweepAbandoned(rt).catch(() => {})
    if (errors.length === 0) return
    for (const e of errors) process.stderr.write(`Error: ${e.message}\n`)
    if (errors.some(e => e instanceof ContainerStateImproper)) throw new ExitCode(2)
    if (errors.every(e => e instanceof NoSuchContainer)) throw new ExitCode(1)
    throw new ExitCode(125)
  }
}
