import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {attachRunning} from '../../cli/container-run.js'
import {ExitCode, InvalidArgument} from '../../libpod/index.js'

export default class ContainerAttach extends BaseCommand {
  static override summary = 'Attach to a running container'
  static override aliases = ['attach']
  static override args = {container: Args.string({description: 'container name or ID', required: true})}
  static override flags = {
    'detach-keys': Flags.string({description: 'Select the key sequence for detaching a container. Format is a single character [a-Z] or a comma separated sequence of `ctrl-<value>`, where `<value>` is one of: `a-z`, `@`, `^`, `[`, `\\` or `_`'}),
    'no-stdin': Flags.boolean({description: 'Do not attach STDIN. The default is false'}),
    'sig-proxy': Flags.boolean({description: 'Proxy received signals to the process', default: true, allowNo: true}),
    latest: Flags.boolean({char: 'l', description: 'Act on the latest container podman is aware of'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ContainerAttach)
    const rt = await this.runtime(flags)
    const c = await rt.container(args.container).refresh()
    if (c.state.status !== 'running') throw new InvalidArgument(`you can only attach to running containers: container state improper`)
    const r = await attachRunning(rt, c.id, {stdin: c.config.interactive && !flags['no-stdin'], detachKeys: flags['detach-keys']})
    if (r.exitCode) throw new ExitCode(r.exitCode)
  }
}
