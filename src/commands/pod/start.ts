import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {eachPod} from '../../cli/each-pod.js'

export default class PodStart extends BaseCommand {
  static override summary = 'Start one or more pods'
  static override strict = false
  static override args = {pod: Args.string({description: 'pod name or ID'})}
  static override flags = {
    'pod-id-file': Flags.string({multiple: true, multipleNonGreedy: true, description: 'Read the pod ID from the file'}),
    all: Flags.boolean({char: 'a', description: 'Start all pods'}),
    latest: Flags.boolean({char: 'l', description: 'Act on the latest pod podman is aware of'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(PodStart)
    const rt = await this.runtime(flags)
    await eachPod(rt, argv as string[], flags, p => p.start())
  }
}
