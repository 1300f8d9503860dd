// Reads the containers-common TOML config files (containers.conf, storage.conf,
// registries.conf) in Podman's order and merges them, later files winning.
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {ConfigError} from '../define/errors.js'
import {log} from '../util/log.js'
import {requireFrom} from '../util/require-from.js'

export type Table = Record<string, unknown>

// smol-toml's one-file bundle (scripts/build-vendor.js) when built; from src
// (the unit tests) the package itself, which Node 20.19+ can require.
const {parse} = loadSmolToml()

function loadSmolToml(): typeof import('smol-toml') {
  const require = requireFrom(import.meta.url)
  try {
    return require('../../vendor/smol-toml.cjs') as typeof import('smol-toml')
  } catch {
    return require('smol-toml') as typeof import('smol-toml')
  }
}

export function readToml(file: string): Table | undefined {
  if (!existsSync(file)) return undefined
  log.debug(`Reading configuration file ${JSON.stringify(file)}`)
  try {
    return parseToml(readFileSync(file, 'utf8'))
  } catch (e) {
    throw new ConfigError(`reading ${file}: ${(e as Error).message.split('\n')[0]}`)
  }
}

/**
 * A whole-line comment: a line of only a comment, with no character TOML
 * refuses in one (those are left to the parser to report).
 */
const COMMENT_LINE = /^[ \t]*#[^\x00-\x08\x0a-\x1f\x7f]*$/gm

/**
 * TOML text as smol-toml parses it, with whole-line comments blanked first:
 * the shipped containers.conf is 700 lines of which 24 are not comments, and
 * the parser's first (cold) run over the comments cost ~7 ms of every
 * command that reads it (inspect, run, create...); blank lines cost ~0.7.
 * The same tables and the same error positions (lines stay where they
 * were). Not where a line starting with # could be inside a multi-line
 * string, or where a CR or Unicode line separator could end a JS line but
 * not a TOML one: that text is parsed as it is.
 */
export function parseToml(text: string): Table {
  const plain = !/"""|'''|[\r\u2028\u2029]/.test(text)
  return parse(plain ? text.replace(COMMENT_LINE, '') : text) as Table
}

/** Deep merge of TOML tables: `over` wins, arrays are replaced, not concatenated. */
export function mergeTables(base: Table, over: Table): Table {
  const out: Table = {...base}
  for (const [k, v] of Object.entries(over)) {
    const b = out[k]
    out[k] = isTable(b) && isTable(v) ? mergeTables(b, v) : v
  }
  return out
}

function isTable(v: unknown): v is Table {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date)
}

/**
 * Files named `name` in `dirs` (most specific first) plus each dir's
 * `name.d/*.conf` drop-ins, merged from least to most specific. An env var
 * (CONTAINERS_CONF, CONTAINERS_STORAGE_CONF, ...) replaces the search.
 */
export function loadLayered(name: string, dirs: string[], envOverride?: string): Table {
  const override = envOverride ? process.env[envOverride] : undefined
  if (override) return readToml(override) ?? {}
  let out: Table = {}
  for (const dir of [...dirs].reverse()) {
    const t = readToml(path.join(dir, name))
    if (t) out = mergeTables(out, t)
    const dropins = path.join(dir, `${name}.d`)
    if (existsSync(dropins)) {
      for (const f of readdirSync(dropins).filter(f => f.endsWith('.conf')).sort()) {
        const d = readToml(path.join(dropins, f))
        if (d) out = mergeTables(out, d)
      }
    }
  }
  return out
}

export function get<T>(t: Table, dotted: string): T | undefined {
  let cur: unknown = t
  for (const part of dotted.split('.')) {
    if (!isTable(cur)) return undefined
    cur = cur[part]
  }
  return cur as T | undefined
}
