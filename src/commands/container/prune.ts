import {Flags} from '../../cli/oclif.js'
import {createInterface} from 'node:readline'
import {BaseCommand} from '../../cli/base-command.js'
import {PeapodError} from '../../libpod/index.js'

export default class ContainerPrune extends BaseCommand {
  static override summary = 'Remove all non running containers'
  static override description = 'Removes every container that is not running (created, initialized, stopped or exited), or those the filters select.'
  static override flags = {
    filter: Flags.string({multiple: true, multipleNonGreedy: true, description: "Provide filter values (e.g. 'label=<key>=<value>')"}),
    force: Flags.boolean({char: 'f', description: 'Do not prompt for confirmation.  The default is false'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(ContainerPrune)
    if (!flags.force) {
      process.stdout.write('WARNING! This will remove all non running containers.\nAre you sure you want to continue? [y/N] ')
      const answer = await readLine()
      if (answer === undefined) throw new PeapodError('EOF')
      if (!/^y(es)?$/i.test(answer.trim())) return
    }
    const rt = await this.runtime(flags)
    const {removed, errors} = await rt.pruneContainers(flags.filter ?? [])
    for (const id of removed) this.log(id)
    for (const e of errors.slice(0, -1)) process.stderr.write(`Error: ${e.message}\n`)
    if (errors.length) throw errors[errors.length - 1]
  }
}

/** One line of stdin, or undefined at end of input. */
function readLine(): Promise<string | undefined> {
  return new Promise(resolve => {
    const rl = createInterface({input: process.stdin})
    let got: string | undefined
    rl.once('line', l => {
      got = l
      rl.close()
    })
    rl.once('close', () => resolve(got))
  })
}
