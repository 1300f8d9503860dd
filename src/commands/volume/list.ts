import {Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {isJsonFormat} from '../../cli/output.js'
import {load, renderRows} from '../../libpod/index.js'
import {writeOut} from '../../cli/stdout.js'

const HEADERS = {Driver: 'DRIVER', Name: 'VOLUME NAME', Mountpoint: 'MOUNTPOINT', CreatedAt: 'CREATED AT', MountCount: 'MOUNT COUNT', NeedsCopyUp: 'NEEDS COPY UP', NeedsChown: 'NEEDS CHOWN'}

export default class VolumeList extends BaseCommand {
  static override userNamespace = false
  static override summary = 'List volumes'
  static override aliases = ['volume:ls']
  static override flags = {
    filter: Flags.string({char: 'f', multiple: true, multipleNonGreedy: true, description: 'Filter volume output (name, label, dangling, driver, scope, opt, until)'}),
    format: Flags.string({description: 'Format volume output using JSON or a Go template'}),
    noheading: Flags.boolean({description: 'Do not print headers'}),
    quiet: Flags.boolean({char: 'q', description: 'Print volume output in quiet mode'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(VolumeList)
    const rt = await this.runtime(flags)
    const store = rt.volumes
    const [{inspectVolume, volumeListJson, volumeTemplateData}, {listVolumes}] = await Promise.all([load.volumeInspect(), load.volumeList()])
    const vols = listVolumes(rt, flags.filter ?? [])
    if (isJsonFormat(flags.format)) {
      this.log(volumeListJson(vols.map(v => inspectVolume(store, v))))
      return
    }
    // Podman prints nothing at all, not even a header, for no volumes.
    if (vols.length === 0) return
    if (flags.quiet) {
      this.log(vols.map(v => v.name).join('\n'))
      return
    }
    const rows = vols.map(v => volumeTemplateData(store, v, 'entities.VolumeListReport'))
    writeOut(renderRows(flags.format ?? 'table {{.Driver}}\t{{.Name}}', rows, HEADERS, {noHeading: flags.noheading}))
  }
}
