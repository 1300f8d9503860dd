import {Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {load} from '../../libpod/index.js'

export default class ContainerStats extends BaseCommand {
  static override userNamespace = false // reads cgroup and /proc files; rootless on cgroup v1 it only refuses
  static override summary = 'Display a live stream of container resource usage statistics'
  static override description = 'Display percentage of CPU, memory, network I/O, block I/O and PIDs for one or more containers.'
  static override usage = 'container stats [options] [CONTAINER...]'
  static override aliases = ['stats']
  static override strict = false
  static override examples = [
    'peapod stats --all --no-stream',
    'peapod stats ctrID',
    'peapod stats --no-stream --format "table {{.ID}} {{.Name}} {{.MemUsage}}" ctrID',
  ]
  static override flags = {
    all: Flags.boolean({char: 'a', description: 'Show all containers. Only running containers are shown by default. The default is false'}),
    format: Flags.string({description: 'Pretty-print container statistics to JSON or using a Go template'}),
    interval: Flags.integer({char: 'i', default: 5, description: 'Time in seconds between stats reports'}),
    latest: Flags.boolean({char: 'l', description: 'Act on the latest container podman is aware of'}),
    'no-reset': Flags.boolean({description: 'Disable resetting the screen between intervals'}),
    'no-stream': Flags.boolean({description: 'Disable streaming stats and only pull the first result, default setting is false'}),
    'no-trunc': Flags.boolean({description: 'Do not truncate output'}),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(ContainerStats)
    const names = (argv as string[]).map(n => n.replace(/^\/+/, ''))
    const rt = await this.runtime(flags)
    const {checkStatsOptions, statsReport, statsTargets} = await load.stats()
    const {CLEAR_SCREEN, renderStats} = await load.statsRender()
    const opts = {all: flags.all, latest: flags.latest, interval: flags.interval}
    checkStatsOptions(rt, names, opts)
    const previous = new Map()
    for (;;) {
      const targets = await statsTargets(rt, names, opts)
      const stats = await statsReport(rt, targets, previous, !names.length && !flags.all && !flags.latest)
      const clear = !flags['no-reset'] && process.stdout.isTTY ? CLEAR_SCREEN : ''
      process.stdout.write(clear + renderStats(stats, {format: flags.format, noTrunc: flags['no-trunc']}))
      if (flags['no-stream']) return
      await new Promise(r => setTimeout(r, flags.interval * 1000))
    }
  }
}
