// Running a command the way oclif's execute() does, without its Config.load
// (~30 ms of CPU: it reads the whole 380 KB manifest, registers 115 commands
// and their aliases, and looks for plugins): bin/run.js has already found
// the command in the build's index, as oclif would (launcher.ts
// resolveCommand, checked against oclif's own resolution by a unit test).
// The Config it hands the command is a light one (LightConfig), filled from
// package.json with what a command reads of it: root, bin, name, version,
// userAgent and hooks (peapod declares none). Help, --version, no command
// and unknown commands stay with execute(), which renders them.
import {readFileSync} from 'node:fs'
import {arch} from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import type {Command} from './oclif.js'
import type {CommandEntry} from './launcher.js'
import {stdoutCreated} from './stdout.js'

interface PackageJson {
  name: string
  version: string
  oclif: {bin?: string; dirname?: string; hooks?: Record<string, unknown>; plugins?: string[]; topicSeparator?: string; additionalHelpFlags?: string[]; additionalVersionFlags?: string[]}
}

/**
 * Whether execute() would run argv's command itself, with nothing of the
 * config but the command (no help, no --version, no hook of any plugin).
 */
export function canRunDirectly(argv: string[], pjson: PackageJson): boolean {
  const o = pjson.oclif
  if (o.hooks && Object.keys(o.hooks).length) return false
  if (o.additionalHelpFlags?.length || o.additionalVersionFlags?.length || o.topicSeparator !== ' ') return false
  if (argv.length === 0 || argv[0] === '--version') return false
  // Shell completion answers from the whole command table, which only a loaded config has.
  if (argv[0].startsWith('__complete')) return false
  const end = argv.indexOf('--')
  return !(end === -1 ? argv : argv.slice(0, end)).includes('--help')
}

/**
 * The Config a command run directly gets, for ROOT, from package.json only
 * (see above): what oclif's loaded Config has of what a command and
 * command.ts read (checked against it by test/unit/direct-dispatch.test.ts),
 * without evaluating oclif's Config class (the full bundle).
 */
export function lightConfig(root: string, pjson: PackageJson): LightConfig {
  return new LightConfig(root, pjson)
}

export class LightConfig {
  readonly root: string
  readonly pjson: PackageJson
  readonly name: string
  readonly version: string
  readonly channel = 'stable'
  readonly valid = true
  readonly arch: string
  readonly platform = process.platform
  readonly windows = false
  readonly bin: string
  readonly binAliases: string[] | undefined = undefined
  readonly dirname: string
  readonly topicSeparator = ' '
  readonly flexibleTaxonomy = false
  readonly userAgent: string
  readonly rootPlugin: Record<string, unknown>
  readonly plugins: Map<string, unknown>

  constructor(root: string, pjson: PackageJson) {
    const a = arch() === 'ia32' ? 'x86' : arch()
    this.root = root
    this.pjson = pjson
    this.name = pjson.name
    this.version = pjson.version
    this.arch = a
    this.bin = pjson.oclif.bin || pjson.name
    this.dirname = pjson.oclif.dirname || pjson.name
    this.userAgent = `${pjson.name}/${pjson.version} ${process.platform}-${a} node-${process.version}`
    this.rootPlugin = {name: pjson.name, alias: '.', root, pjson, hooks: {}, commands: [], topics: [], valid: true, type: 'core', isRoot: true}
    this.plugins = new Map([[pjson.name, this.rootPlugin]])
  }

  // oclif's Config methods, as it defines them.
  scopedEnvVar(k: string): string | undefined {
    return process.env[this.scopedEnvVarKeys(k).find(k => process.env[k])!]
  }

  scopedEnvVarKey(k: string): string {
    return [this.bin, k].map(p => p.replaceAll('@', '').replaceAll(/[/-]/g, '_')).join('_').toUpperCase()
  }

  scopedEnvVarKeys(k: string): string[] {
    return [this.bin, ...(this.binAliases ?? [])].filter(Boolean).map(alias => [alias.replaceAll('@', '').replaceAll(/[/-]/g, '_'), k].join('_').toUpperCase())
  }

  scopedEnvVarTrue(k: string): boolean {
    const v = this.scopedEnvVar(k)
    return v === '1' || v === 'true'
  }

  /** No hooks (canRunDirectly checked): oclif's answer for none. */
  async runHook(): Promise<{successes: never[]; failures: never[]}> {
    return {successes: [], failures: []}
  }
}

/**
 * Runs ENTRY's command on ARGS (what follows its name), then flushes and
 * handles errors as execute() does. LOAD loads the command's module (the
 * bundle has its own table of them).
 */
export async function runDirectly(root: string, pjson: PackageJson, entry: CommandEntry & {path: string}, args: string[],
  load: (modulePath: string) => Promise<unknown> = p => import(pathToFileURL(path.join(root, p)).href)): Promise<void> {
  const {flush, handle} = await import('./oclif.js')
  try {
    const config = lightConfig(root, pjson)
    const mod = await load(entry.path) as {default: typeof Command}
    const Cmd = mod.default as typeof Command & {id?: string; plugin?: unknown; isESM?: boolean; relativePath?: string[]}
    Cmd.id ??= entry.id
    Cmd.plugin = (config as unknown as {rootPlugin: never}).rootPlugin
    Cmd.isESM = true
    Cmd.relativePath = entry.path.split('/')
    const cmd = new (Cmd as unknown as new (argv: string[], config: unknown) => InstanceType<typeof Command> & {_run(): Promise<unknown>})(args, config)
    await cmd._run()
    // (oclif's flush waits on process.stdout, which it would create)
    if (stdoutCreated()) flush()
  } catch (e) {
    await handle(e as Error)
  }
  exitIfIdle()
}

/**
 * Ends the process now when the command has left nothing to wait for (no
 * handle, request or timer, no beforeExit listener), which is what Node
 * would do after one more turn of its event loop. That turn runs only V8's
 * pending tasks, such as a young-generation scavenge scheduled during the
 * command, and the natural exit then frees the heap: 3-6 M instructions
 * of a 125-135 M `ps -a`, `pod ps` or `images` that had a scavenge pending
 * (callgrind); nothing measurable where none was.
 * process.exit() still emits 'exit' and keeps process.exitCode.
 */
function exitIfIdle(): void {
  if (process.getActiveResourcesInfo().length === 0 && process.listenerCount('beforeExit') === 0) process.exit()
}

/** package.json of ROOT. */
export function readPackageJson(root: string): PackageJson {
  return JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as PackageJson
}
