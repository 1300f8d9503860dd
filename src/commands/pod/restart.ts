import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {eachPod} from '../../cli/each-pod.js'

export default class PodRestart extends BaseCommand {
  static override summary = 'Restart one or more pods'
  static override strict = false
  static override args = {pod: Args.string({description: 'pod name or ID'})}
  static override flags = {
    all: Flags.boolean({char: 'a', description: 'Restart all running pods'}),
    latest: Flags.boolean({char: 'l', description: 'Act on the latest pod podman is aware of'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(PodRestart)
    const rt = await this.runtime(flags)
    await eachPod(rt, argv as string[], flags, p => p.restart())
  }
}
