import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {parseKeyValues} from '../../cli/container-spec.js'

export default class VolumeCreate extends BaseCommand {
  static override summary = 'Create a new volume'
  static override description = 'Creates an empty volume and prepares it to be used. Options: --opt type=TYPE,device=DEVICE,o=OPTIONS mount the volume with `mount -t TYPE -o OPTIONS DEVICE` while a container uses it (o=uid=N,gid=N set its owner).'
  static override usage = 'volume create [options] [NAME]'
  static override examples = ['peapod volume create myvol', 'peapod volume create', 'peapod volume create --label foo=bar myvol']
  static override args = {name: Args.string({description: 'volume name (default: a random ID)'})}
  static override flags = {
    driver: Flags.string({description: 'Specify volume driver name', default: 'local'}),
    ignore: Flags.boolean({description: "Don't fail if volume already exists"}),
    label: Flags.string({char: 'l', multiple: true, multipleNonGreedy: true, description: 'Set metadata for a volume (default [])'}),
    opt: Flags.string({char: 'o', multiple: true, multipleNonGreedy: true, description: 'Set driver specific options (default [])'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(VolumeCreate)
    const rt = await this.runtime(flags)
    const {doc} = await rt.volumes.create({
      name: args.name,
      driver: flags.driver,
      labels: parseKeyValues(flags.label, 'label'),
      options: flags.opt ?? [],
      ignoreExisting: flags.ignore,
    })
    this.log(doc.name)
  }
}
