// On-disk locks (proper-lockfile). A lock is a directory `<file>.lock` whose
// mtime is refreshed while held; a holder killed with SIGKILL stops refreshing
// and the lock is taken over once stale, so a crash never wedges the store.
import fs, {mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {LockError} from '../define/errors.js'
import {log} from '../util/log.js'
import {ownerAlive, ownerToken} from '../util/owner.js'

/** Whether a lock dir's holder is known to be gone (its owner token names a dead process). */
export function lockAbandoned(lockDir: string): boolean {
  try {
    return !ownerAlive(readFileSync(path.join(lockDir, 'owner'), 'utf8'))
  } catch {
    return false // no owner yet (being taken) or gone
  }
}

/**
 * A lock whose holder is gone is made stale at once (its mtime set to the
 * epoch), so proper-lockfile takes it over now rather than after STALE_MS.
 * Nothing is moved: breaking it by renaming it away and back when raced left
 * ownerless lock dirs behind (found by the storm) and made a fresh lock
 * vanish under its taker for a moment.
 */
function breakDeadLock(file: string): boolean {
  const dir = `${file}.lock`
  if (!lockAbandoned(dir)) return false
  try {
    fs.utimesSync(dir, 0, 0)
  } catch {
    return false
  }
  log.debug(`Expired lock ${dir} of a process that is gone`)
  return true
}

const STALE_MS = 5000

/**
 * Removes the locks in dir whose holders are gone, or that are stale with no
 * owner at all (a taker killed between mkdir and writing it): a lock of a
 * removed object is never taken again, so nobody else would.
 */
export function sweepDeadLocks(dir: string): string[] {
  let names: string[]
  try {
    names = readdirSync(dir).filter(f => f.endsWith('.lock'))
  } catch {
    return []
  }
  return names.filter(f => {
    const lock = path.join(dir, f)
    if (!lockAbandoned(lock) && !(ownerless(lock) && stale(lock))) return false
    rmSync(lock, {recursive: true, force: true})
    log.debug(`Removed lock ${lock} of a process that is gone`)
    return true
  })
}

function ownerless(lock: string): boolean {
  return !fs.existsSync(path.join(lock, 'owner'))
}

function stale(lock: string): boolean {
  try {
    return fs.statSync(lock).mtimeMs < Date.now() - STALE_MS
  } catch {
    return false
  }
}

/**
 * proper-lockfile removes its lock dir with rmdir: ours holds the owner file, so remove it whole.
 * Made on first lock: copying fs reads its lazy stream getters, which loads Node's fs streams
 * (read-only commands never lock).
 */
let lockFsMemo: typeof fs | undefined
const lockFs = (): typeof fs => lockFsMemo ??= {
  ...fs,
  rmdir: (p: string, cb: (e: NodeJS.ErrnoException | null) => void) => fs.rm(p, {recursive: true, force: true}, cb),
  rmdirSync: (p: string) => fs.rmSync(p, {recursive: true, force: true}),
} as typeof fs

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
    fs: lockFs(),
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
