// The registry side of the containers-common configuration:
// registries.conf (+ registries.conf.d drop-ins, shortnames.conf aliases),
// certs.d directories and policy.json, with containers/image's semantics.
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {ConfigError, InvalidArgument, PolicyRejected} from '../../define/errors.js'
import {loadRegistriesConf, searchRegistriesOf} from '../../config/registries.js'
import {readToml, type Table} from '../../config/toml.js'
import {formatReference, parseReference, type Reference} from '../reference.js'
import type {TlsSettings} from './http.js'

export interface Mirror {
  location: string
  insecure: boolean
  /** all | digest-only | tag-only */
  pullFromMirror: string
}

export interface RegistryEntry {
  prefix: string
  location: string
  insecure: boolean
  blocked: boolean
  mirrorByDigestOnly: boolean
  mirrors: Mirror[]
}

export interface Alias {
  value: string
  origin: string
}

export type ShortNameMode = 'enforcing' | 'permissive' | 'disabled'

/** One place to pull from: a mirror or the registry itself. */
export interface Endpoint {
  /** The reference at this endpoint (prefix rewritten to the location). */
  ref: Reference
  insecure: boolean
  mirror: boolean
}

export class RegistriesConf {
  searchRegistries: string[] = []
  /** File that set unqualified-search-registries (for messages). */
  searchOrigin = ''
  shortNameMode: ShortNameMode = 'enforcing'
  readonly aliases = new Map<string, Alias>()
  readonly registries: RegistryEntry[] = []
  /** The main registries.conf used (for messages). */
  mainFile = '/etc/containers/registries.conf'

  /**
   * Reads the configuration: the main registries.conf and the
   * registries.conf.d drop-ins in Podman's order (config/registries.ts);
   * later files win per key, alias and registry prefix.
   */
  static load(configDirs: string[], rootless?: boolean): RegistriesConf {
    const conf = new RegistriesConf()
    const {mainFile, tables} = loadRegistriesConf(configDirs, {rootless})
    conf.mainFile = mainFile
    for (const {file, table} of tables) conf.merge(table, file)
    const search = searchRegistriesOf(tables)
    conf.searchRegistries = search.registries
    conf.searchOrigin = search.origin
    conf.loadAliasCache()
    return conf
  }

  private merge(t: Table, file: string): void {
    const mode = t['short-name-mode']
    if (typeof mode === 'string' && mode !== '') {
      if (!['enforcing', 'permissive', 'disabled'].includes(mode)) throw new ConfigError(`invalid short-name mode: "${mode}" in ${file}`)
      this.shortNameMode = mode as ShortNameMode
    }
    const aliases = t.aliases
    if (aliases && typeof aliases === 'object') {
      for (const [k, v] of Object.entries(aliases as Table)) {
        if (typeof v !== 'string') continue
        if (v === '') this.aliases.delete(k)
        else this.aliases.set(k, {value: v, origin: file})
      }
    }
    // V1 format: [registries.search] registries = [...], insecure, block.
    const v1 = t.registries as Table | undefined
    if (v1 && typeof v1 === 'object' && !Array.isArray(v1)) {
      const list = (k: string) => ((v1[k] as Table | undefined)?.registries as string[] | undefined) ?? []
      for (const r of list('insecure')) this.upsert({...this.entryFor(r), insecure: true})
      for (const r of list('block')) this.upsert({...this.entryFor(r), blocked: true})
    }
    const regs = t.registry
    if (Array.isArray(regs)) {
      for (const r of regs as Table[]) {
        const location = typeof r.location === 'string' ? r.location.replace(/\/+$/, '') : ''
        const prefix = typeof r.prefix === 'string' && r.prefix !== '' ? r.prefix.replace(/\/+$/, '') : location
        if (!prefix) throw new ConfigError(`invalid [[registry]] in ${file}: neither prefix nor location set`)
        const mirrors = Array.isArray(r.mirror) ? (r.mirror as Table[]).map(m => ({
          location: String(m.location ?? '').replace(/\/+$/, ''),
          insecure: m.insecure === true,
          pullFromMirror: typeof m['pull-from-mirror'] === 'string' ? m['pull-from-mirror'] as string : 'all',
        })).filter(m => m.location) : []
        this.upsert({
          prefix,
          location: prefix.startsWith('*.') ? '' : location || prefix,
          insecure: r.insecure === true,
          blocked: r.blocked === true,
          mirrorByDigestOnly: r['mirror-by-digest-only'] === true,
          mirrors,
        })
      }
    }
  }

