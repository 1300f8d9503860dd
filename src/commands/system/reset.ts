import {Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {confirm} from '../../cli/confirm.js'
import {load} from '../../libpod/index.js'

export default class SystemReset extends BaseCommand {
  static override summary = 'Reset podman storage'
  static override description = 'Reset podman storage back to default state: every container, pod, image, network and volume is removed, then the store and run directories and, rootless, the pause process that holds the user namespace.'
  static override flags = {
    force: Flags.boolean({char: 'f', description: 'Do not prompt for confirmation'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(SystemReset)
    const rt = await this.runtime(flags)
    if (!flags.force) {
      const what = ['all containers', 'all pods', 'all images', 'all networks', 'all build cache', 'all machines', 'all volumes']
      if (!await confirm(`WARNING! This will remove:\n${what.map(w => `        - ${w}\n`).join('')}Are you sure you want to continue? [y/N] `)) return
    }
    const errors = await (await load.system()).systemReset(rt)
    for (const e of errors) process.stderr.write(`Error: ${e.message}\n`)
    if (errors.length) this.exit(125)
  }
}
