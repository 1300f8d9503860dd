// `ps --ns`: the namespaces of a running container's process, each as the
// inode number in its /proc/PID/ns link ("ipc:[4026532310]" -> "4026532310"),
// as Podman's GetNamespaceInfo gives them. A container that is not running,
// or a link this user may not read, gives empty strings (Podman's blanks).
import {readlinkSync} from 'node:fs'

/** The template fields of `ps --ns`, by /proc/PID/ns entry. */
const FIELDS = {CGROUPNS: 'cgroup', IPC: 'ipc', MNT: 'mnt', NET: 'net', PIDNS: 'pid', USERNS: 'user', UTS: 'uts'} as const

export type PsNamespaces = Record<keyof typeof FIELDS, string>

/** PID's namespaces (0 or undefined: not running, all empty). */
export function psNamespaces(pid: number | undefined): PsNamespaces {
  const out = {} as PsNamespaces
  for (const [field, ns] of Object.entries(FIELDS) as [keyof typeof FIELDS, string][]) {
    let link = ''
    if (pid) {
      try {
        link = readlinkSync(`/proc/${pid}/ns/${ns}`)
      } catch {
        // gone, or another user's process
      }
    }
    out[field] = /\[(\d+)\]/.exec(link)?.[1] ?? ''
  }
  return out
}
