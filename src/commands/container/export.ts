import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {InvalidArgument, load} from '../../libpod/index.js'

export default class ContainerExport extends BaseCommand {
  static override summary = "Export a container's filesystem contents as a tar archive"
  static override description = 'Exports container\'s filesystem contents as a tar archive and saves it on the local machine.'
  static override usage = 'export [options] CONTAINER'
  static override aliases = ['export']
  static override strict = false
  static override args = {container: Args.string({description: 'container name or ID'})}
  static override flags = {
    output: Flags.string({char: 'o', description: 'Write to a specified file (default: stdout, which must be redirected)'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ContainerExport)
    const args = argv as string[]
    if (args.length !== 1) throw new InvalidArgument(`accepts 1 arg(s), received ${args.length}`)
    if (flags.output === undefined && process.stdout.isTTY) throw new InvalidArgument('refusing to export to terminal. Use -o flag or redirect')
    const rt = await this.runtime(flags)
    const {exportContainer} = await load.exportContainer()
    try {
      await exportContainer(rt, args[0], {output: flags.output, stream: process.stdout})
    } catch (e) {
      // a reader that went away (`| head`): end quietly, as a pipe's writer does
      if ((e as NodeJS.ErrnoException).code === 'EPIPE') return
      throw e
    }
  }
}
