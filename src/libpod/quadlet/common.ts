// What every Quadlet unit type shares: the groups and their keys, the
// engine command line, the service skeleton, and the keys that several
// types turn into the same flags (networks, volumes, user namespaces, ...).
import path from 'node:path'
import {existsSync} from 'node:fs'
import {UnitFile} from './unitfile.js'

/** A Quadlet file's problem: Quadlet's message; that file is skipped. */
export class QuadletError extends Error {}

export const UNIT_DIR_TEMP = '/run/containers/systemd'
export const UNIT_DIR_ADMIN = '/etc/containers/systemd'
export const UNIT_DIR_DISTRO = '/usr/share/containers/systemd'
export const AUTO_UPDATE_LABEL = 'io.containers.autoupdate'

/** Extensions and their processing order (resources a later type names come first). */
export const SUPPORTED_EXTENSIONS: Record<string, number> = {
  '.image': 1, '.artifact': 1, '.volume': 2, '.network': 2, '.build': 3, '.container': 4, '.kube': 4, '.pod': 5,
}

const UNIT_DEPENDENCY_KEYS = ['After', 'Before', 'BindsTo', 'Conflicts', 'OnFailure', 'OnSuccess', 'PartOf',
  'PropagatesReloadTo', 'PropagatesStopTo', 'ReloadPropagatedFrom', 'Requires', 'Requisite', 'StopPropagatedFrom',
  'Upholds', 'Wants']

const keys = (s: string): Set<string> => new Set(s.split(/\s+/).filter(Boolean))

/** Each Quadlet group, the group it is kept as in the service, and its keys. */
export const GROUPS: Record<string, {x: string; keys: Set<string>}> = {
  Container: {x: 'X-Container', keys: keys(`AddCapability AddDevice AddHost Annotation AppArmor AutoUpdate CgroupsMode ContainerName
    ContainersConfModule DNS DNSOption DNSSearch DropCapability Environment EnvironmentFile EnvironmentHost Entrypoint Exec
    ExposeHostPort GIDMap GlobalArgs Group GroupAdd HealthCmd HealthInterval HealthOnFailure HealthLogDestination
    HealthMaxLogCount HealthMaxLogSize HealthRetries HealthStartPeriod HealthStartupCmd HealthStartupInterval
    HealthStartupRetries HealthStartupSuccess HealthStartupTimeout HealthTimeout HostName HttpProxy IP6 IP Image Label LogDriver
    LogOpt Mask Memory Mount Network NetworkAlias NoNewPrivileges Notify PidsLimit Pod PodmanArgs PublishPort Pull
    ReadOnly ReadOnlyTmpfs ReloadCmd ReloadSignal Retry RetryDelay Rootfs
    RunInit SeccompProfile Secret SecurityLabelDisable SecurityLabelFileType SecurityLabelLevel SecurityLabelNested
    SecurityLabelType ServiceName ShmSize StopSignal StartWithPod StopTimeout SubGIDMap SubUIDMap Sysctl Timezone Tmpfs
    UIDMap Ulimit Unmask User UserNS Volume WorkingDir`)},
  Volume: {x: 'X-Volume', keys: keys(`ContainersConfModule Copy Device Driver GID GlobalArgs Group Image Label Options PodmanArgs
    ServiceName Type UID User VolumeName`)},
  Network: {x: 'X-Network', keys: keys(`Label DNS ContainersConfModule GlobalArgs DisableDNS Driver Gateway IPAMDriver IPRange
    IPv6 InterfaceName Internal NetworkName NetworkDeleteOnStop Options ServiceName Subnet PodmanArgs`)},
  Kube: {x: 'X-Kube', keys: keys(`AutoUpdate ConfigMap ContainersConfModule ExitCodePropagation GlobalArgs KubeDownForce
    LogDriver Network PodmanArgs PublishPort ServiceName SetWorkingDirectory UserNS Yaml`)},
  Image: {x: 'X-Image', keys: keys(`AllTags Arch AuthFile CertDir ContainersConfModule Creds DecryptionKey GlobalArgs Image
    ImageTag OS PodmanArgs Policy Retry RetryDelay ServiceName TLSVerify Variant`)},
  Build: {x: 'X-Build', keys: keys(`Annotation Arch AuthFile BuildArg ContainersConfModule DNS DNSOption DNSSearch Environment File
    ForceRM GlobalArgs GroupAdd IgnoreFile ImageTag Label Network PodmanArgs Pull Retry RetryDelay Secret ServiceName
    SetWorkingDirectory Target TLSVerify Variant Volume`)},
  Pod: {x: 'X-Pod', keys: keys(`AddHost ContainersConfModule DNS DNSOption DNSSearch ExitPolicy GIDMap GlobalArgs HostName IP
    IP6 Label Network NetworkAlias PodName PodmanArgs PublishPort ServiceName ShmSize StopTimeout SubGIDMap SubUIDMap
    UIDMap UserNS Volume`)},
  Artifact: {x: 'X-Artifact', keys: keys(`Artifact AuthFile CertDir ContainersConfModule Creds DecryptionKey GlobalArgs PodmanArgs
    Quiet Retry RetryDelay ServiceName TLSVerify`)},
}
const QUADLET_KEYS = new Set(['DefaultDependencies'])

