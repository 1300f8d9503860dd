// Config documents written before typed specs (no `version`): securityOpt,
// ulimits and tmpfs were kept as the flag strings given at create (already
// checked then). Upgraded on read, in memory: the document on disk is left
// as it is, so an older peapod still reads it.
import {CONFIG_VERSION, type ContainerConfig, type TmpfsSpec} from './types.js'
import type {SecurityConfig, Ulimit} from '../specgen/security.js'

/** A version-1 document: the typed fields as strings. */
type LegacyConfig = Omit<ContainerConfig, 'security' | 'tmpfs' | 'ulimits'> & {
  securityOpt?: string[]
  tmpfs?: Array<string | TmpfsSpec>
  ulimits?: Array<string | Ulimit>
  security?: SecurityConfig
}

/** `--security-opt` strings as they were stored (the forms create accepted). */
function legacySecurity(list: readonly string[]): SecurityConfig {
  const out: SecurityConfig = {}
  for (const opt of list) {
    if (opt === 'no-new-privileges') {
      out.noNewPrivileges = true
      continue
    }
    const eq = opt.indexOf('=')
    const [key, value] = [opt.slice(0, eq), opt.slice(eq + 1)]
    switch (key) {
      case 'apparmor': out.apparmorProfile = value; break
      case 'label': (out.labelOpts ??= []).push(value); break
      case 'mask': (out.mask ??= []).push(...value.split(':')); break
      case 'proc-opts': out.procOpts = value.split(','); break
      case 'seccomp': out.seccompProfile = value; break
      case 'systempaths': (out.unmask ??= []).push('ALL'); break
      case 'unmask': (out.unmask ??= []).push(value); break
      case 'no-new-privileges': out.noNewPrivileges = value === 'true'; break
    }
  }
  return out
}

/** `name=soft[:hard]`. */
function legacyUlimit(u: string | Ulimit): Ulimit {
  if (typeof u !== 'string') return u
  const eq = u.indexOf('=')
  const [soft, hard = soft] = u.slice(eq + 1).split(':').map(Number)
  return {name: u.slice(0, eq), soft, hard}
}

/** `DEST[:opt,opt]`. */
function legacyTmpfs(t: string | TmpfsSpec): TmpfsSpec {
  if (typeof t !== 'string') return t
  const colon = t.indexOf(':')
  return colon < 0 ? {destination: t, options: []} : {destination: t.slice(0, colon), options: t.slice(colon + 1).split(',').filter(Boolean)}
}

/** The current shape of a config document of any version. */
export function upgradeConfig(doc: ContainerConfig): ContainerConfig {
  if (doc.version === CONFIG_VERSION) return doc
  const {securityOpt, ...old} = doc as unknown as LegacyConfig
  return {
    ...old,
    version: CONFIG_VERSION,
    security: old.security ?? legacySecurity(securityOpt ?? []),
    tmpfs: (old.tmpfs ?? []).map(legacyTmpfs),
    ulimits: (old.ulimits ?? []).map(legacyUlimit),
  }
}
