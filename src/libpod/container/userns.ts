// A container's users and namespaces, from spec to running container:
// at create, --userns/--uidmap/--subuidname become concrete ID maps (in the
// IDs of the namespace peapod runs in: the host's rootful, the pause
// process's rootless) and --ipc/--pid/--uts/--userns container:ID are checked;
// at start, the rootfs is shifted to the maps once, /etc/passwd and
// /etc/group get the entries Podman adds, and the spec options are handed
// to the OCI spec generator.
import {spawnSync} from 'node:child_process'
import {chmodSync, existsSync, lchownSync, lstatSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {hostUid} from '../config/paths.js'
import {ContainerStateImproper, InvalidArgument} from '../define/errors.js'
import {readSubIds, type IdRange} from '../rootless/subid.js'
import type {Runtime} from '../runtime.js'
import type {IsolationOptions, SpecOptions} from '../spec/options.js'
import {secureJoin} from '../spec/paths.js'
import {bindNamespace, unbindNamespace} from '../util/ns-file.js'
import {expandDevice} from '../spec/isolation.js'
import type {ContainerSpec} from '../specgen/container.js'
import {validateUsersConfig, type HostUserEntry, type IdMap, type NamespaceOption, type StoredUsersConfig} from '../specgen/namespaces.js'
import type {ContainerPaths} from './paths.js'
import type {ContainerConfig} from './types.js'

const NS_NAMES = {ipc: 'IPC', pid: 'PID', uts: 'UTS', user: 'user'} as const

function hostPasswd(): HostUserEntry[] {
  let text = ''
  try {
    text = readFileSync('/etc/passwd', 'utf8')
  } catch {
    return []
  }
  return text.split('\n').filter(l => l && !l.startsWith('#')).map(l => l.split(':')).filter(f => f.length >= 7)
    .map(f => ({name: f[0], uid: Number(f[2]), gid: Number(f[3]), gecos: f[4], home: f[5], shell: f[6]}))
}

function hostUser(uid: number): HostUserEntry {
  return hostPasswd().find(u => u.uid === uid) ?? {name: String(uid), uid, gid: uid, gecos: '', home: '/', shell: '/bin/sh'}
}

/** IDs of the namespace peapod runs in: rootless, the user's own (0) and its subordinate range (1..). */
function availableIds(rootless: boolean, file: '/etc/subuid' | '/etc/subgid'): number {
  if (!rootless) return 2 ** 32 - 1
  // inside the pause process's namespace: the IDs it maps (unshare --map-auto may map fewer than the range)
  if (process.env.PEAPOD_ROOTLESS_UID) {
    try {
      const lines = readFileSync(file === '/etc/subuid' ? '/proc/self/uid_map' : '/proc/self/gid_map', 'utf8').trim().split('\n')
      return Math.max(...lines.map(l => l.trim().split(/\s+/).map(Number)).map(([inside, , count]) => inside + count))
    } catch {
      // fall back to the subordinate ranges
    }
  }
  const u = hostUser(hostUid())
  return 1 + readSubIds(file, u.name, u.uid).reduce((n, r) => n + r.count, 0)
}

/** keep-id's maps: the user's ID (0 here) at `id`, the rest around it. */
function keepIdMap(id: number, total: number): IdMap[] {
  const out: IdMap[] = []
  if (id > 0) out.push({containerId: 0, hostId: 1, size: Math.min(id, total - 1)})
  out.push({containerId: id, hostId: 0, size: 1})
  if (id + 1 < total) out.push({containerId: id + 1, hostId: id + 1, size: total - id - 1})
  return out
}

/** --subuidname: container 0.. onto that name's ranges (rootless: as this namespace numbers them). */
function subIdMap(file: '/etc/subuid' | '/etc/subgid', name: string, rootless: boolean): IdMap[] {
  const ranges = readSubIds(file, name, Number.NaN)
  if (!ranges.length) throw new InvalidArgument(`no ${file.slice(5)} ranges found for user ${JSON.stringify(name)} in ${file}`)
  const own: IdRange[] = rootless ? readSubIds(file, hostUser(hostUid()).name, hostUid()) : []
  const out: IdMap[] = []
  let next = 0
  for (const r of ranges) {
    let hostId = r.start
    if (rootless) {
      // a host ID is usable rootless only inside our own subordinate range (numbered from 1 here)
      let base = 1
      const mine = own.find(o => {
        const hit = r.start >= o.start && r.start + r.count <= o.start + o.count
        if (!hit) base += o.count
        return hit
      })
      if (!mine) throw new InvalidArgument(`cannot map ${file.slice(5)} range of ${JSON.stringify(name)}: it is not within the user's own range in ${file}`)
      hostId = base + (r.start - mine.start)
    }
    out.push({containerId: next, hostId, size: r.count})
    next += r.count
  }
  return out
}

function overlaps(a: {start: number; size: number}, b: {start: number; size: number}): boolean {
  return a.start < b.start + b.size && b.start < a.start + a.size
}

/** --userns=auto: the first free block of the IDs available, not used by another auto container. */
function autoMap(rt: Runtime, size: number, rootless: boolean): IdMap[] {
  let low: number
  let high: number
  if (rootless) {
    low = 1
    high = availableIds(true, '/etc/subuid')
  } else {
    const ranges = readSubIds('/etc/subuid', 'containers', Number.NaN)
    if (!ranges.length) throw new InvalidArgument('creating container storage: could not find enough available IDs')
    low = ranges[0].start
    high = ranges[0].start + ranges[0].count
  }
  const used = rt.containers.list()
    .filter(c => c.config.users?.userns?.mode === 'auto')
    .flatMap(c => c.config.users?.idMappings?.uidMap ?? []).map(m => ({start: m.hostId, size: m.size}))
  for (let start = low; start + size <= high;) {
    const clash = used.find(u => overlaps({start, size}, u))
    if (!clash) return [{containerId: 0, hostId: start, size}]
    start = clash.start + clash.size
  }
  throw new InvalidArgument('creating container storage: could not find enough available IDs')
}

/** Podman's estimate for auto: 1024, or more when the image's files use higher IDs (not looked at here). */
const AUTO_SIZE = 1024

function checkNsPath(kind: keyof typeof NS_NAMES, p: string): void {
  try {
    statSync(p)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message
    throw new InvalidArgument(`cannot find specified ${NS_NAMES[kind]} namespace path: stat ${p}: ${why}`)
  }
}

export interface ResolvedUsers {
  users?: StoredUsersConfig
  /** --ipc/--pid/--uts/--userns=container: as the config keeps them (container:ID with the full ID). */
  namespaces?: NonNullable<ContainerConfig['namespaces']>
  /** keep-id without --user: the user's uid:gid. */
  user?: string
}

/** At create: checks the users and namespaces options and resolves them into what the container keeps. */
export function resolveUsers(rt: Runtime, spec: ContainerSpec): ResolvedUsers {
  const rootless = rt.config.rootless
  validateUsersConfig(spec, rootless)
  const out: ResolvedUsers = {}
  const namespaces: NonNullable<ContainerConfig['namespaces']> = {}
  for (const kind of ['ipc', 'pid', 'uts'] as const) {
    const v: NamespaceOption | undefined = spec[kind]
    if (v === undefined) continue
    if (v.startsWith('ns:')) checkNsPath(kind, v.slice(3))
    // rootless, the host's IPC namespace means a bind of its /dev/mqueue (Podman fails the same way without one)
    if (kind === 'ipc' && v === 'host' && rootless && !existsSync('/dev/mqueue')) throw new InvalidArgument('statfs /dev/mqueue: no such file or directory')
    if (v.startsWith('container:')) {
      const ref = v.slice('container:'.length)
      const other = rt.containers.find(ref)
      if (!other) throw new InvalidArgument(`looking up container to share ${kind} namespace with: no container with name or ID "${ref}" found: no such container`)
      namespaces[kind] = `container:${other.config.id}`
    } else {
      namespaces[kind] = v
    }
  }
  const {ipc: _i, pid: _p, uts: _u, userns, uidMap, gidMap, subUidName, subGidName, groupAdd, passwd, passwdEntry, hostUsers, umask, personality, chrootDirs} = spec
  const users: StoredUsersConfig = {
    ...userns && userns.mode !== 'host' ? {userns} : {},
    ...groupAdd?.length ? {groupAdd} : {},
    ...passwd === false ? {passwd} : {},
    ...passwdEntry !== undefined ? {passwdEntry} : {},
    ...umask !== undefined ? {umask} : {},
    ...personality !== undefined ? {personality} : {},
    ...chrootDirs?.length ? {chrootDirs} : {},
  }
  if (hostUsers?.length) {
    const all = hostPasswd()
    users.hostUsers = hostUsers
    users.hostUserEntries = hostUsers.map(h => {
      const e = all.find(u => u.name === h || String(u.uid) === h)
      if (!e) throw new InvalidArgument(`unable to find user ${h}: no matching entries in passwd file`)
      return e
    })
  }
  // explicit maps
  if (uidMap?.length || gidMap?.length) {
    users.uidMap = uidMap ?? gidMap
    users.gidMap = gidMap ?? uidMap
    users.idMappings = {uidMap: users.uidMap!, gidMap: users.gidMap!}
  } else if (subUidName || subGidName) {
    users.subUidName = subUidName
    users.subGidName = subGidName
    users.idMappings = {
      uidMap: subIdMap('/etc/subuid', subUidName ?? subGidName!, rootless),
      gidMap: subIdMap('/etc/subgid', subGidName ?? subUidName!, rootless),
    }
  }
  switch (userns?.mode) {
    case 'keep-id': {
      const me = hostUser(hostUid())
      const uid = userns.uid ?? me.uid
      const gid = userns.gid ?? me.gid
      users.idMappings = {uidMap: keepIdMap(uid, availableIds(true, '/etc/subuid')), gidMap: keepIdMap(gid, availableIds(true, '/etc/subgid'))}
      // Podman adds the user's own entry only without uid=/gid= (then it is a numeric user like any other)
      if (userns.uid === undefined && userns.gid === undefined) users.keepIdUser = me
      if (spec.user === undefined) out.user = `${uid}:${gid}`
      break
    }
    case 'nomap': {
      users.idMappings = {uidMap: [{containerId: 0, hostId: 1, size: availableIds(true, '/etc/subuid') - 1}], gidMap: [{containerId: 0, hostId: 1, size: availableIds(true, '/etc/subgid') - 1}]}
      break
    }
    case 'auto': {
      const uidMapA = userns.uidMappings ?? autoMap(rt, userns.size ?? AUTO_SIZE, rootless)
      users.idMappings = {uidMap: uidMapA, gidMap: userns.gidMappings ?? uidMapA}
      break
    }
    case 'ns':
      checkNsPath('user', userns.path)
      break
    case 'container': {
      const other = rt.containers.find(userns.container)
      if (!other) throw new InvalidArgument(`looking up container to share user namespace with: no container with name or ID "${userns.container}" found: no such container`)
      users.userns = {mode: 'container', container: other.config.id}
      break
    }
  }
  for (const m of [...users.idMappings?.uidMap ?? [], ...users.idMappings?.gidMap ?? []]) {
    if (m.size === 0) throw new InvalidArgument(`container ID ${m.containerId} cannot be mapped to a host ID`)
  }
  if (Object.keys(users).length) out.users = users
  if (Object.keys(namespaces).length) out.namespaces = namespaces
  return out
}

// ---- start ------------------------------------------------------------------

function usernsFile(p: ContainerPaths): string {
  return path.join(p.run, 'userns')
}

const mapText = (maps: readonly IdMap[]) => maps.map(m => `${m.containerId} ${m.hostId} ${m.size}`).join('\n') + '\n'

/**
 * Makes the container's own user namespace before anything else of it, bound
 * at a file in its run dir: its network namespace is then made inside it (so
 * that the container's root owns it, and `exec` can join both), and the OCI
 * runtime joins it. Undefined when the container has no maps of its own.
 */
export async function createUserns(rt: Runtime, c: ContainerConfig, p: ContainerPaths): Promise<string | undefined> {
  const mode = c.users?.userns
  // joined: its network namespace is made in that one, for the same reason
  if (mode?.mode === 'ns') return mode.path
  if (mode?.mode === 'container') return nsOfContainer(rt, mode.container, 'user')
  const maps = c.users?.idMappings
  if (!maps) return undefined
  const file = usernsFile(p)
  await unbindNamespace(file)
  await bindNamespace(['unshare', '--user', '--'], 'user', file, pid => {
    writeFileSync(`/proc/${pid}/uid_map`, mapText(maps.uidMap))
    writeFileSync(`/proc/${pid}/gid_map`, mapText(maps.gidMap))
  })
  return file
}

/** Undoes createUserns (releaseBundle). */
export async function releaseUserns(p: ContainerPaths): Promise<void> {
  if (existsSync(usernsFile(p))) await unbindNamespace(usernsFile(p))
}

function mapId(id: number, maps: readonly IdMap[]): number | undefined {
  const m = maps.find(x => id >= x.containerId && id < x.containerId + x.size)
  return m ? m.hostId + (id - m.containerId) : undefined
}

/**
 * Chowns every file of the rootfs from image IDs to the IDs they have
 * through the container's maps, so that root's files are root's inside
 * (as containers/storage does for a container with its own maps). Done once:
 * a marker in the container's dir records the maps it was done for.
 */
function shiftRootfs(rootfs: string, dir: string, maps: {uidMap: IdMap[]; gidMap: IdMap[]}): void {
  const marker = path.join(dir, 'userns-shifted.json')
  const want = JSON.stringify(maps)
  if (existsSync(marker) && readFileSync(marker, 'utf8') === want) return
  const walk = (p: string) => {
    const st = lstatSync(p)
    const uid = mapId(st.uid, maps.uidMap) ?? st.uid
    const gid = mapId(st.gid, maps.gidMap) ?? st.gid
    if (uid !== st.uid || gid !== st.gid) {
      lchownSync(p, uid, gid)
      // chown(2) drops setuid/setgid bits: put them back
      if (!st.isSymbolicLink() && (st.mode & 0o6000)) chmodSync(p, st.mode & 0o7777)
    }
    if (st.isDirectory()) for (const e of readdirSync(p)) walk(path.join(p, e))
  }
  walk(rootfs)
  writeFileSync(marker, want)
}

/**
 * The container's root (another uid than ours) must reach its rootfs and the
 * files bind-mounted from the run dir: directories on the way get o+x
 * (traverse only, no listing), as containers/storage makes its dirs 0711.
 */
function makeTraversable(...targets: string[]): void {
  for (const t of targets) {
    for (let d = path.dirname(t); ; d = path.dirname(d)) {
      try {
        const st = statSync(d)
        if (!(st.mode & 0o001) && st.uid === process.getuid?.()) chmodSync(d, (st.mode & 0o7777) | 0o001)
      } catch {
        // not ours or gone: the runtime says so if it matters
      }
      if (d === '/' || d === path.dirname(d)) break
    }
  }
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
}

function appendLine(file: string, line: string): void {
  const text = readText(file) ?? ''
  writeFileSync(file, `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${line}\n`)
}

/** $USERNAME, $UID, $GID, $NAME, $HOME in a --passwd-entry template. */
function fillTemplate(t: string, e: {name: string; uid: number; gid: number; gecos: string; home: string}): string {
  return t.replace(/\$(USERNAME|UID|GID|NAME|HOME)/g, (_m, k: string) => ({USERNAME: e.name, UID: String(e.uid), GID: String(e.gid), NAME: e.gecos, HOME: e.home})[k]!)
}

/**
 * The entries Podman adds to the container's /etc/passwd and /etc/group
 * (--passwd, default true): the keep-id user, --hostuser users, and a
 * numeric --user without an entry (`UID:*:UID:GID:container user:/:/bin/sh`).
 */
function addPasswdEntries(rootfs: string, c: ContainerConfig, workdir: string): void {
  const u = c.users
  if (u?.passwd === false) return
  const passwdFile = secureJoin(rootfs, '/etc/passwd')
  const groupFile = secureJoin(rootfs, '/etc/group')
  if (!existsSync(passwdFile)) return
  const entries = () => (readText(passwdFile) ?? '').split('\n').map(l => l.split(':'))
  const has = (name: string, uid: number) => entries().some(f => (name !== '' && f[0] === name) || (f.length > 2 && f[2] === String(uid)))
  // the user's home when the container has it, else the working directory (Podman's rule)
  const homeOf = (h: string) => (h !== '' && existsSync(secureJoin(rootfs, h)) ? h : workdir)
  for (const h of u?.hostUserEntries ?? []) {
    if (!has(h.name, h.uid)) appendLine(passwdFile, `${h.name}:*:${h.uid}:${h.gid}:${h.gecos}:${homeOf(h.home)}:/bin/sh`)
  }
  const k = u?.keepIdUser
  if (k) {
    const home = homeOf(k.home)
    const e = {name: k.name, uid: k.uid, gid: k.gid, gecos: k.gecos, home}
    if (!has(k.name, k.uid)) {
      appendLine(passwdFile, u?.passwdEntry !== undefined ? fillTemplate(u.passwdEntry, e) : `${k.name}:*:${k.uid}:${k.gid}:${k.gecos}:${home}:/bin/sh`)
    }
    const groups = (readText(groupFile) ?? '').split('\n').map(l => l.split(':'))
    if (existsSync(groupFile) && !groups.some(g => g[0] === k.name || g[2] === String(k.gid))) appendLine(groupFile, `${k.name}:x:${k.gid}:${k.name}`)
    return
  }
  // a numeric --user the image does not know
  const [userPart = '', groupPart] = (c.user ?? '').split(':')
  if (!/^\d+$/.test(userPart)) return
  const uid = Number(userPart)
  if (has('', uid)) return
  const gid = groupPart !== undefined && /^\d+$/.test(groupPart) ? Number(groupPart) : 0
  const e = {name: String(uid), uid, gid, gecos: 'container user', home: '/'}
  appendLine(passwdFile, u?.passwdEntry !== undefined ? fillTemplate(u.passwdEntry, e) : `${uid}:*:${uid}:${gid}:container user:/:/bin/sh`)
}

/** The maps of a user namespace to join: runc 1.1 wants them in the spec too. */
function mapsOf(nsPath: string): {uidMappings: IdMap[]; gidMappings: IdMap[]} {
  const read = (file: string) => {
    const r = spawnSync('nsenter', [`--user=${nsPath}`, '--preserve-credentials', '--', 'cat', file], {encoding: 'utf8'})
    if (r.status !== 0) throw new InvalidArgument(`cannot read the ID maps of user namespace ${nsPath}: ${(r.stderr || '').trim()}`)
    return r.stdout.trim().split('\n').filter(Boolean).map(l => l.trim().split(/\s+/).map(Number)).map(([containerId, hostId, size]) => ({containerId, hostId, size}))
  }
  return {uidMappings: read('/proc/self/uid_map'), gidMappings: read('/proc/self/gid_map')}
}

function nsOfContainer(rt: Runtime, ref: string, type: string): string {
  const other = rt.containers.read(ref)
  if (!other || (other.state.status !== 'running' && other.state.status !== 'paused') || !other.state.pid) {
    throw ContainerStateImproper.because(`cannot join ${type} namespace of container ${ref}: container is not running`)
  }
  return `/proc/${other.state.pid}/ns/${type}`
}

/**
 * At start, once the rootfs is mounted: shifts it to the container's maps,
 * writes the passwd/group entries, and returns what the OCI spec generator
 * needs for users, namespaces and devices.
 */
export function prepareUsers(rt: Runtime, c: ContainerConfig, rootfs: string, p: ContainerPaths, workdir: string, userns?: string): Partial<SpecOptions> {
  const u = c.users
  // a joined user namespace (ns:, container:, a pod's infra's): its maps, for the rootfs as for the spec
  const joined = (u?.userns?.mode === 'ns' || u?.userns?.mode === 'container') && userns ? mapsOf(userns) : undefined
  const maps = u?.idMappings ?? (joined ? {uidMap: joined.uidMappings, gidMap: joined.gidMappings} : undefined)
  if (maps) {
    shiftRootfs(rootfs, p.dir, maps)
    makeTraversable(rootfs, p.hosts)
    // Podman's files belong to the container's root
    const [uid, gid] = [mapId(0, maps.uidMap), mapId(0, maps.gidMap)]
    for (const f of [p.hosts, p.hostname, p.resolvConf, p.containerEnv]) {
      try {
        if (uid !== undefined && gid !== undefined) lchownSync(f, uid, gid)
      } catch {
        // not written for this container
      }
    }
  }
  addPasswdEntries(rootfs, c, workdir)
  const isolation: IsolationOptions = {}
  if (u?.idMappings) isolation.userns = {path: userns, uidMappings: u.idMappings.uidMap, gidMappings: u.idMappings.gidMap}
  if (joined) isolation.userns = {path: userns, ...joined}
  if (c.devices?.devices?.length) isolation.devices = c.devices.devices
  if (c.devices?.deviceCgroupRules?.length) isolation.deviceCgroupRules = c.devices.deviceCgroupRules
  if (u?.personality) isolation.personality = u.personality
  if (u?.groupAdd?.includes('keep-groups')) isolation.keepGroups = true
  if (u?.chrootDirs?.length) isolation.chrootDirs = u.chrootDirs
  const out: Partial<SpecOptions> = {isolation}
  const groups = u?.groupAdd?.filter(g => g !== 'keep-groups')
  if (groups?.length) out.groupAdd = groups
  if (u?.umask !== undefined) out.umask = u.umask
  if (maps && !maps.gidMap.some(m => 5 >= m.containerId && 5 < m.containerId + m.size)) out.gid5Mapped = false
  return out
}

/**
 * The config fields of users, namespaces and devices, for create (checked
 * first, so a bad value leaves nothing behind). A pod's namespaces are kept
 * unless the spec names its own.
 */
export function usersConfigFields(rt: Runtime, spec: ContainerSpec, podNamespaces?: ContainerConfig['namespaces']): Pick<ContainerConfig, 'users' | 'devices' | 'namespaces' | 'user'> {
  const r = resolveUsers(rt, spec)
  for (const d of spec.devices ?? []) expandDevice(d)
  const out: Pick<ContainerConfig, 'users' | 'devices' | 'namespaces' | 'user'> = {}
  if (r.users) out.users = r.users
  if (spec.devices?.length || spec.deviceCgroupRules?.length) out.devices = {devices: spec.devices, deviceCgroupRules: spec.deviceCgroupRules}
  if (r.namespaces || podNamespaces) out.namespaces = {...podNamespaces, ...r.namespaces}
  if (r.user !== undefined) out.user = r.user
  return out
}
