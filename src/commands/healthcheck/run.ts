import {Args} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {ExitCode, load} from '../../libpod/index.js'

export default class HealthcheckRun extends BaseCommand {
  static override summary = 'Run the health check of a container'
  static override description = 'Runs the container\'s health check command once and records the result; prints "unhealthy" and exits 1 when it fails.'
  static override args = {container: Args.string({description: 'container name or ID', required: true})}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(HealthcheckRun)
    const rt = await this.runtime(flags)
    const r = await (await load.healthcheck()).runHealthcheck(rt, args.container)
    if (!r.healthy) {
      this.log('unhealthy')
      throw new ExitCode(1)
    }
  }
}
