// The pause process holds peapod's rootless user + mount namespace, as
// Podman's does: `catatonit -P` started by `unshare --user --mount
// --map-auto --map-root-user` (newuidmap/newgidmap with /etc/subuid ranges).
// Its pid lives in the user's runtime dir; every later command joins it.
import {spawn} from 'node:child_process'
import {existsSync, mkdirSync, readFileSync, readlinkSync, rmSync} from 'node:fs'
import path from 'node:path'
import {rootlessRunRoot} from '../config/paths.js'
import {RootlessSetupError} from '../define/errors.js'
import {writeFileAtomic} from '../state/atomic.js'
import {withLock} from '../state/lock.js'
import {log} from '../util/log.js'
import {checkSubIds} from './subid.js'

export function pausePidFile(uid: number): string {
  return path.join(rootlessRunRoot(uid), 'pause.pid')
}

/** The pause process's pid if it is alive and holds a namespace other than ours. */
export function livePausePid(uid: number): number | undefined {
  let pid: number
  try {
    pid = Number(readFileSync(pausePidFile(uid), 'utf8').trim())
  } catch {
    return undefined
  }
  if (!Number.isInteger(pid) || pid <= 0) return undefined
  try {
    const theirs = readlinkSync(`/proc/${pid}/ns/user`)
    const exe = readlinkSync(`/proc/${pid}/exe`)
    if (theirs === readlinkSync('/proc/self/ns/user') || !exe.endsWith('catatonit')) return undefined
    return pid
  } catch {
    return undefined
  }
}

/** Returns the pause process's pid, starting it (once, under a lock) if needed. */
export async function ensurePauseProcess(uid: number): Promise<number> {
  const live = livePausePid(uid)
  if (live) return live
  const dir = rootlessRunRoot(uid)
  mkdirSync(dir, {recursive: true, mode: 0o700})
  return withLock(path.join(dir, 'pause'), async () => {
    const again = livePausePid(uid)
    if (again) return again
    checkSubIds(uid)
    const pid = await startPauseProcess()
    log.debug(`Started the pause process ${pid}, holding the rootless user namespace`)
    writeFileAtomic(pausePidFile(uid), `${pid}\n`)
    return pid
  })
}

function startPauseProcess(): Promise<number> {
  // `sh` reports readiness once unshare has written the ID maps, then execs
  // catatonit in place (same pid), so no polling is needed.
  const child = spawn('unshare', ['--user', '--mount', '--map-auto', '--map-root-user', '--',
    'sh', '-c', 'echo ready; exec catatonit -P'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  return new Promise((resolve, reject) => {
    let err = ''
    child.stderr!.on('data', d => { err += d })
    child.on('error', e => reject(new RootlessSetupError(`starting the user namespace: ${e.message}`)))
    child.on('exit', code => reject(new RootlessSetupError(
      `starting the user namespace failed (exit ${code}): ${err.trim().split('\n').pop() ?? ''}`)))
    child.stdout!.once('data', () => {
      child.removeAllListeners('exit')
      child.stdout!.destroy()
      child.stderr!.destroy()
      child.unref()
      resolve(child.pid!)
    })
  })
}

/** Stops the pause process (`system migrate`); the next command starts a new one. */
export function stopPauseProcess(uid: number): boolean {
  const pid = livePausePid(uid)
  rmSync(pausePidFile(uid), {force: true})
  if (!pid) return false
  try {
    process.kill(pid, 'SIGKILL')
  } catch {
    // already gone
  }
  return true
}

export function pauseProcessExists(uid: number): boolean {
  return existsSync(pausePidFile(uid)) && livePausePid(uid) !== undefined
}
