import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {ExitCode, InvalidArgument, NoSuchVolume, VolumeInUse} from '../../libpod/index.js'

export default class VolumeRm extends BaseCommand {
  static override summary = 'Remove one or more volumes'
  static override description = 'By default only volumes that are not being used by any containers will be removed. To remove the volumes anyways, use the --force flag (the containers using them are removed first).\n\nExit status: 0 all removed; 1 a volume did not exist; 2 a volume is in use; 125 any other failure.'
  static override usage = 'volume rm [options] VOLUME [VOLUME...]'
  static override aliases = ['volume:remove']
  static override strict = false
  static override args = {volume: Args.string({description: 'volume name'})}
  static override flags = {
    all: Flags.boolean({char: 'a', description: 'Remove all volumes'}),
    force: Flags.boolean({char: 'f', description: 'Remove a volume by force, even if it is being used by a container'}),
    time: Flags.integer({char: 't', min: 0, description: 'Seconds to wait for running containers to stop before killing the container', default: 10}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(VolumeRm)
    const names = argv as string[]
    if (flags.all && names.length) throw new InvalidArgument('when using the --all switch, you may not pass any volume names')
    if (!flags.all && names.length === 0) throw new InvalidArgument('choose either one or more volumes or all')
    const rt = await this.runtime(flags)
    const targets = flags.all ? rt.volumes.list().map(v => v.name) : names
    const errors: Error[] = []
    for (const name of targets) {
      try {
        this.log(await rt.volume(name).remove({force: flags.force, timeout: flags.time}))
      } catch (e) {
        // -f: a volume that is not there is no failure (Podman).
        if (flags.force && e instanceof NoSuchVolume) continue
        errors.push(e as Error)
      }
    }
    if (errors.length === 0) return
    for (const e of errors) process.stderr.write(`Error: ${e.message}\n`)
    if (errors.some(e => e instanceof VolumeInUse)) throw new ExitCode(2)
    if (errors.every(e => e instanceof NoSuchVolume)) throw new ExitCode(1)
    throw new ExitCode(125)
  }
}
