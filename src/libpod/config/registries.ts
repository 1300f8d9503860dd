// Which registries.conf files are read, and in what order, with
// containers/image's precedence (sysregistriesv2), so that every reader
// (pull, push, tag, search, login, short-name lookup) agrees:
//   1. the main file: $CONTAINERS_REGISTRIES_CONF, else the user's
//      $XDG_CONFIG_HOME/containers/registries.conf when rootless and present,
//      else the system's (/etc/containers/registries.conf);
//   2. then the drop-ins, registries.conf.d/*.conf in lexical order: the
//      system directory's then the user's, or only the user's when the main
//      file is the user's.
// Later files override earlier ones key by key (the merge is the reader's:
// see RegistriesConf and searchRegistriesOf).
import {existsSync, readdirSync} from 'node:fs'
import path from 'node:path'
import {isRootless} from './paths.js'
import {readToml, type Table} from './toml.js'

export interface RegistriesConfSource {
  /** The main registries.conf Podman names in messages (it may not exist). */
  mainFile: string
  /** The files to read, in order: the main file when it exists, then the drop-ins. */
  files: string[]
}

export interface RegistriesConfOptions {
  /** Rootless: the first config dir is the user's (default: isRootless()). */
  rootless?: boolean
  /** The environment to read CONTAINERS_REGISTRIES_CONF from. */
  env?: NodeJS.ProcessEnv
}

function dropIns(dir: string): string[] {
  const d = path.join(dir, 'registries.conf.d')
  if (!existsSync(d)) return []
  return readdirSync(d).filter(f => f.endsWith('.conf')).sort().map(f => path.join(d, f))
}

/** The registries.conf files to read for `configDirs` (most specific first, as Paths.configDirs). */
export function registriesConfSource(configDirs: readonly string[], opts: RegistriesConfOptions = {}): RegistriesConfSource {
  const env = (opts.env ?? process.env).CONTAINERS_REGISTRIES_CONF
  const rootless = opts.rootless ?? isRootless()
  const userDir = rootless && configDirs.length > 1 ? configDirs[0] : undefined
  const systemDirs = userDir ? configDirs.slice(1) : [...configDirs]
  const userMain = userDir ? path.join(userDir, 'registries.conf') : undefined
  const files: string[] = []
  let mainFile: string
  if (env) {
    mainFile = env
  } else if (userMain && existsSync(userMain)) {
    // The user's own file replaces the system's, drop-ins included.
    return {mainFile: userMain, files: [userMain, ...dropIns(userDir!)]}
  } else {
    mainFile = systemDirs.map(d => path.join(d, 'registries.conf')).find(f => existsSync(f))
      ?? path.join(systemDirs[0] ?? '/etc/containers', 'registries.conf')
  }
  if (existsSync(mainFile)) files.push(mainFile)
  if (systemDirs.length) files.push(...dropIns(systemDirs[0]))
  if (userDir) files.push(...dropIns(userDir))
  return {mainFile, files}
}

/** The files' tables, in order (missing files skipped; a bad file throws ConfigError). */
export function loadRegistriesConf(configDirs: readonly string[], opts: RegistriesConfOptions = {}): {mainFile: string; tables: {file: string; table: Table}[]} {
  const src = registriesConfSource(configDirs, opts)
  const tables: {file: string; table: Table}[] = []
  for (const file of src.files) {
    const table = readToml(file)
    if (table) tables.push({file, table})
  }
  return {mainFile: src.mainFile, tables}
}

/**
 * unqualified-search-registries as the merged files set it (V2 key, or V1's
 * [registries.search] registries), with the file that set it last.
 */
export function searchRegistriesOf(tables: readonly {file: string; table: Table}[]): {registries: string[]; origin: string} {
  let out = {registries: [] as string[], origin: ''}
  for (const {file, table} of tables) {
    const usr = table['unqualified-search-registries']
    if (Array.isArray(usr)) out = {registries: usr.map(String), origin: file}
    const v1 = table.registries as Table | undefined
    if (v1 && typeof v1 === 'object' && !Array.isArray(v1)) {
      const search = ((v1.search as Table | undefined)?.registries as string[] | undefined) ?? []
      if (search.length) out = {registries: search.map(String), origin: file}
    }
  }
  return out
}
