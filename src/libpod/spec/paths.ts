// Paths inside a container's rootfs, resolved without leaving it.
import {lstatSync, readlinkSync} from 'node:fs'
import path from 'node:path'
import {InvalidArgument} from '../define/errors.js'

/**
 * `root` + `unsafe`, following symlinks as if `root` were `/` (like
 * filepath-securejoin): an absolute or `..`-climbing link cannot escape.
 * Missing components are kept as they are.
 */
export function secureJoin(root: string, unsafe: string): string {
  const todo = unsafe.split('/').filter(Boolean)
  let done: string[] = []
  let links = 0
  while (todo.length) {
    const part = todo.shift() as string
    if (part === '.') continue
    if (part === '..') {
      done.pop()
      continue
    }
    const full = path.join(root, ...done, part)
    let isLink = false
    try {
      isLink = lstatSync(full).isSymbolicLink()
    } catch {
      // missing: nothing to follow
    }
    if (!isLink) {
      done.push(part)
      continue
    }
    if (++links > 255) throw new InvalidArgument(`too many levels of symbolic links resolving ${unsafe}`)
    const target = readlinkSync(full)
    if (target.startsWith('/')) done = []
    todo.unshift(...target.split('/').filter(Boolean))
  }
  return path.join(root, ...done)
}

/** The container path `p` resolves to under `root` (the secureJoin result minus `root`). */
export function resolveInRoot(root: string, p: string): string {
  const full = secureJoin(root, p)
  const rel = path.relative(root, full)
  return '/' + rel
}
