// generateSpec: SpecOptions → the OCI config.json Podman 4.3.1 would write.
import {readFileSync} from 'node:fs'
import {InvalidArgument} from '../define/errors.js'
import {containerCapabilities, hostBoundingSet} from './caps.js'
import {resolveCommand} from './command.js'
import {
  CONTAINER_INIT_PATH, DEFAULT_INIT_PATH, DEFAULT_SHM_SIZE, DEFAULT_SYSCTLS, DEFAULT_UMASK, DEV_MOUNT,
  LIBPOD_BIND_OPTIONS, MQUEUE_MOUNT, OCI_VERSION, PROC_MOUNT, READ_ONLY_TMPFS_DIRS, READ_ONLY_TMPFS_OPTIONS,
  SYSFS_MOUNT, devptsMount, sizeOption,
} from './defaults.js'
import {finishEnv, mergeEnv} from './env.js'
import {checkDuplicateDestinations, cleanPath, hostMountFlags, processMountOptions, sortMounts} from './mounts.js'
import type {OciLinux, OciMount, OciNamespace, OciProcess, OciResources, OciSpec} from './oci.js'
import type {NamespaceMode, NetworkMode, SpecOptions} from './options.js'
import {resolveInRoot} from './paths.js'
import {containerSeccomp} from './seccomp.js'
import {kernelPaths} from './security.js'
import {parseSignal} from './signals.js'
import {hasSysResource, toOciRlimits} from './ulimits.js'
import {processUser, readUserFiles} from './user.js'
import {applyIsolation} from './isolation.js'

function isHost(mode: NamespaceMode | NetworkMode | undefined): boolean {
  return mode === 'host'
}

function nsEntry(type: OciNamespace['type'], mode: NamespaceMode | NetworkMode | undefined): OciNamespace[] {
  if (mode === 'host') return []
  if (mode?.startsWith('ns:')) return [{type, path: mode.slice(3)}]
  return [{type}]
}

function namespaces(o: SpecOptions): OciNamespace[] {
  return [
    ...nsEntry('pid', o.pid),
    ...nsEntry('network', o.network),
    ...nsEntry('ipc', o.ipc),
    ...nsEntry('uts', o.uts),
    {type: 'mount'},
    ...(o.cgroupns === 'private' || o.cgroupns?.startsWith('ns:') ? nsEntry('cgroup', o.cgroupns) : []),
  ]
}

function sysctls(o: SpecOptions): Record<string, string> {
  const out: Record<string, string> = {}
  const skip = (k: string) =>
    (isHost(o.ipc) && k.startsWith('fs.mqueue.')) ||
    (isHost(o.network) && k.startsWith('net.')) ||
    (isHost(o.uts) && (k.startsWith('kernel.domainname') || k.startsWith('kernel.hostname')))
  for (const [k, v] of Object.entries(o.defaultSysctls ?? DEFAULT_SYSCTLS)) if (!skip(k)) out[k] = v
  for (const [k, v] of Object.entries(o.sysctls ?? {})) {
    if (skip(k)) {
      const ns = k.startsWith('net.') ? 'Network' : k.startsWith('fs.') ? 'IPC' : 'UTS'
      throw new InvalidArgument(`sysctl ${k}=${v} can't be set since ${ns} Namespace set to host`)
    }
    out[k] = v
  }
  return out
}

function readOomScoreAdj(): number | undefined {
  try {
    return Number(readFileSync('/proc/self/oom_score_adj', 'utf8').trim())
  } catch {
    return undefined
  }
}

function umaskOf(o: SpecOptions): number {
  if (o.umask === undefined) return DEFAULT_UMASK
  if (!/^[0-7]{1,4}$/.test(o.umask)) throw new InvalidArgument(`invalid umask string ${o.umask}`)
  return parseInt(o.umask, 8)
}

interface MountContext {
  o: SpecOptions
  uid: number
  gid: number
  unmask: readonly string[]
  procOpts?: string[]
}