/** What one Quadlet file becomes: its service and the resource it makes. */
export interface UnitInfo {
  serviceName: string
  /** The engine's name of the container/volume/network/image/pod ('' when it has a specifier). */
  resourceName: string
  /** For .pod: the services of the containers that start with it. */
  containersToStart: string[]
}
export type UnitsInfo = Map<string, UnitInfo>
export const serviceFileName = (u: UnitInfo): string => `${u.serviceName}.service`

let engine = 'peapod'
/** The engine written into Exec* lines (the generator sets it: $PODMAN, else peapod itself). */
export function engineBinary(): string {
  return engine
}
export function setEngine(p: string): void {
  engine = p
}

/** An engine command line under construction. */
export class Cmdline {
  args: string[] = [engineBinary()]
  add(...a: string[]): void {
    this.args.push(...a)
  }
  addBool(flag: string, v: boolean): void {
    this.args.push(v ? flag : `${flag}=false`)
  }
  /** `flag k=v` for each key, sorted by key. */
  addKeys(flag: string, kv: Map<string, string | null>): void {
    for (const k of [...kv.keys()].sort()) this.args.push(flag, `${k}=${kv.get(k) ?? ''}`)
  }
}

export function removeExtension(name: string, prefix: string, suffix: string): string {
  const dot = name.lastIndexOf('.')
  return prefix + (dot > 0 ? name.slice(0, dot) : name) + suffix
}

export function serviceNameOf(unit: UnitFile, group: string, suffix: string): string {
  return unit.lookup(group, 'ServiceName') ?? removeExtension(unit.filename, '', suffix)
}

/** `--module`s and GlobalArgs come before the engine's subcommand. */
export function baseCommand(unit: UnitFile, group: string): Cmdline {
  const c = new Cmdline()
  for (const m of unit.lookupAll(group, 'ContainersConfModule')) c.add(`--module=${m}`)
  c.add(...unit.lookupAllArgs(group, 'GlobalArgs'))
  return c
}

function checkUnknownKeys(unit: UnitFile, group: string): void {
  const known = GROUPS[group]!.keys
  for (const k of unit.listKeys(group)) {
    if (!known.has(k)) throw new QuadletError(`unsupported key '${k}' in group '${group}' in ${unit.path}`)
  }
  for (const k of unit.listKeys('Quadlet')) {
    if (!QUADLET_KEYS.has(k)) throw new QuadletError(`unsupported key '${k}' in group 'Quadlet' in ${unit.path}`)
  }
}

/** `x.container` etc. named in [Unit] dependencies become their service names. */
function translateUnitDependencies(service: UnitFile, info: UnitsInfo): void {
  for (const key of UNIT_DEPENDENCY_KEYS) {
    const deps = service.lookupAllStrv('Unit', key)
    if (deps.length === 0) continue
    let translated = false
    const out = deps.map(dep => {
      if (!(path.extname(dep) in SUPPORTED_EXTENSIONS)) return dep
      const u = info.get(dep)
      if (!u) throw new QuadletError(`unable to translate dependency for ${dep}`)
      translated = true
      return serviceFileName(u)
    })
    if (!translated) continue
    service.unset('Unit', key)
    service.add('Unit', key, out.join(' '))
  }
}

/** The service's skeleton: the Quadlet file's own sections, dependencies, and its group kept as X-<Group>. */
export function initService(unit: UnitFile, isUser: boolean, info: UnitsInfo, group: string): {service: UnitFile; unitInfo: UnitInfo} {
  const unitInfo = info.get(unit.filename)
  if (!unitInfo) throw new QuadletError(`internal error while processing container ${unit.filename}`)
  checkUnknownKeys(unit, group)
  const service = unit.dup()
  service.filename = serviceFileName(unitInfo)
  translateUnitDependencies(service, info)
  if (service.lookupBooleanWithDefault('Quadlet', 'DefaultDependencies', true)) {
    // Pulls and networks need the network up; a user session cannot wait for network-online.target.
    const net = isUser ? 'podman-user-wait-network-online.service' : 'network-online.target'
    service.prependUnitLine('Unit', 'After', net)
    service.prependUnitLine('Unit', 'Wants', net)
  }
  if (unit.path !== '') service.add('Unit', 'SourcePath', unit.path)
  service.add('Unit', 'RequiresMountsFor', '%t/containers')
  service.renameGroup(group, GROUPS[group]!.x)
  service.renameGroup('Quadlet', 'X-Quadlet')
  return {service, unitInfo}
}

