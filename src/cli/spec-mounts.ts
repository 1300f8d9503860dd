// -v/--volume, --mount, --tmpfs and --volumes-from → the spec's typed mounts
// (Podman's specgenutil/volumes.go and containers/common
// parse.ValidateVolumeOpts), with Podman's messages.
import path from 'node:path'
import {InvalidArgument} from '../libpod/define/errors.js'
import {cleanPath, processMountOptions, validateContainerPath} from '../libpod/spec/mounts.js'
import {PROPAGATIONS, type BindMount, type ImageMount, type Mount, type MountFlagOptions, type Propagation, type TmpfsMount, type VolumeMount} from '../libpod/specgen/mounts.js'

const VOLUME_FORMAT = 'incorrect volume format, should be [host-dir:]ctr-dir[:option]'
const OPTION_ARG = 'must provide an argument for option'
const INVALID_SYNTAX = 'incorrect mount format: should be --mount type=<bind|tmpfs|volume>,[src=<host-dir|volume-name>,]target=<ctr-dir>[,options]'
const optionArg = (what: string) => new InvalidArgument(`${what}: ${OPTION_ARG}`)
const badOption = (what: string) => new InvalidArgument(`${what}: invalid mount option`)
const overlay = (dest: string) => new InvalidArgument(`overlay volumes (:O) are not supported: ${dest}`)

// Each group may appear once among a volume's options; the message names it.
const OPTION_GROUPS: Array<[string[], string]> = [
  [['noexec', 'exec'], "'noexec' or 'exec'"],
  [['nodev', 'dev'], "'nodev' or 'dev'"],
  [['nosuid', 'suid'], "'nosuid' or 'suid'"],
  [['rw', 'ro'], "'rw' or 'ro'"],
  [[...PROPAGATIONS], "'[r]shared', '[r]private', '[r]slave' or '[r]unbindable'"],
  [['bind', 'rbind'], "'[r]bind'"],
  [['z', 'Z', 'O'], "'z', 'Z', or 'O'"],
  [['U'], "'U'"],
  [['copy', 'nocopy'], "'copy' or 'nocopy'"],
]

/** The options after a volume's second colon, checked as Podman checks them. */
export function validateVolumeOptions(options: readonly string[]): string[] {
  const seen = new Map<string, number>()
  for (const opt of options) {
    if (opt.includes('upperdir') || opt.includes('workdir') || opt.startsWith('idmap')) continue
    const group = OPTION_GROUPS.find(([names]) => names.includes(opt))
    if (!group) throw new InvalidArgument(`invalid option type ${JSON.stringify(opt)}`)
    const n = (seen.get(group[1]) ?? 0) + 1
    seen.set(group[1], n)
    if (n > 1) throw new InvalidArgument(`invalid options ${JSON.stringify(options.join(', '))}, can only specify 1 ${group[1]} option`)
  }
  return [...options]
}

/** Sets the typed field an option word stands for; false when the word is no common option. */
function commonOption(o: MountFlagOptions, word: string): boolean {
  switch (word) {
    case 'ro': case 'rw': o.readonly = word === 'ro'; return true
    case 'nosuid': case 'suid': o.nosuid = word === 'nosuid'; return true
    case 'nodev': case 'dev': o.nodev = word === 'nodev'; return true
    case 'noexec': case 'exec': o.noexec = word === 'noexec'; return true
    case 'U': o.chown = true; return true
    default:
      if ((PROPAGATIONS as readonly string[]).includes(word)) {
        o.propagation = word as Propagation
        return true
      }
      return false
  }
}

/** Validated option words of a bind or volume → typed fields. */
function bindOptions<T extends BindMount | VolumeMount>(m: T, options: readonly string[]): T {
  for (const word of options) {
    if (commonOption(m, word)) continue
    if (word === 'bind' || word === 'rbind') m.recursive = word === 'rbind'
    else if (word === 'z' || word === 'Z') m.relabel = word === 'Z' ? 'private' : 'shared'
    else if (word === 'O' || word.includes('upperdir') || word.includes('workdir')) throw overlay(m.destination)
    else if (word === 'idmap' || word.startsWith('idmap=')) m.idmap = word.slice('idmap='.length)
    else if ((word === 'copy' || word === 'nocopy') && m.type === 'volume') m.copy = word === 'copy'
    else if (word !== 'copy' && word !== 'nocopy') throw new InvalidArgument(`invalid option type ${JSON.stringify(word)}`)
  }
  return m
}

