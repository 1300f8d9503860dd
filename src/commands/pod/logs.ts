import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {colored} from '../../cli/log-colors.js'
import {InvalidArgument, load} from '../../libpod/index.js'

export default class PodLogs extends BaseCommand {
  static override summary = 'Fetch logs for pod with one or more containers'
  static override args = {pod: Args.string({description: 'pod name or ID'})}
  static override flags = {
    color: Flags.boolean({description: 'Output the containers with different colors in the log.'}),
    container: Flags.string({char: 'c', description: 'Filter logs by container name or id which belongs to pod'}),
    follow: Flags.boolean({char: 'f', description: 'Follow log output.'}),
    latest: Flags.boolean({char: 'l', description: 'Act on the latest pod podman is aware of'}),
    names: Flags.boolean({char: 'n', description: 'Output container names instead of container IDs in the log'}),
    since: Flags.string({description: 'Show logs since TIMESTAMP'}),
    tail: Flags.integer({description: 'Output the specified number of LINES at the end of the logs.', default: -1}),
    timestamps: Flags.boolean({char: 't', description: 'Output the timestamps in the log'}),
    until: Flags.string({description: 'Show logs until TIMESTAMP'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(PodLogs)
    const rt = await this.runtime(flags)
    const pod = flags.latest ? rt.latestPod() : args.pod ? rt.pod(args.pod) : undefined
    if (!pod) throw new InvalidArgument('specify a pod name or ID, or use --latest')
    const {goRFC3339Nano, parseTime} = await load.containerLogs()
    let list = (await pod.containers()).filter(c => !c.config.isInfra).map(c => rt.container(c.config.id))
    if (flags.container) {
      const want = rt.containers.lookup(flags.container).config.id
      list = list.filter(c => c.config.id === want)
      if (list.length === 0) throw new InvalidArgument(`container ${flags.container} is not part of pod ${pod.id}`)
    }
    const opts = {
      tail: flags.tail,
      since: flags.since ? parseTime(flags.since) : undefined,
      until: flags.until ? parseTime(flags.until) : undefined,
      follow: flags.follow,
    }
    await Promise.all(list.map((c, i) => c.logs(opts, l => {
      const who = flags.names ? c.config.name : c.config.id.slice(0, 12)
      const prefix = `${flags.color ? colored(who, i) : who} ${flags.timestamps ? goRFC3339Nano(l.time) + ' ' : ''}`
      ;(l.stream === 'stderr' ? process.stderr : process.stdout).write(`${prefix}${l.text}\n`)
    })))
  }
}
