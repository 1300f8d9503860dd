import {Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {isJsonFormat, renderList} from '../../cli/output.js'
import {load} from '../../libpod/index.js'
import {writeOut} from '../../cli/stdout.js'

export default class PodPs extends BaseCommand {
  static override userNamespace = false
  static override summary = 'List pods'
  static override aliases = ['pod:ls', 'pod:list']
  static override flags = {
    'ctr-ids': Flags.boolean({description: 'Display the container UUIDs. If no-trunc is not set they will be truncated'}),
    'ctr-names': Flags.boolean({description: 'Display the container names'}),
    'ctr-status': Flags.boolean({description: 'Display the container status'}),
    filter: Flags.string({char: 'f', multiple: true, multipleNonGreedy: true, description: 'Filter output based on conditions given'}),
    format: Flags.string({description: 'Pretty-print pods to JSON or using a Go template'}),
    latest: Flags.boolean({char: 'l', description: 'Act on the latest pod podman is aware of'}),
    noheading: Flags.boolean({description: 'Do not print headers'}),
    'no-trunc': Flags.boolean({description: 'Do not truncate pod and container IDs'}),
    ns: Flags.boolean({description: 'Display namespace information of the pod'}),
    quiet: Flags.boolean({char: 'q', description: 'Print the numeric IDs of the pods only'}),
    sort: Flags.string({description: 'Sort output by created, id, name, or number', default: 'created'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(PodPs)
    const rt = await this.runtime(flags)
    const rows = await rt.podPs({filters: flags.filter, noTrunc: flags['no-trunc'], latest: flags.latest, sort: flags.sort})
    if (flags.quiet) {
      if (rows.length) this.log(rows.map(r => r.ID).join('\n'))
      return
    }
    const cols = ['{{.ID}}', '{{.Name}}', '{{.Status}}', '{{.Created}}', '{{.InfraID}}']
    if (flags['ctr-ids']) cols.push('{{.ContainerIds}}')
    if (flags['ctr-names']) cols.push('{{.ContainerNames}}')
    if (flags['ctr-status']) cols.push('{{.ContainerStatuses}}')
    if (!flags['ctr-ids'] && !flags['ctr-names'] && !flags['ctr-status']) cols.push('{{.NumberOfContainers}}')
    if (flags.ns) cols.push('{{.Cgroup}}', '{{.Namespace}}')
    if (isJsonFormat(flags.format)) {
      writeOut(JSON.stringify(rows.map(r => r.json), null, 2) + '\n')
      return
    }
    // (no rows: ps-row.js, what a row's template sees, is not loaded)
    const templateRows = rows.length ? rows.map((await load.podPsRow()).podTemplateRow) : []
    writeOut(renderList(flags.format, templateRows, {
      defaultFormat: 'table ' + cols.join('\t'),
      headers: {ID: 'POD ID', Name: 'NAME', Status: 'STATUS', Created: 'CREATED', InfraID: 'INFRA ID', NumberOfContainers: '# OF CONTAINERS',
        ContainerIds: 'IDS', ContainerNames: 'NAMES', ContainerStatuses: 'STATUS', Cgroup: 'CGROUP', Namespace: 'NAMESPACES', Labels: 'LABELS', Networks: 'NETWORKS'},
      noHeading: flags.noheading,
    }))
  }
}
