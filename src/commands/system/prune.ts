import {Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {confirm} from '../../cli/confirm.js'
import {load} from '../../libpod/index.js'

export default class SystemPrune extends BaseCommand {
  static override summary = 'Remove unused data'
  static override description = 'Removes every pod and container that is not running, the networks no container uses, the dangling images (-a: every unused image) and, with --volumes, the volumes no container uses.'
  static override flags = {
    all: Flags.boolean({char: 'a', description: 'Remove all unused data'}),
    filter: Flags.string({multiple: true, multipleNonGreedy: true, description: "Provide filter values (e.g. 'label=<key>=<value>')"}),
    force: Flags.boolean({char: 'f', description: 'Do not prompt for confirmation.  The default is false'}),
    volumes: Flags.boolean({description: 'Prune volumes'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(SystemPrune)
    const rt = await this.runtime(flags)
    if (!flags.force) {
      const what = ['all pods not running', 'all stopped containers', 'all networks not used by at least one container',
        ...flags.volumes ? ['all volumes not used by at least one container'] : [],
        flags.all ? 'all images without at least one container associated with them' : 'all dangling images', 'all dangling build cache']
      if (!await confirm(`WARNING! This command removes:\n${what.map(w => `\t- ${w}\n`).join('')}\nAre you sure you want to continue? [y/N] `)) return
    }
    const sys = await load.system()
    const rep = await sys.systemPrune(rt, {all: flags.all, volumes: flags.volumes, filters: flags.filter})
    const section = (title: string, items: string[]) => {
      if (items.length) this.log(`${title}\n${items.join('\n')}`)
    }
    section('Deleted Pods', rep.pods)
    section('Deleted Containers', rep.containers)
    section('Deleted Networks', rep.networks)
    if (flags.volumes) section('Deleted Volumes', rep.volumes)
    section('Deleted Images', rep.images)
    const {dfSize} = await import('../../cli/df-format.js')
    this.log(`Total reclaimed space: ${dfSize(rep.reclaimed)}`)
    for (const e of rep.errors) process.stderr.write(`Error: ${e.message}\n`)
    if (rep.errors.length) this.exit(125)
  }
}
