// A container's mounts at create, as Podman works them out
// (pkg/specgen/generate/storage.go finalizeMounts, specgenutil/volumes.go):
// the user's -v, --mount and --tmpfs (a destination given twice is an
// error) supersede the "base" mounts: the image's VOLUMEs (anonymous
// volumes) and --volumes-from (which supersede the image's).
// Nothing is created here; createVolumes() makes the volumes once the rest
// of the container's options have been checked.
import {statSync} from 'node:fs'
import path from 'node:path'
import type {CreateOptions} from '../container/create.js'
import type {MountSpec} from '../container/types.js'
import {InvalidArgument, NoSuchContainer, PeapodError} from '../errors.js'
import type {ImageDoc} from '../image/images.js'
import {parseConfig} from '../image/inspect.js'
import type {Runtime} from '../runtime.js'
import {cleanPath, parseTmpfsSpec, parseVolumeSpec, processMountOptions, validateContainerPath, validateVolumeOptions} from '../spec/mounts.js'
import {parseDriverOptions, validateVolumeName, VolumeStore} from './store.js'

/** A volume the container needs that is not there yet. */
export interface VolumeToCreate {
  name: string
  anonymous: boolean
  /** Driver options (--mount ...,volume-opt=K=V). */
  options: string[]
}

export interface ResolvedMounts {
  mounts: MountSpec[]
  create: VolumeToCreate[]
}

/** --mount and -v/--volumes-from extras the caller may pass (CreateOptions fields). */
interface MountInputs {
  volumes?: string[]
  mounts?: string[]
  volumesFrom?: string[]
  tmpfs?: string[]
}

const OPTION_ARG = 'must provide an argument for option'
const INVALID_SYNTAX = 'incorrect mount format: should be --mount type=<bind|tmpfs|volume>,[src=<host-dir|volume-name>,]target=<ctr-dir>[,options]'
const optionArg = (what: string) => new InvalidArgument(`${what}: ${OPTION_ARG}`)
const badOption = (what: string) => new InvalidArgument(`${what}: invalid mount option`)

/** Go's encoding/csv for one record: commas split, double quotes group. */
export function splitCsv(input: string): string[] {
  const out: string[] = []
  let cur = ''
  let quoted = false
  let wasQuoted = false
  for (let i = 0; i < input.length; i++) {
    const ch = input[i]
    if (quoted) {
      if (ch === '"' && input[i + 1] === '"') {
        cur += '"'
        i++
      } else if (ch === '"') quoted = false
      else cur += ch
    } else if (ch === '"' && cur === '' && !wasQuoted) {
      quoted = wasQuoted = true
    } else if (ch === ',') {
      out.push(cur)
      cur = ''
      wasQuoted = false
    } else if (ch === '\n') {
      throw new InvalidArgument(INVALID_SYNTAX)
    } else cur += ch
  }
  if (quoted) throw new InvalidArgument(`parse error on line 1, column ${input.length + 1}: extraneous or missing " in quoted-field`)
  out.push(cur)
  return out
}

function destination(v: string | undefined, key: string): string {
  if (v === undefined) throw optionArg(key)
  validateContainerPath(v)
  return cleanPath(v)
}

/** U=true|false, chown=...: whether to chown. */
function chownFlag(kv: string[]): boolean {
  if (kv.length === 1) return true
  switch (kv[1].toLowerCase()) {
    case 'true': return true
    case 'false': return false
    default: throw new InvalidArgument(`'U' or 'chown' must be set to true or false, instead received ${JSON.stringify(kv[1])}: ${OPTION_ARG}`)
  }
}

/** Once-only option groups of --mount (Podman's setRORW, setSuid, ...). */
class Once {
  private seen = new Set<string>()
  check(group: string, message: string): void {
    if (this.seen.has(group)) throw new InvalidArgument(`${message}: ${OPTION_ARG}`)
    this.seen.add(group)
  }
}