/**
 * `-v SRC:DST[:OPTS]`, `-v NAME:DST[:OPTS]` or `-v DST`. Host paths are
 * absolute or start with `.` (made absolute against `cwd`).
 */
export function parseVolumeFlag(spec: string, cwd: string = process.cwd()): BindMount | VolumeMount {
  const parts = spec.split(':')
  if (parts.length > 3) throw new InvalidArgument(`${spec}: ${VOLUME_FORMAT}`)
  const options = parts.length > 2 ? validateVolumeOptions(parts[2].split(',')) : []
  let m: BindMount | VolumeMount
  if (parts.length === 1) {
    validateContainerPath(parts[0])
    m = {type: 'volume', destination: cleanPath(parts[0])}
  } else {
    const [src, dest] = parts
    if (src === '') throw new InvalidArgument('host directory cannot be empty')
    validateContainerPath(dest)
    const destination = cleanPath(dest)
    m = src.startsWith('/') || src.startsWith('.') ? {type: 'bind', source: path.resolve(cwd, src), destination} : {type: 'volume', name: src, destination}
  }
  bindOptions(m, options)
  // what the engine would refuse at start: duplicates among what -v allowed
  processMountOptions(options.filter(o => o !== 'O'), {tmpfs: false})
  return m
}

/** tmpfs option words (--tmpfs DST:OPTS, --mount type=tmpfs) → typed fields. */
function tmpfsOptions(m: TmpfsMount, options: readonly string[]): TmpfsMount {
  // duplicates and options that are not for tmpfs, with the engine's messages
  processMountOptions(options, {tmpfs: true})
  for (const word of options) {
    const eq = word.indexOf('=')
    const [key, value] = eq < 0 ? [word, ''] : [word.slice(0, eq), word.slice(eq + 1)]
    if (commonOption(m, word)) continue
    switch (key) {
      case 'size': m.size = value; break
      case 'mode':
        if (!/^[0-7]{1,4}$/.test(value)) throw new InvalidArgument(`invalid tmpfs mode ${JSON.stringify(value)}: must be octal`)
        m.mode = parseInt(value, 8)
        break
      case 'uid': case 'gid':
        if (!/^\d+$/.test(value)) throw new InvalidArgument(`invalid tmpfs ${key} ${JSON.stringify(value)}`)
        m[key] = Number(value)
        break
      case 'tmpcopyup': case 'notmpcopyup': m.tmpcopyup = key === 'tmpcopyup'; break
      // accepted and meaningless for a tmpfs
      case 'copy': case 'nocopy': case 'consistency': break
      default: throw badOption(`unknown mount option ${JSON.stringify(word)}`)
    }
  }
  return m
}

/** `--tmpfs DST[:OPTS]`. */
export function parseTmpfsFlag(spec: string): TmpfsMount {
  const colon = spec.indexOf(':')
  const dest = colon < 0 ? spec : spec.slice(0, colon)
  validateContainerPath(dest)
  const options = colon < 0 ? [] : spec.slice(colon + 1).split(',').filter(o => o !== '')
  return tmpfsOptions({type: 'tmpfs', destination: cleanPath(dest)}, options)
}

/** `--volumes-from CTR[:ro|rw|z]`. */
export function parseVolumesFromFlag(spec: string): {container: string; readonly?: boolean; relabel?: boolean} {
  const colon = spec.indexOf(':')
  const out: {container: string; readonly?: boolean; relabel?: boolean} = {container: colon === -1 ? spec : spec.slice(0, colon)}
  if (colon === -1) return out
  for (const opt of spec.slice(colon + 1).split(',')) {
    if (opt === 'z') {
      if (out.relabel) throw new InvalidArgument('cannot set :z more than once in mount options')
      out.relabel = true
    } else if (opt === 'ro' || opt === 'rw') {
      if (out.readonly !== undefined) throw new InvalidArgument('cannot set ro or rw options more than once')
      out.readonly = opt === 'ro'
    } else throw new InvalidArgument(`invalid option ${JSON.stringify(opt)} specified - volumes from another container can only use z,ro,rw options`)
  }
  return out
}

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

