// Choosing the OCI runtime: --runtime / containers.conf, else the first of
// crun and runc that can run here. crun refuses hybrid cgroup v1/v2 hosts
// ("cgroups in hybrid mode not supported"), so it is skipped on them.
import {existsSync, statfsSync} from 'node:fs'
import path from 'node:path'
import {RuntimeFailure} from '../define/errors.js'
import {executable} from '../util/executable.js'

const SEARCH = ['/usr/local/bin', '/usr/local/sbin', '/usr/bin', '/usr/sbin', '/bin', '/sbin', '/usr/libexec/podman', '/usr/lib/cri-o-runc/sbin']
const CGROUP2_MAGIC = 0x63677270

export interface OciRuntime {
  name: string
  path: string
}


function findBinary(name: string, configured: Record<string, string[]>): string | undefined {
  const candidates = [...(configured[name] ?? []), ...SEARCH.map(d => path.join(d, name))]
  return candidates.find(executable)
}

/** A host with cgroup v1 controllers and a cgroup2 mount at /sys/fs/cgroup/unified. */
export function isHybridCgroups(): boolean {
  try {
    return statfsSync('/sys/fs/cgroup').type !== CGROUP2_MAGIC && existsSync('/sys/fs/cgroup/unified/cgroup.controllers')
  } catch {
    return false
  }
}

/** `explicit`: asked for with --runtime (no fallback then). */
export function resolveRuntime(wanted: string, configured: Record<string, string[]> = {}, explicit = false): OciRuntime {
  if (wanted) {
    if (wanted.includes('/')) {
      if (!executable(wanted)) throw new RuntimeFailure(`cannot find OCI runtime "${wanted}": no such file`)
      return {name: path.basename(wanted), path: wanted}
    }
    const p = findBinary(wanted, configured)
    if (!p) throw new RuntimeFailure(`could not find a working binary (configured options: [${(configured[wanted] ?? []).join(' ')}]): default OCI runtime "${wanted}" not found: invalid argument`)
    if (wanted === 'crun' && !explicit && isHybridCgroups()) {
      // Podman's default is crun; on hybrid hosts fall back to runc as a user would have to.
      const runc = findBinary('runc', configured)
      if (runc) return {name: 'runc', path: runc}
    }
    return {name: wanted, path: p}
  }
  for (const name of isHybridCgroups() ? ['runc', 'crun'] : ['crun', 'runc']) {
    const p = findBinary(name, configured)
    if (p) return {name, path: p}
  }
  throw new RuntimeFailure('no OCI runtime found: install runc or crun')
}
