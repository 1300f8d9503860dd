// Argument pre-processing done before oclif parses anything.

/** Podman's global flags that take a value, usable before the command name. */
export const GLOBAL_VALUE_FLAGS = [
  'root', 'runroot', 'storage-driver', 'storage-opt', 'runtime', 'log-level', 'cgroup-manager',
  'tmpdir', 'events-backend', 'network-backend', 'conmon', 'network-cmd-path', 'hooks-dir',
  'volumepath', 'runtime-flag', 'network-config-dir', 'url', 'connection', 'identity',
]
/** Global value flags that may be given more than once (a list). */
export const GLOBAL_LIST_FLAGS = ['storage-opt', 'runtime-flag', 'hooks-dir']
/** Global boolean flags. */
export const GLOBAL_BOOL_FLAGS = ['syslog', 'debug', 'noout', 'remote']

export const GLOBALS_ENV = 'PEAPOD_GLOBAL_FLAGS'

/**
 * Moves global flags that precede the command (`--root X images`) into the
 * env (PEAPOD_GLOBAL_FLAGS, JSON) where the base command picks them up, and
 * returns the rest. Flags after the command are left for oclif to parse.
 */
export function liftGlobalFlags(argv: string[]): string[] {
  const globals: Record<string, string | string[] | boolean> = JSON.parse(process.env[GLOBALS_ENV] || '{}')
  let i = 0
  for (; i < argv.length; i++) {
    const a = argv[i]
    if (!a.startsWith('--') || a === '--') break
    const eq = a.indexOf('=')
    const name = a.slice(2, eq === -1 ? undefined : eq)
    if (GLOBAL_VALUE_FLAGS.includes(name)) {
      let value: string
      if (eq !== -1) value = a.slice(eq + 1)
      else {
        if (i + 1 >= argv.length) break
        value = argv[++i]
      }
      if (GLOBAL_LIST_FLAGS.includes(name)) globals[name] = [...((globals[name] as string[]) ?? []), value]
      else globals[name] = value
    } else if (GLOBAL_BOOL_FLAGS.includes(name)) {
      globals[name] = true
    } else break
  }
  if (i > 0) process.env[GLOBALS_ENV] = JSON.stringify(globals)
  return argv.slice(i)
}

/**
 * The command line as the user typed it (after the program), global flags
 * included: a rootless command re-executed in the user namespace gets it
 * from PEAPOD_ARGV. Recorded as CreateCommand (generate systemd --new replays it).
 */
export function originalArgv(): string[] {
  return process.env.PEAPOD_ARGV ? JSON.parse(process.env.PEAPOD_ARGV) as string[] : process.argv.slice(2)
}

/** The command words of argv (up to two leading non-flag words), e.g. ['image', 'ls']. */
export function commandWords(argv: string[]): string[] {
  const words: string[] = []
  for (const a of argv) {
    if (a.startsWith('-') || words.length === 2) break
    words.push(a)
  }
  return words
}

/**
 * Podman stops parsing flags at the first positional argument of commands
 * like `run IMAGE CMD...` and `unshare CMD...`; oclif does not. Splits argv
 * into the part oclif should parse (flags and the first `keep` positionals)
 * and the rest, passed through verbatim.
 */
export function splitAtPositional(argv: string[], valueFlags: Set<string>, keep = 0): {flags: string[]; rest: string[]} {
  let seen = 0
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--') return {flags: argv.slice(0, i), rest: argv.slice(i + 1)}
    if (a.startsWith('-') && a !== '-') {
      if (!a.includes('=') && valueFlags.has(a)) i++
      continue
    }
    if (seen === keep) return {flags: argv.slice(0, i), rest: argv.slice(i)}
    seen++
  }
  return {flags: argv, rest: []}
}

/** Option flags (`--name`, `-n`) of an oclif flag table that take a value. */
export function valueFlagNames(flags: Record<string, {type: string; char?: string; aliases?: string[]}>): Set<string> {
  const out = new Set<string>()
  for (const [name, f] of Object.entries(flags)) {
    if (f.type !== 'option') continue
    out.add(`--${name}`)
    if (f.char) out.add(`-${f.char}`)
    for (const a of f.aliases ?? []) out.add(`--${a}`) // --net for --network
  }
  return out
}

type FlagTable = Record<string, {type: string; char?: string; aliases?: string[]; allowNo?: boolean}>

/**
 * Go's bool flags take a value (`--sig-proxy=false`, `-d=true`); oclif's
 * booleans don't (it would read `--x=false` as `--x` plus an argument).
 * Rewrites those before oclif parses, up to the first positional argument
 * (after it, in run/create, the words are the container's command).
 */
export function boolFlagValues(argv: string[], flags: FlagTable): string[] {
  const bools = new Map<string, [string, boolean]>()
  for (const [name, f] of Object.entries(flags)) {
    if (f.type !== 'boolean') continue
    for (const k of [`--${name}`, ...(f.char ? [`-${f.char}`] : []), ...(f.aliases ?? []).map(a => `--${a}`)]) bools.set(k, [name, Boolean(f.allowNo)])
  }
  const values = valueFlagNames(flags)
  const out = [...argv]
  for (let i = 0; i < out.length; i++) {
    const a = out[i]
    if (a === '--' || !a.startsWith('-') || a === '-') break
    const eq = a.indexOf('=')
    if (eq < 0) {
      if (values.has(a)) i++
      continue
    }
    const b = bools.get(a.slice(0, eq))
    const v = a.slice(eq + 1).toLowerCase()
    if (!b || !['true', 'false'].includes(v)) continue
    const [name, allowNo] = b
    if (v === 'true') out[i] = `--${name}`
    else if (allowNo) out[i] = `--no-${name}`
    else out.splice(i--, 1) // false is every such flag's default
  }
  return out
}
