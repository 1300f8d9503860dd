import {Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {isJsonFormat, renderList} from '../../cli/output.js'
import {InvalidArgument, load} from '../../libpod/index.js'
import {writeOut} from '../../cli/stdout.js'

export default class ContainerList extends BaseCommand {
  static override userNamespace = false
  static override summary = 'List containers'
  static override aliases = ['ps', 'container:ls', 'container:ps']
  static override flags = {
    all: Flags.boolean({char: 'a', description: 'Show all the containers, default is only running containers'}),
    external: Flags.boolean({description: 'Show containers in storage not controlled by Podman'}),
    filter: Flags.string({char: 'f', multiple: true, multipleNonGreedy: true, description: 'Filter output based on conditions given'}),
    format: Flags.string({description: 'Pretty-print containers to JSON or using a Go template'}),
    last: Flags.integer({char: 'n', description: 'Print the n last created containers (all states)'}),
    latest: Flags.boolean({char: 'l', description: 'Act on the latest container podman is aware of'}),
    'no-trunc': Flags.boolean({description: 'Display the extended information'}),
    noheading: Flags.boolean({description: 'Do not print headers'}),
    ns: Flags.boolean({description: 'Display namespace information'}),
    pod: Flags.boolean({char: 'p', description: 'Print the ID and name of the pod the containers are associated with'}),
    quiet: Flags.boolean({char: 'q', description: 'Print the numeric IDs of the containers only'}),
    size: Flags.boolean({char: 's', description: 'Display the total file sizes'}),
    sort: Flags.string({description: 'Sort output by: command, created, id, image, names, runningfor, size, status', default: 'created'}),
    sync: Flags.boolean({description: 'Sync container state with OCI runtime'}),
    watch: Flags.integer({char: 'w', min: 0, description: 'Watch the ps output on an interval in seconds'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(ContainerList)
    if (flags.watch && flags.latest) throw new InvalidArgument('the watch and latest flags cannot be used together')
    if (!flags.watch) return this.once(flags)
    // --watch N: clear the screen and list again every N seconds, until interrupted.
    for (;;) {
      writeOut('\u001b[H\u001b[2J')
      await this.once(flags)
      await new Promise(resolve => setTimeout(resolve, flags.watch! * 1000))
    }
  }

  private async once(flags: Awaited<ReturnType<ContainerList['parse']>>['flags']): Promise<void> {
    const rt = await this.runtime(flags)
    const rows = await rt.ps({all: flags.all, filters: flags.filter, last: flags.last, latest: flags.latest, noTrunc: flags['no-trunc'], sort: flags.sort, size: flags.size, namespaces: flags.ns})
    if (flags.quiet) {
      if (rows.length) this.log(rows.map(r => r.ID).join('\n'))
      return
    }
    // --ns: Podman's namespace columns instead of the usual ones.
    const cols = flags.ns
      ? ['{{.ID}}', '{{.Names}}', '{{.Pid}}', '{{.CGROUPNS}}', '{{.IPC}}', '{{.MNT}}', '{{.NET}}', '{{.PIDNS}}', '{{.USERNS}}', '{{.UTS}}']
      : ['{{.ID}}', '{{.Image}}', '{{.Command}}', '{{.CreatedHuman}}', '{{.Status}}', '{{.Ports}}', '{{.Names}}', ...(flags.size ? ['{{.Size}}'] : []), ...(flags.pod ? ['{{.Pod}}', '{{.PodName}}'] : [])]
    // Podman's ps prints its JSON with two-space indents (inspect uses four).
    if (isJsonFormat(flags.format)) {
      writeOut(JSON.stringify(rows.map(r => r.json), null, 2) + '\n')
      return
    }
    // (no rows: ps-row.js, what a row's template sees, is not loaded)
    const templateRows = rows.length ? rows.map((await load.psRow()).psTemplateRow) : []
    writeOut(renderList(flags.format, templateRows, {
      defaultFormat: 'table ' + cols.join('\t'),
      headers: {ID: 'CONTAINER ID', Image: 'IMAGE', Command: 'COMMAND', CreatedHuman: 'CREATED', Created: 'CREATED', Status: 'STATUS', Ports: 'PORTS', Names: 'NAMES', Size: 'SIZE', Pod: 'POD ID', PodName: 'PODNAME', RunningFor: 'CREATED', CreatedAt: 'CREATED AT', State: 'STATE', ImageID: 'IMAGE ID', ExitCode: 'EXIT CODE', Pid: 'PID', Mounts: 'MOUNTS', Labels: 'LABELS', Networks: 'NETWORKS', AutoRemove: 'AUTOREMOVE', Exited: 'EXITED', ExitedAt: 'EXITED AT', StartedAt: 'STARTED AT', CGROUPNS: 'CGROUPNS', IPC: 'IPC', MNT: 'MNT', NET: 'NET', PIDNS: 'PIDNS', USERNS: 'USERNS', UTS: 'UTS'},
      json: r => r.json as unknown,
      jsonIndent: 2,
      noHeading: flags.noheading,
    }))
  }
}
