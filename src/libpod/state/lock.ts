// On-disk locks (proper-lockfile). A lock is a directory `<file>.lock` whose
// mtime is refreshed while held; a holder killed with SIGKILL stops refreshing
// and the lock is taken over once stale, so a crash never wedges the store.
import fs, {mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {LockError} from '../define/errors.js'
import {log} from '../util/log.js'
import {ownerAlive, ownerToken} from '../util/owner.js'

/**
 * A lock whose holder's process is gone (its owner token, written into the
 * lock dir once taken) is removed at once, rather than waited on until
 * stale. The rename lets one of several waiters remove it; a lock that
 * turns out to be another's (taken in between) is put back.
 */
function breakDeadLock(file: string): boolean {
  const dir = `${file}.lock`
  let token: string
  let ino: number
  try {
    ino = fs.statSync(dir).ino
    token = readFileSync(path.join(dir, 'owner'), 'utf8')
  } catch {
    return false // no owner yet (being taken) or gone
  }
  if (ownerAlive(token)) return false
  const moved = `${dir}.${process.pid}.dead`
  try {
    renameSync(dir, moved)
  } catch {
    return false
  }
  let still = ''
  try {
    // the same directory (a new lock has another inode) with the same owner
    if (fs.statSync(moved).ino === ino) still = readFileSync(path.join(moved, 'owner'), 'utf8')
  } catch {
    // taken over in between: not ours to remove
  }
  if (still !== token) {
    try {
      renameSync(moved, dir)
    } catch {
      // a newer lock is in place
    }
  }
  rmSync(moved, {recursive: true, force: true})
  log.debug(`Removed lock ${dir} of a process that is gone`)
  return true
}

const STALE_MS = 5000

/** Whether a lock dir's holder is known to be gone (its owner token names a dead process). */
export function lockAbandoned(lockDir: string): boolean {
  try {
    return !ownerAlive(readFileSync(path.join(lockDir, 'owner'), 'utf8'))
  } catch {
    return false
  }
}

/** Removes the locks in dir whose holders are gone (a lock of a removed object is never taken again). */
export function sweepDeadLocks(dir: string): string[] {
  let names: string[]
  try {
    names = readdirSync(dir).filter(f => f.endsWith('.lock'))
  } catch {
    return []
  }
  return names.filter(f => breakDeadLock(path.join(dir, f.slice(0, -'.lock'.length))))
}

/** proper-lockfile removes its lock dir with rmdir: ours holds the owner file, so remove it whole. */
const lockFs = {
  ...fs,
  rmdir: (p: string, cb: (e: NodeJS.ErrnoException | null) => void) => fs.rm(p, {recursive: true, force: true}, cb),
  rmdirSync: (p: string) => fs.rmSync(p, {recursive: true, force: true}),
}

/**
 * Busy, or our fresh lock dir vanished before proper-lockfile's mtime probe:
 * a waiter breaking a dead lock renamed it away for a moment, then put it
 * back (ENOENT on utime; the storm and 20 parallel runs hit it). A missing
 * parent (the object removed) is not retried.
 */
function retryable(file: string, e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code
  return code === 'ELOCKED' || (code === 'ENOENT' && fs.existsSync(path.dirname(file)))
}

/**
 * Retries a busy lock (backoff 5 ms to 60 ms, ~24 s in all: long enough to outlast a stale lock).
 * A holder killed while this one waits has its lock broken at the next try, not after the stale
 * time: in the storm (commands SIGKILLed 8 at a time), waits of 5 s behind dead holders were most
 * of a command's time.
 */
async function waitForLock<R>(file: string, attempt: () => Promise<R>): Promise<R> {
  let delay = 5
  for (let tries = 0; ; tries++) {
    try {
      return await attempt()
    } catch (e) {
      if (!retryable(file, e) || tries >= 400) throw e
    }
    if (breakDeadLock(file)) continue
    await new Promise(r => setTimeout(r, delay * (0.5 + Math.random())))
    delay = Math.min(60, delay * 1.2)
  }
}

export async function withLock<T>(file: string, fn: () => Promise<T> | T): Promise<T> {
  mkdirSync(path.dirname(file), {recursive: true})
  let release: () => Promise<void>
  // Loaded on first use: read-only commands (images, ps) never lock.
  const {default: lockfile} = await import('proper-lockfile')
  const options = {
    realpath: false,
    fs: lockFs,
    stale: STALE_MS,
    onCompromised: () => {
      // Another process took the lock over (we were blocked longer than
      // `stale`): the work under way finishes; atomic writes keep documents whole.
    },
  }
  try {
    // One try first, so that a wait is seen (--log-level=debug) before it starts.
    release = await lockfile.lock(file, options).catch(async (e: NodeJS.ErrnoException) => {
      if (!retryable(file, e)) throw e
      if (breakDeadLock(file)) {
        const r = await lockfile.lock(file, options).catch(() => undefined)
        if (r) return r
      }
      log.debug(`Lock ${file}.lock is held by another command: waiting`)
      const started = Date.now()
      const r = await waitForLock(file, () => lockfile.lock(file, options))
      log.debug(`Lock ${file}.lock acquired after ${Date.now() - started} ms`)
      return r
    })
  } catch (e) {
    throw new LockError(`acquiring lock ${file}: ${(e as Error).message}`)
  }
  try {
    // The dir's mtime is proper-lockfile's proof of ownership: put it back after the write.
    const {atime, mtime} = fs.statSync(`${file}.lock`)
    writeFileSync(path.join(`${file}.lock`, 'owner'), ownerToken())
    fs.utimesSync(`${file}.lock`, atime, mtime)
  } catch {
    // the lock dir went (compromised): the stale rule still applies
  }
  try {
    return await fn()
  } finally {
    await release().catch(() => {})
  }
}
