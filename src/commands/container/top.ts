import {Flags} from '../../cli/oclif.js'
import {splitAtPositional, valueFlagNames} from '../../cli/argv.js'
import {BaseCommand} from '../../cli/base-command.js'
import {NoSuchContainer, InvalidArgument, load, tabwrite} from '../../libpod/index.js'
import {writeOut} from '../../cli/stdout.js'

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
    // As Podman, flags end at the container: `top CTR -ef` passes -ef to ps(1).
    const {flags: flagArgv, rest: positionals} = splitAtPositional(this.argv, valueFlagNames({...BaseCommand.baseFlags, ...topFlags} as never), 0)
    const {flags} = await this.parse(ContainerTop, flagArgv)
    const {listDescriptors, topContainer} = await load.containerTop()
    if (flags['list-descriptors']) {
      this.log(listDescriptors().join('\n'))
      return
    }
    const rt = await this.runtime(flags)
    let ref: string
    let rest: string[]
    if (flags.latest) {
      const newest = rt.latestContainer()
      if (!newest) throw new NoSuchContainer('unable to look up requested container: no containers to top: no such container')
      ref = newest.id
      rest = positionals
    } else {
      if (positionals.length === 0) throw new InvalidArgument('you must provide the name or id of a running container')
      ref = positionals[0]
      rest = positionals.slice(1)
    }
    let lines: string[]
    try {
      lines = await topContainer(rt, ref, rest)
    } catch (e) {
      if (e instanceof NoSuchContainer) throw new NoSuchContainer(`unable to look up requested container: ${e.message}`)
      throw e
    }
    writeOut(tabwrite(lines).map(l => l + '\n').join(''))
  }
}
