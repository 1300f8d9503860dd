// --systemd: what a container whose command is systemd (or init) gets so that
// systemd runs as PID 1 unmodified, as Podman 4.3.1's setupSystemd: tmpfs on
// /run, /run/lock, /tmp and /var/log/journal (unless the user mounted
// something there), container_uuid for the machine ID, and a writable
// systemd cgroup (the name=systemd hierarchy on cgroup v1, /sys/fs/cgroup on
// v2). The stop signal (SIGRTMIN+3) is chosen at create.
import {readFileSync} from 'node:fs'
import {InvalidArgument} from '../define/errors.js'
import {sortMounts} from './mounts.js'
import type {OciMount, OciSpec} from './oci.js'

/** The commands that turn systemd mode on with --systemd=true (Podman's list; any `…/systemd` too). */
const INIT_COMMANDS = ['/sbin/init', '/usr/sbin/init', '/usr/local/sbin/init']

/**
 * Whether a container runs in systemd mode: always with `always`, never with
 * `false`; with `true` when its command (entrypoint + cmd, as the spec runs
 * it) is an init or systemd, looking past the `/bin/sh -c` of a build.
 */
export function useSystemdMode(mode: SystemdMode | undefined, argv: readonly string[]): boolean {
  if (mode === 'always') return true
  if (mode === 'false' || argv.length === 0) return false
  const cmd = argv.length > 2 && argv[0] === '/bin/sh' && argv[1] === '-c' ? argv.slice(2) : argv
  return INIT_COMMANDS.includes(cmd[0]) || cmd[0].split('/').pop() === 'systemd'
}

export type SystemdMode = 'true' | 'false' | 'always'

/** Podman's check of --systemd (the CLI lowercases the value first). */
export function validateSystemdMode(mode: string | undefined): void {
  if (mode !== undefined && !['true', 'false', 'always'].includes(mode)) {
    throw new InvalidArgument('invalid config provided: --systemd values must be one of "true, false, always": invalid configuration')
  }
}

/** SIGRTMIN+3: how systemd is asked to shut down. */
export const SYSTEMD_STOP_SIGNAL = 37

const TMPFS_OPTIONS = ['rw', 'rprivate', 'nosuid', 'nodev', 'tmpcopyup']

/** The mount options of a host mount point from mountinfo (undefined when it is not one). */
function hostMountOptions(dest: string, mountinfo: string): string[] | undefined {
  for (const line of mountinfo.split('\n')) {
    const f = line.split(' ')
    if (f[4] === dest) return f[5].split(',')
  }
  return undefined
}

export interface SystemdModeHost {
  /** The host's cgroup layout is v2 only. */
  cgroupV2: boolean
  /** /proc/self/mountinfo's text (for tests). */
  mountinfo?: string
}

/** Adds systemd mode's environment, tmpfs mounts and cgroup mount to a generated spec. */
export function applySystemdMode(spec: OciSpec, id: string, host: SystemdModeHost): void {
  const process = spec.process!
  const env = process.env ?? []
  if (!env.some(e => e.startsWith('container_uuid='))) process.env = [...env, `container_uuid=${id.slice(0, 32)}`]
  let mounts: OciMount[] = [...spec.mounts ?? []]
  const taken = (d: string) => mounts.some(m => m.destination === d)
  for (const d of ['/run', '/run/lock', '/tmp', '/var/log/journal']) {
    if (!taken(d)) mounts.push({destination: d, type: 'tmpfs', source: 'tmpfs', options: [...TMPFS_OPTIONS]})
  }
  const masked = spec.linux?.maskedPaths ?? []
  if (host.cgroupV2) {
    // systemd manages its own subtree: /sys/fs/cgroup writable, its own with a cgroup namespace
    const ownNs = spec.linux?.namespaces?.some(n => n.type === 'cgroup')
    mounts = mounts.filter(m => m.destination !== '/sys/fs/cgroup')
    mounts.push(ownNs
      ? {destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['private', 'rw']}
      : {destination: '/sys/fs/cgroup', type: 'bind', source: '/sys/fs/cgroup', options: ['bind', 'private', 'rw']})
  } else {
    let info = host.mountinfo
    if (info === undefined) {
      try {
        info = readFileSync('/proc/self/mountinfo', 'utf8')
      } catch {
        info = ''
      }
    }
    const opts = hostMountOptions('/sys/fs/cgroup/systemd', info)
    // a host without the name=systemd hierarchy has nothing to give
    if (opts) {
      const options = ['bind', 'rprivate', ...['nodev', 'noexec', 'nosuid', 'ro'].filter(o => opts.includes(o))]
      mounts.push({destination: '/sys/fs/cgroup/systemd', type: 'bind', source: '/sys/fs/cgroup/systemd', options})
      spec.linux = {...spec.linux, maskedPaths: [...masked, '/sys/fs/cgroup/systemd/release_agent']}
    }
  }
  spec.mounts = sortMounts(mounts)
}
