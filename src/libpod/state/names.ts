// Names of containers and pods, reserved atomically: <dir>/<name>, linked
// into place whole (link fails if it exists), holds the owner's ID, so two parallel creates of one name can
// never both win. Its second line is the reserving process's owner token: a
// reservation whose owner's document never got written and whose process is
// gone (killed between the two) is abandoned, and free to take or sweep.
// Reservations of older versions (no token) are abandoned once 30 s old.
import {existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {InvalidArgument} from '../define/errors.js'
import {ownerAlive, ownerToken} from '../util/owner.js'
import {sweepDeadTemps} from './atomic.js'

export const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/

const STALE_MS = 30_000

export class NameReservations {
  /**
   * documented(id): whether the owner's document exists;
   * inUse(name, holder): the error for a name another owner holds.
   */
  constructor(
    readonly dir: string,
    private readonly documented: (id: string) => boolean,
    private readonly inUse: (name: string, holder: string) => Error,
  ) {}

  reserve(name: string, id: string): void {
    if (!NAME.test(name)) throw new InvalidArgument('names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*: invalid argument')
    mkdirSync(this.dir, {recursive: true})
    const file = path.join(this.dir, name)
    // Written whole under a temp name, then linked to the name (EEXIST if
    // taken): a reservation is never seen empty. An O_EXCL create killed
    // before its write left an empty one nobody could tell abandoned (the
    // storm). A killed reserver's temp is swept once its process is gone.
    const tmp = path.join(this.dir, `.${name}.${process.pid}.${Date.now()}.tmp`)
    writeFileSync(tmp, `${id}\n${ownerToken()}\n`)
    try {
      linkSync(tmp, file)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      const content = readContent(file)
      if (content !== undefined && this.abandoned(file, content)) {
        this.takeBack(file, content)
        return this.reserve(name, id)
      }
      throw this.inUse(name, content?.split('\n')[0].trim() ?? '')
    } finally {
      rmSync(tmp, {force: true})
    }
  }

  /** A reservation nobody will complete: no document, and its owner is gone. */
  private abandoned(file: string, content: string): boolean {
    const [holder, token] = content.split('\n').map(l => l.trim())
    if (!holder) return isStale(file)
    if (this.documented(holder)) return false
    return token ? !ownerAlive(token) : isStale(file)
  }

  /**
   * Removes an abandoned reservation, unless another process replaced it
   * meanwhile (then it is put back): the rename lets one remover win.
   */
  private takeBack(file: string, content: string): void {
    const tmp = `${file}.${process.pid}.gone`
    try {
      renameSync(file, tmp)
    } catch {
      return // another process took it back first
    }
    if (readContent(tmp) !== content) {
      try {
        linkSync(tmp, file)
      } catch {
        // a newer reservation is in place
      }
    }
    rmSync(tmp, {force: true})
  }

  /** The names whose reservations are abandoned (system check). */
  dangling(): string[] {
    if (!existsSync(this.dir)) return []
    return readdirSync(this.dir).filter(name => {
      const file = path.join(this.dir, name)
      if (!NAME.test(name)) return isStale(file)
      const content = readContent(file)
      return content !== undefined && this.abandoned(file, content)
    })
  }

  /** Releases every abandoned reservation; returns their names. */
  sweep(): string[] {
    sweepDeadTemps(this.dir)
    const gone = this.dangling()
    for (const name of gone) {
      const file = path.join(this.dir, name)
      if (!NAME.test(name)) rmSync(file, {force: true})
      else {
        const content = readContent(file)
        if (content !== undefined) this.takeBack(file, content)
      }
    }
    return gone
  }

  release(name: string, id: string): void {
    try {
      if (this.holder(name) === id) rmSync(path.join(this.dir, name), {force: true})
    } catch {
      // already released
    }
  }

  /** The ID holding `name`, if any (no error for a string that is no name). */
  holder(name: string): string | undefined {
    const file = path.join(this.dir, name)
    if (!NAME.test(name) || !existsSync(file)) return undefined
    return readContent(file)?.split('\n')[0].trim()
  }
}

function readContent(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
}

function isStale(file: string): boolean {
  try {
    return Date.now() - statSync(file).mtimeMs > STALE_MS
  } catch {
    return true
  }
}
