import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {eachContainer} from '../../cli/each-container.js'
import {removeContainer} from '../../libpod/container/ops.js'
import {InvalidArgument} from '../../libpod/errors.js'

export default class ContainerRm extends BaseCommand {
  static override summary = 'Remove one or more containers'
  static override aliases = ['rm', 'container:remove']
  static override strict = false
  static override args = {container: Args.string({description: 'container name or ID'})}
  static override flags = {
    all: Flags.boolean({char: 'a', description: 'Remove all containers'}),
    force: Flags.boolean({char: 'f', description: 'Force removal of a running or unusable container'}),
    ignore: Flags.boolean({char: 'i', description: 'Ignore errors when a specified container is missing'}),
    latest: Flags.boolean({char: 'l', description: 'Act on the latest container podman is aware of'}),
    time: Flags.integer({char: 't', description: 'Seconds to wait for stop before killing the container'}),
    volumes: Flags.boolean({char: 'v', description: 'Remove anonymous volumes associated with the container'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ContainerRm)
    if (!flags.all && !flags.latest && argv.length === 0) throw new InvalidArgument('must provide at least one name or ID')
    const rt = await this.runtime(flags)
    await eachContainer(rt, argv as string[], flags, async id => removeContainer(rt, id, {force: flags.force, timeout: flags.time}).then(() => flags.all ? id : undefined))
  }
}
