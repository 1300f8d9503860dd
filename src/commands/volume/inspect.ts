import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {renderOne, toInspectJson} from '../../cli/output.js'
import {InvalidArgument, load, type VolumeDoc} from '../../libpod/index.js'

export default class VolumeInspect extends BaseCommand {
  static override userNamespace = false
  static override summary = 'Display detailed information on one or more volumes'
  static override usage = 'volume inspect [options] VOLUME [VOLUME...]'
  static override strict = false
  static override args = {volume: Args.string({description: 'volume name'})}
  static override flags = {
    all: Flags.boolean({char: 'a', description: 'Inspect all volumes'}),
    format: Flags.string({char: 'f', description: 'Format volume output using Go template', default: 'json'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(VolumeInspect)
    const names = argv as string[]
    if (flags.all && names.length) throw new InvalidArgument('when using the --all switch, you may not pass any volume names')
    if (!flags.all && names.length === 0) throw new InvalidArgument('provide one or more volume names or use --all')
    const rt = await this.runtime(flags)
    const store = rt.volumes
    const {inspectVolume, volumeTemplateData} = await load.volumeInspect()
    const found: VolumeDoc[] = []
    let missing: string | undefined
    if (flags.all) found.push(...store.list())
    for (const n of names) {
      const v = store.find(n)
      if (v) found.push(v)
      else missing ??= n
    }
    if (flags.format === 'json' || flags.format === '{{json .}}') this.log(toInspectJson(found.map(v => inspectVolume(store, v))))
    else for (const v of found) this.log(renderOne(flags.format, volumeTemplateData(store, v)))
    if (missing) throw new InvalidArgument(`inspecting object: no such volume ${missing}`)
  }
}
