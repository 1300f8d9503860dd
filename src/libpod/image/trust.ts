// `image trust show/set`: policy.json (containers-policy.json(5)), the file
// pull honours (registry/config.ts checkPolicy), read and edited as Podman
// 4.3.1's pkg/trust does: set replaces a scope's requirements (or the
// default), writes the file with Go's 4-space MarshalIndent and sorted keys.
import {execFileSync} from 'node:child_process'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {ConfigError, InvalidArgument} from '../define/errors.js'
import {policyPath} from './registry/config.js'

type Requirement = Record<string, unknown> & {type?: string; keyType?: string; keyPath?: string; keyPaths?: string[]}
interface PolicyDoc {
  default?: Requirement[]
  transports?: Record<string, Record<string, Requirement[]>>
}

export const TRUST_TYPES = ['accept', 'reject', 'signedBy', 'sigstoreSigned'] as const
export type TrustType = typeof TRUST_TYPES[number]

/** The policy file trust works on: --policypath, else the one pull reads, else the system one. */
export function trustPolicyPath(explicit?: string): string {
  return explicit || policyPath() || '/etc/containers/policy.json'
}

function readPolicy(file: string): PolicyDoc {
  if (!existsSync(file)) return {}
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PolicyDoc
  } catch {
    throw new ConfigError('could not read trust policies')
  }
}

/** Go's json.MarshalIndent(v, "", "    ") of maps: keys sorted. */
function goJson(v: unknown): string {
  const sort = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(sort)
    if (x && typeof x === 'object') return Object.fromEntries(Object.keys(x).sort().map(k => [k, sort((x as Record<string, unknown>)[k])]))
    return x
  }
  // The policy's own field order (default before transports; type, keyType, keyPath) is the struct's, kept as is.
  const doc = v as PolicyDoc
  const out: Record<string, unknown> = {default: doc.default ?? []}
  if (doc.transports) out.transports = Object.fromEntries(Object.keys(doc.transports).sort().map(t => [t, sort(doc.transports![t])]))
  return JSON.stringify(out, (_k, val) => {
    if (val && typeof val === 'object' && !Array.isArray(val) && 'type' in val) {
      const r = val as Requirement
      const {type, keyType, keyPath, keyPaths, ...rest} = r
      return {type, keyType, keyPath, keyPaths, ...rest}
    }
    return val
  }, 4)
}

export interface SetTrustOptions {
  type: TrustType
  pubKeysFiles?: string[]
  policyPath?: string
}

/** `image trust set SCOPE`: 'default' or a registry/repository scope of the docker transport. */
export function setTrust(scope: string, opts: SetTrustOptions): void {
  if (!TRUST_TYPES.includes(opts.type)) throw new InvalidArgument(`invalid choice: ${opts.type} (choose from 'accept', 'reject', 'signedBy', 'sigstoreSigned')`)
  const file = trustPolicyPath(opts.policyPath)
  const keys = opts.pubKeysFiles ?? []
  const type = opts.type === 'accept' ? 'insecureAcceptAnything' : opts.type
  if (keys.length === 0 && type === 'signedBy') throw new InvalidArgument("at least one public key must be defined for type 'signedBy'")
  if (keys.length === 0 && type === 'sigstoreSigned') throw new InvalidArgument("at least one public key must be defined for type 'sigstoreSigned'")
  const doc = readPolicy(file)
  const reqs: Requirement[] = keys.length
    ? keys.map(k => (type === 'sigstoreSigned' ? {type, keyPath: k} : {type, keyType: 'GPGKeys', keyPath: k}))
    : [{type}]
  if (scope === 'default') doc.default = reqs
  else {
    if (!doc.default?.length) throw new InvalidArgument('default trust policy must be set')
    const owner = Object.keys(doc.transports ?? {}).find(t => doc.transports![t][scope])
    doc.transports ??= {}
    if (owner) doc.transports[owner][scope] = reqs
    else (doc.transports.docker ??= {})[scope] = reqs
  }
  try {
    writeFileSync(file, goJson(doc), {mode: 0o644})
  } catch (e) {
    const err = e as NodeJS.ErrnoException
    throw new InvalidArgument(`open ${file}: ${err.code === 'EACCES' ? 'permission denied' : err.code === 'ENOENT' ? 'no such file or directory' : err.message}`)
  }
}

export interface TrustRow {
  transport: string
  name: string
  repo_name: string
  sigstore?: string
  type: string
  gpg_id?: string
}

const DESCRIPTIONS: Record<string, string> = {insecureAcceptAnything: 'accept', signedBy: 'signed', reject: 'reject', sigstoreSigned: 'sigstoreSigned'}

/** The key's user IDs (e-mail part), as Podman gets them from `gpg2 --with-colons KEYFILE`. */
function gpgIds(keyPath: string): string[] {
  for (const gpg of ['gpg2', 'gpg']) {
    let out: string
    try {
      out = execFileSync(gpg, ['--with-colons', keyPath], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], env: {...process.env, GNUPGHOME: process.env.GNUPGHOME ?? '/nonexistent'}})
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue
      return []
    }
    return out.split('\n').filter(l => l.startsWith('uid:') || l.startsWith('pub:')).map(l => l.split(':')[9] ?? '').filter(Boolean)
      .map(uid => /<([^>]*)>/.exec(uid)?.[1] ?? uid)
  }
  return []
}

function describe(reqs: Requirement[]): {type: string; gpg_id?: string} {
  const r = reqs[0] ?? {}
  const type = DESCRIPTIONS[r.type ?? ''] ?? r.type ?? ''
  if (r.type !== 'signedBy') return {type}
  const ids = reqs.flatMap(q => [...(q.keyPath ? [q.keyPath] : []), ...(q.keyPaths ?? [])]).flatMap(gpgIds)
  return ids.length ? {type, gpg_id: ids.join(', ')} : {type}
}

/** `image trust show`: the default, then every scope of every transport (sorted). */
export function showTrust(explicit?: string): {file: string; raw: string; rows: TrustRow[]} {
  const file = trustPolicyPath(explicit)
  if (!existsSync(file)) throw new InvalidArgument(`open ${file}: no such file or directory`)
  const raw = readFileSync(file, 'utf8')
  const doc = readPolicy(file)
  const rows: TrustRow[] = []
  if (doc.default) rows.push({transport: 'all', name: '* (default)', repo_name: 'default', ...describe(doc.default)})
  for (const t of Object.keys(doc.transports ?? {}).sort()) {
    for (const scope of Object.keys(doc.transports![t]).sort()) {
      rows.push({transport: t === 'docker' ? 'repository' : t, name: scope, repo_name: scope, ...describe(doc.transports![t][scope])})
    }
  }
  return {file, raw, rows}
}
