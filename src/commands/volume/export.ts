import {closeSync, openSync} from 'node:fs'
import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {InvalidArgument, load} from '../../libpod/index.js'

export default class VolumeExport extends BaseCommand {
  static override summary = 'Export volumes'
  static override description = 'Writes the volume\'s content as a tar archive to stdout or to a file.'
  static override usage = 'volume export [options] VOLUME'
  static override args = {volume: Args.string({required: true, description: 'volume name'})}
  static override flags = {
    output: Flags.string({char: 'o', description: 'Write to a specified file (default: stdout, which must be redirected)'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(VolumeExport)
    if ((!flags.output || flags.output === '/dev/stdout') && process.stdout.isTTY) {
      throw new InvalidArgument('cannot write to terminal, use command-line redirection or the --output flag')
    }
    const rt = await this.runtime(flags)
    if (!flags.output || flags.output === '/dev/stdout' || flags.output === '-') {
      await (await load.volumeArchive()).exportVolume(rt, args.volume, 1)
      return
    }
    let fd: number
    try {
      fd = openSync(flags.output, 'w', 0o644)
    } catch (e) {
      throw new InvalidArgument(`creating ${flags.output}: ${(e as Error).message}`)
    }
    try {
      await (await load.volumeArchive()).exportVolume(rt, args.volume, fd)
    } finally {
      closeSync(fd)
    }
  }
}