export function defaultOneshot(service: UnitFile, remainAfterExit: boolean): void {
  if (service.lookup('Service', 'SyslogIdentifier') === undefined) service.set('Service', 'SyslogIdentifier', '%N')
  if (service.lookup('Service', 'Type') === undefined) service.set('Service', 'Type', 'oneshot')
  if (remainAfterExit && service.lookup('Service', 'RemainAfterExit') === undefined) service.set('Service', 'RemainAfterExit', 'yes')
}

/** KillMode must be mixed or control-group; mixed lets the monitor stop the container. */
export function checkKillMode(service: UnitFile): void {
  const killMode = service.lookup('Service', 'KillMode')
  if (killMode === 'mixed' || killMode === 'control-group') return
  if (killMode !== undefined) throw new QuadletError(`invalid KillMode '${killMode}'`)
  service.set('Service', 'KillMode', 'mixed')
}

export function lookupAndAddString(unit: UnitFile, group: string, map: [string, string][], c: Cmdline): void {
  for (const [key, flag] of map) {
    const v = unit.lookup(group, key)
    if (v) c.add(flag, v)
  }
}

export function lookupAndAddAllStrings(unit: UnitFile, group: string, map: [string, string][], c: Cmdline): void {
  for (const [key, flag] of map) for (const v of unit.lookupAll(group, key)) c.add(flag, v)
}

export function lookupAndAddBoolean(unit: UnitFile, group: string, map: [string, string][], c: Cmdline): void {
  for (const [key, flag] of map) {
    const v = unit.lookupBoolean(group, key)
    if (v !== undefined) c.addBool(flag, v)
  }
}

export function lookupAndAddKeyVals(unit: UnitFile, group: string, map: [string, string][], c: Cmdline, warnings: string[]): void {
  for (const [key, flag] of map) {
    const r = unit.lookupAllKeyVal(group, key)
    warnings.push(...r.warnings)
    c.addKeys(flag, r.values)
  }
}

const startsWithSpecifier = (p: string): boolean => p.startsWith('%') && !p.startsWith('%%')

/** A relative path is relative to the Quadlet file's directory (a leading specifier is left to systemd). */
export function absolutePath(unit: UnitFile, p: string): string {
  if (startsWithSpecifier(p) || path.isAbsolute(p)) return p
  return unit.path ? path.join(path.dirname(unit.path), p) : path.resolve(p)
}

export function handlePublishPorts(unit: UnitFile, group: string, c: Cmdline): void {
  for (const p of unit.lookupAll(group, 'PublishPort')) c.add('--publish', p)
}

export function handleLogDriver(unit: UnitFile, group: string, c: Cmdline): void {
  const d = unit.lookup(group, 'LogDriver')
  if (d !== undefined) c.add('--log-driver', d)
}

export function handleLogOpt(unit: UnitFile, group: string, c: Cmdline): void {
  for (const o of unit.lookupAllStrv(group, 'LogOpt')) c.add('--log-opt', o)
}

export function handlePodmanArgs(unit: UnitFile, group: string, c: Cmdline): void {
  c.add(...unit.lookupAllArgs(group, 'PodmanArgs'))
}

export function handleUser(unit: UnitFile, group: string, c: Cmdline): void {
  const user = unit.lookup(group, 'User')
  const grp = unit.lookup(group, 'Group')
  if (!user) {
    if (grp) throw new QuadletError('invalid Group set without User')
    return
  }
  c.add('--user', grp ? `${user}:${grp}` : user)
}

const usernsOpts = (kind: string, opts: string[]): string => kind + (opts.length ? `:${opts.join(',')}` : '')

