import {BaseCommand} from '../cli/base-command.js'
import {GLOBALS_ENV} from '../cli/argv.js'
import {complete, renderCompletion, type CommandInfo, type FlagInfo, type NameSource} from '../cli/completion/complete.js'
import {load, type Runtime} from '../libpod/index.js'
import {writeOut} from '../cli/stdout.js'

/**
 * The hidden request of the completion scripts: `peapod __complete WORDS...`
 * (cobra's protocol, as Podman's scripts call it). Never fails: a completion
 * that cannot read the store offers no names.
 */
export default class Complete extends BaseCommand {
  static override userNamespace = false
  static override hidden = true
  static override summary = 'Request shell completions (used by the completion scripts)'
  static override aliases = ['__complete', '__completeNoDesc']
  static override strict = false

  // The words are the user's command line, flags and all: nothing here parses them.
  override async init(): Promise<void> {}

  async run(): Promise<void> {
    const words = [...this.argv]
    const typed = process.argv.slice(2)
    const descriptions = !typed.includes('__completeNoDesc')
    const commands = this.config.commands as unknown as CommandInfo[]
    const base = BaseCommand.baseFlags as unknown as Record<string, FlagInfo>
    const globals = Object.entries(base).map(([name, f]) => ({...f, name, type: (f as {type: string}).type}))
    // Global flags on the line being completed choose the store whose names are offered.
    const opts: Record<string, string> = {}
    for (let i = 0; i < words.length - 1; i++) {
      const m = /^--(root|runroot|storage-driver)(?:=(.*))?$/.exec(words[i])
      if (m) opts[m[1]] = m[2] ?? words[++i]
    }
    const topics = this.config.topics.reduce((m, t) => ({...m, [t.name]: {description: t.description}}), {} as Record<string, {description?: string}>)
    // The store is opened only when the answer has names in it: commands, flags, filter keys, signals and the like need none.
    let rt: Runtime | undefined
    let names: Awaited<ReturnType<typeof load.names>> | undefined
    let wanted = false
    const lookup: NameSource = (kind, prefix, statuses, match) => {
      if (!names) {
        wanted = true
        return []
      }
      try {
        return names.completionNames(rt!, {kind, prefix, statuses, match})
      } catch {
        return []
      }
    }
    let result = complete(words, commands, topics, globals, lookup)
    if (wanted) {
      try {
        if (Object.keys(opts).length) process.env[GLOBALS_ENV] = JSON.stringify({...JSON.parse(process.env[GLOBALS_ENV] || '{}'), ...opts})
        rt = await this.runtime({})
        names = await load.names()
        result = complete(words, commands, topics, globals, lookup)
      } catch {
        // no store yet: no names
      }
    }
    writeOut(renderCompletion(result, descriptions))
    const bits = ['ShellCompDirectiveError', 'ShellCompDirectiveNoSpace', 'ShellCompDirectiveNoFileComp']
    const named = bits.filter((_, i) => result.directive & (1 << i))
    process.stderr.write(`Completion ended with directive: ${named.length ? named.join(', ') : 'ShellCompDirectiveDefault'}\n`)
  }
}
