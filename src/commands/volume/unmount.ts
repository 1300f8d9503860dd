import {Args} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {InvalidArgument, load} from '../../libpod/index.js'

export default class VolumeUnmount extends BaseCommand {
  static override summary = 'Unmount volume'
  static override description = 'Unmount a volume mounted with `volume mount` (one a container still uses stays mounted).'
  static override usage = 'volume unmount NAME'
  static override examples = ['peapod volume unmount myvol']
  static override aliases = ['volume:umount']
  static override strict = false
  static override args = {volume: Args.string({description: 'volume name'})}

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(VolumeUnmount)
    const args = argv as string[]
    if (args.length !== 1) throw new InvalidArgument(`accepts 1 arg(s), received ${args.length}`)
    const rt = await this.runtime(flags)
    const {unmountVolumeForUser} = await load.volumeMount()
    this.log(await unmountVolumeForUser(rt, args[0]))
  }
}
