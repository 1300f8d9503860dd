import {Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {InvalidArgument} from '../../libpod/index.js'

export default class PodPrune extends BaseCommand {
  static override summary = 'Remove all stopped pods and their containers'
  static override flags = {
    force: Flags.boolean({char: 'f', description: 'Do not prompt for confirmation.  The default is false'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(PodPrune)
    if (!flags.force) {
      if (!process.stdin.isTTY) throw new InvalidArgument('pod prune needs --force when not run from a terminal')
      process.stdout.write('WARNING! This will remove all stopped/exited pods..\nAre you sure you want to continue? [y/N] ')
      const answer = await new Promise<string>(resolve => process.stdin.once('data', d => resolve(String(d))))
      process.stdin.pause()
      if (!/^y(es)?$/i.test(answer.trim())) return
    }
    const rt = await this.runtime(flags)
    const {removed, errors} = await rt.prunePods()
    for (const id of removed) this.log(id)
    for (const e of errors.slice(0, -1)) process.stderr.write(`Error: ${e.message}\n`)
    if (errors.length) throw errors[errors.length - 1]
  }
}
