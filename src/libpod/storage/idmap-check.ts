// Which uids/gids exist in our user namespace. Checking up front turns the
// kernel's bare EINVAL from lchown into containers/storage's actionable message.
import {readFileSync} from 'node:fs'
import {StorageError} from '../define/errors.js'

type Range = [start: number, length: number]

function readRanges(file: string): Range[] | undefined {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return undefined // no procfs: let the kernel decide
  }
  const ranges: Range[] = []
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/)
    if (f.length === 3) ranges.push([Number(f[0]), Number(f[2])])
  }
  return ranges
}

function inRanges(ranges: Range[] | undefined, id: number): boolean {
  if (!ranges) return true
  return ranges.some(([start, len]) => id >= start && id - start < len)
}

export class IdMapCheck {
  private readonly uids = readRanges('/proc/self/uid_map')
  private readonly gids = readRanges('/proc/self/gid_map')

  /** Throws unless uid and gid are mapped; `file` names the entry for the message. */
  check(uid: number, gid: number, file: string): void {
    if (inRanges(this.uids, uid) && inRanges(this.gids, gid)) return
    throw new StorageError(
      `potentially insufficient UIDs or GIDs available in user namespace (requested ${uid}:${gid} for ${file}): Check /etc/subuid and /etc/subgid`,
    )
  }
}
