import {Args, Flags} from '../../../cli/oclif.js'
import {BaseCommand} from '../../../cli/base-command.js'
import {InvalidArgument, load, tabwrite} from '../../../libpod/index.js'
import {writeOut} from '../../../cli/stdout.js'

export default class ImageTrustShow extends BaseCommand {
  static override userNamespace = false
  static override summary = 'Display trust policy for the system'
  static override description = 'Display trust policy for the system: the policy.json that pull honours (rootless ~/.config/containers/policy.json when it exists, else /etc/containers/policy.json).'
  static override usage = 'image trust show [options] [REGISTRY]'
  static override strict = false
  static override args = {registry: Args.string({description: 'registry (accepted as Podman does; the whole policy is shown)'})}
  static override flags = {
    json: Flags.boolean({char: 'j', description: 'Output as json'}),
    noheading: Flags.boolean({char: 'n', description: 'Do not print column headings'}),
    raw: Flags.boolean({description: 'Output raw policy file'}),
    policypath: Flags.string({hidden: true, description: 'Path to the policy.json file'}),
    registrypath: Flags.string({hidden: true, description: 'Path to the registries.d directory (unused: no lookaside stores)'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ImageTrustShow)
    const args = argv as string[]
    if (args.length > 1) throw new InvalidArgument(`accepts at most 1 arg(s), received ${args.length}`)
    if (flags.raw && flags.json) throw new InvalidArgument('--raw and --json cannot be used together')
    const {showTrust} = await load.trust()
    const {raw, rows} = showTrust(flags.policypath)
    if (flags.raw) {
      writeOut(raw.endsWith('\n') ? raw : raw + '\n')
      return
    }
    // Podman 4.3.1 takes REGISTRY but shows the whole policy all the same.
    const shown = rows
    if (flags.json) {
      this.log(JSON.stringify(shown, null, 2))
      return
    }
    const lines = shown.map(r => `${r.transport}\t${r.repo_name}\t${r.type}\t${r.gpg_id ?? ''}\t${r.sigstore ?? ''}`)
    if (!flags.noheading) lines.unshift('TRANSPORT\tNAME\tTYPE\tID\tSTORE')
    writeOut(tabwrite(lines).map(l => l + '\n').join(''))
  }
}
