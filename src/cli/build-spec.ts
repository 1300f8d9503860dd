// `build` flag values → typed options: the ContainerSpec fields every RUN
// step gets (build-flags.ts's buildContainerFlags), the pull options, and
// the small parsers of build's own forms (--build-arg-file, --env,
// --build-context, --platform). Podman's messages; all checked before the
// build starts, so a bad value leaves nothing behind.
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {InvalidArgument} from '../libpod/define/errors.js'
import type {BuildRunOptions} from '../libpod/specgen/build.js'
import {normalizeCapability} from '../libpod/spec/caps.js'
import {parseIdMap, parseNamespaceOption, type UsernsMode} from '../libpod/specgen/namespaces.js'
import {toNetworkSpec} from './network-spec.js'
import {parseRamSize, parseResourceLimits} from './resource-spec.js'
import {toDevicesSpec} from './namespace-spec.js'
import {parseVolumeFlag} from './spec-mounts.js'
import {parseSecurityOpts, parseUlimitFlag} from './spec-security.js'

const list = (f: Record<string, unknown>, k: string) => (f[k] as string[] | undefined) ?? []
/** Go's StringSlice: each value may hold several, comma-separated. */
const slice = (f: Record<string, unknown>, k: string) => list(f, k).flatMap(v => v.split(',')).filter(Boolean)

/** --userns as buildah reads it: container (a new namespace), host, or ns:PATH. */
function usernsOption(v: string): UsernsMode {
  if (v === 'host' || v === '') return {mode: 'host'}
  if (v === 'container' || v === 'private') return {mode: 'auto'}
  if (v.startsWith('ns:') && v.length > 3) return {mode: 'ns', path: v.slice(3)}
  if (v.startsWith('/')) return {mode: 'ns', path: v}
  throw new InvalidArgument(`checking user namespace: stat ${v}: no such file or directory`)
}

/** The container flags of build → what every RUN step's spec gets. */
export function toBuildRunOptions(f: Record<string, unknown>, cwd: string = process.cwd()): BuildRunOptions {
  const out: BuildRunOptions = {}
  const s = (k: string) => f[k] as string | undefined
  const capAdd = slice(f, 'cap-add')
  const capDrop = slice(f, 'cap-drop')
  for (const c of [...capAdd, ...capDrop]) {
    try {
      normalizeCapability(c)
    } catch (e) {
      throw new InvalidArgument(`creating build executor: ${(e as Error).message}`)
    }
  }
  if (capAdd.length) out.capAdd = capAdd
  if (capDrop.length) out.capDrop = capDrop
  const secOpts = list(f, 'security-opt')
  if (secOpts.some(o => o === 'no-new-privileges' || o.startsWith('no-new-privileges='))) throw new InvalidArgument('no-new-privileges is not supported')
  for (const o of secOpts) if (!o.includes('=')) throw new InvalidArgument(`invalid --security-opt name=value pair: ${JSON.stringify(o)}`)
  if (secOpts.length) out.security = parseSecurityOpts(secOpts)
  const ulimits = slice(f, 'ulimit').map(parseUlimitFlag)
  if (ulimits.length) out.ulimits = ulimits
  const limits = parseResourceLimits(f)
  if (limits) out.resourceLimits = limits
  if (s('shm-size') !== undefined) {
    try {
      out.shmSize = parseRamSize(s('shm-size')!)
    } catch (e) {
      throw new InvalidArgument(`parsing --shm-size: ${(e as Error).message}`)
    }
  }
  if (s('cgroup-parent')) out.cgroupParent = s('cgroup-parent')
  const cgroupns = s('cgroupns')
  if (cgroupns !== undefined) {
    if (cgroupns !== 'host' && cgroupns !== 'private') throw new InvalidArgument(`cgroupns: invalid value ${JSON.stringify(cgroupns)}: 'private' or 'host'`)
    out.cgroupns = cgroupns
  }
  for (const k of ['ipc', 'pid', 'uts'] as const) {
    const v = s(k)
    if (v === undefined) continue
    // buildah's form: a path names a namespace to join
    out[k] = parseNamespaceOption(k, v.startsWith('/') ? `ns:${v}` : v === 'container' ? 'private' : v)
  }
  const uidMap = slice(f, 'userns-uid-map').map(m => parseIdMap(m, 'UID'))
  const gidMap = slice(f, 'userns-gid-map').map(m => parseIdMap(m, 'GID'))
  if (uidMap.length) out.uidMap = uidMap
  if (gidMap.length) out.gidMap = gidMap
  if (s('userns-uid-map-user')) out.subUidName = s('userns-uid-map-user')
  if (s('userns-gid-map-group')) out.subGidName = s('userns-gid-map-group')
  const maps = uidMap.length || gidMap.length || out.subUidName || out.subGidName
  if (s('userns') !== undefined) {
    const u = usernsOption(s('userns')!)
    // --userns=container with explicit maps: the maps are the new namespace
    if (!(maps && u.mode === 'auto')) {
      if (maps && u.mode !== 'host') throw new InvalidArgument('--userns and --userns-uid-map/--userns-gid-map are mutually exclusive')
      if (!(maps && u.mode === 'host')) out.userns = u
    }
  }
  const devices = toDevicesSpec({device: list(f, 'device')}).devices
  if (devices) out.devices = devices
  const mounts = list(f, 'volume').map(v => parseVolumeFlag(v, cwd))
  for (const m of mounts) {
    if (m.type !== 'bind') throw new InvalidArgument(`invalid volume ${JSON.stringify(m.destination)}: build takes bind mounts of host paths (HOST-DIR:CONTAINER-DIR)`)
  }
  if (mounts.length) out.mounts = mounts
  const network = toNetworkSpec({
    network: s('network') === undefined ? [] : [s('network')!],
    dns: list(f, 'dns'),
    'dns-search': slice(f, 'dns-search'),
    'dns-option': slice(f, 'dns-option'),
    'add-host': slice(f, 'add-host'),
    'no-hosts': f['no-hosts'] === 'true',
  })
  if (Object.keys(network).length) out.network = network
  if (f['http-proxy'] === 'false') out.httpProxy = false
  return out
}