export function handleUserMappings(unit: UnitFile, group: string, c: Cmdline, supportManual: boolean): void {
  let defined = false
  const userns = unit.lookup(group, 'UserNS')
  if (userns) {
    c.add('--userns', userns)
    defined = true
  }
  const uidMaps = unit.lookupAllStrv(group, 'UIDMap')
  defined ||= uidMaps.length > 0
  for (const m of uidMaps) c.add('--uidmap', m)
  const gidMaps = unit.lookupAllStrv(group, 'GIDMap')
  defined ||= gidMaps.length > 0
  for (const m of gidMaps) c.add('--gidmap', m)
  const subuid = unit.lookup(group, 'SubUIDMap')
  if (subuid) {
    c.add('--subuidname', subuid)
    defined = true
  }
  const subgid = unit.lookup(group, 'SubGIDMap')
  if (subgid) {
    c.add('--subgidname', subgid)
    defined = true
  }
  if (defined) {
    if (unit.lookup(group, 'RemapUid') !== undefined || unit.lookup(group, 'RemapGid') !== undefined || unit.lookupLast(group, 'RemapUsers') !== undefined) {
      throw new QuadletError('deprecated Remap keys are set along with explicit mapping keys')
    }
    return
  }
  handleUserRemap(unit, group, c, supportManual)
}

function handleUserRemap(unit: UnitFile, group: string, c: Cmdline, supportManual: boolean): void {
  const uidMaps = unit.lookupAllStrv(group, 'RemapUid')
  const gidMaps = unit.lookupAllStrv(group, 'RemapGid')
  const remap = unit.lookupLast(group, 'RemapUsers') ?? ''
  switch (remap) {
    case '':
      if (uidMaps.length) throw new QuadletError('UidMap set without RemapUsers')
      if (gidMaps.length) throw new QuadletError('GidMap set without RemapUsers')
      return
    case 'manual':
      if (!supportManual) throw new QuadletError('RemapUsers=manual is not supported')
      for (const m of uidMaps) c.add('--uidmap', m)
      for (const m of gidMaps) c.add('--gidmap', m)
      return
    case 'auto': {
      const opts = [...uidMaps.map(m => `uidmapping=${m}`), ...gidMaps.map(m => `gidmapping=${m}`)]
      const size = unit.lookupUint32(group, 'RemapUidSize', 0)
      if (size > 0) opts.push(`size=${size}`)
      c.add('--userns', usernsOpts('auto', opts))
      return
    }
    case 'keep-id': {
      const opts: string[] = []
      if (uidMaps.length > 1) throw new QuadletError('RemapUsers=keep-id supports only a single value for UID mapping')
      if (uidMaps.length) opts.push(`uid=${uidMaps[0]}`)
      if (gidMaps.length > 1) throw new QuadletError('RemapUsers=keep-id supports only a single value for GID mapping')
      if (gidMaps.length) opts.push(`gid=${gidMaps[0]}`)
      c.add('--userns', usernsOpts('keep-id', opts))
      return
    }
    default:
      throw new QuadletError(`unsupported RemapUsers option '${remap}'`)
  }
}

/** `Network=x.network` / `x.container` become the resource's name plus Requires/After. */
export function addNetworks(unit: UnitFile, group: string, service: UnitFile, info: UnitsInfo, c: Cmdline): void {
  for (let network of unit.lookupAll(group, 'Network')) {
    if (network.length === 0) continue
    const colon = network.indexOf(':')
    const name = colon >= 0 ? network.slice(0, colon) : network
    const options = colon >= 0 ? network.slice(colon + 1) : ''
    const isNetwork = name.endsWith('.network')
    const isContainer = name.endsWith('.container')
    if (isNetwork || isContainer) {
      const u = info.get(name)
      if (!u) throw new QuadletError(`requested Quadlet unit ${name} was not found`)
      if (u.resourceName === '') throw new QuadletError(`cannot get the resource name of ${name}`)
      service.add('Unit', 'Requires', serviceFileName(u))
      service.add('Unit', 'After', serviceFileName(u))
      if (colon >= 0) {
        if (isContainer) throw new QuadletError("extra options are not supported when joining another container's network")
        network = `${u.resourceName}:${options}`
      } else network = isContainer ? `container:${u.resourceName}` : u.resourceName
    }
    c.add('--network', network)
  }
}

/** A volume/mount source: a path gets RequiresMountsFor, `x.volume` (and `x.image`) its resource and dependency. */
export function handleStorageSource(unit: UnitFile, service: UnitFile, source: string, info: UnitsInfo, checkImage: boolean): string {
  if (source.startsWith('.')) source = absolutePath(unit, source)
  if (source.startsWith('/')) {
    service.add('Unit', 'RequiresMountsFor', source)
  } else if (source.endsWith('.volume') || (checkImage && (source.endsWith('.image') || source.endsWith('.artifact')))) {
    const u = info.get(source)
    if (!u) throw new QuadletError(`requested Quadlet source ${source} was not found`)
    service.add('Unit', 'Requires', serviceFileName(u))
    service.add('Unit', 'After', serviceFileName(u))
    source = u.resourceName
  }
  return source
}

