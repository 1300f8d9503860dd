import {Args, Flags} from '../../cli/oclif.js'
import {commandWords, liftGlobalFlags} from '../../cli/argv.js'
import {BaseCommand} from '../../cli/base-command.js'
import {forEachRef} from '../../cli/each-ref.js'
import {InvalidArgument, isJSONFormat, load, tabwrite} from '../../libpod/index.js'
import {writeOut} from '../../cli/stdout.js'

export default class ContainerMount extends BaseCommand {
  static override userNamespace = false // must fail outside `peapod unshare`, as Podman's does
  static override summary = "Mount a working container's root filesystem"
  static override description = 'Lists all mounted containers mount points if no container is specified; mounts the specified containers and outputs the mountpoints otherwise. Rootless, only inside `peapod unshare`.'
  static override usage = 'container mount [options] [CONTAINER...]'
  static override aliases = ['mount']
  static override strict = false
  static override args = {container: Args.string({description: 'container name or ID'})}
  static override flags = {
    all: Flags.boolean({char: 'a', description: 'Mount all containers'}),
    format: Flags.string({description: 'Print the mounted containers in specified format (json)'}),
    latest: Flags.boolean({char: 'l', description: 'Act on the latest container podman is aware of'}),
    notruncate: Flags.boolean({description: 'Do not truncate output', aliases: ['no-trunc']}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ContainerMount)
    const refs = argv as string[]
    const rt = await this.runtime(flags)
    // Podman names the command as it was typed: "podman mount" or "podman container mount".
    const {checkMountNamespace, mountContainer, mountedContainers} = await load.containerMount()
    checkMountNamespace(rt, commandWords(liftGlobalFlags(process.argv.slice(2)))[0] === 'container' ? 'container mount' : 'mount')
    if (refs.length && flags.latest) throw new InvalidArgument('--latest and containers cannot be used together')
    if (refs.length && flags.all) throw new InvalidArgument('--all and containers cannot be used together')
    if (refs.length || flags.all || flags.latest) {
      let targets = refs
      if (flags.all) targets = rt.containers.list().filter(c => c.state.status !== 'removing').map(c => c.config.id).sort()
      if (flags.latest) targets = rt.containerRefs({latest: true})
      await forEachRef(targets, ref => mountContainer(rt, ref))
      return
    }
    const mounted = mountedContainers(rt)
    if (flags.format !== undefined && isJSONFormat(flags.format)) {
      this.log(JSON.stringify(mounted.map(m => ({id: m.id, Names: [m.name], mountpoint: m.path})), null, 1))
      return
    }
    if (flags.format) throw new InvalidArgument(`unknown --format argument: ${JSON.stringify(flags.format)}`)
    writeOut(tabwrite(mounted.map(m => `${flags.notruncate ? m.id : m.id.slice(0, 12)}\t${m.path}`)).map(l => l + '\n').join(''))
  }
}
