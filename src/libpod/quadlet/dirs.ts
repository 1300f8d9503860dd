// Where Quadlet files are found: the search path (root or user,
// or QUADLET_UNIT_DIRS), walked recursively with symlinks followed, and the
// drop-in directories of each unit. The first file of a name wins.
import {readdirSync, realpathSync, statSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {UNIT_DIR_ADMIN, UNIT_DIR_DISTRO, UNIT_DIR_TEMP} from './common.js'
import type {UnitFile} from './unitfile.js'

type Filter = (p: string, isUser: boolean) => boolean

export interface DirsOptions {
  isUser: boolean
  env: NodeJS.ProcessEnv
  log: (msg: string) => void
  debug: (msg: string) => void
}

class SearchPaths {
  sorted: string[] = []
  private visited = new Set<string>()
  add(p: string): void {
    this.sorted.push(p)
    this.visited.add(p)
  }
  has(p: string): boolean {
    return this.visited.has(p)
  }
}

function appendSubPaths(paths: SearchPaths, dir: string, isUser: boolean, filter: Filter | undefined, o: DirsOptions): void {
  let resolved: string
  try {
    resolved = realpathSync(dir)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') o.debug(`Error occurred resolving path "${dir}": ${(e as Error).message}`)
    // kept for the log of where we looked
    paths.add(dir)
    return
  }
  if (paths.has(resolved) || resolved.endsWith('.d') || (filter && !filter(resolved, isUser))) return
  try {
    if (!statSync(resolved).isDirectory()) return
  } catch {
    return
  }
  paths.add(resolved)
  let entries: string[]
  try {
    entries = readdirSync(resolved).sort()
  } catch {
    return
  }
  for (const e of entries) appendSubPaths(paths, path.join(resolved, e), isUser, filter, o)
}

/** The directories searched, in order of precedence. */
export function unitDirs(o: DirsOptions): string[] {
  const paths = new SearchPaths()
  const envDirs = o.env.QUADLET_UNIT_DIRS
  if (envDirs) {
    for (const d of envDirs.split(':')) {
      if (!path.isAbsolute(d)) {
        o.log(`${d} not a valid file path`)
        break
      }
      appendSubPaths(paths, d, false, undefined, o)
    }
    return paths.sorted
  }
  const usersDir = path.join(UNIT_DIR_ADMIN, 'users')
  let resolvedUsers = usersDir
  try {
    resolvedUsers = realpathSync(usersDir)
  } catch {
    // absent: keep the plain path
  }
  // root skips users/; a user reads users/ and users/$UID only
  const userLevel: Filter = (p, isUser) => !p.startsWith(resolvedUsers) || isUser
  if (o.isUser) {
    const level = resolvedUsers.split(path.sep).length
    const nonNumeric: Filter = p => {
      if (!p.startsWith(resolvedUsers)) return true
      const parts = p.split(path.sep)
      if (parts.length === level) return true
      return parts.length > level && !/^[0-9]*$/.test(parts[level]!)
    }
    if (o.env.XDG_RUNTIME_DIR !== undefined) appendSubPaths(paths, path.join(o.env.XDG_RUNTIME_DIR, 'containers/systemd'), false, undefined, o)
    const home = o.env.HOME || os.homedir()
    const config = o.env.XDG_CONFIG_HOME || (home ? path.join(home, '.config') : '')
    if (!config) return paths.sorted
    appendSubPaths(paths, path.join(config, 'containers/systemd'), false, undefined, o)
    appendSubPaths(paths, usersDir, true, nonNumeric, o)
    appendSubPaths(paths, path.join(usersDir, String(process.getuid?.() ?? 0)), true, userLevel, o)
  } else {
    appendSubPaths(paths, UNIT_DIR_TEMP, false, userLevel, o)
    appendSubPaths(paths, UNIT_DIR_ADMIN, false, userLevel, o)
    appendSubPaths(paths, UNIT_DIR_DISTRO, false, undefined, o)
  }
  return paths.sorted
}

/** The drop-in files of a unit, by name (the most specific directory wins), in name order. */
export function dropinFiles(unit: UnitFile, sourcePaths: string[], report: (msg: string) => void): string[] {
  const names = unit.dropinDirNames()
  const byName = new Map<string, string>()
  for (const src of sourcePaths) {
    for (const n of names) {
      const dir = path.join(src, n)
      let files: string[]
      try {
        files = readdirSync(dir).sort()
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') report(`error reading directory "${dir}", ${(e as Error).message}`)
        continue
      }
      for (const f of files) if (path.extname(f) === '.conf' && !byName.has(f)) byName.set(f, path.join(dir, f))
    }
  }
  return [...byName.keys()].sort().map(k => byName.get(k)!)
}
