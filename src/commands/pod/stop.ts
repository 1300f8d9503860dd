import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {eachPod} from '../../cli/each-pod.js'

export default class PodStop extends BaseCommand {
  static override summary = 'Stop one or more pods'
  static override strict = false
  static override args = {pod: Args.string({description: 'pod name or ID'})}
  static override flags = {
    'pod-id-file': Flags.string({multiple: true, multipleNonGreedy: true, description: 'Read the pod ID from the file'}),
    all: Flags.boolean({char: 'a', description: 'Stop all running pods'}),
    latest: Flags.boolean({char: 'l', description: 'Act on the latest pod podman is aware of'}),
    ignore: Flags.boolean({char: 'i', description: 'Ignore errors when a specified pod is missing'}),
    time: Flags.integer({char: 't', min: 0, description: 'Seconds to wait for pod stop before killing the container'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(PodStop)
    const rt = await this.runtime(flags)
    await eachPod(rt, argv as string[], flags, p => p.stop(flags.time))
  }
}