const keyValue = (val: string) => val.split(/=(.*)/s).slice(0, val.includes('=') ? 2 : 1)

function bindMount(tokens: string[], cwd: string): BindMount {
  const once = new Once()
  const words: string[] = []
  let source: string | undefined
  let dest: string | undefined
  for (const val of tokens) {
    const kv = keyValue(val)
    switch (kv[0]) {
      case 'bind-nonrecursive': words.push('bind'); break
      case 'readonly': case 'ro': case 'rw': {
        once.check('rw', "cannot pass 'readonly', 'ro', or 'rw' options more than once")
        const opt = kv[0] === 'readonly' ? 'ro' : kv[0]
        if (kv.length === 1) words.push(opt)
        else if (kv[1].toLowerCase() === 'true') words.push(opt)
        else if (kv[1].toLowerCase() === 'false') {
          if (opt === 'rw') words.push('ro')
        } else throw new InvalidArgument(`'readonly', 'ro', or 'rw' must be set to true or false, instead received ${JSON.stringify(kv[1])}: ${OPTION_ARG}`)
        break
      }
      case 'nosuid': case 'suid': once.check('suid', "cannot pass 'nosuid' and 'suid' options more than once"); words.push(kv[0]); break
      case 'nodev': case 'dev': once.check('dev', "cannot pass 'nodev' and 'dev' options more than once"); words.push(kv[0]); break
      case 'noexec': case 'exec': once.check('exec', "cannot pass 'noexec' and 'exec' options more than once"); words.push(kv[0]); break
      case 'shared': case 'rshared': case 'private': case 'rprivate': case 'slave': case 'rslave': case 'unbindable': case 'runbindable': case 'Z': case 'z':
        words.push(kv[0])
        break
      case 'bind-propagation':
        if (kv.length === 1) throw optionArg(kv[0])
        words.push(kv[1])
        break
      case 'src': case 'source':
        if (kv.length === 1) throw optionArg(kv[0])
        if (kv[1] === '') throw new InvalidArgument(`host directory cannot be empty: ${OPTION_ARG}`)
        source = kv[1]
        break
      case 'target': case 'dst': case 'destination': dest = destination(kv[1], kv[0]); break
      case 'relabel':
        once.check('relabel', "cannot pass 'relabel' option more than once")
        if (kv[1] === 'private') words.push('Z')
        else if (kv[1] === 'shared') words.push('z')
        else throw new InvalidArgument(`${kv[0]} mount option must be 'private' or 'shared': invalid mount option`)
        break
      case 'U': case 'chown':
        once.check('U', "cannot pass 'U' or 'chown' option more than once")
        if (chownFlag(kv)) words.push('U')
        break
      case 'idmap': words.push(kv.length > 1 ? `idmap=${kv[1]}` : 'idmap'); break
      case 'consistency': break
      default: throw badOption(kv[0])
    }
  }
  if (dest === undefined) throw new InvalidArgument('must set volume destination')
  validateVolumeOptions(words)
  return bindOptions({type: 'bind', source: path.resolve(cwd, source ?? dest), destination: dest}, words)
}

