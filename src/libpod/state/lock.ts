// On-disk locks (proper-lockfile's protocol, see acquire). A lock is a directory `<file>.lock` whose
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
  try {
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
    still = readFileSync(path.join(moved, 'owner'), 'utf8')
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

/**
 * proper-lockfile's protocol, done here (loading it costs each locking
 * command ~12 ms of CPU: graceful-fs, signal-exit, retry): the lock is the
 * directory `<file>.lock`, made with mkdir; its holder refreshes its mtime
 * every UPDATE_MS; a lock older than STALE_MS is taken over; a holder that
 * finds the mtime changed under it (taken over while it was blocked) stops
 * refreshing and leaves the directory to the new holder. Commands of an
 * earlier peapod (proper-lockfile) and this one exclude each other.
 */
const UPDATE_MS = STALE_MS / 2

interface HeldLock {
  dir: string
  /** The mtime we last set (ms), our proof of ownership. */
  mtime: number
  timer?: NodeJS.Timeout
  compromised: boolean
}

const held = new Set<HeldLock>()
let exitHook = false

function lockedError(file: string): NodeJS.ErrnoException {
  return Object.assign(new Error('Lock file is already being held'), {code: 'ELOCKED', file})
}

/** One attempt, as proper-lockfile's acquireLock: mkdir, or take over a stale lock. */
function tryLock(dir: string, stale = true): boolean {
  try {
    mkdirSync(dir)
    return true
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
  }
  if (!stale) return false
  let mtime: number
  try {
    mtime = fs.statSync(dir).mtimeMs
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return tryLock(dir, false) // released meanwhile
    throw e
  }
  if (mtime >= Date.now() - STALE_MS) return false
  rmSync(dir, {recursive: true, force: true})
  return tryLock(dir, false)
}

/** Sets the lock dir's mtime to now and remembers it as ours. */
function touch(lock: HeldLock): void {
  const now = new Date()
  fs.utimesSync(lock.dir, now, now)
  lock.mtime = fs.statSync(lock.dir).mtimeMs
}

function scheduleRefresh(lock: HeldLock): void {
  lock.timer = setTimeout(() => {
    try {
      if (fs.statSync(lock.dir).mtimeMs !== lock.mtime) {
        // Taken over (we were blocked longer than STALE_MS): the work under
        // way finishes; atomic writes keep documents whole.
        lock.compromised = true
        held.delete(lock)
        return
      }
      touch(lock)
    } catch {
      lock.compromised = true // the lock dir went
      held.delete(lock)
      return
    }
    scheduleRefresh(lock)
  }, UPDATE_MS)
  lock.timer.unref()
}

function release(lock: HeldLock): void {
  clearTimeout(lock.timer)
  held.delete(lock)
  if (!lock.compromised) rmSync(lock.dir, {recursive: true, force: true})
}

/** Takes the lock (retrying as proper-lockfile's retries option would when `wait`). */
async function acquire(file: string, wait: boolean): Promise<HeldLock> {
  const dir = `${file}.lock`
  let delay = 5
  for (let attempt = 0; ; attempt++) {
    if (tryLock(dir)) break
    if (!wait || attempt >= 400) throw lockedError(file)
    // the retry package's backoff, as before: 5 ms × 1.2^n × [1, 2), at most 60 ms
    await new Promise(r => setTimeout(r, Math.min(delay * (1 + Math.random()), 60)))
    delay *= 1.2
  }
  const lock: HeldLock = {dir, mtime: 0, compromised: false}
  held.add(lock)
  if (!exitHook) {
    exitHook = true
    // A command that exits holding a lock (an error thrown past it) leaves none behind.
    process.on('exit', () => {
      for (const l of held) {
        try {
          rmSync(l.dir, {recursive: true, force: true})
        } catch {}
      }
    })
  }
  try {
    writeFileSync(path.join(dir, 'owner'), ownerToken())
    touch(lock)
  } catch {
    // the lock dir went (taken over): the stale rule still applies
  }
  scheduleRefresh(lock)
  return lock
}

export async function withLock<T>(file: string, fn: () => Promise<T> | T): Promise<T> {
  mkdirSync(path.dirname(file), {recursive: true})
  let lock: HeldLock
  try {
    // One try first, so that a wait is seen (--log-level=debug) before it starts.
    lock = await acquire(file, false).catch(async (e: NodeJS.ErrnoException) => {
      if (e.code !== 'ELOCKED') throw e
      if (breakDeadLock(file)) {
        const r = await acquire(file, false).catch(() => undefined)
        if (r) return r
      }
      log.debug(`Lock ${file}.lock is held by another command: waiting`)
      const started = Date.now()
      // Retry long enough to outlast a stale lock left by a killed command.
      const r = await acquire(file, true)
      log.debug(`Lock ${file}.lock acquired after ${Date.now() - started} ms`)
      return r
    })
  } catch (e) {
    throw new LockError(`acquiring lock ${file}: ${(e as Error).message}`)
  }
  try {
    return await fn()
  } finally {
    release(lock)
  }
}
