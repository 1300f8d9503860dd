import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {load} from '../../libpod/index.js'

export default class QuadletInstall extends BaseCommand {
  static override userNamespace = false
  static override summary = 'Install a quadlet file or quadlet application'
  static override description = 'Install a Quadlet file (optionally followed by asset files), a directory of them (an application) or a .quadlets file (several Quadlets separated by ---, each named by a "# FileName=" comment) into the Quadlet directory of the current user (root: /etc/containers/systemd), then reload systemd.'
  static override usage = 'quadlet install [options] QUADLET-PATH [FILES-PATH...]'
  static override strict = false
  static override args = {path: Args.string({description: 'quadlet file, directory or .quadlets file'})}
  static override flags = {
    'reload-systemd': Flags.boolean({default: true, allowNo: true, description: 'Reload systemd after installing Quadlets'}),
    replace: Flags.boolean({char: 'r', description: 'Replace the Quadlet installation even if the generated unit file already exists'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(QuadletInstall)
    const {installQuadlets, reloadSystemd} = await load.quadletManage()
    const written = installQuadlets(argv as string[], {replace: flags.replace})
    if (flags['reload-systemd']) reloadSystemd()
    this.log(written.join('\n'))
  }
}
