// Disk usage of a directory tree, as Podman's ps -s, system df and volume sizes count it.
import {lstatSync, readdirSync, type Dirent} from 'node:fs'
import path from 'node:path'

/** Bytes below a directory (lstat sizes, links not followed); unreadable parts count 0. */
export function dirBytes(dir: string): number {
  let total = 0
  const walk = (d: string) => {
    let entries: Dirent[]
    try {
      entries = readdirSync(d, {withFileTypes: true})
    } catch {
      return
    }
    for (const e of entries) {
      const p = path.join(d, e.name)
      try {
        if (e.isDirectory()) walk(p)
        else total += lstatSync(p).size
      } catch {
        // gone meanwhile
      }
    }
  }
  walk(dir)
  return total
}
