import {createInterface} from 'node:readline'
import {Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'

export default class NetworkPrune extends BaseCommand {
  static override summary = 'Prune unused networks'
  static override description = 'Remove all networks no container uses (the default network is never removed).'
  static override flags = {
    filter: Flags.string({multiple: true, multipleNonGreedy: true, description: "Provide filter values (e.g. 'label=<key>=<value>', 'until=24h')"}),
    force: Flags.boolean({char: 'f', description: 'do not prompt for confirmation'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(NetworkPrune)
    const rt = await this.runtime(flags)
    if (!flags.force) {
      process.stdout.write('WARNING! This will remove all networks not used by at least one container.\nAre you sure you want to continue? [y/N] ')
      const rl = createInterface({input: process.stdin})
      const answer = await new Promise<string>(resolve => {
        rl.once('line', resolve)
        rl.once('close', () => resolve(''))
      })
      rl.close()
      if (!/^y(es)?$/i.test(answer.trim())) return
    }
    for (const name of await rt.pruneNetworks(flags.filter ?? [])) this.log(name)
  }
}
