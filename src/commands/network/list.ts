import {Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {isJsonFormat} from '../../cli/output.js'
import {load, renderRows} from '../../libpod/index.js'
import {writeOut} from '../../cli/stdout.js'

const HEADERS = {ID: 'NETWORK ID', Name: 'NAME', Driver: 'DRIVER', Labels: 'LABELS', NetworkInterface: 'NETWORK INTERFACE', Created: 'CREATED', IPv6Enabled: 'IPV6 ENABLED', DNSEnabled: 'DNS ENABLED', Internal: 'INTERNAL'}

export default class NetworkList extends BaseCommand {
  static override userNamespace = false
  static override summary = 'List networks'
  static override aliases = ['network:ls']
  static override flags = {
    filter: Flags.string({char: 'f', multiple: true, multipleNonGreedy: true, description: "Provide filter values (e.g. 'name=podman'): name, id, driver, label, label!, until, dangling"}),
    format: Flags.string({description: 'Pretty-print networks to JSON or using a Go template'}),
    'no-trunc': Flags.boolean({description: 'Do not truncate the network ID'}),
    noheading: Flags.boolean({description: 'Do not print headers'}),
    quiet: Flags.boolean({char: 'q', description: 'display only names'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(NetworkList)
    const rt = await this.runtime(flags)
    const [{networkTemplateData}, {filterNetworks}] = await Promise.all([load.networkInspect(), load.networkManage()])
    const list = filterNetworks(rt, rt.networks.list(), flags.filter ?? [])
    if (isJsonFormat(flags.format)) {
      // Podman's ls JSON: the networks as stored, two-space indented.
      this.log(JSON.stringify(list, null, 2))
      return
    }
    if (flags.quiet) {
      if (list.length) this.log(list.map(n => n.name).join('\n'))
      return
    }
    const rows = list.map(n => networkTemplateData(n, {list: true, noTrunc: flags['no-trunc']}))
    writeOut(renderRows(flags.format ?? 'table {{.ID}}\t{{.Name}}\t{{.Driver}}', rows, HEADERS, {noHeading: flags.noheading}))
  }
}
