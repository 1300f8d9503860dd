// peapod's base of oclif's Command: what @oclif/core 4.14's lib/command.js
// does for a command (_run, init, catch, finally, parse, log, logToStderr,
// warn, error, exit, jsonEnabled, the static defaults), on the light bundle
// (oclif's own parser, flags and errors: oclif-bundles.ts), so that a
// command run directly never evaluates the rest of oclif. The rarely taken
// branches that need the rest (DEBUG's logger, deprecation warnings, --json
// output, the spinner stop in catch) load it when taken. oclif's execute()
// runs these classes as its own (`new C(argv, config)._run()`), and
// `oclif manifest`/gen-man read the same statics. Typed as oclif's Command
// (src/cli/oclif.ts). test/unit/light-command.test.ts checks the parse
// against oclif's own Command on every command's flags.
import {inspect} from 'node:util'
import {fullOclif, light} from './oclif-bundles.js'
// (it also makes process.stdout swallow EPIPE, as lib/command.js does)
import {writeLine} from './stdout.js'

const {Errors, Parser, aggregateFlags, ux, Cache, util} = light
type Flags = Record<string, {deprecated?: unknown; deprecateAliases?: boolean; aliases?: string[]; charAliases?: string[]; name?: string; char?: string}>
interface Config {
  bin: string
  userAgent?: string
  theme?: {json?: unknown}
  scopedEnvVar?(k: string): string | undefined
  scopedEnvVarKeys(k: string): string[]
  scopedEnvVarKey(k: string): string
  runHook(event: string, opts: unknown): Promise<{successes?: {plugin: {root: string}; result: string[]}[]}>
}
type Ctor = typeof Command & {id?: string}

// Full oclif's internal modules (the light bundle's stubs use the same).
const internal = (key: string): Record<string, (...a: never[]) => never> => fullOclif().__m[key] as never

// The package's own name and version, as lib/command.js reads them.
const pjson = Cache.getInstance().get('@oclif/core') as {name: string; version: string}

export abstract class Command {
  static _base = `${pjson.name}@${pjson.version}`
  static aliases: string[] = []
  static args = {}
  static baseFlags: unknown
  static constraints: unknown
  static deprecateAliases: boolean | undefined
  static deprecationOptions: unknown
  static description: string | undefined
  static enableJsonFlag = false
  static examples: unknown
  static flags: unknown
  static hasDynamicHelp = false
  static help: string | undefined
  static hidden: boolean | undefined
  static hiddenAliases: string[] = []
  static id: string | undefined
  static plugin: unknown
  static pluginAlias: string | undefined
  static pluginName: string | undefined
  static pluginType: string | undefined
  static state: string | undefined
  static strict = true
  static summary: string | undefined
  static usage: unknown

  argv: string[]
  config: Config
  debug: (...args: unknown[]) => void
  id: string | undefined
  parsed = false

  constructor(argv: string[], config: Config) {
    this.argv = argv
    this.config = config
    this.id = this.ctor.id
    // oclif's makeDebug is the `debug` package's, enabled by DEBUG only.
    try {
      this.debug = process.env.DEBUG
        ? internal('logger.js').makeDebug((this.id ? `${this.config.bin}:${this.id}` : this.config.bin) as never)
        : () => {}
    } catch {
      this.debug = () => {}
    }
  }

  /** Not used by peapod (oclif's execute() or cli/direct.ts run commands): oclif's. */
  static async run(argv?: string[], opts?: unknown): Promise<unknown> {
    const Oclif = fullOclif().Command as unknown as {run: (this: unknown, argv?: string[], opts?: unknown) => Promise<unknown>}
    return Oclif.run.call(this, argv, opts)
  }

  get ctor(): Ctor {
    return this.constructor as Ctor
  }

  async _run(): Promise<unknown> {
    let err: unknown
    let result: unknown
    try {
      this.removeEnvVar('REDIRECTED')
      await this.init()
      result = await this.run()
    } catch (error) {
      err = error
      await this.catch(error as Error)
    } finally {
      await this.finally(err as Error)
    }
    if (result && this.jsonEnabled()) this.logJson(this.toSuccessJson(result))
    if (!this.parsed && !util.isProd()) {
      process.emitWarning(`Command ${this.id} did not parse its arguments. Did you forget to call 'this.parse'?`, {code: 'UnparsedCommand'})
    }
    return result
  }

  abstract run(): Promise<unknown>

  protected async catch(err: Error & {exitCode?: number}): Promise<unknown> {
    process.exitCode = process.exitCode ?? err.exitCode ?? 1
    if (this.jsonEnabled()) {
      this.logJson(this.toErrorJson(err))
    } else {
      if (!err.message) throw err
      try {
        const {ux: u} = fullOclif() as unknown as {ux: {action: {stop(s: string): void}; colorize(c: string, s: string): string}}
        u.action.stop(u.colorize('bold', u.colorize('red', '!')))
      } catch {}
      throw err
    }
    return undefined
  }

  error(input: string | Error, options: Record<string, unknown> = {}): never {
    return Errors.error(input, options as never) as never
  }

  exit(code = 0): never {
    return Errors.exit(code)
  }

  protected async finally(_: Error | undefined): Promise<unknown> {
    return undefined
  }

  protected async init(): Promise<unknown> {
    this.debug('init version: %s argv: %o', this.ctor._base, this.argv)
    const g = globalThis as unknown as Record<string, Record<string, unknown>>
    g['http-call'] = g['http-call'] || {}
    g['http-call'].userAgent = this.config.userAgent
    this.warnIfCommandDeprecated()
    return undefined
  }