  private entryFor(prefix: string): RegistryEntry {
    return this.registries.find(r => r.prefix === prefix) ?? {prefix, location: prefix, insecure: false, blocked: false, mirrorByDigestOnly: false, mirrors: []}
  }

  private upsert(e: RegistryEntry): void {
    const i = this.registries.findIndex(r => r.prefix === e.prefix)
    if (i >= 0) this.registries[i] = e
    else this.registries.push(e)
  }

  /** The short-name alias cache Podman writes after a prompt (read only here). */
  private loadAliasCache(): void {
    const file = process.getuid?.() === 0 && !process.env.PEAPOD_ROOTLESS_UID
      ? '/var/cache/containers/short-name-aliases.conf'
      : path.join(process.env.XDG_CACHE_HOME || path.join(process.env.HOME || os.homedir(), '.cache'), 'containers/short-name-aliases.conf')
    let t: Table | undefined
    try {
      t = readToml(file)
    } catch {
      return
    }
    const aliases = t?.aliases
    if (!aliases || typeof aliases !== 'object') return
    for (const [k, v] of Object.entries(aliases as Table)) {
      if (typeof v === 'string' && !this.aliases.has(k)) this.aliases.set(k, {value: v, origin: file})
    }
  }

  /** The [[registry]] block for a repository name (domain/path): the longest matching prefix. */
  find(name: string): RegistryEntry | undefined {
    let best: RegistryEntry | undefined
    let bestLen = -1
    const host = name.split('/')[0]
    for (const r of this.registries) {
      let ok = false
      if (r.prefix.startsWith('*.')) ok = host.endsWith(r.prefix.slice(1))
      else ok = name === r.prefix || name.startsWith(r.prefix + '/')
      if (ok && r.prefix.length > bestLen) {
        best = r
        bestLen = r.prefix.length
      }
    }
    return best
  }

  /** Whether the registry of `name` is insecure (plain HTTP or unverified TLS allowed). */
  insecure(name: string): boolean {
    return this.find(name)?.insecure ?? false
  }

  /**
   * Where to pull `ref` from: the mirrors (when allowed for a tag or digest
   * reference), then the registry's location. Throws when it is blocked.
   */
  pullEndpoints(ref: Reference): Endpoint[] {
    const name = `${ref.domain}/${ref.path}`
    const r = this.find(name)
    if (!r) return [{ref, insecure: false, mirror: false}]
    if (r.blocked) throw new PolicyRejected(`registry ${r.prefix} is blocked in ${this.mainFile} or ${this.mainFile}.d`)
    const rewrite = (location: string): Reference => {
      const full = r.prefix.startsWith('*.') ? name : location + name.slice(r.prefix.length)
      const p = parseReference(full)
      return {domain: p.domain, path: p.path, tag: ref.tag, digest: ref.digest}
    }
    const out: Endpoint[] = []
    for (const m of r.mirrors) {
      const mode = r.mirrorByDigestOnly ? 'digest-only' : m.pullFromMirror
      if (mode === 'digest-only' && !ref.digest) continue
      if (mode === 'tag-only' && ref.digest) continue
      out.push({ref: rewrite(m.location), insecure: m.insecure, mirror: true})
    }
    out.push({ref: r.location ? rewrite(r.location) : ref, insecure: r.insecure, mirror: false})
    return out
  }

