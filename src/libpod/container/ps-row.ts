// A `ps` row, as Podman prints it and as its templates see it.
import type {Runtime} from '../runtime.js'
import {humanDuration, humanSize, timeAgo} from '../util/human.js'
import {imageSize} from '../image/inspect.js'
import path from 'node:path'
import {healthStatus} from './healthcheck.js'
import type {Container} from './types.js'
import {psNetworkInfo} from '../network/info.js'
import {displayState} from '../define/state.js'
import {dirBytes} from '../util/du.js'
import {psNamespaces, type PsNamespaces} from './ps-namespaces.js'
import {goReporter, goView} from '../format/go-view.js'
import {PODMAN_TYPES} from '../format/podman-types.js'

const ZERO_TIME = -62135596800

export function statusText(c: Container, now = Date.now()): string {
  const s = c.state
  switch (s.status) {
    case 'running': return `Up ${humanDuration(now - Date.parse(s.startedAt ?? c.config.created))} ago`
    case 'paused': return 'Paused'
    case 'initialized': return 'Initialized'
    case 'exited':
    case 'stopped': return `Exited (${s.exitCode ?? 0}) ${timeAgo(s.finishedAt ?? c.config.created, now)}`
    case 'removing': return 'Removing'
    case 'stopping': return 'Stopping'
    default: return 'Created'
  }
}

function commandOf(c: Container, rt: Runtime): string[] {
  const cmd = c.config.command
  if (c.config.entrypoint !== undefined) return [...c.config.entrypoint, ...cmd]
  if (cmd.length) return cmd
  try {
    const img = JSON.parse(rt.store.images.get(c.config.imageId).config).config ?? {}
    return [...(img.Entrypoint ?? []), ...(img.Cmd ?? [])]
  } catch {
    return []
  }
}

export interface PsRow extends PsNamespaces {
  ID: string
  Id: string
  Image: string
  ImageID: string
  Command: string
  CreatedHuman: string
  Created: string
  CreatedAt: string
  StartedAt: number
  ExitedAt: number
  Status: string
  State: string
  Ports: string
  Names: string
  Labels: Record<string, string>
  Mounts: string[]
  Pid: number
  ExitCode: number
  Exited: boolean
  RunningFor: string
  AutoRemove: boolean
  Pod: string
  PodName: string
  /** Joined with ',' as Podman's ps template prints them. */
  Networks: string
  Size: string
  IsInfra: boolean
  json: Record<string, unknown>
  container: Container
}

/** Podman's Size of ps -s: the writable layer (rwSize) and it plus the image (rootFsSize). */
export function containerSize(rt: Runtime, c: Container): {rootFsSize: number; rwSize: number} {
  let image = 0
  try {
    image = imageSize(rt.store, rt.store.images.get(c.config.imageId))
  } catch {
    // image gone
  }
  const base = path.join(rt.containers.containerDir(c.config.id), 'rootfs')
  const rw = c.config.storageDriver === 'vfs' ? Math.max(0, dirBytes(path.join(base, 'merged')) - image) : dirBytes(path.join(base, 'diff'))
  return {rootFsSize: image + rw, rwSize: rw}
}

/** go-units HumanSizeWithPrecision(n, 3) as ps -s prints it: "0B", "1.98MB". */
function psSize(bytes: number): string {
  return humanSize(bytes).replace(' ', '')
}

/** ps JSON's Namespaces (Podman's ListContainerNamespaces: empty ones left out). */
function namespacesJson(ns: PsNamespaces): Record<string, string> {
  const out = {Mnt: ns.MNT, Cgroup: ns.CGROUPNS, Ipc: ns.IPC, Net: ns.NET, Pidns: ns.PIDNS, Uts: ns.UTS, User: ns.USERNS}
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v))
}

/**
 * What ps's templates see for a row: Podman's psReporter, which embeds
 * entities.ListContainer (its fields promoted, `.ListContainer.X` too) and
 * whose methods (ID, Names, Command, Status, Cgroup, User, ...) shadow them.
 * The JSON row stays reachable for --format json.
 */
export function psTemplateRow(row: PsRow): Record<string, unknown> {
  const ns: PsNamespaces = {CGROUPNS: row.CGROUPNS, IPC: row.IPC, MNT: row.MNT, NET: row.NET, PIDNS: row.PIDNS, USERNS: row.USERNS, UTS: row.UTS}
  // ListContainer's Status is the healthcheck's alone (the JSON's is ps's STATUS).
  const health = /^ \((.*)\)$/.exec(row.Status.slice(row.State.length))?.[1] ?? ''
  const lc = goView(PODMAN_TYPES, 'entities.ListContainer', {...row.json, Created: row.container.config.created, CreatedAt: '', Status: health})
  for (const [k, v] of Object.entries(ns)) Object.defineProperty(lc, k, {value: v, enumerable: false, configurable: true})
  const methods: Record<string, unknown> = {...row, Cgroup: ns.CGROUPNS, User: ns.USERNS}
  delete methods.container
  return goReporter('containers.psReporter', {ListContainer: lc}, 'ListContainer', methods)
}

