import {Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {renderOne, toJson} from '../../cli/output.js'
import {toYaml} from '../../cli/yaml.js'
import {isJSONFormat, load} from '../../libpod/index.js'
import {writeOut} from '../../cli/stdout.js'

export default class SystemInfo extends BaseCommand {
  static override userNamespace = false
  static override summary = 'Display podman system information'
  static override description = 'Display information pertaining to the host, current storage stats, and build of peapod.\n\nUseful for the user and when reporting issues.'
  static override aliases = ['info']
  static override examples = ['peapod info', "peapod info --format '{{.Host.OCIRuntime.Name}}'", 'peapod info --format json']
  static override flags = {
    format: Flags.string({char: 'f', description: 'Change the output format to JSON or a Go template'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(SystemInfo)
    const rt = await this.runtime(flags)
    const sys = await load.system()
    const report = await sys.infoReport(rt)
    if (flags.format !== undefined && isJSONFormat(flags.format)) {
      this.log(toJson(report))
    } else if (flags.format !== undefined) {
      this.log(renderOne(flags.format, sys.infoTemplateData(report)))
    } else {
      writeOut(await toYaml(report))
    }
  }
}
