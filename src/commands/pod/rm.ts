import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {eachPod} from '../../cli/each-pod.js'
import {load} from '../../libpod/index.js'

export default class PodRm extends BaseCommand {
  static override summary = 'Remove one or more pods'
  static override strict = false
  static override args = {pod: Args.string({description: 'pod name or ID'})}
  static override flags = {
    'pod-id-file': Flags.string({multiple: true, multipleNonGreedy: true, description: 'Read the pod ID from the file'}),
    all: Flags.boolean({char: 'a', description: 'Remove all running pods'}),
    latest: Flags.boolean({char: 'l', description: 'Act on the latest pod podman is aware of'}),
    force: Flags.boolean({char: 'f', description: 'Force removal of a running pod by first stopping all containers, then removing all containers in the pod.  The default is false'}),
    ignore: Flags.boolean({char: 'i', description: 'Ignore errors when a specified pod is missing'}),
    time: Flags.integer({char: 't', min: 0, description: 'Seconds to wait for pod stop before killing the container'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(PodRm)
    const rt = await this.runtime(flags)
    try {
      await eachPod(rt, argv as string[], flags, p => p.remove({force: flags.force, timeout: flags.time}))
    } finally {
      // --all: what pod creates and removes killed mid-way left (names, directories) goes too.
      if (flags.all) await (await load.check()).sweepAbandoned(rt).catch(() => {})
    }
  }
}