function tmpfsMount(tokens: string[]): TmpfsMount {
  const once = new Once()
  const words: string[] = []
  let dest: string | undefined
  for (const val of tokens) {
    const kv = keyValue(val)
    switch (kv[0]) {
      case 'tmpcopyup': case 'notmpcopyup': once.check('tmpcopyup', "cannot pass 'tmpcopyup' and 'notmpcopyup' options more than once"); words.push(kv[0]); break
      case 'ro': case 'rw': once.check('rw', "cannot pass 'ro' and 'rw' options more than once"); words.push(kv[0]); break
      case 'nosuid': case 'suid': once.check('suid', "cannot pass 'nosuid' and 'suid' options more than once"); words.push(kv[0]); break
      case 'nodev': case 'dev': once.check('dev', "cannot pass 'nodev' and 'dev' options more than once"); words.push(kv[0]); break
      case 'noexec': case 'exec': once.check('exec', "cannot pass 'noexec' and 'exec' options more than once"); words.push(kv[0]); break
      case 'tmpfs-mode':
        if (kv.length === 1) throw optionArg(kv[0])
        words.push(`mode=${kv[1]}`)
        break
      case 'tmpfs-size':
        if (kv.length === 1) throw optionArg(kv[0])
        words.push(`size=${kv[1]}`)
        break
      case 'src': case 'source': throw new InvalidArgument('source is not supported with tmpfs mounts')
      case 'target': case 'dst': case 'destination': dest = destination(kv[1], kv[0]); break
      case 'U': case 'chown':
        once.check('U', "cannot pass 'U' or 'chown' option more than once")
        if (chownFlag(kv)) words.push('U')
        break
      case 'consistency': break
      default: throw badOption(kv[0])
    }
  }
  if (dest === undefined) throw new InvalidArgument('must set volume destination')
  return tmpfsOptions({type: 'tmpfs', destination: dest}, words)
}

function volumeMount(tokens: string[]): VolumeMount {
  const once = new Once()
  const words: string[] = []
  const driverOptions: string[] = []
  let name = ''
  let dest: string | undefined
  for (const val of tokens) {
    const kv = keyValue(val)
    switch (kv[0]) {
      case 'volume-opt':
        if (kv.length === 1) throw optionArg(kv[0])
        driverOptions.push(kv[1])
        break
      case 'ro': case 'rw': once.check('rw', "cannot pass 'ro' and 'rw' options more than once"); words.push(kv[0]); break
      case 'readonly': once.check('rw', "cannot pass 'ro' and 'rw' options more than once"); if (kv[1]?.toLowerCase() !== 'false') words.push('ro'); break
      case 'nosuid': case 'suid': once.check('suid', "cannot pass 'nosuid' and 'suid' options more than once"); words.push(kv[0]); break
      case 'nodev': case 'dev': once.check('dev', "cannot pass 'nodev' and 'dev' options more than once"); words.push(kv[0]); break
      case 'noexec': case 'exec': once.check('exec', "cannot pass 'noexec' and 'exec' options more than once"); words.push(kv[0]); break
      // Docker's spelling of nocopy (newer Podman accepts it too)
      case 'volume-nocopy':
        once.check('copy', "cannot pass 'volume-nocopy' option more than once")
        if (kv.length === 1 || kv[1].toLowerCase() === 'true') words.push('nocopy')
        break
      case 'volume-label': throw new InvalidArgument('the --volume-label option is not presently implemented')
      case 'src': case 'source':
        if (kv.length === 1) throw optionArg(kv[0])
        name = kv[1]
        break
      case 'target': case 'dst': case 'destination': dest = destination(kv[1], kv[0]); break
      case 'U': case 'chown':
        once.check('U', "cannot pass 'U' or 'chown' option more than once")
        if (chownFlag(kv)) words.push('U')
        break
      case 'consistency': break
      default: throw badOption(kv[0])
    }
  }
  if (dest === undefined) throw new InvalidArgument('must set volume destination')
  const m: VolumeMount = {type: 'volume', ...name ? {name} : {}, destination: dest, ...driverOptions.length ? {driverOptions} : {}}
  return bindOptions(m, words)
}

function imageMount(tokens: string[]): ImageMount {
  let source = ''
  let dest = ''
  for (const val of tokens) {
    const kv = keyValue(val)
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
  return {type: 'image', source, destination: dest}
}

/** One --mount value. */
export function parseMountFlag(input: string, cwd: string = process.cwd()): Mount {
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
    case 'image': return imageMount(tokens)
    case 'devpts': throw new InvalidArgument('--mount type=devpts is not supported by peapod')
    default: throw new InvalidArgument(`invalid filesystem type ${JSON.stringify(type)}`)
  }
}
