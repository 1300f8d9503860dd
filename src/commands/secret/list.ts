import {Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {load, renderRows} from '../../libpod/index.js'
import {writeOut} from '../../cli/stdout.js'

const HEADERS = {ID: 'ID', Name: 'NAME', Driver: 'DRIVER', CreatedAt: 'CREATED', UpdatedAt: 'UPDATED'}
const DEFAULT = 'table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.CreatedAt}}\t{{.UpdatedAt}}'

export default class SecretList extends BaseCommand {
  static override userNamespace = false
  static override summary = 'List secrets'
  static override aliases = ['secret:ls']
  static override flags = {
    filter: Flags.string({char: 'f', multiple: true, multipleNonGreedy: true, description: 'Filter secret output (name=REGEX, id=REGEX)'}),
    format: Flags.string({description: 'Format volume output using Go template'}),
    noheading: Flags.boolean({description: 'Do not print headers'}),
    quiet: Flags.boolean({char: 'q', description: 'Print secret IDs only'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(SecretList)
    const rt = await this.runtime(flags)
    const {secretRows} = await load.secretList()
    const rows = secretRows(rt.secrets, flags.filter ?? [])
    if (flags.quiet) {
      if (rows.length) this.log(rows.map(r => r.ID).join('\n'))
      return
    }
    // Podman 4.3.1 runs every format through its template engine: `json` is printed as it is.
    const format = flags.format === undefined ? DEFAULT : flags.format.startsWith('table') || flags.format.includes('{{') ? flags.format : flags.format + '\n'
    if (!format.includes('{{')) {
      writeOut(format)
      return
    }
    writeOut(renderRows(format, rows, HEADERS, {noHeading: flags.noheading}))
  }
}
