import {Args, Flags} from '../../cli/oclif.js'
import {renderList} from '../../cli/output.js'
import {load} from '../../libpod/index.js'
import {BaseCommand} from '../../cli/base-command.js'
import {writeOut} from '../../cli/stdout.js'

export default class ImageList extends BaseCommand {
  static override userNamespace = false
  static override summary = 'List images in local storage'
  static override aliases = ['images', 'image:ls']
  static override args = {image: Args.string({description: 'only images whose name matches (a reference filter)', ignoreStdin: true})}
  static override flags = {
    all: Flags.boolean({char: 'a', description: 'Show all images (default hides intermediate images)'}),
    digests: Flags.boolean({description: 'Show digests'}),
    filter: Flags.string({char: 'f', multiple: true, multipleNonGreedy: true, description: 'Filter output based on conditions provided'}),
    format: Flags.string({description: 'Change the output format to JSON or a Go template'}),
    history: Flags.boolean({description: 'Display the image name history'}),
    'no-trunc': Flags.boolean({description: 'Do not truncate output'}),
    noheading: Flags.boolean({char: 'n', description: 'Do not print column headings'}),
    quiet: Flags.boolean({char: 'q', description: 'Display only image IDs'}),
    sort: Flags.string({description: 'Sort by created, id, repository, size, tag', default: 'created'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ImageList)
    const rt = await this.runtime(flags)
    const {imageRows, imageTemplateRow} = await load.imageList()
    // Podman: `images NAME` is `--filter reference=NAME`.
    const filters = [...flags.filter ?? [], ...(args.image ? [`reference=${args.image}`] : [])]
    const rows = imageRows(rt, {filters, sort: flags.sort, noTrunc: flags['no-trunc']})
    if (flags.quiet) {
      const ids = [...new Set(rows.map(r => r.ID))]
      if (ids.length) this.log(ids.join('\n'))
      return
    }
    const unique = rows.filter((r, i) => rows.findIndex(x => x.Id === r.Id) === i)
    const columns = ['{{.Repository}}', '{{.Tag}}', ...(flags.digests ? ['{{.Digest}}'] : []), '{{.ID}}', '{{.Created}}', '{{.Size}}', ...(flags.history ? ['{{.History}}'] : [])]
    const out = renderList(flags.format, (flags.format && /json/.test(flags.format) ? unique : rows).map(imageTemplateRow), {
      defaultFormat: 'table ' + columns.join('\t'),
      headers: {Repository: 'REPOSITORY', Tag: 'TAG', ID: 'IMAGE ID', Created: 'CREATED', Size: 'SIZE', Digest: 'DIGEST', History: 'HISTORY', CreatedAt: 'CREATED AT', CreatedSince: 'CREATED', Names: 'NAMES', Containers: 'CONTAINERS', Labels: 'LABELS', ReadOnly: 'READONLY', VirtualSize: 'VIRTUAL SIZE', SharedSize: 'SHARED SIZE'},
      json: r => r.json,
      noHeading: flags.noheading,
    })
    writeOut(out)
  }
}