  jsonEnabled(): boolean {
    if (!this.ctor?.enableJsonFlag) return false
    if (this.config.scopedEnvVar?.('CONTENT_TYPE')?.toLowerCase() === 'json') return true
    const passThroughIndex = this.argv.indexOf('--')
    const jsonIndex = this.argv.indexOf('--json')
    return passThroughIndex === -1 ? jsonIndex !== -1 : jsonIndex !== -1 && jsonIndex < passThroughIndex
  }

  log(message: unknown = '', ...args: unknown[]): void {
    if (!this.jsonEnabled()) {
      message = typeof message === 'string' ? message : inspect(message)
      // (as oclif's ux.stdout, without creating process.stdout: cli/stdout.ts)
      writeLine(...(message ? [message, ...args] : args))
    }
  }

  logJson(json: unknown): void {
    const u = fullOclif().ux as unknown as {colorizeJson(j: unknown, o: unknown): string}
    writeLine(u.colorizeJson(json, {pretty: true, theme: this.config.theme?.json}))
  }

  logToStderr(message: unknown = '', ...args: unknown[]): void {
    if (!this.jsonEnabled()) {
      message = typeof message === 'string' ? message : inspect(message)
      ux.stderr(message as string, ...args)
    }
  }

  protected async parse(options?: Record<string, unknown>, argv = this.argv): Promise<unknown> {
    if (!options) options = this.ctor as never
    const opts = {
      context: this,
      ...options,
      flags: aggregateFlags(options!.flags, options!.baseFlags, options!.enableJsonFlag),
      // oclif fills a missing argument from piped stdin; Podman never does
      // (`echo x | podman inspect` says no names were given), and a command
      // in a pipeline must not eat the pipe or wait on it.
      args: Object.fromEntries(Object.entries((options!.args ?? {}) as Record<string, object>).map(([k, a]) => [k, {...a, ignoreStdin: true}])),
    }
    const hookResult = await this.config.runHook('preparse', {argv: [...argv], options: opts})
    const argvToParse = hookResult.successes?.length
      ? (hookResult.successes.find(s => s.plugin.root === (Cache.getInstance().get('rootPlugin') as {root?: string} | undefined)?.root)?.result ?? argv)
      : argv
    this.argv = [...argvToParse]
    const results = await Parser.parse(argvToParse, opts as never) as {flags?: Record<string, unknown>}
    this.warnIfFlagDeprecated(results.flags ?? {})
    this.parsed = true
    return results
  }

  protected toErrorJson(err: unknown): unknown {
    if (err instanceof Error) return {error: {...err, message: err.message, name: err.name}}
    return {error: err}
  }

  protected toSuccessJson(result: unknown): unknown {
    return result
  }

  warn(input: string | Error): string | Error {
    if (!this.jsonEnabled()) Errors.warn(input)
    return input
  }

  protected warnIfCommandDeprecated(): void {
    const {ctor} = this
    // Only these two need oclif's help utilities (the full bundle).
    if (!(ctor.deprecateAliases || ctor.state === 'deprecated')) return
    const {normalizeArgv, formatCommandDeprecationWarning} = internal('help/util.js')
    const {toConfiguredId} = internal('util/ids.js')
    const [id] = normalizeArgv(this.config as never) as string[]
    if (ctor.deprecateAliases && [...ctor.aliases, ...ctor.hiddenAliases].includes(id)) {
      const cmdName = toConfiguredId(ctor.id as never, this.config as never)
      const aliasName = toConfiguredId(id as never, this.config as never)
      this.warn(formatCommandDeprecationWarning(aliasName, {to: cmdName} as never))
    }
    if (ctor.state === 'deprecated') {
      const cmdName = toConfiguredId(ctor.id as never, this.config as never)
      this.warn(formatCommandDeprecationWarning(cmdName, ctor.deprecationOptions as never))
    }
  }

  protected warnIfFlagDeprecated(flags: Record<string, unknown>): void {
    const allFlags = aggregateFlags(this.ctor.flags, this.ctor.baseFlags, this.ctor.enableJsonFlag) as Flags
    for (const flag of Object.keys(flags)) {
      const flagDef = allFlags[flag]
      const deprecated = flagDef?.deprecated
      if (deprecated) this.warn(internal('help/util.js').formatFlagDeprecationWarning(flag as never, deprecated as never))
      const deprecateAliases = flagDef?.deprecateAliases
      if (deprecateAliases) {
        const aliases = util.uniq([...(flagDef?.aliases ?? []), ...(flagDef?.charAliases ?? [])]).map(a => a.length === 1 ? `-${a}` : `--${a}`)
        if (aliases.length === 0) return
        const foundAliases = aliases.filter(alias => this.argv.includes(alias))
        for (const alias of foundAliases) {
          let preferredUsage = `--${flagDef?.name}`
          if (flagDef?.char) preferredUsage += ` | -${flagDef?.char}`
          this.warn(internal('help/util.js').formatFlagDeprecationWarning(alias as never, {to: preferredUsage} as never))
        }
      }
    }
  }

  protected removeEnvVar(envVar: string): void {
    const keys: string[] = []
    try {
      keys.push(...this.config.scopedEnvVarKeys(envVar))
    } catch {
      keys.push(this.config.scopedEnvVarKey(envVar))
    }
    keys.map(key => delete process.env[key])
  }
}
