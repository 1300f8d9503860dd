import {Args} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {updateResourceFlags} from '../../cli/resource-flags.js'
import {parseResourceLimits} from '../../cli/resource-spec.js'
import {InvalidArgument, load} from '../../libpod/index.js'

export default class ContainerUpdate extends BaseCommand {
  static override summary = 'update an existing container'
  static override description = 'Updates the cgroup configuration of a given container: a running one at once, and its stored configuration for later starts.'
  static override usage = 'update [options] CONTAINER'
  static override examples = ['podman update --cpus=5 foobar_container']
  static override aliases = ['update']
  static override strict = false
  static override args = {container: Args.string({description: 'container name or ID'})}
  static override flags = updateResourceFlags

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ContainerUpdate)
    if (argv.length !== 1) throw new InvalidArgument(`accepts 1 arg(s), received ${argv.length}`)
    const limits = parseResourceLimits(flags) ?? {}
    const rt = await this.runtime(flags)
    const {updateContainer} = await load.containerUpdate()
    const r = await updateContainer(rt, argv[0] as string, limits)
    for (const w of r.warnings) process.stderr.write(`${w}\n`)
    this.log(r.id)
  }
}
