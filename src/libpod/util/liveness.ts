// Whether a process is alive, and still the one we started: pids are reused,
// so callers that hold a pid from a file check its command line for a marker.
// A zombie (exited, not yet reaped) counts as dead.
import {readdirSync, readFileSync} from 'node:fs'

/** The pid exists (a zombie included); EPERM means it exists but is not ours. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** The process exists and has not exited (not a zombie). */
export function pidRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')
  } catch {
    return false
  }
}

/** The process runs and its command line contains `marker` (so the pid was not reused). */
export function processAlive(pid: number | undefined, marker: string): boolean {
  if (!pid || !pidRunning(pid)) return false
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker)
  } catch {
    return false
  }
}

/** Running processes whose argument list passes `test` (a /proc walk: for crash recovery, not hot paths). */
export function processesWithArgs(test: (argv: string[]) => boolean): number[] {
  const out: number[] = []
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue
    try {
      const argv = readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0')
      if (test(argv) && pidRunning(Number(d))) out.push(Number(d))
    } catch {
      // gone, or not ours to read
    }
  }
  return out
}
