// Choosing the OCI runtime: --runtime / containers.conf, else the first of
// crun and runc that can run here. crun refuses hybrid cgroup v1/v2 hosts
// ("cgroups in hybrid mode not supported"), so it is skipped on them.
// The choice comes back as an OciRuntime implementation (types.ts).
import {existsSync, statfsSync} from 'node:fs'
import path from 'node:path'
import type {Config} from '../config/config.js'
import {RuntimeFailure} from '../define/errors.js'
import {executable} from '../util/executable.js'
import {OciCliRuntime} from './cli.js'
import {Crun} from './crun.js'
import {Runc} from './runc.js'
import {Runsc} from './runsc.js'
import type {OciRuntime, OciRuntimeOptions} from './types.js'

export type {OciRuntime} from './types.js'

const SEARCH = ['/usr/local/bin', '/usr/local/sbin', '/usr/bin', '/usr/sbin', '/bin', '/sbin', '/usr/libexec/podman', '/usr/lib/cri-o-runc/sbin']
const CGROUP2_MAGIC = 0x63677270

/** What resolveRuntime asks of the host; tests give their own answers. */
export interface HostProbe {
  /** Hybrid cgroups (default: looked up). */
  hybrid?: boolean
  /** Directories searched for a runtime named without a path. */
  search?: string[]
}

function findBinary(name: string, configured: Record<string, string[]>, search: string[]): string | undefined {
  const candidates = [...(configured[name] ?? []), ...search.map(d => path.join(d, name))]
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

/** The implementation for a runtime's name: runc's, crun's, runsc's, else the plain runc-compatible CLI. */
export function ociImplementation(name: string, binary: string, opts: OciRuntimeOptions): OciRuntime {
  if (name === 'runsc') return new Runsc(name, binary, opts)
  if (name === 'crun') return new Crun(name, binary, opts)
  if (name.startsWith('runc')) return new Runc(name, binary, opts)
  return new OciCliRuntime(name, binary, opts)
}

const DEFAULT_OPTIONS: OciRuntimeOptions = {root: '/run/peapod/runc', rootless: false}

/** `explicit`: asked for with --runtime (no fallback then). */
export function resolveRuntime(wanted: string, configured: Record<string, string[]> = {}, explicit = false, opts: OciRuntimeOptions = DEFAULT_OPTIONS, host: HostProbe = {}): OciRuntime {
  const search = host.search ?? SEARCH
  const hybrid = () => host.hybrid ?? isHybridCgroups()
  const make = (name: string, binary: string) => ociImplementation(name, binary, opts)
  if (wanted) {
    if (wanted.includes('/')) {
      if (!executable(wanted)) throw new RuntimeFailure(`cannot find OCI runtime "${wanted}": no such file`)
      return make(path.basename(wanted), wanted)
    }
    const p = findBinary(wanted, configured, search)
    if (!p) throw new RuntimeFailure(`could not find a working binary (configured options: [${(configured[wanted] ?? []).join(' ')}]): default OCI runtime "${wanted}" not found: invalid argument`)
    if (wanted === 'crun' && !explicit && hybrid()) {
      // Podman's default is crun; on hybrid hosts fall back to runc as a user would have to.
      const runc = findBinary('runc', configured, search)
      if (runc) return make('runc', runc)
    }
    return make(wanted, p)
  }
  for (const name of hybrid() ? ['runc', 'crun'] : ['crun', 'runc']) {
    const p = findBinary(name, configured, search)
    if (p) return make(name, p)
  }
  throw new RuntimeFailure('no OCI runtime found: install runc or crun')
}

/** The runtime's --root: one state directory for all containers of a run root. */
export function ociRoot(runRoot: string): string {
  return path.join(runRoot, 'runc')
}

/**
 * The OCI runtime a container runs with: --runtime wins, then the
 * container's own choice (create --runtime), then containers.conf.
 */
export function containerRuntime(config: Config, c?: {runtime?: string; network?: string}): OciRuntime {
  const wanted = config.runtimeExplicit ? config.runtime : (c?.runtime || config.runtime)
  // --systemd-cgroup stays off: the spec carries no systemd-style cgroupsPath yet.
  return resolveRuntime(wanted, config.runtimePaths, config.runtimeExplicit, {root: ociRoot(config.runRoot), rootless: config.rootless, network: c?.network,
    // Podman's --runtime-flag: each value becomes `--value` before the verb.
    extraFlags: (config.runtimeFlags ?? []).map(f => f.startsWith('-') ? f : `--${f}`)})
}

/**
 * The OCI runtime a container of `rt` uses: the Runtime's fixed one (unit
 * tests plug oci/fake.ts in there), else --runtime, the container's own
 * choice, containers.conf. Engine code calls this rather than rt.oci() so
 * the runtimes load only where a container is worked on.
 */
export function ociFor(rt: {config: Config; fixedOci?: OciRuntime}, c?: {runtime?: string; network?: string}): OciRuntime {
  return rt.fixedOci ?? containerRuntime(rt.config, c)
}
