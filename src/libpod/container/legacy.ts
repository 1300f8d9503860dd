// Config documents written before typed specs (no `version`): securityOpt,
// ulimits and tmpfs were kept as the flag strings given at create (already
// checked then). Upgraded on read, in memory: the document on disk is left
// as it is, so an older peapod still reads it.
import {CONFIG_VERSION, type ContainerConfig, type TmpfsSpec} from './types.js'
import {parseSecurityOpts, parseUlimitFlag, type SecurityConfig, type Ulimit} from '../specgen/security.js'

/** A version-1 document: the typed fields as strings. */
type LegacyConfig = Omit<ContainerConfig, 'security' | 'tmpfs' | 'ulimits'> & {
  securityOpt?: string[]
  tmpfs?: Array<string | TmpfsSpec>
  ulimits?: Array<string | Ulimit>
  security?: SecurityConfig
}

/** `name=soft[:hard]` as it was stored (checked at create). */
const legacyUlimit = (u: string | Ulimit): Ulimit => (typeof u === 'string' ? parseUlimitFlag(u) : u)

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
    security: old.security ?? parseSecurityOpts(securityOpt ?? []),
    tmpfs: (old.tmpfs ?? []).map(legacyTmpfs),
    ulimits: (old.ulimits ?? []).map(legacyUlimit),
  }
}