/** /proc, /dev, /sys, /dev/pts, /dev/mqueue and /sys/fs/cgroup, adjusted as Podman does for rootless and privileged. */
function defaultMounts(c: MountContext, maskSysKernel: () => void): OciMount[] {
  const {o} = c
  const rootless = !!o.rootless
  const privileged = !!o.privileged
  // sysfs can only be mounted by the owner of the network namespace
  const canMountSys = !(isHost(o.network) && rootless)
  let cgroupPerm = o.cgroupV2 && c.unmask.some(u => u.toUpperCase() === 'ALL' || u.split(':').some(p => cleanPath(p) === '/sys/fs/cgroup')) ? 'rw' : 'ro'
  const proc: OciMount = rootless && isHost(o.pid)
    ? {destination: '/proc', type: 'bind', source: '/proc', options: ['rbind', 'nosuid', 'noexec', 'nodev']}
    : {...PROC_MOUNT, options: c.procOpts ? [...c.procOpts] : [...(PROC_MOUNT.options ?? [])]}
  let sys: OciMount = {...SYSFS_MOUNT, options: [...(SYSFS_MOUNT.options ?? [])]}
  const extra: OciMount[] = []
  if (privileged && canMountSys) {
    cgroupPerm = 'rw'
    sys = {destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['rprivate', 'nosuid', 'noexec', 'nodev', 'rw']}
  }
  if (!canMountSys) {
    const r = privileged ? 'rw' : 'ro'
    sys = {destination: '/sys', type: 'bind', source: '/sys', options: ['rprivate', 'nosuid', 'noexec', 'nodev', r, 'rbind']}
    extra.push({destination: '/sys/fs/cgroup', type: 'bind', source: '/sys/fs/cgroup', options: ['rprivate', 'nosuid', 'noexec', 'nodev', r, 'rbind']})
    if (!privileged) maskSysKernel()
  } else {
    extra.push({destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['rprivate', 'nosuid', 'noexec', 'nodev', 'relatime', cgroupPerm]})
  }
  const mqueue: OciMount = rootless && isHost(o.ipc)
    ? {destination: '/dev/mqueue', type: 'bind', source: '/dev/mqueue', options: ['bind', 'nosuid', 'noexec', 'nodev']}
    : {...MQUEUE_MOUNT, options: [...(MQUEUE_MOUNT.options ?? [])]}
  return [proc, {...DEV_MOUNT, options: [...(DEV_MOUNT.options ?? [])]}, sys, devptsMount(o.gid5Mapped ?? true), mqueue, ...extra]
}

/** The user's binds and tmpfs mounts, the read-only tmpfs dirs and the init binary, options processed. */
function userMounts(c: MountContext): OciMount[] {
  const {o} = c
  const flagsOf = o.mountFlags ?? ((s: string) => hostMountFlags(s))
  const out: OciMount[] = []
  for (const b of o.binds ?? []) {
    if (!b.source.startsWith('/')) throw new InvalidArgument(`invalid host path ${JSON.stringify(b.source)}, must be an absolute path`)
    if (!b.destination.startsWith('/')) throw new InvalidArgument(`invalid container path ${JSON.stringify(b.destination)}, must be an absolute path`)
    if (b.options.includes('O')) throw new InvalidArgument(`overlay volumes (:O) are not supported: ${b.destination}`)
    const opts = processMountOptions(b.options, {tmpfs: false, sourceFlags: flagsOf(b.source)})
    // relabeling (z, Z), chown (U) and copy-up are the caller's work, not the runtime's
    const kept = opts.filter(x => !['z', 'Z', 'U', 'copy', 'nocopy'].includes(x))
    out.push({destination: cleanPath(b.destination), type: 'bind', source: b.source, options: kept})
  }
  for (const t of o.tmpfs ?? []) {
    if (!t.destination.startsWith('/')) throw new InvalidArgument(`invalid container path ${JSON.stringify(t.destination)}, must be an absolute path`)
    const opts = processMountOptions(t.options, {tmpfs: true}).flatMap(x => (x === 'U' ? [`uid=${c.uid}`, `gid=${c.gid}`] : [x]))
    out.push({destination: cleanPath(t.destination), type: 'tmpfs', source: 'tmpfs', options: opts})
  }
  checkDuplicateDestinations(out.map(m => m.destination))
  if (o.readOnly && (o.readOnlyTmpfs ?? true)) {
    for (const dir of READ_ONLY_TMPFS_DIRS) {
      if (!out.some(m => m.destination === dir)) out.push({destination: dir, type: 'tmpfs', source: 'tmpfs', options: [...READ_ONLY_TMPFS_OPTIONS]})
    }
  }
  if (o.init) {
    const src = o.initPath ?? DEFAULT_INIT_PATH
    out.push({destination: CONTAINER_INIT_PATH, type: 'bind', source: src, options: processMountOptions(['bind', 'ro'], {tmpfs: false, sourceFlags: flagsOf(src)})})
  }
  return out
}

