// What bin/run.js decides before oclif loads (it costs ~35 ms): which command
// argv names, whether that command runs inside the rootless user namespace
// (each command class says so: `static userNamespace`), and the log level.
// Kept free of oclif and of the engine so the launcher stays cheap.
import {existsSync, readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {GLOBALS_ENV} from './argv.js'

/** What the launcher needs to know of one command (from the oclif manifest). */
export interface CommandEntry {
  id: string
  aliases?: string[]
  hiddenAliases?: string[]
  /** Takes positional arguments (then later words are arguments, not a subcommand). */
  takesArgs: boolean
  /** Runs inside peapod's rootless user namespace (the command's `static userNamespace`). */
  userNamespace: boolean
  /** The command's module, relative to the package root (direct.ts loads it). */
  path?: string
}

/** Commands by id (`container:list`), as scripts/gen-command-index.js writes them. */
export type CommandIndex = Record<string, CommandEntry>

interface ManifestCommand {
  id: string
  aliases?: string[]
  hiddenAliases?: string[]
  strict?: boolean
  args?: Record<string, unknown>
  userNamespace?: boolean
  relativePath?: string[]
}

/**
 * The launcher's index from oclif.manifest.json (oclif copies a command's
 * own extra static properties, such as `userNamespace`, into it). A command
 * that does not set it inherits BaseCommand's default: inside.
 */
export function indexFromManifest(manifest: {commands: Record<string, ManifestCommand>}): CommandIndex {
  const out: CommandIndex = {}
  for (const c of Object.values(manifest.commands)) {
    out[c.id] = {
      id: c.id,
      ...(c.aliases?.length ? {aliases: c.aliases} : {}),
      ...(c.hiddenAliases?.length ? {hiddenAliases: c.hiddenAliases} : {}),
      takesArgs: c.strict === false || Object.keys(c.args ?? {}).length > 0,
      userNamespace: c.userNamespace !== false,
      ...(c.relativePath ? {path: c.relativePath.join('/')} : {}),
    }
  }
  return out
}

const INDEX_FILE = fileURLToPath(new URL('./command-index.json', import.meta.url))
const MANIFEST_FILE = fileURLToPath(new URL('../../oclif.manifest.json', import.meta.url))

/**
 * The built index (dist/cli/command-index.json, ~8 KB), else the manifest
 * itself (380 KB: ~2 ms more to parse), else nothing (an unbuilt tree).
 */
export function loadCommandIndex(): CommandIndex {
  if (existsSync(INDEX_FILE)) return JSON.parse(readFileSync(INDEX_FILE, 'utf8')) as CommandIndex
  if (existsSync(MANIFEST_FILE)) return indexFromManifest(JSON.parse(readFileSync(MANIFEST_FILE, 'utf8')))
  return {}
}

/**
 * The command argv names and how many words name it, resolved as oclif does
 * with topicSeparator ' ' (help/util.js collateSpacedCmdIDFromArgs): the
 * longest run of leading words that are a command, an alias or a topic,
 * stopping at a flag or once the command so far takes arguments.
 */
export function resolveCommand(argv: string[], index: CommandIndex): {entry: CommandEntry; words: number} | undefined {
  if (argv.length === 0) return undefined
  // Looked up in place, not through a map of every name built first (~1 M
  // instructions of every command): an id wins over an alias, and of two
  // commands with the same alias the first in the index.
  const entries = Object.values(index)
  const byName = (id: string): CommandEntry | undefined =>
    Object.hasOwn(index, id) ? index[id] : entries.find(c => c.aliases?.includes(id) || c.hiddenAliases?.includes(id))
  // A run of words is usable when it names a command or a topic (the start of one).
  const usable = (id: string): boolean => {
    if (byName(id)) return true
    const topic = id + ':'
    const under = (n: string): boolean => n.startsWith(topic)
    return entries.some(c => under(c.id) || c.aliases?.some(under) || c.hiddenAliases?.some(under))
  }
  let words: string[]
  if (argv.length === 1) {
    words = [argv[0]]
  } else {
    words = []
    for (const arg of argv) {
      if (usable([...words, arg].join(':'))) words.push(arg)
      else if (arg.includes('=') || arg.startsWith('-') || (words.length > 0 && byName(words.join(':'))?.takesArgs)) break
      else words.push(arg)
    }
  }
  const entry = byName(words.join(':'))
  return entry ? {entry, words: words.length} : undefined
}

/**
 * Whether argv's command must run inside the rootless user namespace. Help,
 * no command and unknown commands (oclif prints help or an error) do not.
 */
export function needsUserNamespace(argv: string[], index: CommandIndex): boolean {
  if (argv.includes('--help') || (argv.includes('-h') && argv.length <= 2)) return false
  return resolveCommand(argv, index)?.entry.userNamespace ?? false
}

/** logrus's levels, the ones --log-level accepts (case-insensitive, as logrus.ParseLevel). */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'warning', 'error', 'fatal', 'panic']

/** Podman's complaint about a bad --log-level (printed as is, exit 1), or undefined when valid. */
export function logLevelError(level: string): string | undefined {
  if (LOG_LEVELS.includes(level.toLowerCase())) return undefined
  return `Log Level ${JSON.stringify(level)} is not supported, choose from: ${LOG_LEVELS.join(', ')}`
}

/**
 * The --log-level in force: given after the command (before its first
 * positional argument, where run's container command may start), else
 * lifted from before it (PEAPOD_GLOBAL_FLAGS), else --debug's.
 */
export function logLevelOf(argv: string[], index: CommandIndex): string | undefined {
  let level: string | undefined
  if (argv.some(a => a.startsWith('--log-level'))) {
    const start = resolveCommand(argv, index)?.words ?? 0
    for (let i = start; i < argv.length; i++) {
      const a = argv[i]
      if (a === '--' || !a.startsWith('-')) break
      if (a.startsWith('--log-level=')) level = a.slice('--log-level='.length)
      else if (a === '--log-level' && i + 1 < argv.length) level = argv[++i]
    }
  }
  if (level !== undefined) return level
  const lifted = JSON.parse(process.env[GLOBALS_ENV] || '{}') as Record<string, unknown>
  if (typeof lifted['log-level'] === 'string') return lifted['log-level']
  return lifted.debug ? 'debug' : undefined
}