interface ParsedMount {
  mount: MountSpec
  /** volume: driver options for creating it (volume-opt). */
  volumeOptions?: string[]
  /** volume without src: anonymous. */
  anonymous?: boolean
}

function bindMount(tokens: string[], cwd: string): ParsedMount {
  const once = new Once()
  const options: string[] = []
  let source: string | undefined
  let dest: string | undefined
  for (const val of tokens) {
    const kv = val.split(/=(.*)/s).slice(0, val.includes('=') ? 2 : 1)
    switch (kv[0]) {
      case 'bind-nonrecursive': options.push('bind'); break
      case 'readonly': case 'ro': case 'rw': {
        once.check('rw', "cannot pass 'readonly', 'ro', or 'rw' options more than once")
        const opt = kv[0] === 'readonly' ? 'ro' : kv[0]
        if (kv.length === 1) options.push(opt)
        else if (kv[1].toLowerCase() === 'true') options.push(opt)
        else if (kv[1].toLowerCase() === 'false') {
          if (opt === 'rw') options.push('ro')
        } else throw new InvalidArgument(`'readonly', 'ro', or 'rw' must be set to true or false, instead received ${JSON.stringify(kv[1])}: ${OPTION_ARG}`)
        break
      }
      case 'nosuid': case 'suid': once.check('suid', "cannot pass 'nosuid' and 'suid' options more than once"); options.push(kv[0]); break
      case 'nodev': case 'dev': once.check('dev', "cannot pass 'nodev' and 'dev' options more than once"); options.push(kv[0]); break
      case 'noexec': case 'exec': once.check('exec', "cannot pass 'noexec' and 'exec' options more than once"); options.push(kv[0]); break
      case 'shared': case 'rshared': case 'private': case 'rprivate': case 'slave': case 'rslave': case 'unbindable': case 'runbindable': case 'Z': case 'z':
        options.push(kv[0])
        break
      case 'bind-propagation':
        if (kv.length === 1) throw optionArg(kv[0])
        options.push(kv[1])
        break
      case 'src': case 'source':
        if (kv.length === 1) throw optionArg(kv[0])
        if (kv[1] === '') throw new InvalidArgument(`host directory cannot be empty: ${OPTION_ARG}`)
        source = kv[1]
        break
      case 'target': case 'dst': case 'destination': dest = destination(kv[1], kv[0]); break
      case 'relabel':
        once.check('relabel', "cannot pass 'relabel' option more than once")
        if (kv[1] === 'private') options.push('Z')
        else if (kv[1] === 'shared') options.push('z')
        else throw new InvalidArgument(`${kv[0]} mount option must be 'private' or 'shared': invalid mount option`)
        break
      case 'U': case 'chown':
        once.check('U', "cannot pass 'U' or 'chown' option more than once")
        if (chownFlag(kv)) options.push('U')
        break
      case 'idmap': options.push(kv.length > 1 ? `idmap=${kv[1]}` : 'idmap'); break
      case 'consistency': break
      default: throw badOption(kv[0])
    }
  }
  if (dest === undefined) throw new InvalidArgument('must set volume destination')
  const src = path.resolve(cwd, source ?? dest)
  return {mount: {type: 'bind', source: src, destination: dest, options: validateVolumeOptions(options)}}
}

