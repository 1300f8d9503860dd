import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {InvalidArgument} from '../../libpod/index.js'

const CONDITIONS = ['created', 'initialized', 'running', 'paused', 'stopped', 'exited', 'removing', 'stopping', 'unknown']

export default class ContainerWait extends BaseCommand {
  static override summary = 'Block on one or more containers'
  static override description = 'Waits until each container reaches a condition (by default until it stops) and prints its exit code; for other conditions -1.'
  static override aliases = ['wait']
  static override strict = false
  static override args = {container: Args.string({description: 'container name or ID'})}
  static override flags = {
    condition: Flags.string({multiple: true, multipleNonGreedy: true, description: 'Condition to wait on', default: ['stopped']}),
    ignore: Flags.boolean({description: 'Ignore if a container does not exist'}),
    interval: Flags.string({char: 'i', description: 'Time Interval to wait before polling for completion', default: '250ms'}),
    latest: Flags.boolean({char: 'l', description: 'Act on the latest container podman is aware of'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ContainerWait)
    const conds = flags.condition.flatMap(c => c.split(','))
    for (const cond of conds) if (!CONDITIONS.includes(cond)) throw new InvalidArgument(`unknown container state: ${cond}: invalid argument`)
    if (argv.length === 0 && !flags.latest) throw new InvalidArgument('at least one container name or ID must be specified')
    const rt = await this.runtime(flags)
    const refs = rt.containerRefs({latest: flags.latest, refs: argv as string[]})
    for (const ref of refs) {
      const c = rt.containers.find(ref)
      if (!c) {
        if (flags.ignore) {
          this.log('-1')
          continue
        }
        rt.containers.lookup(ref)
        continue
      }
      this.log(String(await rt.container(c.config.id).wait(conds)))
    }
  }
}