  /** Where to push: the registry's location (mirrors are never pushed to). */
  pushEndpoint(ref: Reference): Endpoint {
    const eps = this.pullEndpoints({...ref, digest: undefined, tag: ref.tag ?? 'latest'})
    const ep = eps[eps.length - 1]
    return {ref: {...ep.ref, tag: ref.tag, digest: ref.digest}, insecure: ep.insecure, mirror: false}
  }
}

export interface Resolution {
  candidates: Reference[]
  /** Printed before pulling ("Resolved ... as an alias (...)"). */
  description?: string
}

/** Whether a name is a short name (no registry domain). */
export function isShortName(input: string): boolean {
  return parseReference(input).domain === ''
}

/**
 * containers/image's short-name resolution for pulls: a qualified name is
 * itself; an alias wins; else each unqualified-search registry, which in
 * enforcing mode needs a terminal to choose when there are several.
 */
export function resolvePullName(conf: RegistriesConf, input: string, isTerminal: boolean): Resolution {
  const ref = parseReference(input)
  if (ref.domain) {
    return {candidates: [{...ref, tag: ref.tag ?? (ref.digest ? undefined : 'latest')}]}
  }
  const alias = conf.aliases.get(ref.path)
  if (alias) {
    let a: Reference
    try {
      a = parseReference(alias.value)
    } catch {
      throw new ConfigError(`invalid alias value "${alias.value}" for "${ref.path}" in ${alias.origin}`)
    }
    if (!a.domain) throw new ConfigError(`invalid alias value "${alias.value}" for "${ref.path}" in ${alias.origin}: not a fully-qualified name`)
    return {
      candidates: [{domain: a.domain, path: a.path, tag: ref.tag ?? (ref.digest ? undefined : a.tag ?? 'latest'), digest: ref.digest}],
      description: `Resolved "${ref.path}" as an alias (${alias.origin})`,
    }
  }
  if (conf.searchRegistries.length === 0) {
    throw new InvalidArgument(`short-name "${input}" did not resolve to an alias and no unqualified-search registries are defined in "${conf.mainFile}"`)
  }
  const candidates = conf.searchRegistries.map(reg => {
    const r = parseReference(`${reg}/${ref.path}`)
    if (r.domain === 'docker.io' && !r.path.includes('/')) r.path = `library/${r.path}`
    return {domain: r.domain || reg, path: r.path, tag: ref.tag ?? (ref.digest ? undefined : 'latest'), digest: ref.digest}
  })
  if (candidates.length > 1 && conf.shortNameMode === 'enforcing' && !isTerminal) {
    throw new InvalidArgument('short-name resolution enforced but cannot prompt without a TTY')
  }
  return {candidates, description: `Resolving "${ref.path}" using unqualified-search registries (${conf.searchOrigin})`}
}

/** `domain/path` of a reference (docker.io/library/busybox). */
export function repoName(ref: Reference): string {
  return `${ref.domain}/${ref.path}`
}

/** Full name with tag or digest, as Podman prints it. */
export function refString(ref: Reference): string {
  return formatReference(ref)
}

// ---- certs.d ----

/** Directories searched for a registry's certificates (or just --cert-dir). */
export function certDirs(hostPort: string, certDir?: string): string[] {
  if (certDir) return [certDir]
  const dirs: string[] = []
  if (process.getuid?.() !== 0 || process.env.PEAPOD_ROOTLESS_UID) {
    dirs.push(path.join(process.env.XDG_CONFIG_HOME || path.join(process.env.HOME || os.homedir(), '.config'), 'containers/certs.d'))
  }
  dirs.push('/etc/containers/certs.d', '/etc/docker/certs.d')
  return dirs.map(d => path.join(d, hostPort))
}

