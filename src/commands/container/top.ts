import {Flags} from '../../cli/oclif.js'
import {splitAtPositional, valueFlagNames} from '../../cli/argv.js'
import {BaseCommand} from '../../cli/base-command.js'
import {NoSuchContainer, InvalidArgument} from '../../libpod/errors.js'

const topFlags = {
  latest: Flags.boolean({char: 'l', description: 'Act on the latest container podman is aware of'}),
  'list-descriptors': Flags.boolean({description: 'List the supported descriptors'}),
}

export default class ContainerTop extends BaseCommand {
  static override summary = 'Display the running processes of a container'
  static override description = 'Display the running processes of a container. The descriptors are ps(1) AIX format descriptors (user, pid, ppid, pcpu, etime, tty, time, args, comm, ...); other arguments are passed to ps(1) run inside the container.'
  static override usage = 'container top [options] CONTAINER [FORMAT-DESCRIPTORS|ARGS...]'
  static override aliases = ['top']
  static override strict = false
  static override flags = topFlags

  async run(): Promise<void> {
    const valueFlags = valueFlagNames({...BaseCommand.baseFlags, ...topFlags} as never)
    const head = splitAtPositional(this.argv, valueFlags, 0).flags
    const latest = head.some(a => a === '--latest' || a === '-l')
    const {flags: flagArgv, rest} = splitAtPositional(this.argv, valueFlags, latest ? 0 : 1)
    const {flags, argv} = await this.parse(ContainerTop, flagArgv)
    const {listDescriptors, topContainer} = await import('../../libpod/container/top.js')
    if (flags['list-descriptors']) {
      this.log(listDescriptors().join('\n'))
      return
    }
    const rt = await this.runtime(flags)
    let ref: string
    if (flags.latest) {
      const newest = rt.containers.list().filter(c => c.state.status !== 'removing').sort((a, b) => b.config.created.localeCompare(a.config.created))[0]
      if (!newest) throw new NoSuchContainer('unable to look up requested container: no containers to top: no such container')
      ref = newest.config.id
    } else {
      if (argv.length === 0) throw new InvalidArgument('you must provide the name or id of a running container')
      ref = argv[0] as string
    }
    let lines: string[]
    try {
      lines = await topContainer(rt, ref, rest)
    } catch (e) {
      if (e instanceof NoSuchContainer) throw new NoSuchContainer(`unable to look up requested container: ${e.message}`)
      throw e
    }
    const {tabwrite} = await import('../../libpod/format/table.js')
    process.stdout.write(tabwrite(lines).map(l => l + '\n').join(''))
  }
}
