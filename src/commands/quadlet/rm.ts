import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {load} from '../../libpod/index.js'

export default class QuadletRm extends BaseCommand {
  static override userNamespace = false
  static override summary = 'Remove an installed quadlet'
  static override description = 'Remove installed Quadlets of the current user; a Quadlet of an application (or the application\'s name) removes the whole application.'
  static override usage = 'quadlet rm [options] QUADLET [QUADLET...]'
  static override strict = false
  static override args = {quadlet: Args.string({description: 'quadlet or application name'})}
  static override flags = {
    all: Flags.boolean({char: 'a', description: 'Remove all Quadlets for the current user'}),
    force: Flags.boolean({char: 'f', description: 'Remove running quadlets'}),
    ignore: Flags.boolean({char: 'i', description: 'Do not error for Quadlets that do not exist'}),
    'reload-systemd': Flags.boolean({default: true, allowNo: true, description: 'Reload systemd after removing Quadlets'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(QuadletRm)
    const {removeQuadlets, reloadSystemd} = await load.quadletManage()
    const removed = removeQuadlets(argv as string[], {all: flags.all, force: flags.force, ignore: flags.ignore})
    if (flags['reload-systemd']) reloadSystemd()
    if (removed.length) this.log(removed.join('\n'))
  }
}