function tmpfsMount(tokens: string[]): ParsedMount {
  const once = new Once()
  const options: string[] = []
  let dest: string | undefined
  for (const val of tokens) {
    const kv = val.split(/=(.*)/s).slice(0, val.includes('=') ? 2 : 1)
    switch (kv[0]) {
      case 'tmpcopyup': case 'notmpcopyup': once.check('tmpcopyup', "cannot pass 'tmpcopyup' and 'notmpcopyup' options more than once"); options.push(kv[0]); break
      case 'ro': case 'rw': once.check('rw', "cannot pass 'ro' and 'rw' options more than once"); options.push(kv[0]); break
      case 'nosuid': case 'suid': once.check('suid', "cannot pass 'nosuid' and 'suid' options more than once"); options.push(kv[0]); break
      case 'nodev': case 'dev': once.check('dev', "cannot pass 'nodev' and 'dev' options more than once"); options.push(kv[0]); break
      case 'noexec': case 'exec': once.check('exec', "cannot pass 'noexec' and 'exec' options more than once"); options.push(kv[0]); break
      case 'tmpfs-mode':
        if (kv.length === 1) throw optionArg(kv[0])
        options.push(`mode=${kv[1]}`)
        break
      case 'tmpfs-size':
        if (kv.length === 1) throw optionArg(kv[0])
        options.push(`size=${kv[1]}`)
        break
      case 'src': case 'source': throw new InvalidArgument('source is not supported with tmpfs mounts')
      case 'target': case 'dst': case 'destination': dest = destination(kv[1], kv[0]); break
      case 'U': case 'chown':
        once.check('U', "cannot pass 'U' or 'chown' option more than once")
        if (chownFlag(kv)) options.push('U')
        break
      case 'consistency': break
      default: throw badOption(kv[0])
    }
  }
  if (dest === undefined) throw new InvalidArgument('must set volume destination')
  return {mount: {type: 'tmpfs', source: 'tmpfs', destination: dest, options}}
}

function volumeMount(tokens: string[]): ParsedMount {
  const once = new Once()
  const options: string[] = []
  const volumeOptions: string[] = []
  let name = ''
  let dest: string | undefined
  for (const val of tokens) {
    const kv = val.split(/=(.*)/s).slice(0, val.includes('=') ? 2 : 1)
    switch (kv[0]) {
      case 'volume-opt':
        if (kv.length === 1) throw optionArg(kv[0])
        volumeOptions.push(kv[1])
        break
      case 'ro': case 'rw': once.check('rw', "cannot pass 'ro' and 'rw' options more than once"); options.push(kv[0]); break
      case 'readonly': once.check('rw', "cannot pass 'ro' and 'rw' options more than once"); if (kv[1]?.toLowerCase() !== 'false') options.push('ro'); break
      case 'nosuid': case 'suid': once.check('suid', "cannot pass 'nosuid' and 'suid' options more than once"); options.push(kv[0]); break
      case 'nodev': case 'dev': once.check('dev', "cannot pass 'nodev' and 'dev' options more than once"); options.push(kv[0]); break
      case 'noexec': case 'exec': once.check('exec', "cannot pass 'noexec' and 'exec' options more than once"); options.push(kv[0]); break
      // Docker's spelling of nocopy (newer Podman accepts it too)
      case 'volume-nocopy':
        once.check('copy', "cannot pass 'volume-nocopy' option more than once")
        if (kv.length === 1 || kv[1].toLowerCase() === 'true') options.push('nocopy')
        break
      case 'volume-label': throw new InvalidArgument('the --volume-label option is not presently implemented')
      case 'src': case 'source':
        if (kv.length === 1) throw optionArg(kv[0])
        name = kv[1]
        break
      case 'target': case 'dst': case 'destination': dest = destination(kv[1], kv[0]); break
      case 'U': case 'chown':
        once.check('U', "cannot pass 'U' or 'chown' option more than once")
        if (chownFlag(kv)) options.push('U')
        break
      case 'consistency': break
      default: throw badOption(kv[0])
    }
  }
  if (dest === undefined) throw new InvalidArgument('must set volume destination')
  return {mount: {type: 'volume', source: name, destination: dest, options}, volumeOptions, anonymous: name === ''}
}

