// Typed security options (what --security-opt, --ulimit, --cap-* say) and
// their rendering as Podman's inspect shows them. The parsers of Podman's
// textual forms live here, not in src/cli, because they serve the CLI, Quadlet
// keys and documents written before typed specs (container/legacy.ts) alike.
import {InvalidArgument} from '../define/errors.js'

/** Podman's --security-opt, typed. */
export interface SecurityConfig {
  noNewPrivileges?: boolean
  /** `unconfined` or a profile's path; absent: the default profile. */
  seccompProfile?: string
  /** An AppArmor profile name or `unconfined`. */
  apparmorProfile?: string
  /** SELinux label options (disable, type:..., level:...): recorded, not applied. */
  labelOpts?: string[]
  /** More paths to mask. */
  mask?: string[]
  /** Globs of default masked paths to unmask, or ALL. */
  unmask?: string[]
  /** Options of the /proc mount. */
  procOpts?: string[]
}

/** A resource limit (setrlimit(2) name without RLIMIT_, lower case); -1 is unlimited. */
export interface Ulimit {
  name: string
  soft: number
  hard: number
}

export const ULIMIT_NAMES: readonly string[] = ['core', 'cpu', 'data', 'fsize', 'locks', 'memlock', 'msgqueue', 'nice', 'nofile', 'nproc', 'rss', 'rtprio', 'rttime', 'sigpending', 'stack']

/** inspect's HostConfig.SecurityOpt, in the order Podman lists them. */
export function securityOptStrings(s: SecurityConfig | undefined): string[] {
  if (!s) return []
  const out: string[] = []
  if (s.noNewPrivileges) out.push('no-new-privileges')
  for (const l of s.labelOpts ?? []) out.push(`label=${l}`)
  if (s.apparmorProfile !== undefined) out.push(`apparmor=${s.apparmorProfile}`)
  if (s.seccompProfile !== undefined) out.push(`seccomp=${s.seccompProfile}`)
  if (s.mask?.length) out.push(`mask=${s.mask.join(':')}`)
  for (const u of s.unmask ?? []) out.push(`unmask=${u}`)
  if (s.procOpts?.length) out.push(`proc-opts=${s.procOpts.join(',')}`)
  return out
}

/** The annotations Podman records for security options (io.podman.annotations.*). */
export function securityAnnotations(s: SecurityConfig | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  if (s?.apparmorProfile !== undefined) out['io.podman.annotations.apparmor'] = s.apparmorProfile
  if (s?.labelOpts?.length) out['io.podman.annotations.label'] = s.labelOpts.join(',label=')
  if (s?.seccompProfile !== undefined) out['io.podman.annotations.seccomp'] = s.seccompProfile
  return out
}

/** Podman's --security-opt forms. */
export function parseSecurityOpts(list: readonly string[]): SecurityConfig {
  const out: SecurityConfig = {}
  for (const opt of list) {
    if (opt === 'no-new-privileges') {
      out.noNewPrivileges = true
      continue
    }
    const eq = opt.indexOf('=')
    if (eq < 0) throw new InvalidArgument(`invalid --security-opt 1: ${JSON.stringify(opt)}`)
    const [key, value] = [opt.slice(0, eq), opt.slice(eq + 1)]
    switch (key) {
      case 'apparmor': out.apparmorProfile = value; break
      case 'label': (out.labelOpts ??= []).push(value); break
      case 'mask': (out.mask ??= []).push(...value.split(':')); break
      case 'proc-opts': out.procOpts = value.split(','); break
      case 'seccomp': out.seccompProfile = value; break
      case 'systempaths':
        if (value !== 'unconfined') throw new InvalidArgument(`invalid systempaths option ${JSON.stringify(value)}, only \`unconfined\` is supported`)
        ;(out.unmask ??= []).push('ALL')
        break
      case 'unmask': (out.unmask ??= []).push(value); break
      case 'no-new-privileges':
        if (value !== 'true' && value !== 'false') throw new InvalidArgument(`invalid --security-opt 2: ${JSON.stringify(opt)}`)
        out.noNewPrivileges = value === 'true'
        break
      default:
        throw new InvalidArgument(`invalid --security-opt 2: ${JSON.stringify(opt)}`)
    }
  }
  return out
}

function bad(spec: string, why: string): InvalidArgument {
  return new InvalidArgument(`ulimit option ${JSON.stringify(spec)} requires name=SOFT:HARD, failed to be parsed: ${why}`)
}

function parseLimit(s: string, spec: string): number {
  if (!/^[+-]?\d+$/.test(s)) throw bad(spec, `strconv.ParseInt: parsing ${JSON.stringify(s)}: invalid syntax`)
  return Number(s)
}

/** `--ulimit nofile=1024:2048`, `nproc=10` (hard = soft), `-1` = unlimited. */
export function parseUlimitFlag(spec: string): Ulimit {
  const eq = spec.indexOf('=')
  if (eq < 0) throw bad(spec, `invalid ulimit argument: ${spec}`)
  const name = spec.slice(0, eq)
  if (!ULIMIT_NAMES.includes(name)) throw bad(spec, `invalid ulimit type: ${name}`)
  const vals = spec.slice(eq + 1).split(':')
  if (vals.length > 2) throw bad(spec, `too many limit value arguments - ${spec.slice(eq + 1)}, can only have up to two, \`soft[:hard]\``)
  const soft = parseLimit(vals[0], spec)
  const hard = vals.length === 2 ? parseLimit(vals[1], spec) : soft
  if (hard !== -1 && (soft === -1 || soft > hard)) {
    throw bad(spec, `ulimit soft limit must be less than or equal to hard limit: ${soft} > ${hard}`)
  }
  return {name, soft, hard}
}
