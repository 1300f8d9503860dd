import {Args, Flags} from '../../cli/oclif.js'
import {isJsonFormat, renderList} from '../../cli/output.js'
import {load} from '../../libpod/index.js'
import {BaseCommand} from '../../cli/base-command.js'
import {writeOut} from '../../cli/stdout.js'

export default class ImageHistory extends BaseCommand {
  static override userNamespace = false
  static override summary = 'Show history of a specified image'
  static override aliases = ['history']
  static override args = {image: Args.string({required: true, description: 'image name or ID'})}
  static override flags = {
    format: Flags.string({description: 'Change the output to JSON or a Go template'}),
    human: Flags.boolean({char: 'H', default: true, allowNo: true, description: 'Display sizes and dates in human readable format'}),
    'no-trunc': Flags.boolean({description: 'Do not truncate the output'}),
    quiet: Flags.boolean({char: 'q', description: 'Display the numeric IDs only'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ImageHistory)
    const rt = await this.runtime(flags)
    const {historyRows, historyTemplateRow} = await load.imageHistory()
    const rows = historyRows(rt, rt.lookupImage(args.image), {human: flags.human, noTrunc: flags['no-trunc']})
    if (flags.quiet) {
      this.log(rows.map(r => r.ID).join('\n'))
      return
    }
    // Podman prints history's JSON on one line.
    if (isJsonFormat(flags.format)) {
      this.log(JSON.stringify(rows.map(r => r.json)))
      return
    }
    writeOut(renderList(flags.format, rows.map(historyTemplateRow), {
      defaultFormat: 'table {{.ID}}\t{{.Created}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}',
      headers: {ID: 'ID', Created: 'CREATED', CreatedBy: 'CREATED BY', Size: 'SIZE', Comment: 'COMMENT', CreatedAt: 'CREATED AT'},
      json: r => r.json,
    }))
  }
}
