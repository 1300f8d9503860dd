// Where peapod keeps things, rootful vs rootless (DESIGN.md "Paths").
import path from 'node:path'
import {xdgConfig, xdgData} from 'xdg-basedir'

export interface Paths {
  rootless: boolean
  /** Store: images, layers, containers, volumes. */
  graphRoot: string
  /** Runtime dir: pids, sockets, exit files, mounts. Gone after a reboot. */
  runRoot: string
  /** Config search dirs, most specific first. */
  configDirs: string[]
}

/** True when peapod runs for a non-root user (even inside its user namespace as uid 0). */
export function isRootless(): boolean {
  if (process.env.PEAPOD_ROOTLESS_UID) return true
  return process.getuid?.() !== 0
}

/** The host uid of the invoking user (outside the user namespace). */
export function hostUid(): number {
  const env = process.env.PEAPOD_ROOTLESS_UID
  if (env) return Number(env)
  return process.getuid?.() ?? 0
}

/** The rootless runtime dir: $XDG_RUNTIME_DIR/peapod, or /tmp/peapod-run-$UID. */
export function rootlessRunRoot(uid = hostUid()): string {
  const xr = process.env.XDG_RUNTIME_DIR
  if (xr && path.isAbsolute(xr)) return path.join(xr, 'peapod')
  return `/tmp/peapod-run-${uid}`
}

export function defaultPaths(): Paths {
  if (!isRootless()) {
    return {
      rootless: false,
      graphRoot: '/var/lib/peapod/storage',
      runRoot: '/run/peapod',
      configDirs: ['/etc/containers', '/usr/share/containers'],
    }
  }
  const dataHome = xdgData ?? '/nonexistent/.local/share'
  const configHome = xdgConfig ?? '/nonexistent/.config'
  return {
    rootless: true,
    graphRoot: path.join(dataHome, 'peapod/storage'),
    runRoot: rootlessRunRoot(),
    configDirs: [path.join(configHome, 'containers'), '/etc/containers', '/usr/share/containers'],
  }
}
