// Resolving a path inside a directory used as "/" (a container's rootfs, a
// layer being unpacked, the host directory `cp` writes into), chroot-style
// like filepath-securejoin: symlinks are followed by hand and resolved inside
// the root (`x -> /` and `x -> ../../..` both mean the root), and `..` is
// clamped at the root. The one walk algorithm; callers supply how to look at
// a component (a plain lstat, or an lstat through directory descriptors) and
// what a missing component means (stop, create it, or keep it as it is).
import {lstatSync, readlinkSync} from 'node:fs'
import path from 'node:path'
import {InvalidArgument} from '../define/errors.js'

/** What the walk needs to know of a file. */
export interface WalkStat {
  isSymbolicLink(): boolean
  isDirectory(): boolean
}

export interface RootWalker<S extends WalkStat = WalkStat> {
  /** lstat of the component `name` in the real directory `parent` (rel = parent/name); undefined when missing. */
  lstat(parent: string, name: string, rel: string): S | undefined
  readlink(parent: string, name: string, rel: string): string
  /**
   * A missing component: 'create' (the walker made it a directory: carry on
   * below it), 'keep' (carry on as if it existed) or 'stop' (the walk ends).
   */
  missing(parent: string, name: string, rel: string, last: boolean): 'create' | 'keep' | 'stop'
  /** Symlink hops allowed before tooManyLinks. */
  maxHops: number
  tooManyLinks(rel: string): Error
  /** A component on the way is not a directory; without it the walk carries on (the next lstat finds nothing). */
  notADirectory?(rel: string): Error
  /** Components taken as they are, never looked at (mount points). */
  opaque?(rel: string): boolean
}

export interface WalkResult<S extends WalkStat = WalkStat> {
  /** Real components below the root, no symlinks (with a stop: the rest of the path appended lexically). */
  parts: string[]
  /** Whether the walk reached the end (false: a 'stop' on a missing component). */
  exists: boolean
  /** lstat of the last component when it was looked at and not followed. */
  st?: S
  /** The walk stopped on a missing directory before the last component. */
  missingParent?: boolean
}

export interface WalkOptions {
  /** Follow the last component when it is a symlink. */
  followLast: boolean
  /** Every component is a directory to have, the last one too (so it is always followed). */
  allDirs?: boolean
  /** Real components (below the root) of the directory to start from. */
  start?: readonly string[]
}

const join = (parts: readonly string[]) => parts.join('/')

/**
 * Walks `p` (a path or its components) from the real directory `start`
 * (components below the root). The last component is followed when it is a
 * symlink only with `followLast`; every other component always is.
 */
export function walkInRoot<S extends WalkStat>(w: RootWalker<S>, p: string | readonly string[], opts: WalkOptions): WalkResult<S> {
  const queue = typeof p === 'string' ? p.split('/') : [...p]
  const cur = [...opts.start ?? []]
  let hops = 0
  const isLast = () => queue.every(q => q === '' || q === '.')
  while (queue.length > 0) {
    const c = queue.shift() as string
    if (c === '' || c === '.') continue
    if (c === '..') {
      cur.pop() // the root's parent is the root
      continue
    }
    const last = !opts.allDirs && isLast()
    const parent = join(cur)
    const rel = parent ? `${parent}/${c}` : c
    if (w.opaque?.(rel)) {
      cur.push(c)
      continue
    }
    const st = w.lstat(parent, c, rel)
    if (!st) {
      const what = w.missing(parent, c, rel, last)
      if (what === 'stop') {
        const rest = queue.filter(x => x && x !== '.')
        return {parts: [...cur, c, ...rest], exists: false, missingParent: !last}
      }
      cur.push(c)
      continue
    }
    if (st.isSymbolicLink() && (!last || opts.followLast)) {
      if (++hops > w.maxHops) throw w.tooManyLinks(rel)
      const target = w.readlink(parent, c, rel)
      if (target.startsWith('/')) cur.length = 0
      queue.unshift(...target.split('/'))
      continue
    }
    if (last) return {parts: [...cur, c], exists: true, st}
    if (!st.isDirectory() && w.notADirectory) throw w.notADirectory(rel)
    cur.push(c)
  }
  return {parts: cur, exists: true}
}

/** A walker over plain host paths below `root`; missing components are kept. */
function plainWalker(root: string, unsafe: string): RootWalker {
  const abs = (rel: string) => path.join(root, rel)
  return {
    lstat: (_p, _n, rel) => {
      try {
        return lstatSync(abs(rel))
      } catch {
        return undefined // missing, or below a file: nothing to follow
      }
    },
    readlink: (_p, _n, rel) => readlinkSync(abs(rel)),
    missing: () => 'keep',
    maxHops: 255,
    tooManyLinks: () => new InvalidArgument(`too many levels of symbolic links resolving ${unsafe}`),
  }
}

/**
 * `root` + `unsafe`, following symlinks as if `root` were `/` (like
 * filepath-securejoin's SecureJoin): an absolute or `..`-climbing link cannot
 * escape. Missing components are kept as they are.
 */
export function secureJoin(root: string, unsafe: string): string {
  const {parts} = walkInRoot(plainWalker(root, unsafe), unsafe, {followLast: true})
  return path.join(root, ...parts)
}

/** The container path `p` resolves to under `root` ('/'-rooted, no symlinks). */
export function resolveInRoot(root: string, p: string): string {
  return '/' + path.relative(root, secureJoin(root, p))
}
