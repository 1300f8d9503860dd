// `info`: Podman 4.3.1's report on the host, the store and the version
// (libpod/define/info.go). infoReport() gives the JSON shape (`--format json`
// and the YAML view); infoTemplateData() the same report under the Go field
// names that Podman's --format templates use ({{.Host.OCIRuntime.Name}}).
import {existsSync, readFileSync, statfsSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {spawnSync} from 'node:child_process'
import {requireFrom} from '../util/require-from.js'
import type {Runtime} from '../runtime.js'
import {hostUid} from '../config/paths.js'
import {readSubIds} from '../rootless/subid.js'
import {ansicTime} from '../define/ansic-time.js'
import {eventsBackend} from '../events/log.js'
import {goMap, goNil} from '../format/template.js'

const DEFAULT_CAPS = ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']

export interface IdMap { container_id: number; host_id: number; size: number }

/** peapod's version report (the `version` command's, and info's `version`). */
export function versionReport(): Record<string, string | number> {
  const pkg = requireFrom(import.meta.url)('../../../package.json') as {version: string}
  return {
    APIVersion: pkg.version,
    Version: pkg.version,
    GoVersion: `node ${process.version}`,
    GitCommit: '',
    BuiltTime: ansicTime(new Date(0)),
    Built: 0,
    OsArch: `linux/${goArch()}`,
    Os: 'linux',
  }
}

function goArch(): string {
  return ({x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x'} as Record<string, string>)[process.arch] ?? process.arch
}

function firstLine(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, {encoding: 'utf8', timeout: 5000})
  return r.status === 0 ? r.stdout.trim() : ''
}

function osRelease(): Record<string, string> {
  const out: Record<string, string> = {}
  try {
    for (const l of readFileSync('/etc/os-release', 'utf8').split('\n')) {
      const m = /^([A-Z_]+)=("?)(.*)\2$/.exec(l.trim())
      if (m) out[m[1]] = m[3]
    }
  } catch {
    // none
  }
  return out
}

function meminfo(): Record<string, number> {
  const out: Record<string, number> = {}
  try {
    for (const l of readFileSync('/proc/meminfo', 'utf8').split('\n')) {
      const m = /^(\w+):\s+(\d+)/.exec(l)
      if (m) out[m[1]] = Number(m[2]) * 1024
    }
  } catch {
    // none
  }
  return out
}

/** Busy shares since boot, from /proc/stat's cpu line (as Podman's cpuUtilization). */
function cpuUtilization(): {userPercent: number; systemPercent: number; idlePercent: number} {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number)
    const total = f.reduce((a, b) => a + b, 0) || 1
    const pct = (n: number) => Math.round(n / total * 10000) / 100
    return {userPercent: pct(f[0] + f[1]), systemPercent: pct(f[2]), idlePercent: pct(f[3])}
  } catch {
    return {userPercent: 0, systemPercent: 0, idlePercent: 0}
  }
}

/** Podman's uptime text: `14h 11m 24.00s (Approximately 0.58 days)`. */
export function uptimeText(seconds: number): string {
  const h = Math.floor(seconds / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  const s = (seconds % 60).toFixed(2)
  return `${h}h ${m}m ${s}s (Approximately ${(seconds / 86400).toFixed(2)} days)`
}

function cgroupInfo(rootless: boolean): {version: string; controllers: string[]} {
  let v2 = false
  try {
    v2 = statfsSync('/sys/fs/cgroup').type === 0x63677270
  } catch {
    // no cgroupfs
  }
  if (v2) {
    try {
      return {version: 'v2', controllers: readFileSync('/sys/fs/cgroup/cgroup.controllers', 'utf8').trim().split(/\s+/).filter(Boolean)}
    } catch {
      return {version: 'v2', controllers: []}
    }
  }
  // cgroup v1: rootless has no cgroup of its own to control (Podman: []).
  if (rootless) return {version: 'v1', controllers: []}
  const want = ['cpuset', 'cpu', 'cpuacct', 'blkio', 'memory', 'devices', 'freezer', 'net_cls', 'perf_event', 'net_prio', 'hugetlb', 'pids', 'rdma', 'misc']
  const present = want.filter(c => existsSync(path.join('/sys/fs/cgroup', c)))
  return {version: 'v1', controllers: present.filter(c => !['net_cls', 'perf_event', 'net_prio', 'hugetlb', 'rdma', 'misc'].includes(c))}
}

function userName(uid: number): string {
  try {
    const line = readFileSync('/etc/passwd', 'utf8').split('\n').find(l => l.split(':')[2] === String(uid))
    if (line) return line.split(':')[0]
  } catch {
    // fall through
  }
  return String(uid)
}

/** Rootless: the user's own ID as root, then its subordinate ranges (what the user namespace maps). */
export function idMappings(rootless: boolean): {gidmap: IdMap[] | null; uidmap: IdMap[] | null} {
  if (!rootless) return {gidmap: null, uidmap: null}
  const uid = hostUid()
  const user = userName(uid)
  const gid = Number(process.env.PEAPOD_ROOTLESS_GID ?? process.getgid?.() ?? uid)
  const maps = (file: string, own: number): IdMap[] => {
    let next = 1
    return [{container_id: 0, host_id: own, size: 1}, ...readSubIds(file, user, uid).map(r => {
      const m = {container_id: next, host_id: r.start, size: r.count}
      next += r.count
      return m
    })]
  }
  return {gidmap: maps('/etc/subgid', gid), uidmap: maps('/etc/subuid', uid)}
}

function dirUsage(dir: string): {allocated: number; used: number} {
  for (let d = dir; ; d = path.dirname(d)) {
    try {
      const s = statfsSync(d)
      return {allocated: s.blocks * s.bsize, used: (s.blocks - s.bfree) * s.bsize}
    } catch {
      if (d === path.dirname(d)) return {allocated: 0, used: 0}
    }
  }
}

/** The report, with Podman's JSON keys. */
export async function infoReport(rt: Runtime): Promise<Record<string, unknown>> {
  const cfg = rt.config
  const rel = osRelease()
  const mem = meminfo()
  const cg = cgroupInfo(cfg.rootless)
  let oci: {name: string; path: string} = {name: '', path: ''}
  try {
    oci = await rt.oci()
  } catch {
    // no runtime: reported empty, as the rest still helps
  }
  const slirp = ['/usr/bin/slirp4netns', '/usr/local/bin/slirp4netns'].find(p => existsSync(p)) ?? ''
  const seccomp = ['/etc/containers/seccomp.json', '/usr/share/containers/seccomp.json'].find(p => existsSync(p)) ?? ''
  const containers = rt.listContainers()
  const running = containers.filter(c => c.status === 'running').length
  const paused = containers.filter(c => c.status === 'paused').length
  const storageConf = cfg.configDirs.map(d => path.join(d, 'storage.conf')).find(p => existsSync(p)) ?? ''
  const usage = dirUsage(cfg.graphRoot)
  const xdg = process.env.XDG_RUNTIME_DIR
  const {monitorEntry} = await import('../../conmon/launch.js')
  const logDriver = typeof cfg.containers.log_driver === 'string' && cfg.containers.log_driver ? cfg.containers.log_driver : 'k8s-file'
  const version = versionReport()
  return {
    host: {
      arch: goArch(),
      buildahVersion: '',
      cgroupManager: cfg.cgroupManager,
      cgroupVersion: cg.version,
      cgroupControllers: cg.controllers,
      conmon: {package: '', path: monitorEntry(), version: `peapod monitor ${version.Version} (peapod runs its own monitor, not conmon)`},
      cpus: os.cpus().length,
      cpuUtilization: cpuUtilization(),
      distribution: {distribution: rel.ID ?? 'unknown', version: rel.VERSION_ID ?? 'unknown', ...(rel.VERSION_CODENAME ? {codename: rel.VERSION_CODENAME} : {})},
      eventLogger: eventsBackend(cfg),
      hostname: os.hostname(),
      idMappings: idMappings(cfg.rootless),
      kernel: os.release(),
      logDriver,
      memFree: mem.MemFree ?? os.freemem(),
      memTotal: mem.MemTotal ?? os.totalmem(),
      networkBackend: 'netavark',
      ociRuntime: {name: oci.name, package: '', path: oci.path, version: oci.path ? firstLine(oci.path, ['--version']) : ''},
      os: 'linux',
      remoteSocket: {path: cfg.rootless ? `${xdg && path.isAbsolute(xdg) ? xdg : `/run/user/${hostUid()}`}/podman/podman.sock` : '/run/podman/podman.sock'},
      serviceIsRemote: false,
      security: {
        apparmorEnabled: false,
        capabilities: DEFAULT_CAPS.map(c => `CAP_${c}`).join(','),
        rootless: cfg.rootless,
        seccompEnabled: Boolean(seccomp),
        seccompProfilePath: seccomp,
        selinuxEnabled: false,
      },
      slirp4netns: {executable: slirp, package: '', version: slirp ? firstLine(slirp, ['--version']) : ''},
      swapFree: mem.SwapFree ?? 0,
      swapTotal: mem.SwapTotal ?? 0,
      uptime: uptimeText(os.uptime()),
      linkmode: 'dynamic',
    },
    store: {
      configFile: storageConf,
      containerStore: {number: containers.length, paused, running, stopped: containers.length - running - paused},
      graphDriverName: rt.store.driver.name,
      graphOptions: {},
      graphRoot: cfg.graphRoot,
      graphRootAllocated: usage.allocated,
      graphRootUsed: usage.used,
      graphStatus: rt.store.driver.name === 'overlay'
        ? {'Backing Filesystem': 'extfs', 'Native Overlay Diff': 'true', 'Supports d_type': 'true', 'Using metacopy': 'false'}
        : {},
      imageCopyTmpDir: process.env.TMPDIR || '/var/tmp',
      imageStore: {number: rt.listImages().length},
      runRoot: cfg.runRoot,
      volumePath: cfg.volumePath,
    },
    registries: {},
    plugins: {volume: ['local'], network: ['bridge', 'macvlan'], log: ['k8s-file', 'none', 'passthrough'], authorization: null},
    version,
  }
}

/** Go field names where they are not the JSON key with a capital first letter. */
const GO_NAMES: Record<string, string> = {
  cgroupVersion: 'CgroupsVersion', cpus: 'CPUs', cpuUtilization: 'CPUUtilization', idMappings: 'IDMappings',
  gidmap: 'GIDMap', uidmap: 'UIDMap', container_id: 'ContainerID', host_id: 'HostID', ociRuntime: 'OCIRuntime',
  os: 'OS', apparmorEnabled: 'AppArmorEnabled', capabilities: 'DefaultCapabilities', seccompEnabled: 'SECCOMPEnabled',
  seccompProfilePath: 'SECCOMPProfilePath', selinuxEnabled: 'SELinuxEnabled', slirp4netns: 'Slirp4NetNS',
}
/** Go maps in the report (their keys stay as they are). */
const MAPS = new Set(['graphOptions', 'graphStatus', 'registries'])

/** The report as Podman's templates see it: Go field names, maps kept as maps. */
export function infoTemplateData(report: Record<string, unknown>): Record<string, unknown> {
  const conv = (v: unknown, key = ''): unknown => {
    if (Array.isArray(v)) return v.map(x => conv(x))
    if (v === null && (key === 'gidmap' || key === 'uidmap')) return [] // a Go nil slice prints []
    if (v === null || typeof v !== 'object') return v
    if (MAPS.has(key)) return goMap({...v as object})
    const out: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      out[GO_NAMES[k] ?? k.charAt(0).toUpperCase() + k.slice(1)] = conv(x, k)
    }
    return out
  }
  const out = conv(report) as Record<string, Record<string, unknown>>
  // Fields Podman's structs have that the JSON leaves out (omitempty), in Go's order.
  const host = out.Host
  if (host) {
    const d = (host.Distribution ?? {}) as Record<string, unknown>
    host.Distribution = {Distribution: d.Distribution ?? '', Variant: d.Variant ?? '', Version: d.Version ?? '', Codename: d.Codename ?? ''}
    const sock = (host.RemoteSocket ?? {}) as {Path?: string}
    host.RemoteSocket = {Path: sock.Path ?? '', Exists: sock.Path ? existsSync(sock.Path) : false}
    host.RuntimeInfo ??= goNil(goMap({}))
    out.Host = Object.fromEntries([...HOST_ORDER.filter(k => k in host).map(k => [k, host[k]]), ...Object.entries(host).filter(([k]) => !HOST_ORDER.includes(k))])
  }
  if (out.Plugins && out.Plugins.Authorization === null) out.Plugins.Authorization = goNil([])
  return out
}

const HOST_ORDER = ['Arch', 'BuildahVersion', 'CgroupManager', 'CgroupsVersion', 'CgroupControllers', 'Conmon', 'CPUs', 'CPUUtilization', 'Distribution', 'EventLogger', 'Hostname',
  'IDMappings', 'Kernel', 'LogDriver', 'MemFree', 'MemTotal', 'NetworkBackend', 'OCIRuntime', 'OS', 'RemoteSocket', 'RuntimeInfo', 'ServiceIsRemote', 'Security', 'Slirp4NetNS',
  'SwapFree', 'SwapTotal', 'Uptime', 'Linkmode']