function imageMount(rt: Runtime, tokens: string[]): ParsedMount {
  let source = ''
  let dest = ''
  for (const val of tokens) {
    const kv = val.split(/=(.*)/s).slice(0, val.includes('=') ? 2 : 1)
    switch (kv[0]) {
      case 'src': case 'source':
        if (kv.length === 1) throw optionArg(kv[0])
        source = kv[1]
        break
      case 'target': case 'dst': case 'destination': dest = destination(kv[1], kv[0]); break
      case 'rw': case 'readwrite':
        if (kv[1] === 'true') throw new InvalidArgument('read-write image mounts (rw=true) are not supported by peapod')
        if (kv[1] !== 'false') throw new InvalidArgument(`invalid rw value ${JSON.stringify(kv[1] ?? '')}: invalid mount option`)
        break
      case 'consistency': break
      default: throw badOption(kv[0])
    }
  }
  if (!source || !dest) throw new InvalidArgument('must set source and destination for image volume')
  const image = rt.lookupImage(source)
  return {mount: {type: 'image', source: image.id, destination: dest, options: ['ro']}}
}

/** One --mount value. */
export function parseMountFlag(rt: Runtime, input: string, cwd: string = process.cwd()): ParsedMount {
  const fields = splitCsv(input)
  let type: string | undefined
  const tokens: string[] = []
  for (const s of fields) {
    const kv = s.split('=')
    if (type !== undefined || !(kv.length === 2 && kv[0] === 'type')) tokens.push(s)
    else type = kv[1]
  }
  if (type === undefined) throw new InvalidArgument(INVALID_SYNTAX)
  switch (type) {
    case 'bind': return bindMount(tokens, cwd)
    case 'tmpfs': return tmpfsMount(tokens)
    case 'volume': return volumeMount(tokens)
    case 'image': return imageMount(rt, tokens)
    case 'devpts': throw new InvalidArgument('--mount type=devpts is not supported by peapod')
    default: throw new InvalidArgument(`invalid filesystem type ${JSON.stringify(type)}`)
  }
}

/** `statfs SRC: no such file or directory`, as Podman says of a missing bind source. */
function checkBindSource(source: string): void {
  try {
    statSync(source)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : code === 'ENOTDIR' ? 'not a directory' : (e as Error).message
    throw new InvalidArgument(`statfs ${source}: ${why}`)
  }
}

/** Checks options the way the spec will process them at start, so errors show at create. */
function checkOptions(m: MountSpec): void {
  if (m.type === 'bind' || m.type === 'volume') {
    if (m.options.includes('O')) throw new InvalidArgument(`overlay volumes (:O) are not supported: ${m.destination}`)
    processMountOptions(m.options, {tmpfs: false})
  } else if (m.type === 'tmpfs') processMountOptions(m.options.filter(o => o !== 'U'), {tmpfs: true})
}

function parseVolumesFrom(rt: Runtime, spec: string): MountSpec[] {
  const colon = spec.indexOf(':')
  const ref = colon === -1 ? spec : spec.slice(0, colon)
  let options: string[] | undefined
  if (colon !== -1) {
    options = spec.slice(colon + 1).split(',')
    let rorw = false
    let z = false
    for (const opt of options) {
      if (opt === 'z') {
        if (z) throw new InvalidArgument('cannot set :z more than once in mount options')
        z = true
      } else if (opt === 'ro' || opt === 'rw') {
        if (rorw) throw new InvalidArgument('cannot set ro or rw options more than once')
        rorw = true
      } else throw new InvalidArgument(`invalid option ${JSON.stringify(opt)} specified - volumes from another container can only use z,ro,rw options`)
    }
  }
  let from
  try {
    from = rt.containers.lookup(ref)
  } catch (e) {
    if (e instanceof NoSuchContainer || e instanceof PeapodError) throw new InvalidArgument(`looking up container ${JSON.stringify(ref)} for volumes-from: ${(e as Error).message}`)
    throw e
  }
  return from.config.mounts
    .filter(m => m.type === 'bind' || m.type === 'volume')
    .map(m => ({...m, options: options ? [...options] : [...m.options]}))
}

