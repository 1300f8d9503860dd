import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {startAttached} from '../../cli/container-run.js'
import {filteredSelection} from '../../cli/each-container.js'
import {ExitCode, InvalidArgument} from '../../libpod/index.js'

export default class ContainerStart extends BaseCommand {
  static override summary = 'Start one or more containers'
  static override aliases = ['start']
  static override strict = false
  static override args = {container: Args.string({description: 'container name or ID'})}
  static override flags = {
    all: Flags.boolean({description: 'Start all containers regardless of their state or configuration'}),
    attach: Flags.boolean({char: 'a', description: "Attach container's STDOUT and STDERR"}),
    filter: Flags.string({char: 'f', multiple: true, multipleNonGreedy: true, description: 'Filter output based on conditions given'}),
    latest: Flags.boolean({char: 'l', description: 'Act on the latest container podman is aware of'}),
    'detach-keys': Flags.string({description: 'Select the key sequence for detaching a container'}),
    interactive: Flags.boolean({char: 'i', description: "Keep STDIN open even if not attached"}),
    'sig-proxy': Flags.boolean({description: 'Proxy received signals to the process (default true if attaching, false otherwise)'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ContainerStart)
    const given = argv as string[]
    const many = flags.all || flags.latest || Boolean(flags.filter?.length)
    if (many && given.length) throw new InvalidArgument('--all, --latest and --filter take no arguments')
    if (!many && given.length === 0) throw new InvalidArgument('start requires at least one argument')
    if (flags.attach && (flags.all || flags.filter?.length)) throw new InvalidArgument('--all and --filter cannot be used with --attach')
    const rt = await this.runtime(flags)
    // --all/--filter: every matching container that does not run yet; printed by ID.
    const allFilter = await filteredSelection(rt, flags.filter, c => !c.active)
    const names = many ? rt.containerRefs({all: flags.all || Boolean(flags.filter?.length), latest: flags.latest, filter: allFilter}) : given
    if (flags.attach) {
      if (names.length > 1) throw new InvalidArgument('you cannot start and attach multiple containers at once')
      const c = rt.container(names[0])
      const r = await startAttached(rt, c.id, {stdin: flags.interactive, detachKeys: flags['detach-keys'], sigProxy: flags['sig-proxy'] ?? true})
      if (r.exitCode) throw new ExitCode(r.exitCode)
      return
    }
    let failed: Error | undefined
    for (const n of names) {
      try {
        await rt.container(n).start()
        this.log(n)
      } catch (e) {
        if (failed) process.stderr.write(`Error: ${(failed as Error).message}\n`)
        failed = e as Error
      }
    }
    if (failed) throw failed
  }
}
