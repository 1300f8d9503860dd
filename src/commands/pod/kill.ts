import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {eachPod} from '../../cli/each-pod.js'

export default class PodKill extends BaseCommand {
  static override summary = 'Send the specified signal or SIGKILL to containers in pod'
  static override strict = false
  static override args = {pod: Args.string({description: 'pod name or ID'})}
  static override flags = {
    all: Flags.boolean({char: 'a', description: 'Kill all containers in all pods'}),
    latest: Flags.boolean({char: 'l', description: 'Act on the latest pod podman is aware of'}),
    signal: Flags.string({char: 's', description: 'Signal to send to the containers in the pod', default: 'KILL'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(PodKill)
    const rt = await this.runtime(flags)
    await eachPod(rt, argv as string[], flags, p => p.kill(flags.signal))
  }
}