/** One KEY=VALUE line list (--build-arg-file): blank lines and # comments skipped. */
export function readBuildArgFile(file: string): string[] {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (e) {
    throw new InvalidArgument(`reading build args from ${JSON.stringify(file)}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`)
  }
  return text.split('\n').map(l => l.replace(/\r$/, '')).filter(l => l.trim() !== '' && !l.trimStart().startsWith('#'))
}

/** --env KEY=VALUE (a bare KEY: an empty value, as buildah) → ordered pairs. */
export function parseBuildEnv(values: readonly string[]): Array<[string, string]> {
  return values.map(v => {
    const i = v.indexOf('=')
    const k = i < 0 ? v : v.slice(0, i)
    if (!k) throw new InvalidArgument(`invalid env ${JSON.stringify(v)}: the name is empty`)
    return [k, i < 0 ? '' : v.slice(i + 1)]
  })
}

/** --build-context NAME=VALUE: docker-image://REF (or container-image://), an http(s) URL of a tarball, else a directory (relative to here). */
export function parseBuildContexts(values: readonly string[], cwd: string = process.cwd()): Record<string, {dir?: string; image?: string; url?: string}> {
  const out: Record<string, {dir?: string; image?: string; url?: string}> = {}
  for (const v of values) {
    const i = v.indexOf('=')
    if (i <= 0 || i === v.length - 1) throw new InvalidArgument(`invalid --build-context ${JSON.stringify(v)}: must be NAME=VALUE`)
    const name = v.slice(0, i)
    const val = v.slice(i + 1)
    if (val.startsWith('docker-image://')) out[name] = {image: val.slice('docker-image://'.length)}
    else if (val.startsWith('container-image://')) out[name] = {image: val.slice('container-image://'.length)}
    else if (/^https?:\/\//.test(val)) out[name] = {url: val}
    else out[name] = {dir: path.resolve(cwd, val)}
  }
  return out
}

/** --platform/--os/--arch/--variant → the image's platform (the host's where not given). */
export function buildPlatform(f: Record<string, unknown>): {os?: string; arch?: string; variant?: string} | undefined {
  const s = (k: string) => f[k] as string | undefined
  let os = s('os')
  let arch = s('arch')
  let variant = s('variant')
  const p = s('platform')
  if (p !== undefined && p !== '') {
    if (p.includes(',')) throw new InvalidArgument('building for multiple platforms (--platform with a list) is not supported: build one platform at a time')
    const parts = p.split('/')
    if (parts.length < 2 || parts.length > 3 || parts.some(x => x === '')) throw new InvalidArgument(`invalid platform syntax for --platform=${JSON.stringify(p)}: use "os/arch[/variant]"`)
    ;[os, arch, variant] = [parts[0], parts[1], parts[2] ?? variant]
  }
  if (os === undefined && arch === undefined && variant === undefined) return undefined
  return {os, arch, variant}
}
