import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {InvalidArgument, type Change, load, type Runtime} from '../../libpod/index.js'
import {writeOut} from '../../cli/stdout.js'

export default class ContainerDiff extends BaseCommand {
  static override summary = 'Inspect changes to the container\'s file systems'
  static override description = 'Displays changes to the container filesystem\'s\'.  The container will be compared to its parent layer or the second argument when given.'
  static override usage = 'container diff [options] CONTAINER [CONTAINER]'
  static override strict = false
  static override args = {container: Args.string({description: 'container name or ID'})}
  static override flags = {
    format: Flags.string({description: 'Change the output format (json)'}),
    latest: Flags.boolean({char: 'l', description: 'Act on the latest container podman is aware of'}),
  }

  /** Which objects the command looks at: containers only here; `diff` takes images too. */
  protected async changes(rt: Runtime, ref: string): Promise<Change[]> {
    const {containerChanges} = await load.diff()
    return containerChanges(rt, ref)
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(this.constructor as typeof ContainerDiff)
    const args = argv as string[]
    if (flags.format !== undefined && flags.format !== 'json') throw new InvalidArgument("only supported value for '--format' is 'json'")
    const rt = await this.runtime(flags)
    let ref = args[0]
    if (flags.latest) {
      if (args.length) throw new InvalidArgument('--latest and containers cannot be used together')
      const c = rt.latestContainer()
      if (!c) throw new InvalidArgument('no containers to diff')
      ref = c.id
    }
    if (ref === undefined) throw new InvalidArgument(`${this.id === 'diff' ? 'diff' : 'container diff'} requires a name or id`)
    if (args.length > 2) throw new InvalidArgument(`accepts at most 2 arg(s), received ${args.length}`)
    if (args.length === 2) throw new InvalidArgument('comparing with a second container or image is not supported')
    const changes = await this.changes(rt, ref)
    if (flags.format === 'json') {
      const {changesJson} = await load.diff()
      this.log(changesJson(changes))
      return
    }
    writeOut(changes.map(c => `${c.kind} ${c.path}\n`).join(''))
  }
}
