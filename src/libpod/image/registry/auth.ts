// Registry credentials in containers-auth.json(5) files, read and written the
// way containers/image does it, so Podman, Skopeo, Buildah and peapod share
// logins: $XDG_RUNTIME_DIR/containers/auth.json (else
// /run/containers/$UID/auth.json), then $XDG_CONFIG_HOME/containers/auth.json,
// then Docker's config.json and .dockercfg. --authfile / REGISTRY_AUTH_FILE
// name one file that replaces the search.
import {existsSync, mkdirSync, readFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {ConfigError, InvalidArgument} from '../../define/errors.js'
import {hostUid} from '../../config/paths.js'
import {writeFileAtomic} from '../../state/atomic.js'

export interface Credentials {
  username: string
  password: string
  /** An OAuth2 refresh token (`identitytoken`); username is then "<token>". */
  identityToken?: string
}

interface AuthEntry {
  auth?: string
  identitytoken?: string
  [k: string]: unknown
}

interface AuthFile {
  auths?: Record<string, AuthEntry>
  [k: string]: unknown
}

function home(): string {
  return process.env.HOME || os.homedir()
}

/** The file `login` writes: --authfile, REGISTRY_AUTH_FILE, else the per-user runtime file. */
export function authFilePath(explicit?: string): string {
  if (explicit) return explicit
  if (process.env.REGISTRY_AUTH_FILE) return process.env.REGISTRY_AUTH_FILE
  const xr = process.env.XDG_RUNTIME_DIR
  if (xr) {
    if (!existsSync(xr)) {
      throw new ConfigError(`"${xr}" directory set by $XDG_RUNTIME_DIR does not exist. Either create the directory or unset $XDG_RUNTIME_DIR.`)
    }
    return path.join(xr, 'containers/auth.json')
  }
  return `/run/containers/${hostUid()}/auth.json`
}

interface AuthPath { file: string; legacy: boolean }

/** Files searched for credentials, first hit wins. */
function authPaths(explicit?: string): AuthPath[] {
  const user = explicit || process.env.REGISTRY_AUTH_FILE
  let main: string | undefined
  try {
    main = authFilePath(explicit)
  } catch {
    main = undefined
  }
  const out: AuthPath[] = main ? [{file: main, legacy: false}] : []
  if (user) return out
  const xdgConfig = process.env.XDG_CONFIG_HOME || path.join(home(), '.config')
  out.push({file: path.join(xdgConfig, 'containers/auth.json'), legacy: false})
  out.push({file: process.env.DOCKER_CONFIG ? path.join(process.env.DOCKER_CONFIG, 'config.json') : path.join(home(), '.docker/config.json'), legacy: false})
  out.push({file: path.join(home(), '.dockercfg'), legacy: true})
  return out
}

function readAuthFile(p: AuthPath): AuthFile {
  if (!existsSync(p.file)) return {}
  let doc: unknown
  try {
    doc = JSON.parse(readFileSync(p.file, 'utf8'))
  } catch (e) {
    throw new ConfigError(`reading JSON file "${p.file}": ${(e as Error).message}`)
  }
  if (!doc || typeof doc !== 'object') return {}
  if (p.legacy) return {auths: doc as Record<string, AuthEntry>}
  return doc as AuthFile
}

/** Keys in auth files may be URLs (Docker's https://index.docker.io/v1/): reduce them to host[/path]. */
export function normalizeKey(key: string): string {
  let k = key.replace(/^https?:\/\//, '')
  if (key !== k) k = k.split('/')[0] // legacy URL keys name only the registry
  if (k === 'index.docker.io' || k === 'registry-1.docker.io') return 'docker.io'
  return k
}

/** Keys tried for a reference: host/ns/repo, host/ns, host (most specific first). */
export function lookupKeys(name: string): string[] {
  const parts = name.split('/')
  const out: string[] = []
  for (let i = parts.length; i >= 1; i--) out.push(parts.slice(0, i).join('/'))
  return out
}

function decode(entry: AuthEntry, where: string): Credentials | undefined {
  if (entry.identitytoken) return {username: '<token>', password: '', identityToken: entry.identitytoken}
  if (!entry.auth) return undefined
  const plain = Buffer.from(entry.auth, 'base64').toString('utf8')
  const colon = plain.indexOf(':')
  if (colon < 0) throw new ConfigError(`invalid auth configuration for ${where}: no ":" in the decoded auth`)
  return {username: plain.slice(0, colon), password: plain.slice(colon + 1).replace(/\0+$/, '')}
}

/**
 * Credentials for a repository (host[/path]) or a registry (host), from the
 * first auth file that has an entry for it.
 */
export function getCredentials(name: string, authfile?: string): Credentials | undefined {
  const keys = lookupKeys(name)
  for (const p of authPaths(authfile)) {
    const auths = readAuthFile(p).auths ?? {}
    const normalized = new Map<string, AuthEntry>()
    for (const [k, v] of Object.entries(auths)) {
      const nk = normalizeKey(k)
      // An exact key beats a normalised one.
      if (k === nk || !normalized.has(nk)) normalized.set(nk, v)
    }
    for (const key of keys) {
      const entry = normalized.get(key)
      if (entry) {
        const creds = decode(entry, key)
        if (creds) return creds
      }
    }
  }
  return undefined
}

/** Validates a `login`/`logout` key: a registry, optionally with a repository path, no scheme, tag or digest. */
export function validateKey(key: string): string {
  let k = key.replace(/^https?:\/\//, '')
  if (k !== key) k = k.split('/')[0]
  k = k.replace(/\/+$/, '')
  const slash = k.indexOf('/')
  if (!k || k.includes('@') || (slash >= 0 && k.slice(slash).includes(':'))) {
    throw new InvalidArgument(`${key}: invalid registry or repository name (no tag or digest allowed)`)
  }
  if (slash >= 0 && k.slice(slash + 1).split('/').some(p => !/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/.test(p))) {
    throw new InvalidArgument(`${key}: invalid repository name`)
  }
  return normalizeKey(k)
}

function writeAuthFile(file: string, doc: AuthFile): void {
  mkdirSync(path.dirname(file), {recursive: true, mode: 0o700})
  // Go's json.MarshalIndent(v, "", "\t"), as containers/image writes it.
  writeFileAtomic(file, JSON.stringify(doc, null, '\t'), 0o600)
}

/** Stores credentials for `key` (host or host/repo) in the auth file. */
export function setCredentials(key: string, creds: Credentials, authfile?: string): string {
  const file = authFilePath(authfile)
  const doc = readAuthFile({file, legacy: false})
  doc.auths ??= {}
  doc.auths[key] = {...(doc.auths[key] ?? {}), auth: Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}
  delete doc.auths[key].identitytoken
  writeAuthFile(file, doc)
  return file
}

/** Removes the credentials of `key`; false when there were none in the auth file. */
export function removeCredentials(key: string, authfile?: string): boolean {
  const file = authFilePath(authfile)
  const doc = readAuthFile({file, legacy: false})
  const auths = doc.auths ?? {}
  const match = Object.keys(auths).find(k => k === key) ?? Object.keys(auths).find(k => normalizeKey(k) === key)
  if (!match) return false
  delete auths[match]
  doc.auths = auths
  writeAuthFile(file, doc)
  return true
}

/** Removes every login from the auth file. */
export function removeAllCredentials(authfile?: string): void {
  const file = authFilePath(authfile)
  if (!existsSync(file)) return
  const doc = readAuthFile({file, legacy: false})
  doc.auths = {}
  writeAuthFile(file, doc)
}

/** Whether credentials for key exist only in Docker's files (logout's hint). */
export function dockerOnlyCredentials(key: string): boolean {
  const docker = process.env.DOCKER_CONFIG ? path.join(process.env.DOCKER_CONFIG, 'config.json') : path.join(home(), '.docker/config.json')
  const auths = readAuthFile({file: docker, legacy: false}).auths ?? {}
  return Object.keys(auths).some(k => normalizeKey(k) === key)
}

/** `--creds USER[:PASS]`. */
export function parseCreds(creds: string): Credentials {
  if (creds === '') throw new InvalidArgument('credentials can\'t be empty')
  const colon = creds.indexOf(':')
  if (colon === 0) throw new InvalidArgument('username can\'t be empty')
  if (colon < 0) return {username: creds, password: ''}
  return {username: creds.slice(0, colon), password: creds.slice(colon + 1)}
}
