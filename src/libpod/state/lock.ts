// On-disk locks (proper-lockfile). A lock is a directory `<file>.lock` whose
// mtime is refreshed while held; a holder killed with SIGKILL stops refreshing
// and the lock is taken over once stale, so a crash never wedges the store.
import {mkdirSync} from 'node:fs'
import path from 'node:path'
import {LockError} from '../define/errors.js'
import {log} from '../util/log.js'

const STALE_MS = 5000

export async function withLock<T>(file: string, fn: () => Promise<T> | T): Promise<T> {
  mkdirSync(path.dirname(file), {recursive: true})
  let release: () => Promise<void>
  // Loaded on first use: read-only commands (images, ps) never lock.
  const {default: lockfile} = await import('proper-lockfile')
  const options = {
    realpath: false,
    stale: STALE_MS,
    onCompromised: () => {
      // Another process took the lock over (we were blocked longer than
      // `stale`): the work under way finishes; atomic writes keep documents whole.
    },
  }
  try {
    // One try first, so that a wait is seen (--log-level=debug) before it starts.
    release = await lockfile.lock(file, options).catch(async (e: NodeJS.ErrnoException) => {
      if (e.code !== 'ELOCKED') throw e
      log.debug(`Lock ${file}.lock is held by another command: waiting`)
      const started = Date.now()
      // Retry long enough to outlast a stale lock left by a killed command.
      const r = await lockfile.lock(file, {...options, retries: {retries: 400, factor: 1.2, minTimeout: 5, maxTimeout: 60, randomize: true}})
      log.debug(`Lock ${file}.lock acquired after ${Date.now() - started} ms`)
      return r
    })
  } catch (e) {
    throw new LockError(`acquiring lock ${file}: ${(e as Error).message}`)
  }
  try {
    return await fn()
  } finally {
    await release().catch(() => {})
  }
}
