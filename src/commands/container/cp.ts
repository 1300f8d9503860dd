import {Args} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {boolValue, goBool, goBoolArgv} from '../../cli/go-bool.js'
import {InvalidArgument, load} from '../../libpod/index.js'

export default class ContainerCp extends BaseCommand {
  static override summary = 'Copy files/folders between a container and the local filesystem'
  static override description = 'Copy the contents of SRC_PATH to the DEST_PATH. You can copy from the container\'s file system to the local machine or the reverse, from the local filesystem to the container. If "-" is specified for either the SRC_PATH or DEST_PATH, you can also stream a tar archive from STDIN or to STDOUT. The CONTAINER can be a running or stopped container. The SRC_PATH or DEST_PATH can be a file or a directory.'
  static override usage = 'cp [options] [CONTAINER:]SRC_PATH [CONTAINER:]DEST_PATH'
  static override aliases = ['cp']
  static override strict = false
  static override args = {
    src: Args.string({description: '[CONTAINER:]SRC_PATH'}),
    dest: Args.string({description: '[CONTAINER:]DEST_PATH'}),
  }

  static override flags = {
    archive: goBool('Chown copied files to the primary uid/gid of the destination container. (default true)', 'a'),
    overwrite: goBool('Allow to overwrite directories with non-directories and vice versa'),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ContainerCp, goBoolArgv(this.argv, {archive: 'a', overwrite: undefined}))
    const args = argv as string[]
    if (args.length !== 2) throw new InvalidArgument(`accepts 2 arg(s), received ${args.length}`)
    const rt = await this.runtime(flags)
    const {copy} = await load.cp()
    try {
      await copy(rt, args[0], args[1], {
        archive: boolValue(flags.archive, true),
        overwrite: boolValue(flags.overwrite, false),
        stdin: process.stdin,
        stdout: process.stdout,
      })
    } catch (e) {
      // a reader that went away (`| head`): end quietly, as a pipe's writer does
      if ((e as NodeJS.ErrnoException).code === 'EPIPE' || /EPIPE/.test((e as Error).message)) return
      throw e
    }
  }
}