/** `Image=x.image` / `x.build`: the image's name, and a dependency on its service. */
export function handleImageSource(image: string, service: UnitFile, info: UnitsInfo): string {
  for (const suffix of ['.build', '.image']) {
    if (!image.endsWith(suffix)) continue
    const u = info.get(image)
    if (!u) throw new QuadletError(`requested Quadlet image ${image} was not found`)
    service.add('Unit', 'Requires', serviceFileName(u))
    service.add('Unit', 'After', serviceFileName(u))
    image = u.resourceName
  }
  return image
}

export function addVolumes(unit: UnitFile, service: UnitFile, group: string, info: UnitsInfo, c: Cmdline): void {
  for (const volume of unit.lookupAll(group, 'Volume')) {
    const parts = splitN(volume, ':', 3)
    let source = ''
    let dest: string
    if (parts.length >= 2) {
      source = parts[0]!
      dest = parts[1]!
    } else dest = parts[0]!
    const options = parts.length >= 3 ? `:${parts[2]}` : ''
    if (source !== '') source = handleStorageSource(unit, service, source, info, false)
    c.add('-v', source === '' ? dest : `${source}:${dest}${options}`)
  }
}

/** Go's strings.SplitN. */
export function splitN(s: string, sep: string, n: number): string[] {
  const out: string[] = []
  let rest = s
  while (out.length < n - 1) {
    const i = rest.indexOf(sep)
    if (i < 0) break
    out.push(rest.slice(0, i))
    rest = rest.slice(i + sep.length)
  }
  out.push(rest)
  return out
}

/** SetWorkingDirectory=yaml|file|unit|<context>: returns a build context, sets WorkingDirectory=. */
export function handleSetWorkingDirectory(unit: UnitFile, service: UnitFile, group: string): string {
  const swd = unit.lookup(group, 'SetWorkingDirectory')
  if (!swd) return ''
  let relativeTo = ''
  let context = ''
  switch (swd.toLowerCase()) {
    case 'yaml': {
      if (group !== 'Kube') throw new QuadletError(`SetWorkingDirectory=${swd} is only supported in .kube files`)
      const y = unit.lookup(group, 'Yaml')
      if (y === undefined) throw new QuadletError('no Yaml key specified')
      relativeTo = y
      break
    }
    case 'file': {
      if (group !== 'Build') throw new QuadletError(`SetWorkingDirectory=${swd} is only supported in .build files`)
      const f = unit.lookup(group, 'File')
      if (f === undefined) throw new QuadletError('no File key specified')
      relativeTo = f
      break
    }
    case 'unit':
      relativeTo = unit.path
      break
    default:
      if (group !== 'Build') throw new QuadletError(`unsupported value for WorkingDirectory: ${swd} `)
      context = swd
      if (!path.isAbsolute(context)) relativeTo = unit.path
  }
  if (relativeTo.length > 0 && !isURL(context)) {
    const wd = unit.lookup('Service', 'WorkingDirectory')
    if (wd) return ''
    service.add('Service', 'WorkingDirectory', path.dirname(absolutePath(unit, relativeTo)))
  }
  return context
}

export const isURL = (s: string): boolean => /^((https?)|(git):\/\/)|(github\.com\/).+$/.test(s)

/** Go's encoding/csv writer for one record. */
export function toCSV(fields: string[]): string {
  return fields.map(f => {
    const needs = f !== '' && (f === '\\.' || /[,"\r\n]/.test(f) || f[0] === ' ' || f[0] === '\t')
    return needs ? `"${f.replace(/"/g, '""')}"` : f
  }).join(',')
}

/** Go's encoding/csv reader for one line (quoted fields, "" escapes). */
export function parseCSV(s: string): string[] {
  const out: string[] = []
  let i = 0
  for (;;) {
    let field = ''
    if (s[i] === '"') {
      i++
      for (;;) {
        if (i >= s.length) throw new QuadletError(`parse error: extraneous or missing " in quoted-field`)
        if (s[i] === '"') {
          if (s[i + 1] === '"') {
            field += '"'
            i += 2
            continue
          }
          i++
          break
        }
        field += s[i++]
      }
    } else {
      while (i < s.length && s[i] !== ',') field += s[i++]
    }
    out.push(field)
    if (i >= s.length) return out
    i++ // the comma
  }
}

export const fileExists = (p: string): boolean => existsSync(p)
