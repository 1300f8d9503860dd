import {Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {ExitCode, load} from '../../libpod/index.js'

export default class SystemCheck extends BaseCommand {
  static override summary = 'Check storage consistency'
  static override description = 'Checks the store for what an interrupted command can leave: orphaned layers and temporary files, containers whose layers are gone, dangling name reservations, stale locks, containers marked running with no monitor, pods with missing infra containers, volumes whose directory is missing, networks still set up (netns, firewall rules, helpers) for containers that are gone. Prints one line per problem; exits 125 when a problem remains (not repaired).'
  static override flags = {
    force: Flags.boolean({char: 'f', description: 'With --repair, also remove containers whose layers are damaged (their data is lost)'}),
    repair: Flags.boolean({char: 'r', description: 'Remove or fix what is found: orphaned layers, dangling reservations, stale locks; damaged containers only with --force'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(SystemCheck)
    const rt = await this.runtime(flags)
    const {systemCheck} = await load.check()
    const found = await systemCheck(rt, {repair: flags.repair, force: flags.force})
    for (const f of found) this.log(`${f.repaired ? 'Repaired ' : ''}${f.kind}: ${f.id}${f.detail ? ` (${f.detail})` : ''}`)
    const left = found.filter(f => !f.repaired)
    if (left.length === 0) return
    process.stderr.write(`Error: ${left.length} problem${left.length === 1 ? '' : 's'} found in the store${flags.repair ? '' : ': run system check --repair to fix'}\n`)
    throw new ExitCode(125)
  }
}
