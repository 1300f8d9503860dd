import {writeFileSync} from 'node:fs'
import {Flags} from '../cli/oclif.js'
import {BaseCommand} from '../cli/base-command.js'
import {InvalidArgument} from '../libpod/index.js'
import {writeOut} from '../cli/stdout.js'

export default class Completion extends BaseCommand {
  static override userNamespace = false
  static override summary = 'Generate shell autocompletions'
  static override description = 'Generate shell autocompletions.\nValid arguments are bash, zsh, fish and powershell. The scripts complete commands, flags and the names of containers, images, pods, volumes, networks and secrets (they ask `peapod __complete`).\nTo load them: bash: `source <(peapod completion bash)`; zsh: `peapod completion zsh -f "${fpath[1]}/_peapod"`; fish: `peapod completion fish | source`.'
  static override usage = 'completion [options] {bash|zsh|fish|powershell}'
  static override examples = ['peapod completion bash', 'peapod completion zsh -f _peapod', 'peapod completion fish --no-desc']
  static override strict = false
  static override flags = {
    file: Flags.string({char: 'f', description: 'Output the completion to file rather than stdout.'}),
    'no-desc': Flags.boolean({description: "Don't include descriptions in the completion output."}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Completion)
    const args = argv as string[]
    if (args.length !== 1) throw new InvalidArgument(`accepts 1 arg(s), received ${args.length}`)
    const {SCRIPTS} = await import('../cli/completion/scripts.js')
    const template = SCRIPTS[args[0]]
    if (!template) throw new InvalidArgument(`invalid argument ${JSON.stringify(args[0])} for "${this.config.bin} completion"`)
    const bin = this.config.bin
    let script = template.replace(/podman/g, bin).replace(/PODMAN/g, bin.toUpperCase())
    if (flags['no-desc']) script = script.replace(/ __complete /g, ' __completeNoDesc ')
    if (flags.file === undefined) {
      writeOut(script)
      return
    }
    try {
      writeFileSync(flags.file, script)
    } catch (e) {
      const err = e as NodeJS.ErrnoException
      throw new InvalidArgument(`open ${flags.file}: ${err.code === 'ENOENT' ? 'no such file or directory' : err.code === 'EACCES' ? 'permission denied' : err.message}`)
    }
  }
}
