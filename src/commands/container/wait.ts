import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {syncContainer, waitExited, waitForState} from '../../libpod/container/ops.js'
import {InvalidArgument} from '../../libpod/errors.js'

export default class ContainerWait extends BaseCommand {
  static override summary = 'Block on one or more containers'
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
    const rt = await this.runtime(flags)
    const conds = flags.condition
    for (const cond of conds) if (!['stopped', 'exited', 'running', 'created', 'paused', 'configured', 'removing', 'stopping'].includes(cond)) throw new InvalidArgument(`unknown condition ${cond}`)
    if (argv.length === 0 && !flags.latest) throw new InvalidArgument('at least one container name or ID must be specified')
    for (const ref of argv as string[]) {
      const c = rt.containers.find(ref)
      if (!c) {
        if (flags.ignore) {
          this.log('-1')
          continue
        }
        rt.containers.lookup(ref)
      }
      const id = c!.config.id
      if (!conds.some(x => x === 'stopped' || x === 'exited')) {
        await waitForState(rt, id, st => conds.includes(st.status))
        this.log('-1')
        continue
      }
      await syncContainer(rt, c!)
      await waitExited(rt, id)
      this.log(String(rt.containers.read(id)?.state.exitCode ?? 0))
    }
  }
}
