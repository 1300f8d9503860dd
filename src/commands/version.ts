import {Flags} from '../cli/oclif.js'
import {BaseCommand} from '../cli/base-command.js'
import {BUILT_TIME} from '../cli/build-time.js'

export default class Version extends BaseCommand {
  static override userNamespace = false
  static override summary = 'Display the Podman-compatible version information'
  static override flags = {
    format: Flags.string({char: 'f', description: 'Change the output format to JSON or a Go template'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Version)
    const info = {
      Version: this.config.version,
      APIVersion: this.config.version,
      GoVersion: `node ${process.version}`,
      GitCommit: '',
      BuiltTime: BUILT_TIME,
      Built: 0,
      OsArch: `linux/${process.arch === 'x64' ? 'amd64' : process.arch}`,
      Os: 'linux',
    }
    if (flags.format) {
      const {renderOne} = await import('../cli/output.js')
      this.log(renderOne(flags.format, {Client: info, Server: info}))
      return
    }
    this.log(`Version:      ${info.Version}\nAPI Version:  ${info.APIVersion}\nGo Version:   ${info.GoVersion}\nBuilt:        ${info.BuiltTime}\nOS/Arch:      ${info.OsArch}`)
  }
}
