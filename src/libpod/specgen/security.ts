// Typed security options (what --security-opt, --ulimit, --cap-* say) and
// their rendering as Podman's inspect shows them.

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
