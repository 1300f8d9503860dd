import {Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {InvalidArgument, load} from '../../libpod/index.js'

// Ports of running containers (a stopped one prints nothing, as in Podman).
export default class ContainerPort extends BaseCommand {
  static override userNamespace = false
  static override summary = 'List port mappings or a specific mapping for the container'
  static override usage = 'container port [options] CONTAINER [PRIVATE_PORT[/PROTO]]'
  static override aliases = ['port']
  static override strict = false
  static override flags = {
    all: Flags.boolean({char: 'a', description: 'Display port information for all containers'}),
    latest: Flags.boolean({char: 'l', description: 'Act on the latest container podman is aware of'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ContainerPort)
    const args = argv as string[]
    if (flags.all && args.length > 0) throw new InvalidArgument('no arguments are needed with --all')
    if (!flags.all && !flags.latest && args.length === 0) throw new InvalidArgument('you must supply a running container name or id')
    if (flags.latest && args.length > 1) throw new InvalidArgument('only one argument is allowed with --latest')
    if (!flags.all && !flags.latest && args.length > 2) throw new InvalidArgument('accepts between 1 and 2 arg(s), received ' + args.length)
    const portArg = flags.latest ? args[0] : args[1]
    if (portArg !== undefined) {
      const [num, proto = 'tcp'] = portArg.split('/')
      if (!/^\d+$/.test(num)) throw new InvalidArgument(`strconv.ParseUint: parsing ${JSON.stringify(num)}: invalid syntax`)
      if (Number(num) > 65535) throw new InvalidArgument(`strconv.ParseUint: parsing ${JSON.stringify(num)}: value out of range`)
      void proto
    }
    const rt = await this.runtime(flags)
    if (!flags.all && !flags.latest) rt.containers.lookup(args[0])
    // NETWORK: the mappings (src/libpod/network)
    const {containerPortLines} = await load.networkPort()
    const out = await containerPortLines(rt, {all: flags.all, latest: flags.latest, container: flags.latest ? undefined : args[0], port: portArg})
    if (out.length) this.log(out.join('\n'))
  }
}
