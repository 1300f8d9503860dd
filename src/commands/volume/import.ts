import {createReadStream, statSync} from 'node:fs'
import {Args} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {InvalidArgument, load} from '../../libpod/index.js'

export default class VolumeImport extends BaseCommand {
  static override summary = 'Import a tarball contents into a volume'
  static override description = 'Unpacks a tar archive (plain or compressed; `-` or no SOURCE for stdin) into an existing volume. A broken archive leaves the volume as it was.'
  static override usage = 'volume import VOLUME [SOURCE]'
  static override examples = ['peapod volume import my_vol /home/user/import.tar', 'cat ctr.tar | peapod volume import my_vol -']
  static override args = {
    volume: Args.string({required: true, description: 'volume name'}),
    source: Args.string({description: 'tar file, or - for stdin'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(VolumeImport)
    const rt = await this.runtime(flags)
    const src = args.source ?? '-'
    if (src !== '-') {
      try {
        statSync(src)
      } catch (e) {
        throw new InvalidArgument(`open ${src}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`)
      }
    }
    await (await load.volumeArchive()).importVolume(rt, args.volume, src === '-' ? process.stdin : createReadStream(src))
  }
}
