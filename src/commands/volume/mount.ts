import {Args} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {InvalidArgument, load} from '../../libpod/index.js'

export default class VolumeMount extends BaseCommand {
  static override userNamespace = false // must fail outside `peapod unshare`, as Podman's does
  static override summary = 'Mount volume'
  static override description = 'Mount a volume and return the mountpoint. A volume created with mount options (-o type=, device=, o=) is mounted; rootless, only inside `peapod unshare`.'
  static override usage = 'volume mount NAME'
  static override examples = ['peapod volume mount myvol']
  static override strict = false
  static override args = {volume: Args.string({description: 'volume name'})}

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(VolumeMount)
    const args = argv as string[]
    const rt = await this.runtime(flags)
    const {checkMountNamespace} = await load.containerMount()
    checkMountNamespace(rt, 'volume mount')
    if (args.length !== 1) throw new InvalidArgument(`accepts 1 arg(s), received ${args.length}`)
    const {mountVolumeForUser} = await load.volumeMount()
    this.log(await mountVolumeForUser(rt, args[0]))
  }
}
