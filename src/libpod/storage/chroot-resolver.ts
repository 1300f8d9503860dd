// Resolves tar entry paths inside the layer directory as if it were the root
// of the filesystem ("chroot-style", like docker and containers/storage):
// symlinks already in the layer are followed component by component but can
// never lead outside it (`x -> ../../..` or `x -> /` both mean the layer root),
// so a hostile layer cannot make us write to the host.
import {chmodSync, lstatSync, mkdirSync, readlinkSync} from 'node:fs'
import {InvalidArchive} from '../define/errors.js'

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
    const cur = start === '' ? [] : start.split('/')
    const queue = [component]
    let hops = 0
    while (queue.length > 0) {
      const c = queue.shift() as string
      if (c === '' || c === '.') continue
      if (c === '..') {
        cur.pop() // the root's parent is the root
        continue
      }
      const rel = cur.length === 0 ? c : `${cur.join('/')}/${c}`
      const abs = this.abs(rel)
      const st = lstatSync(abs, {throwIfNoEntry: false})
      if (!st) {
        if (!create) return undefined
        if (this.hooks.occupied(rel)) throw new InvalidArchive(`invalid tar entry ${JSON.stringify(entry)}: /${rel} is not a directory`)
        mkdirSync(abs)
        chmodSync(abs, 0o755) // not subject to the umask
        this.hooks.created(rel)
        cur.push(c)
        continue
      }
      if (st.isSymbolicLink()) {
        if (++hops > MAX_SYMLINK_HOPS) {
          throw new InvalidArchive(`invalid tar entry ${JSON.stringify(entry)}: too many levels of symbolic links`)
        }
        const target = readlinkSync(abs)
        if (target.startsWith('/')) cur.length = 0
        queue.unshift(...target.split('/'))
        continue
      }
      if (!st.isDirectory()) throw new InvalidArchive(`invalid tar entry ${JSON.stringify(entry)}: /${rel} is not a directory`)
      cur.push(c)
    }
    return cur.join('/')
  }
}
