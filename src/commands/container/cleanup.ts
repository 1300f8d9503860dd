import {Args} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'

export default class ContainerCleanup extends BaseCommand {
  static override summary = 'Clean up network and mountpoints of one or more containers'
  static override description = 'Run by each container\'s monitor when the container exits: records the exit status, unmounts the rootfs, releases the runtime state and removes --rm containers.'
  static override strict = false
  static override args = {container: Args.string({description: 'container name or ID'})}

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ContainerCleanup)
    const rt = await this.runtime(flags)
    for (const ref of argv as string[]) {
      const c = rt.containers.find(ref)
      if (c) await rt.container(c.config.id).cleanup()
    }
  }
}