/** TLS settings for a registry: *.crt CAs, *.cert/*.key client pairs from its certs.d dir. */
export function tlsFor(hostPort: string, verify: boolean, certDir?: string): TlsSettings {
  const settings: TlsSettings = {verify}
  for (const dir of certDirs(hostPort, certDir)) {
    let files: string[]
    try {
      files = readdirSync(dir).sort()
    } catch {
      if (certDir) throw new InvalidArgument(`reading certificate directory ${certDir}: no such directory`)
      continue
    }
    for (const f of files) {
      const full = path.join(dir, f)
      if (f.endsWith('.crt')) (settings.ca ??= []).push(readFileSync(full, 'utf8'))
      else if (f.endsWith('.cert')) {
        const key = full.slice(0, -'.cert'.length) + '.key'
        if (!existsSync(key)) throw new ConfigError(`missing key ${path.basename(key)} for client certificate ${f}. Note that CA certificates should use the extension .crt`)
        settings.cert = readFileSync(full, 'utf8')
        settings.key = readFileSync(key, 'utf8')
      } else if (f.endsWith('.key')) {
        const cert = full.slice(0, -'.key'.length) + '.cert'
        if (!existsSync(cert)) throw new ConfigError(`missing client certificate ${path.basename(cert)} for key ${f}`)
      }
    }
    break // the first directory that exists is used, as containers/image does
  }
  return settings
}

// ---- policy.json ----

interface Requirement { type?: string }
interface PolicyDoc {
  default?: Requirement[]
  transports?: Record<string, Record<string, Requirement[]>>
}

/** policy.json: --signature-policy, else ~/.config/containers/policy.json (rootless), else /etc/containers/policy.json. */
export function policyPath(explicit?: string): string | undefined {
  if (explicit) return explicit
  if (process.getuid?.() !== 0 || process.env.PEAPOD_ROOTLESS_UID) {
    const user = path.join(process.env.XDG_CONFIG_HOME || path.join(process.env.HOME || os.homedir(), '.config'), 'containers/policy.json')
    if (existsSync(user)) return user
  }
  return ['/etc/containers/policy.json', '/usr/share/containers/policy.json'].find(f => existsSync(f))
}

/**
 * Checks that policy.json lets an image be read through `transport`
 * (docker: scope host/repo). insecureAcceptAnything passes; reject (and
 * signature requirements, which peapod cannot verify) refuse the image.
 */
export function checkPolicy(transport: string, scope: string, display: string, explicit?: string): void {
  const file = policyPath(explicit)
  if (!file) return
  let doc: PolicyDoc
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'))
  } catch (e) {
    throw new ConfigError(`invalid policy in "${file}": ${(e as Error).message}`)
  }
  const scopes = doc.transports?.[transport] ?? {}
  let reqs: Requirement[] | undefined
  if (transport === 'docker') {
    // The reference itself (host/repo:tag or @digest), the repository, its parent namespaces, the host, wildcard hosts.
    reqs = scopes[scope]
    const parts = scope.replace(/@.*$/, '').replace(/:[^/:]*$/, '').split('/')
    for (let i = parts.length; i >= 1 && !reqs; i--) reqs = scopes[parts.slice(0, i).join('/')]
    if (!reqs) {
      const host = parts[0]
      const labels = host.split('.')
      for (let i = 1; i < labels.length && !reqs; i++) reqs = scopes[`*.${labels.slice(i).join('.')}`]
    }
  } else {
    reqs = scopes[scope]
  }
  reqs ??= scopes[''] ?? doc.default
  if (!reqs || reqs.length === 0) throw new PolicyRejected(`Source image rejected: policy in "${file}" has no requirements for ${display}`)
  for (const r of reqs) {
    if (r.type === 'insecureAcceptAnything') continue
    if (r.type === 'reject') throw new PolicyRejected(`Source image rejected: Running image ${display} is rejected by policy.`)
    throw new PolicyRejected(`Source image rejected: ${display}: policy requirement "${r.type}" (signature verification) is not supported by peapod`)
  }
}
