// Which node a unit's peapod starts. Units run the launcher (bin/peapod), a
// sh script that starts `node` from PATH, as a user's shell does; but a
// unit's PATH is systemd's default, not the shell's. When that PATH finds
// this very node (a distribution's /usr/bin/node, a /usr/local install), the
// unit says nothing more and its text stays Podman's. When it finds another
// node or none (nvm, a tarball under ~), the unit pins this one:
// Environment=PEAPOD_NODE=..., which bin/peapod honours.
import {accessSync, constants, statSync} from 'node:fs'
import path from 'node:path'

/**
 * The PATH systemd gives services, system and user alike (`systemd-path
 * search-binaries-default`; a user's environment.d may add to it, never
 * take away).
 */
export const SYSTEMD_DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

/** The first executable `node` on a PATH (as sh's search finds it); undefined when none. */
export function nodeOnPath(searchPath: string): string | undefined {
  for (const dir of searchPath.split(':')) {
    if (!path.isAbsolute(dir)) continue
    const candidate = path.join(dir, 'node')
    try {
      accessSync(candidate, constants.X_OK)
      if (statSync(candidate).isFile()) return candidate
    } catch {
      // not here
    }
  }
  return undefined
}

/** Same file (through links, symbolic or hard)? */
function sameFile(a: string, b: string): boolean {
  try {
    const x = statSync(a), y = statSync(b)
    return x.dev === y.dev && x.ino === y.ino
  } catch {
    return false
  }
}

/** What a unit must set PEAPOD_NODE to: undefined when its PATH already finds `execPath`. */
export function unitNodePin(execPath = process.execPath, searchPath = SYSTEMD_DEFAULT_PATH): string | undefined {
  const found = nodeOnPath(searchPath)
  return found && sameFile(found, execPath) ? undefined : execPath
}
