import {Flags} from '../../cli/oclif.js'
import {splitAtPositional, valueFlagNames} from '../../cli/argv.js'
import {BaseCommand} from '../../cli/base-command.js'
import {InvalidArgument, load, tabwrite} from '../../libpod/index.js'
import {writeOut} from '../../cli/stdout.js'

const topFlags = {
  latest: Flags.boolean({char: 'l', description: 'Act on the latest pod podman is aware of'}),
  'list-descriptors': Flags.boolean({description: 'List the supported descriptors'}),
}

export default class PodTop extends BaseCommand {
  static override summary = 'Display the running processes of containers in a pod'
  static override usage = 'pod top [options] POD [FORMAT-DESCRIPTORS|ARGS...]'
  static override strict = false
  static override flags = topFlags

  async run(): Promise<void> {
    const {flags: flagArgv, rest} = splitAtPositional(this.argv, valueFlagNames({...BaseCommand.baseFlags, ...topFlags} as never), 0)
    const {flags} = await this.parse(PodTop, flagArgv)
    const {listDescriptors, topContainer} = await load.containerTop()
    if (flags['list-descriptors']) {
      this.log(listDescriptors().join('\n'))
      return
    }
    const rt = await this.runtime(flags)
    const pod = flags.latest ? rt.latestPod() : rest[0] ? rt.pod(rest[0]) : undefined
    if (!pod) throw new InvalidArgument('you must provide the name or id of a running pod')
    const descriptors = flags.latest ? rest : rest.slice(1)
    const running = (await pod.containers()).filter(c => c.state.status === 'running')
    if (running.length === 0) throw new InvalidArgument(`pod top can only be used on pods with at least one running container`)
    const lines: string[] = []
    for (const c of running) {
      const out = await topContainer(rt, c.config.id, descriptors)
      lines.push(...(lines.length ? out.slice(1) : out))
    }
    writeOut(tabwrite(lines).map(l => l + '\n').join(''))
  }
}
