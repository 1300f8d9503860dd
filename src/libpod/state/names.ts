// Names of containers and pods, reserved atomically: <dir>/<name> created
// with O_EXCL holds the owner's ID, so two parallel creates of one name can
// never both win. A reservation whose owner's document never got written (a
// crash between the two) is taken over once it is 30 s old.
import {closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync} from 'node:fs'
import path from 'node:path'
import {InvalidArgument} from '../define/errors.js'

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
    let fd: number
    try {
      fd = openSync(file, 'wx')
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      const holder = readFileSync(file, 'utf8').trim()
      if (holder && !this.documented(holder) && isStale(file)) {
        rmSync(file, {force: true})
        return this.reserve(name, id)
      }
      throw this.inUse(name, holder)
    }
    writeSync(fd, id)
    closeSync(fd)
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
    return readFileSync(file, 'utf8').trim()
  }
}

function isStale(file: string): boolean {
  try {
    return Date.now() - statSync(file).mtimeMs > STALE_MS
  } catch {
    return true
  }
}
