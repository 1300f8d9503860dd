import {Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {load} from '../../libpod/index.js'

export default class PodStats extends BaseCommand {
  static override userNamespace = false // reads cgroup and /proc files; rootless on cgroup v1 it only refuses
  static override summary = 'Display a live stream of resource usage statistics for the containers in one or more pods'
  static override description = "Display the containers' resource-usage statistics of one or more running pod"
  static override usage = 'pod stats [options] [POD...]'
  static override strict = false
  static override examples = ['peapod pod stats', 'peapod pod stats a69b23034235 named-pod', 'peapod pod stats --latest', 'peapod pod stats --all']
  static override flags = {
    all: Flags.boolean({char: 'a', description: 'Provide stats for all pods'}),
    format: Flags.string({description: 'Pretty-print container statistics to JSON or using a Go template'}),
    latest: Flags.boolean({char: 'l', description: 'Act on the latest pod podman is aware of'}),
    'no-reset': Flags.boolean({description: 'Disable resetting the screen when streaming'}),
    'no-stream': Flags.boolean({description: 'Disable streaming stats and only pull the first result'}),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(PodStats)
    const names = argv as string[]
    const rt = await this.runtime(flags)
    const {checkPodStatsOptions, podStatsReport, renderPodStats} = await load.podStats()
    const {CLEAR_SCREEN} = await load.statsRender()
    const opts = {all: flags.all, latest: flags.latest}
    checkPodStatsOptions(rt, names, opts)
    for (;;) {
      const rows = await podStatsReport(rt, names, opts)
      const clear = !flags['no-reset'] && process.stdout.isTTY ? CLEAR_SCREEN : ''
      process.stdout.write(clear + renderPodStats(rows, flags.format))
      if (flags['no-stream']) return
      // Podman's pod stats has no --interval: a report a second.
      await new Promise(r => setTimeout(r, 1000))
    }
  }
}