/** /etc/resolv.conf, /etc/hosts, /dev/shm, /run/.containerenv, /etc/hostname, unless the user mounted something there. */
function libpodMounts(o: SpecOptions, taken: (dest: string) => boolean): OciMount[] {
  const out: OciMount[] = []
  const ro = o.readOnly ? ['ro', 'nosuid', 'noexec', 'nodev'] : []
  const bind = (destination: string, source: string | undefined) => {
    if (source !== undefined && !taken(destination)) out.push({destination, type: 'bind', source, options: [...LIBPOD_BIND_OPTIONS, ...ro]})
  }
  const files = o.files ?? {}
  bind('/etc/resolv.conf', files.resolvConf)
  bind('/etc/hosts', files.hosts)
  if (!taken('/dev/shm')) {
    const shmBind = isHost(o.ipc) ? '/dev/shm' : o.shmPath
    out.push(shmBind !== undefined
      ? {destination: '/dev/shm', type: 'bind', source: shmBind, options: [...LIBPOD_BIND_OPTIONS, 'nosuid', 'noexec', 'nodev']}
      : {destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', sizeOption(o.shmSize ?? DEFAULT_SHM_SIZE)]})
  }
  // with a mount on /run the file would be hidden under it; Podman skips it then
  if (!taken('/run')) bind('/run/.containerenv', files.containerEnv)
  bind('/etc/hostname', files.hostname)
  return out
}

function resources(o: SpecOptions): OciResources {
  // the container's limits, made by container/resources.ts
  if (o.resources) return o.resources
  const out: OciResources = {}
  // the devices cgroup cannot be set up from inside a user namespace
  if (!o.rootless) out.devices = [{allow: !!o.privileged, access: 'rwm'}]
  if (o.pidsLimit !== undefined) out.pids = {limit: o.pidsLimit}
  return out
}

/** The OCI runtime config for a container, with Podman 4.3.1's defaults. */
export function generateSpec(o: SpecOptions): OciSpec {
  const image = o.image ?? {}
  const sec = o.security ?? {}
  const bounding = o.boundingSet ?? hostBoundingSet()

  const userSpec = o.user ?? image.User ?? ''
  const pu = processUser(userSpec, readUserFiles(o.rootfs), {groupAdd: o.groupAdd, availableGids: o.availableGids})

  const env = finishEnv(
    mergeEnv({defaults: o.defaultEnv, imageEnv: image.Env ?? [], envHost: o.envHost, httpProxy: o.httpProxy, envFiles: o.envFiles, env: o.env, hostEnv: o.hostEnv}),
    {home: pu.home, hostname: o.hostname},
  )

  const args = resolveCommand({imageEntrypoint: image.Entrypoint, imageCmd: image.Cmd, entrypoint: o.entrypoint, command: o.command, init: o.init})

  if (o.workdir !== undefined && !o.workdir.startsWith('/')) throw new InvalidArgument(`workdir ${JSON.stringify(o.workdir)} must be an absolute path`)
  const cwd = o.workdir || image.WorkingDir || '/'

  const caps = containerCapabilities(o, userSpec, bounding)

  const process: OciProcess = {
    user: {uid: pu.uid, gid: pu.gid, umask: umaskOf(o)},
    args,
    env,
    cwd,
    capabilities: caps,
  }
  if (o.tty) process.terminal = true
  if (pu.additionalGids.length) process.user.additionalGids = pu.additionalGids
  const ulimits = o.ulimits ?? []
  if (ulimits.length) {
    const canRaise = o.canRaiseRlimits ?? (!o.rootless && hasSysResource())
    process.rlimits = toOciRlimits(ulimits, {rootless: !!o.rootless, canRaise, hostLimits: o.hostLimits})
  }
  if (sec.noNewPrivileges) process.noNewPrivileges = true
  if (sec.apparmorProfile !== undefined) {
    if (!o.apparmorEnabled) {
      if (sec.apparmorProfile !== 'unconfined') throw new InvalidArgument(`Apparmor profile ${JSON.stringify(sec.apparmorProfile)} specified, but Apparmor is not enabled on this system`)
    } else {
      process.apparmorProfile = sec.apparmorProfile
    }
  }
  if (o.oomScoreAdj !== undefined) {
    let adj = o.oomScoreAdj
    if (adj < -1000 || adj > 1000) throw new InvalidArgument(`oom_score_adj must be between -1000 and 1000: ${adj}`)
    // an unprivileged process cannot lower its children's score below its own
    const floor = o.rootless ? o.currentOomScoreAdj ?? readOomScoreAdj() : undefined
    if (floor !== undefined && adj < floor) adj = floor
    process.oomScoreAdj = adj
  }

  // Mounts: defaults, superseded by the user's; then libpod's files.
  const extraMasked: string[] = []
  const ctx: MountContext = {o, uid: pu.uid, gid: pu.gid, unmask: sec.unmask ?? [], procOpts: sec.procOpts}
  const defaults = defaultMounts(ctx, () => extraMasked.push('/sys/kernel'))
  const user = userMounts(ctx)
  const userDest = new Set(user.map(m => m.destination))
  const devMounted = userDest.has('/dev')
  let mounts = [...defaults.filter(m => !userDest.has(m.destination) && !(devMounted && m.destination.startsWith('/dev/'))), ...user]
  mounts.push(...libpodMounts(o, dest => mounts.some(m => m.destination === dest)))
  // runtimes choke on tmpfs destinations that are symlinks: resolve them inside the rootfs
  mounts = mounts.map(m => (m.type === 'tmpfs' ? {...m, destination: resolveInRoot(o.rootfs, m.destination)} : m))
  mounts = sortMounts(mounts)

  const kp = kernelPaths({privileged: !!o.privileged, rootless: !!o.rootless, pidHost: isHost(o.pid), mask: sec.mask ?? [], unmask: sec.unmask ?? []})
  const linux: OciLinux = {namespaces: namespaces(o)}
  const sc = sysctls(o)
  if (Object.keys(sc).length) linux.sysctl = sc
  linux.resources = resources(o)
  if (o.cgroupsPath) linux.cgroupsPath = o.cgroupsPath
  const seccomp = containerSeccomp(sec.seccompProfile, !!o.privileged, {boundingCaps: caps.bounding ?? [], arch: o.arch, kernel: o.kernel, defaultPaths: o.seccompDefaultPaths})
  if (seccomp) linux.seccomp = seccomp
  const masked = [...extraMasked, ...kp.maskedPaths]
  if (masked.length) linux.maskedPaths = masked
  if (kp.readonlyPaths.length) linux.readonlyPaths = kp.readonlyPaths

  const annotations: Record<string, string> = {...(o.annotations ?? {})}
  annotations['io.container.manager'] ??= 'libpod'
  annotations['org.opencontainers.image.stopSignal'] = String(parseSignal(o.stopSignal ?? (image.StopSignal || 'SIGTERM')))

  // with the host's (or a joined) UTS namespace the runtime may not set a hostname
  const ownUts = !isHost(o.uts) && !o.uts?.startsWith('ns:')
  const spec: OciSpec = {
    ociVersion: OCI_VERSION,
    process,
    root: o.readOnly ? {path: o.rootfs, readonly: true} : {path: o.rootfs},
    ...(ownUts ? {hostname: o.hostname} : {}),
    mounts,
    annotations,
    linux,
  }
  applyIsolation(spec, o) // USERS/NAMESPACES/DEVICES: --userns, --device, --personality ...
  return spec
}
