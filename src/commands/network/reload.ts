import {Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {ExitCode, InvalidArgument, load} from '../../libpod/index.js'

export default class NetworkReload extends BaseCommand {
  static override summary = 'Reload firewall rules for one or more containers'
  static override description = 'Re-applies the network setup (netavark\'s firewall rules and port forwarding) of running containers, e.g. after the firewall was flushed. Addresses and MACs are kept.'
  static override usage = 'network reload [options] [CONTAINER...]'
  static override strict = false
  static override flags = {
    all: Flags.boolean({char: 'a', description: 'Reload network configuration of all containers'}),
    latest: Flags.boolean({char: 'l', description: 'Act on the latest container podman is aware of'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(NetworkReload)
    const names = argv as string[]
    if (!flags.all && !flags.latest && !names.length) throw new InvalidArgument('you must provide at least one container name or ID, or use --all or --latest')
    if (flags.all && names.length) throw new InvalidArgument('--all and containers cannot be used together')
    const rt = await this.runtime(flags)
    let targets = names
    if (flags.latest) targets = rt.containerRefs({latest: true})
    const {reloaded, errors} = await (await load.networkManage()).reloadNetworks(rt, targets, flags.all)
    for (const id of reloaded) this.log(id)
    for (const e of errors) process.stderr.write(`Error: ${e.message}\n`)
    if (errors.length) throw new ExitCode(125)
  }
}
