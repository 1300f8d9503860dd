import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {updateResourceFlags} from '../../cli/resource-flags.js'
import {parseResourceLimits} from '../../cli/resource-spec.js'
import {InvalidArgument, load} from '../../libpod/index.js'

const {'device-read-iops': _ri, 'device-write-iops': _wi, ...cloneResourceFlags} = updateResourceFlags

export default class ContainerClone extends BaseCommand {
  static override summary = 'Clone an existing container'
  static override description = 'Creates a copy of an existing container from the spec it was created with; resource flags replace the original\'s limits.'
  static override usage = 'container clone [options] CONTAINER NAME IMAGE'
  static override examples = ['podman container clone container_name new_name image_name']
  static override strict = false
  static override args = {container: Args.string({description: 'container name or ID'})}
  static override flags = {
    ...cloneResourceFlags,
    destroy: Flags.boolean({description: 'destroy the original container'}),
    force: Flags.boolean({char: 'f', description: 'force the existing container to be destroyed'}),
    name: Flags.string({description: 'Assign a name to the container'}),
    pod: Flags.string({description: 'Run container in an existing pod'}),
    run: Flags.boolean({description: 'run the new container'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ContainerClone)
    const args = argv as string[]
    if (args.length < 1 || args.length > 3) throw new InvalidArgument(`accepts between 1 and 3 arg(s), received ${args.length}`)
    const limits = parseResourceLimits(flags)
    const rt = await this.runtime(flags)
    const {cloneContainer} = await load.clone()
    const c = await cloneContainer(rt, args[0], {
      name: args[1] ?? flags.name, image: args[2], pod: flags.pod, ...limits ? {limits} : {},
      destroy: flags.destroy, force: flags.force, start: flags.run,
    })
    this.log(c.id)
  }
}
