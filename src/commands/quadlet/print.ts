import {Args} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {InvalidArgument, load} from '../../libpod/index.js'
import {writeOut} from '../../cli/stdout.js'

export default class QuadletPrint extends BaseCommand {
  static override userNamespace = false
  static override summary = 'Display the contents of a quadlet'
  static override aliases = ['quadlet:cat']
  static override args = {quadlet: Args.string({description: 'installed quadlet name'})}

  async run(): Promise<void> {
    const {args} = await this.parse(QuadletPrint)
    if (!args.quadlet) throw new InvalidArgument('accepts 1 arg(s), received 0')
    const {printQuadlet} = await load.quadletManage()
    writeOut(printQuadlet(args.quadlet))
  }
}
