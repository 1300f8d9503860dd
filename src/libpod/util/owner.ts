// Who is doing a piece of work that spans several writes (a name reserved
// before its document exists, a container being removed): this process's
// pid and start time. A token whose process is gone (killed mid-way) marks
// work nobody will finish, which the next command may then undo or finish.
// The start time guards against pid reuse.
import {readFileSync} from 'node:fs'

/** Field 22 of /proc/PID/stat: the start time in clock ticks since boot. */
function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    if (fields[0] === 'Z') return undefined
    return fields[19]
  } catch {
    return undefined
  }
}

let self: string | undefined

/** This process's token: "PID:STARTTIME". */
export function ownerToken(): string {
  return self ??= `${process.pid}:${startTime(process.pid) ?? 0}`
}

/** Whether the process a token names still runs (false for a malformed token). */
export function ownerAlive(token: string | undefined): boolean {
  const m = /^(\d+):(\d+)$/.exec(token?.trim() ?? '')
  if (!m) return false
  return startTime(Number(m[1])) === m[2]
}
