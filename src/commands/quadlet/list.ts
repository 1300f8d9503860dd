import {Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {isJsonFormat} from '../../cli/output.js'
import {InvalidArgument, load, renderRows} from '../../libpod/index.js'
import {writeOut} from '../../cli/stdout.js'

const HEADERS = {Name: 'NAME', UnitName: 'UNIT NAME', Path: 'PATH ON DISK', Status: 'STATUS', App: 'APPLICATION', Pod: 'POD'}

/** Shell-like `*` patterns (name=test*). */
const glob = (pattern: string, s: string): boolean => new RegExp(`^${pattern.split('*').map(p => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(s)

export default class QuadletList extends BaseCommand {
  static override userNamespace = false
  static override summary = 'List Quadlets'
  static override aliases = ['quadlet:ls']
  static override flags = {
    filter: Flags.string({char: 'f', multiple: true, multipleNonGreedy: true, description: 'Filter output based on conditions given (name, status, pod)'}),
    format: Flags.string({description: 'Pretty-print output to JSON or using a Go template'}),
    noheading: Flags.boolean({description: 'Do not print headers'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(QuadletList)
    const {listQuadlets} = await load.quadletManage()
    let rows = listQuadlets()
    for (const f of flags.filter ?? []) {
      const eq = f.indexOf('=')
      const key = eq < 0 ? f : f.slice(0, eq), value = eq < 0 ? '' : f.slice(eq + 1)
      if (key === 'name') rows = rows.filter(r => glob(value, r.Name))
      else if (key === 'status') rows = rows.filter(r => r.Status === value)
      else if (key === 'pod') rows = rows.filter(r => r.Pod === value || r.Pod === `${value}.pod`)
      else throw new InvalidArgument(`invalid filter "${key}"`)
    }
    if (isJsonFormat(flags.format)) {
      this.log(JSON.stringify(rows, null, 4))
      return
    }
    writeOut(renderRows(flags.format ?? 'table {{.Name}}\t{{.UnitName}}\t{{.Path}}\t{{.Status}}\t{{.App}}\t{{.Pod}}', rows, HEADERS, {noHeading: flags.noheading}))
  }
}