export function psRow(rt: Runtime, c: Container, noTrunc: boolean, now: number, size: {rootFsSize: number; rwSize: number} | undefined, namespaces: boolean): PsRow {
  const command = commandOf(c, rt)
  const cmd = command.join(' ')
  const created = new Date(c.config.created)
  const running = c.state.status === 'running'
  const net = psNetworkInfo(c) // NETWORK
  const status = statusText(c, now)
  const health = healthSuffix(rt, c)
  const pod = c.config.pod ? rt.pods.read(c.config.pod) : undefined // POD
  const podId = c.config.pod ? (noTrunc ? c.config.pod : c.config.pod.slice(0, 12)) : ''
  const ns = psNamespaces(namespaces && running ? c.state.pid : undefined)
  return {
    ID: noTrunc ? c.config.id : c.config.id.slice(0, 12),
    Id: c.config.id,
    Image: c.config.imageName,
    ImageID: noTrunc ? c.config.imageId : c.config.imageId.slice(0, 12),
    Command: !noTrunc && cmd.length > 20 ? cmd.slice(0, 17) + '...' : cmd,
    CreatedHuman: timeAgo(created, now),
    Created: goTime(created),
    CreatedAt: goTime(created),
    StartedAt: c.state.startedAt ? Math.floor(Date.parse(c.state.startedAt) / 1000) : ZERO_TIME,
    ExitedAt: c.state.finishedAt ? Math.floor(Date.parse(c.state.finishedAt) / 1000) : ZERO_TIME,
    // Podman 4's template .State is the human status, as .Status.
    Status: status + health,
    State: status,
    Ports: net.psPorts,
    Names: c.config.name,
    Labels: c.config.labels,
    Mounts: c.config.mounts.map(m => m.destination),
    Pid: running ? c.state.pid ?? 0 : 0,
    ExitCode: c.state.exitCode ?? 0,
    Exited: displayState(c.state.status) === 'exited',
    RunningFor: timeAgo(created, now), // Podman 4.3.1: CreatedHuman's
    AutoRemove: c.config.remove,
    Pod: podId,
    PodName: pod?.name ?? '',
    Networks: net.networks.join(','),
    Size: size ? `${psSize(size.rwSize)} (virtual ${psSize(size.rootFsSize)})` : '',
    IsInfra: c.config.isInfra ?? false,
    ...ns,
    container: c,
    json: {
      AutoRemove: c.config.remove,
      Command: command,
      CreatedAt: timeAgo(created, now),
      Exited: displayState(c.state.status) === 'exited',
      ExitedAt: c.state.finishedAt ? Math.floor(Date.parse(c.state.finishedAt) / 1000) : ZERO_TIME,
      ExitCode: c.state.exitCode ?? 0,
      Id: c.config.id,
      Image: c.config.imageName,
      ImageID: c.config.imageId,
      IsInfra: c.config.isInfra ?? false,
      Labels: Object.keys(c.config.labels).length ? c.config.labels : null,
      Mounts: c.config.mounts.map(m => m.destination),
      Names: [c.config.name],
      Namespaces: namespacesJson(ns),
      Networks: net.networks,
      Pid: running ? c.state.pid ?? 0 : 0,
      Pod: c.config.pod ?? '',
      PodName: pod?.name ?? '',
      Ports: net.ports,
      Size: size ?? null,
      StartedAt: c.state.startedAt ? Math.floor(Date.parse(c.state.startedAt) / 1000) : ZERO_TIME,
      State: displayState(c.state.status),
      Status: status + health,
      Created: Math.floor(created.getTime() / 1000),
    },
  }
}

/**
 * The zone-name formatter goTime uses, made once: building an
 * Intl.DateTimeFormat costs ICU ~0.2 ms, and ps formats two times per row
 * (outside UTC, 100 containers took ~35 ms more).
 */
let zoneFormatter: {tz: string | undefined; f: Intl.DateTimeFormat} | undefined
function zoneFormat(): Intl.DateTimeFormat {
  // Made again when TZ changes (a library user may set it): a formatter keeps the zone it was made in.
  if (!zoneFormatter || zoneFormatter.tz !== process.env.TZ) zoneFormatter = {tz: process.env.TZ, f: new Intl.DateTimeFormat('en-US', {timeZoneName: 'short'})}
  return zoneFormatter.f
}

/** Go's time.Time.String(): `2006-01-02 15:04:05.999999999 -0700 MST`, local time. */
export function goTime(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0')
  const off = -d.getTimezoneOffset()
  const frac = d.getMilliseconds() ? '.' + p(d.getMilliseconds(), 3).replace(/0+$/, '') : ''
  const zone = off === 0 ? 'UTC' : (zoneFormat().formatToParts(d).find(x => x.type === 'timeZoneName')?.value ?? '')
  const sign = off < 0 ? '-' : '+'
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}${frac} ${sign}${p(Math.floor(Math.abs(off) / 60))}${p(Math.abs(off) % 60)} ${zone}`
}

/** ps: " (healthy)", " (unhealthy)", " (starting)" for a container with a health check. */
function healthSuffix(rt: Runtime, c: Container): string {
  const h = healthStatus(rt, c)
  return h ? ` (${h})` : ''
}
