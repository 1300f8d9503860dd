// The option processing Podman applies to every bind and tmpfs mount before
// it reaches the spec (podman util.ProcessOptions). Flag syntax (-v, --tmpfs,
// --mount) is parsed in src/cli/spec-mounts.ts.
import {readFileSync, realpathSync} from 'node:fs'
import path from 'node:path'
import {InvalidArgument} from '../define/errors.js'
import type {OciMount} from './oci.js'

/** A bind mount as the engine hands it to the spec generator (options unprocessed). */
export interface BindMount {
  source: string
  destination: string
  options: string[]
}

/** Go's filepath.Clean for container paths: no `.`/`..` parts, no trailing slash. */
export function cleanPath(p: string): string {
  const n = path.posix.normalize(p)
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n
}

export function validateContainerPath(p: string): void {
  if (!p.startsWith('/')) throw new InvalidArgument(`invalid container path ${JSON.stringify(p)}, must be an absolute path`)
}

/** Throws on a destination given twice among the user's mounts. */
export function checkDuplicateDestinations(destinations: Iterable<string>): void {
  const seen = new Set<string>()
  for (const d of destinations) {
    const clean = cleanPath(d)
    if (seen.has(clean)) throw new InvalidArgument(`${clean}: duplicate mount destination`)
    seen.add(clean)
  }
}

export interface MountFlags {
  nosuid: boolean
  nodev: boolean
  noexec: boolean
}

function unescapeMountinfo(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)))
}

/**
 * nosuid/nodev/noexec of the host mount holding `p` (from
 * /proc/self/mountinfo): Podman carries them over to bind mounts of it.
 */
export function hostMountFlags(p: string, mountinfo?: string): MountFlags {
  const none = {nosuid: false, nodev: false, noexec: false}
  let text = mountinfo
  if (text === undefined) {
    try {
      text = readFileSync('/proc/self/mountinfo', 'utf8')
    } catch {
      return none
    }
  }
  let real = p
  try {
    real = realpathSync(p)
  } catch {
    // a missing source fails later, in the runtime, with a clearer error
  }
  let best: {point: string; opts: string[]} | undefined
  for (const line of text.split('\n')) {
    const f = line.split(' ')
    if (f.length < 6) continue
    const point = unescapeMountinfo(f[4])
    const inside = point === '/' || real === point || real.startsWith(point + '/')
    // later lines are mounted on top of earlier ones at the same point
    if (inside && (!best || point.length >= best.point.length)) best = {point, opts: f[5].split(',')}
  }
  if (!best) return none
  return {nosuid: best.opts.includes('nosuid'), nodev: best.opts.includes('nodev'), noexec: best.opts.includes('noexec')}
}

const PROPAGATIONS = ['private', 'rprivate', 'slave', 'rslave', 'shared', 'rshared', 'unbindable', 'runbindable']

function dupe(what: string): InvalidArgument {
  return new InvalidArgument(`${what}: duplicate mount option passed`)
}

function badOpt(what: string): InvalidArgument {
  return new InvalidArgument(`${what}: invalid mount option`)
}

export interface ProcessOptionsInput {
  tmpfs: boolean
  /** The host mount flags of a bind's source (ignored for tmpfs). */
  sourceFlags?: MountFlags
}

/**
 * Podman's ProcessOptions: rejects duplicates and misplaced options, then adds
 * the defaults: rw, rprivate, the source mount's nosuid/nodev/noexec (tmpfs:
 * nosuid,nodev), tmpcopyup for tmpfs and rbind for binds.
 */
export function processMountOptions(options: readonly string[], input: ProcessOptionsInput): string[] {
  const found = new Set<string>()
  const once = (key: string, msg: string) => {
    if (found.has(key)) throw dupe(msg)
    found.add(key)
  }
  const out: string[] = []
  for (const raw of options) {
    // --mount's bind-propagation=X is the same as a bare X
    const opt = raw.startsWith('bind-propagation=') ? raw.slice('bind-propagation='.length) : raw
    const key = opt.split('=')[0]
    if (key.startsWith('idmap') || opt.includes('upperdir') || opt.includes('workdir')) {
      out.push(opt)
      continue
    }
    switch (key) {
      case 'copy': case 'nocopy': once('copy', "only one of 'nocopy' and 'copy' can be used"); break
      case 'O': found.add('O'); break
      case 'volume-opt': break
      case 'exec': case 'noexec': once('exec', "only one of 'noexec' and 'exec' can be used"); break
      case 'suid': case 'nosuid': once('suid', "only one of 'nosuid' and 'suid' can be used"); break
      case 'dev': case 'nodev': once('dev', "only one of 'nodev' and 'dev' can be used"); break
      case 'rw': case 'ro': once('rw', "only one of 'rw' and 'ro' can be used"); break
      case 'size': case 'mode':
        if (!input.tmpfs) throw badOpt(`the '${key}' option is only allowed with tmpfs mounts`)
        once(key, `only one tmpfs ${key} can be specified`)
        break
      case 'tmpcopyup': case 'notmpcopyup':
        if (!input.tmpfs) throw badOpt(`the '${key}' option is only allowed with tmpfs mounts`)
        once('tmpcopyup', "the 'tmpcopyup' or 'notmpcopyup' option can only be set once")
        // notmpcopyup only switches the default off; the runtime never sees it
        if (key === 'notmpcopyup') continue
        break
      case 'consistency': continue // a macOS option Docker ignores too
      case 'bind': case 'rbind':
        if (input.tmpfs) throw badOpt("the 'bind' and 'rbind' options are not allowed with tmpfs mounts")
        once('bind', "only one of 'rbind' and 'bind' can be used")
        break
      case 'z': case 'Z':
        if (input.tmpfs) throw badOpt("the 'z' and 'Z' options are not allowed with tmpfs mounts")
        once('z', "only one of 'z' and 'Z' can be used")
        break
      case 'U': once('U', "the 'U' option can only be set once"); break
      case 'uid': case 'gid':
        if (!input.tmpfs) throw badOpt(`unknown mount option ${JSON.stringify(opt)}`)
        break
      default:
        if (PROPAGATIONS.includes(key)) {
          once('prop', 'only one root propagation mode can be used')
          break
        }
        throw badOpt(`unknown mount option ${JSON.stringify(opt)}`)
    }
    out.push(opt)
  }
  const flags = input.tmpfs ? {nosuid: true, nodev: true, noexec: false} : input.sourceFlags ?? {nosuid: false, nodev: false, noexec: false}
  if (!found.has('rw')) out.push('rw')
  if (!found.has('prop')) out.push('rprivate')
  if (!found.has('exec') && flags.noexec) out.push('noexec')
  if (!found.has('suid') && flags.nosuid) out.push('nosuid')
  if (!found.has('dev') && flags.nodev) out.push('nodev')
  if (input.tmpfs && !found.has('tmpcopyup')) out.push('tmpcopyup')
  if (!input.tmpfs && !found.has('bind')) out.push('rbind')
  return out
}

/** Mount order for the runtime: parents before children (stable by path depth, as libpod sorts). */
export function sortMounts(mounts: readonly OciMount[]): OciMount[] {
  const depth = (m: OciMount) => cleanPath(m.destination).split('/').length - 1
  return mounts.map((m, i) => ({m, i, d: depth(m)})).sort((a, b) => a.d - b.d || a.i - b.i).map(x => x.m)
}
