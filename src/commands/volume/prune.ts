import {Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {confirm} from '../../cli/confirm.js'

export default class VolumePrune extends BaseCommand {
  static override summary = 'Remove all unused volumes'
  static override description = 'Volumes that are not currently owned by a container will be removed.\n\nThe command prompts for confirmation which can be overridden with the --force flag.\nNote all data will be destroyed.'
  static override flags = {
    filter: Flags.string({multiple: true, multipleNonGreedy: true, description: "Provide filter values (e.g. 'label=<key>=<value>')"}),
    force: Flags.boolean({char: 'f', description: 'Do not prompt for confirmation'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(VolumePrune)
    const rt = await this.runtime(flags)
    if (!flags.force) {
      const names = await rt.volumePruneCandidates(flags.filter ?? [])
      const list = names.length ? names.join('\n') + '\n' : ''
      if (!(await confirm(`WARNING! This will remove all volumes not used by at least one container. The following volumes will be removed:\n${list}Are you sure you want to continue? [y/N] `))) return
    }
    for (const name of await rt.pruneVolumes(flags.filter ?? [])) this.log(name)
  }
}
