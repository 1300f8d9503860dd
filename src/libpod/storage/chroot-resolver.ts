// Resolves tar entry paths inside the layer directory as if it were the root
// of the filesystem ("chroot-style", like docker and containers/storage):
// symlinks already in the layer are followed component by component but can
// never lead outside it (`x -> ../../..` or `x -> /` both mean the layer root),
// so a hostile layer cannot make us write to the host.
import {chmodSync, lstatSync, mkdirSync, readlinkSync} from 'node:fs'
import {InvalidArchive} from '../define/errors.js'
import {walkInRoot} from '../util/safepath.js'

const MAX_SYMLINK_HOPS = 40

/**
 * Lexically cleans a tar entry name into path components (docker: filepath.Clean).
 * A leading "/" is dropped; a ".." that climbs above the top is refused.
 */
export function cleanEntryPath(name: string): string[] {
  const rooted = name.startsWith('/')
  const parts: string[] = []
  for (const c of name.split('/')) {
    if (c === '' || c === '.') continue
    if (c === '..') {
      if (parts.length > 0) parts.pop()
      else if (!rooted) throw new InvalidArchive(`invalid tar entry ${JSON.stringify(name)}: path escapes the layer`)
      continue
    }
    parts.push(c)
  }
  return parts
}

export interface ResolverHooks {
  /** A missing parent directory was created (mode 0755). */
  created(rel: string): void
  /** Something not yet on disk (a batched device node) occupies rel. */
  occupied(rel: string): boolean
}

export class ChrootResolver {
  /** Lexical directory path -> real path (relative to the root, no symlinks). Cleared on any removal. */
  private readonly cache = new Map<string, string>()

  constructor(
    private readonly root: string,
    private readonly hooks: ResolverHooks,
  ) {}

  abs(rel: string): string {
    return rel === '' ? this.root : `${this.root}/${rel}`
  }

  invalidate(): void {
    this.cache.clear()
  }

  /**
   * Real path (relative to the root) of the directory named by the lexical
   * components `parts`. Missing directories are created when `create`, else
   * undefined is returned. `entry` names the tar entry in errors.
   */
  resolveDir(parts: string[], entry: string, create: boolean): string | undefined {
    if (parts.length === 0) return ''
    const key = parts.join('/')
    const hit = this.cache.get(key)
    if (hit !== undefined) return hit
    const parent = this.resolveDir(parts.slice(0, -1), entry, create)
    if (parent === undefined) return undefined
    const real = this.walk(parent, parts[parts.length - 1], entry, create)
    if (real !== undefined) this.cache.set(key, real)
    return real
  }

  /** Real path of `parent/base` where only the parent is resolved: the final component is never followed. */
  resolve(parts: string[], entry: string, create: boolean): string | undefined {
    if (parts.length === 0) return ''
    const parent = this.resolveDir(parts.slice(0, -1), entry, create)
    if (parent === undefined) return undefined
    const base = parts[parts.length - 1]
    return parent === '' ? base : `${parent}/${base}`
  }

  private walk(start: string, component: string, entry: string, create: boolean): string | undefined {
    const bad = (what: string) => new InvalidArchive(`invalid tar entry ${JSON.stringify(entry)}: ${what}`)
    const r = walkInRoot({
      lstat: (_p, _n, rel) => lstatSync(this.abs(rel), {throwIfNoEntry: false}),
      readlink: (_p, _n, rel) => readlinkSync(this.abs(rel)),
      missing: (_p, _n, rel) => {
        if (!create) return 'stop'
        if (this.hooks.occupied(rel)) throw bad(`/${rel} is not a directory`)
        mkdirSync(this.abs(rel))
        chmodSync(this.abs(rel), 0o755) // not subject to the umask
        this.hooks.created(rel)
        return 'create'
      },
      maxHops: MAX_SYMLINK_HOPS,
      tooManyLinks: () => bad('too many levels of symbolic links'),
      notADirectory: rel => bad(`/${rel} is not a directory`),
    }, [component], {followLast: true, allDirs: true, start: start === '' ? [] : start.split('/')})
    return r.exists ? r.parts.join('/') : undefined
  }
}