/**
 * The container's mounts (config.mounts) from -v, --mount, --volumes-from
 * and the image's VOLUMEs; throws on bad input before anything is created.
 */
export function resolveMounts(rt: Runtime, opts: CreateOptions & MountInputs, image: ImageDoc, cwd: string = process.cwd()): ResolvedMounts {
  const store = rt.volumes
  const user = new Map<string, MountSpec>()
  const create: VolumeToCreate[] = []
  const wanted = new Set<string>()
  const add = (m: MountSpec) => {
    if (user.has(m.destination)) throw new InvalidArgument(`${m.destination}: duplicate mount destination`)
    user.set(m.destination, m)
  }
  const named = (name: string, options: string[]) => {
    try {
      validateVolumeName(name)
      parseDriverOptions(options)
    } catch (e) {
      throw new InvalidArgument(`creating named volume ${JSON.stringify(name)}: ${(e as Error).message}`)
    }
    if (!wanted.has(name) && !store.exists(name)) create.push({name, anonymous: false, options})
    wanted.add(name)
  }
  const anonymous = (m: MountSpec, options: string[] = []) => {
    m.source = VolumeStore.newName()
    create.push({name: m.source, anonymous: true, options})
  }

  for (const input of opts.mounts ?? []) {
    const p = parseMountFlag(rt, input, cwd)
    checkOptions(p.mount)
    if (p.mount.type === 'bind') checkBindSource(p.mount.source)
    if (p.mount.type === 'volume') {
      if (p.anonymous) anonymous(p.mount, p.volumeOptions)
      else named(p.mount.source, p.volumeOptions ?? [])
    }
    add(p.mount)
  }
  for (const v of opts.volumes ?? []) {
    const spec = parseVolumeSpec(v, cwd)
    const m: MountSpec = {type: spec.kind === 'bind' ? 'bind' : 'volume', source: spec.source, destination: spec.destination, options: spec.options}
    checkOptions(m)
    if (spec.kind === 'bind') checkBindSource(spec.source)
    else if (spec.kind === 'named') named(spec.source, [])
    else anonymous(m)
    add(m)
  }
  const tmpfsDests = new Set((opts.tmpfs ?? []).map(t => parseTmpfsSpec(t).destination))
  for (const d of tmpfsDests) if (user.has(d)) throw new InvalidArgument(`${d}: duplicate mount destination`)

  // Base mounts: the image's VOLUMEs, superseded by --volumes-from.
  const base = new Map<string, MountSpec>()
  const imageVolumes = Object.keys(parseConfig(image).config?.Volumes ?? {}).sort()
  for (const v of imageVolumes) {
    const dest = cleanPath(v)
    base.set(dest, {type: 'volume', source: '', destination: dest, options: ['rprivate', 'rw', 'nodev', 'exec']})
  }
  for (const spec of opts.volumesFrom ?? []) {
    for (const m of parseVolumesFrom(rt, spec)) base.set(m.destination, m)
  }
  const out: MountSpec[] = []
  for (const [dest, m] of base) {
    if (user.has(dest) || tmpfsDests.has(dest)) continue
    if (m.type === 'volume' && m.source === '') anonymous(m)
    out.push(m)
  }
  out.push(...user.values())
  return {mounts: out, create}
}

/**
 * Creates the volumes a new container needs: named ones on first use and
 * its anonymous ones. Called once the container's other options are checked.
 */
export async function createVolumes(rt: Runtime, resolved: ResolvedMounts): Promise<void> {
  const store = rt.volumes
  for (const v of resolved.create) {
    try {
      await store.create({name: v.name, anonymous: v.anonymous, options: v.options, ignoreExisting: true})
    } catch (e) {
      if (v.anonymous) throw e
      throw new InvalidArgument(`creating named volume ${JSON.stringify(v.name)}: ${(e as Error).message}`)
    }
  }
}
