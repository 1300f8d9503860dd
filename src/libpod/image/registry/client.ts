// An OCI distribution-spec client for one registry host: the /v2/ ping that
// picks https (or http for insecure registries) and learns the auth
// challenge, Basic and Bearer (token) authentication per repository scope,
// retries with backoff for transient failures, and the registry API calls
// pull and push need. Errors read like containers/image's.
import {Readable} from 'node:stream'
import {getCredentials, type Credentials} from './auth.js'
import {tlsFor, type RegistriesConf} from './config.js'
import {DigestMismatch as DigestMismatchError, InvalidResponse, NotFound, RegistryError, Unauthorized, Unreachable} from '../../define/errors.js'
import {HttpResponse, HttpTransport, MAX_DOCUMENT, type HttpRequest, type Method} from './http.js'
import {MANIFEST_ACCEPT, manifestType} from './manifest.js'
import {sha256} from '../images.js'

export interface ClientOptions {
  conf: RegistriesConf
  /** --tls-verify; undefined: registries.conf's `insecure` decides. */
  tlsVerify?: boolean
  certDir?: string
  /** --creds; else auth files. */
  creds?: Credentials
  authfile?: string
  /** Warnings about retries ("Failed, retrying in ..."). */
  onRetry?: (message: string) => void
  /** Retries of a failed request (3, as Podman). */
  retries?: number
}

interface Challenge {
  scheme: 'basic' | 'bearer'
  params: Record<string, string>
}

interface Token {
  value: string
  expires: number
}

export interface FetchedManifest {
  raw: Buffer
  mediaType: string
  digest: string
}

/** The host requests go to (Docker Hub's API lives on registry-1.docker.io). */
export function apiHost(domain: string): string {
  return domain === 'docker.io' ? 'registry-1.docker.io' : domain
}

export function parseChallenges(header: string | undefined): Challenge[] {
  if (!header) return []
  const out: Challenge[] = []
  // scheme k="v", k=v, ...; several challenges may follow each other.
  const re = /([A-Za-z]+)\s+((?:[A-Za-z_]+=(?:"(?:[^"\\]|\\.)*"|[^\s,]*)\s*,?\s*)+)|([A-Za-z]+)\s*$/g
  let m: RegExpExecArray | null
  while ((m = re.exec(header))) {
    const scheme = (m[1] ?? m[3]).toLowerCase()
    if (scheme !== 'basic' && scheme !== 'bearer') continue
    const params: Record<string, string> = {}
    const pre = /([A-Za-z_]+)=(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g
    let p: RegExpExecArray | null
    while ((p = pre.exec(m[2] ?? ''))) params[p[1].toLowerCase()] = (p[2] ?? p[3] ?? '').replace(/\\(.)/g, '$1')
    out.push({scheme, params})
  }
  return out
}

/** A registry's error body as containers/image prints it: "manifest unknown: manifest unknown". */
export async function registryErrorText(res: HttpResponse): Promise<{text: string; codes: string[]}> {
  let body = ''
  try {
    body = res.body.complete && res.body.readableEnded ? '' : await res.text(1 << 20)
  } catch {
    body = ''
  }
  try {
    const doc = JSON.parse(body) as {errors?: Array<{code?: string; message?: string}>}
    const errs = (doc.errors ?? []).filter(e => e && typeof e === 'object')
    if (errs.length) {
      const texts = errs.map(e => {
        const code = (e.code ?? 'UNKNOWN').toLowerCase().replace(/_/g, ' ')
        return e.message ? `${code}: ${e.message}` : code
      })
      return {text: texts.join('; '), codes: errs.map(e => e.code ?? 'UNKNOWN')}
    }
  } catch {
    // not JSON
  }
  switch (res.status) {
    case 401: return {text: 'unauthorized: authentication required', codes: ['UNAUTHORIZED']}
    case 403: return {text: 'denied: requested access to the resource is denied', codes: ['DENIED']}
    case 404: return {text: 'not found', codes: []}
    case 429: return {text: 'toomanyrequests: too many requests', codes: ['TOOMANYREQUESTS']}
  }
  const snippet = body.trim().split('\n')[0].slice(0, 200)
  return {text: `received unexpected HTTP status: ${res.status} ${res.body.statusMessage ?? ''}`.trim() + (snippet ? ` (${snippet})` : ''), codes: []}
}

export async function errorFor(res: HttpResponse, prefix: string): Promise<RegistryError> {
  const {text, codes} = await registryErrorText(res)
  const msg = `${prefix}: ${text}`
  if (res.status === 401 || res.status === 403) return new Unauthorized(msg, res.status, codes)
  if (res.status === 404 || codes.some(c => /UNKNOWN$/.test(c))) return new NotFound(msg, res.status, codes)
  return new RegistryError(msg, res.status, codes)
}

export function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms))
}

/** Client for one registry host (domain[:port]). */
export class Registry {
  readonly apiHost: string
  private base?: URL
  private challenge?: Challenge | null
  private pinging?: Promise<void>
  private readonly tokens = new Map<string, Promise<Token>>()
  private readonly transport: HttpTransport
  private readonly insecure: boolean

  /**
   * `domain` is the registry as written in names (docker.io, quay.io,
   * 127.0.0.1:5000): credentials and certs.d are looked up with it.
   */
  constructor(readonly domain: string, private readonly opts: ClientOptions, insecure?: boolean) {
    this.apiHost = apiHost(domain)
    this.insecure = opts.tlsVerify === undefined ? (insecure ?? opts.conf.insecure(domain)) : !opts.tlsVerify
    this.transport = new HttpTransport(tlsFor(domain, !this.insecure, opts.certDir))
  }

  close(): void {
    this.transport.close()
  }

  private get retries(): number {
    return this.opts.retries ?? 3
  }

  /** Runs fn again after transient failures, with exponential backoff (200 ms, 400 ms, ...). */
  async withRetry<T>(what: string, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn()
      } catch (e) {
        const transient = (e instanceof Unreachable && e.transient) || (e instanceof RegistryError && [429, 500, 502, 503, 504].includes(e.status ?? 0))
        if (!transient || attempt >= this.retries) throw e
        const delay = 200 * 2 ** attempt
        const msg = (e as Error).message
        this.opts.onRetry?.(`Failed, retrying in ${delay}ms ... (${attempt + 1}/${this.retries}). Error: ${msg.startsWith(what) ? msg : `${what}: ${msg}`}`)
        await sleep(delay)
      }
    }
  }

  /** GET /v2/: the scheme to use and the auth challenge. */
  async ping(): Promise<void> {
    this.pinging ??= this.withRetry(`pinging container registry ${this.apiHost}`, () => this.pingOnce()).catch(e => {
      this.pinging = undefined
      throw e
    })
    return this.pinging
  }

  private async pingOnce(): Promise<void> {
    const tryScheme = async (scheme: 'https' | 'http') => {
      const url = new URL(`${scheme}://${this.apiHost}/v2/`)
      const res = await this.transport.send({method: 'GET', url})
      res.discard()
      if (res.status !== 200 && res.status !== 401) {
        throw new RegistryError(`pinging container registry ${this.apiHost}: StatusCode: ${res.status}, ${url.href}`, res.status)
      }
      this.base = new URL(`${scheme}://${this.apiHost}`)
      const challenges = parseChallenges(res.header('www-authenticate'))
      this.challenge = res.status === 401
        ? challenges.find(c => c.scheme === 'bearer') ?? challenges.find(c => c.scheme === 'basic') ?? null
        : null
    }
    try {
      await tryScheme('https')
    } catch (e) {
      if (this.insecure && e instanceof Unreachable) {
        try {
          await tryScheme('http')
          return
        } catch (e2) {
          if (e2 instanceof Unreachable) e2.message = `pinging container registry ${this.apiHost}: ${e2.message}`
          throw e2
        }
      }
      if (e instanceof Unreachable) e.message = `pinging container registry ${this.apiHost}: ${e.message}`
      throw e
    }
  }

  /** Credentials for a repository: --creds, else the auth files (repository key first). */
  credentials(repo?: string): Credentials | undefined {
    return this.opts.creds ?? getCredentials(repo ? `${this.domain}/${repo}` : this.domain, this.opts.authfile)
  }

  private async token(scopes: string[], repo?: string): Promise<string> {
    const key = [...scopes].sort().join(' ')
    let p = this.tokens.get(key)
    const now = Date.now()
    if (p) {
      const t = await p.catch(() => undefined)
      if (t && t.expires > now + 10_000) return t.value
      this.tokens.delete(key)
    }
    p = this.fetchToken(scopes, repo)
    this.tokens.set(key, p)
    p.catch(() => this.tokens.delete(key))
    return (await p).value
  }

  private async fetchToken(scopes: string[], repo?: string): Promise<Token> {
    const params = this.challenge!.params
    if (!params.realm) throw new InvalidResponse(`${this.domain}: bearer challenge without realm`)
    let url: URL
    try {
      url = new URL(params.realm)
    } catch {
      throw new InvalidResponse(`${this.domain}: invalid token realm ${JSON.stringify(params.realm)}`)
    }
    if (params.service) url.searchParams.set('service', params.service)
    for (const s of scopes) url.searchParams.append('scope', s)
    const creds = this.credentials(repo)
    const headers: Record<string, string> = {}
    if (creds && !creds.identityToken) {
      url.searchParams.set('account', creds.username)
      headers.authorization = basic(creds)
    }
    const res = await this.withRetry(`fetching token from ${url.origin}`, () => this.transport.send({method: 'GET', url, headers}))
    if (res.status === 401 || res.status === 403) {
      const {text} = await registryErrorText(res)
      throw new Unauthorized(`unable to retrieve auth token: invalid username/password: ${text}`, res.status)
    }
    if (res.status !== 200) {
      const {text} = await registryErrorText(res)
      throw new RegistryError(`unable to retrieve auth token: ${text}`, res.status)
    }
    let doc: {token?: string; access_token?: string; expires_in?: number}
    try {
      doc = JSON.parse(await res.text())
    } catch {
      throw new InvalidResponse(`unable to retrieve auth token: invalid JSON from ${url.origin}`)
    }
    const value = doc.token || doc.access_token
    if (!value) throw new InvalidResponse('unable to retrieve auth token: the token server returned no token')
    const ttl = Math.max(60, Number(doc.expires_in) || 60)
    return {value, expires: Date.now() + ttl * 1000}
  }

  private async authHeader(scopes: string[], repo?: string): Promise<string | undefined> {
    if (!this.challenge) return undefined
    if (this.challenge.scheme === 'basic') {
      const creds = this.credentials(repo)
      return creds ? basic(creds) : undefined
    }
    return `Bearer ${await this.token(scopes, repo)}`
  }

  /**
   * An authenticated request to a path under the registry (/v2/...).
   * Retried when transient and `idempotent`; a 401 with a new bearer scope
   * gets one more try with a token for it.
   */
  async request(method: Method, pathOrUrl: string, opts: {
    scopes: string[]
    repo?: string
    headers?: Record<string, string>
    body?: Buffer | string | (() => Readable)
    noRedirect?: boolean
    idempotent?: boolean
    what: string
  }): Promise<HttpResponse> {
    await this.ping()
    const url = /^https?:/.test(pathOrUrl) ? new URL(pathOrUrl) : new URL(pathOrUrl, this.base)
    const send = async (scopes: string[]): Promise<HttpResponse> => {
      const auth = await this.authHeader(scopes, opts.repo)
      const headers = {...opts.headers}
      if (auth) headers.authorization = auth
      const req: HttpRequest = {method, url, headers, noRedirect: opts.noRedirect}
      if (opts.body !== undefined) req.body = typeof opts.body === 'function' ? opts.body() : opts.body
      return this.transport.send(req)
    }
    const once = async (): Promise<HttpResponse> => {
      let res = await send(opts.scopes)
      if (res.status === 401 && this.challenge?.scheme === 'bearer' && typeof opts.body !== 'function') {
        // The registry may want a wider scope than we asked for.
        const c = parseChallenges(res.header('www-authenticate')).find(x => x.scheme === 'bearer')
        const more = c?.params.scope ? c.params.scope.split(' ').filter(s => !opts.scopes.includes(s)) : []
        if (more.length) {
          res.discard()
          res = await send([...opts.scopes, ...more])
        }
      }
      if (res.status >= 500 || res.status === 429) {
        if (opts.idempotent) throw await errorFor(res, opts.what)
      }
      return res
    }
    if (opts.idempotent === false || typeof opts.body === 'function') return once()
    return this.withRetry(opts.what, once)
  }

  // ---- pull side ----

  /** GET a manifest by tag or digest; verifies its digest when one is known (asked for or sent). */
  async getManifest(repo: string, reference: string): Promise<FetchedManifest> {
    const what = `reading manifest ${reference} in ${this.domain}/${repo}`
    const res = await this.request('GET', `/v2/${repo}/manifests/${reference}`, {
      scopes: [`repository:${repo}:pull`], repo, headers: {accept: MANIFEST_ACCEPT}, idempotent: true, what,
    })
    if (res.status !== 200) throw await errorFor(res, what)
    const raw = await res.buffer(4 << 20)
    const digest = sha256(raw)
    if (reference.startsWith('sha256:') && digest !== reference) {
      throw new DigestMismatchError(`${what}: manifest digest mismatch: expected ${reference}, got ${digest}`)
    }
    const sent = res.header('docker-content-digest')
    if (!reference.startsWith('sha256:') && sent && /^sha256:/.test(sent) && sent !== digest) {
      throw new DigestMismatchError(`${what}: manifest digest mismatch: the registry says ${sent}, the content is ${digest}`)
    }
    return {raw, mediaType: manifestType(raw, res.header('content-type')), digest}
  }

  /** HEAD a manifest: its digest, or undefined when it does not exist. */
  async headManifest(repo: string, reference: string): Promise<string | undefined> {
    const what = `reading manifest ${reference} in ${this.domain}/${repo}`
    const res = await this.request('HEAD', `/v2/${repo}/manifests/${reference}`, {
      scopes: [`repository:${repo}:pull`], repo, headers: {accept: MANIFEST_ACCEPT}, idempotent: true, what,
    })
    res.discard()
    if (res.status === 404) return undefined
    if (res.status !== 200) throw await errorFor(res, what)
    return res.header('docker-content-digest')
  }

  /** GET a blob (optionally from an offset): the raw response, for streaming. */
  async getBlob(repo: string, digest: string, offset = 0): Promise<HttpResponse> {
    const what = `fetching blob ${digest}`
    const headers: Record<string, string> = {}
    if (offset > 0) headers.range = `bytes=${offset}-`
    const res = await this.request('GET', `/v2/${repo}/blobs/${digest}`, {scopes: [`repository:${repo}:pull`], repo, headers, idempotent: true, what})
    if (res.status !== 200 && res.status !== 206) throw await errorFor(res, `${what} from ${this.domain}/${repo}`)
    return res
  }

  /** A small blob (config) read whole and verified. */
  async getSmallBlob(repo: string, digest: string, size: number): Promise<Buffer> {
    const limit = Math.min(size >= 0 ? size : MAX_DOCUMENT, MAX_DOCUMENT)
    return this.withRetry(`fetching blob ${digest}`, async () => {
      const res = await this.getBlob(repo, digest)
      const buf = await res.buffer(limit)
      // (a shorter body with the right digest still contradicts the manifest: found by fuzzing)
      if (size >= 0 && buf.length !== size) throw new DigestMismatchError(`reading blob ${digest}: size mismatch: the manifest declares ${size} bytes, the registry sent ${buf.length}`)
      const got = sha256(buf)
      if (got !== digest) throw new DigestMismatchError(`reading blob ${digest}: digest did not match, expected ${digest}, got ${got}`)
      return buf
    })
  }

  /** tags/list, following Link pagination. */
  async listTags(repo: string): Promise<string[]> {
    const tags: string[] = []
    let next: string | undefined = `/v2/${repo}/tags/list`
    const what = `fetching tags list for ${this.domain}/${repo}`
    while (next) {
      const res = await this.request('GET', next, {scopes: [`repository:${repo}:pull`], repo, idempotent: true, what})
      if (res.status !== 200) throw await errorFor(res, what)
      const doc = JSON.parse(await res.text()) as {tags?: string[] | null}
      tags.push(...(doc.tags ?? []))
      next = nextLink(res.header('link'))
    }
    return tags
  }

  /** _catalog (registries that allow it), following Link pagination up to `max`. */
  async catalog(max = 10_000): Promise<string[]> {
    const repos: string[] = []
    let next: string | undefined = '/v2/_catalog?n=1000'
    const what = `fetching catalog of ${this.domain}`
    while (next && repos.length < max) {
      const res = await this.request('GET', next, {scopes: ['registry:catalog:*'], idempotent: true, what})
      if (res.status !== 200) throw await errorFor(res, what)
      const doc = JSON.parse(await res.text()) as {repositories?: string[] | null}
      repos.push(...(doc.repositories ?? []))
      next = nextLink(res.header('link'))
    }
    return repos
  }

  /** Checks credentials: /v2/ with them (and a token when the registry uses tokens). */
  async checkLogin(): Promise<void> {
    await this.ping()
    if (!this.challenge) return
    const what = `logging into "${this.domain}"`
    let res: HttpResponse
    try {
      res = await this.request('GET', '/v2/', {scopes: [], idempotent: true, what})
    } catch (e) {
      if (e instanceof Unauthorized) throw new Unauthorized(`${what}: invalid username/password`, e.status, e.codes)
      throw e
    }
    res.discard()
    if (res.status === 401) throw new Unauthorized(`${what}: invalid username/password`, 401)
    if (res.status !== 200) throw await errorFor(res, what)
  }

  // ---- push side ----

  /** HEAD a blob: its size when the repository has it. */
  async hasBlob(repo: string, digest: string): Promise<number | undefined> {
    const what = `checking whether a blob ${digest} exists in ${this.domain}/${repo}`
    const res = await this.request('HEAD', `/v2/${repo}/blobs/${digest}`, {scopes: [`repository:${repo}:pull,push`], repo, idempotent: true, what})
    res.discard()
    if (res.status === 200) return Number(res.header('content-length') ?? -1)
    if (res.status === 404) return undefined
    throw await errorFor(res, what)
  }

  /**
   * Cross-repository mount of a blob; true when mounted, else the upload
   * session the registry opened instead (to be used or cancelled).
   */
  async mountBlob(repo: string, digest: string, from: string): Promise<true | string> {
    const what = `mounting blob ${digest} from ${from} to ${this.domain}/${repo}`
    const res = await this.request('POST', `/v2/${repo}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from)}`, {
      scopes: [`repository:${repo}:pull,push`, `repository:${from}:pull`], repo, idempotent: true, what,
    })
    res.discard()
    if (res.status === 201) return true
    if (res.status === 202 && res.header('location')) return new URL(res.header('location')!, this.base).href
    throw await errorFor(res, what)
  }

  /** Starts an upload session: its URL. */
  async startUpload(repo: string): Promise<string> {
    const what = `initiating layer upload to /v2/${repo}/blobs/uploads/ in ${this.domain}`
    const res = await this.request('POST', `/v2/${repo}/blobs/uploads/`, {scopes: [`repository:${repo}:pull,push`], repo, idempotent: true, what})
    res.discard()
    if (res.status !== 202 || !res.header('location')) throw await errorFor(res, what)
    return new URL(res.header('location')!, this.base).href
  }

  /** Streams a blob's bytes into an upload session (PATCH), then commits it with its digest (PUT). */
  async upload(repo: string, location: string, body: () => Readable, digest: () => string): Promise<void> {
    const what = `uploading layer to ${this.domain}/${repo}`
    const res = await this.request('PATCH', location, {
      scopes: [`repository:${repo}:pull,push`], repo, headers: {'content-type': 'application/octet-stream'}, body, idempotent: false, what,
    })
    res.discard()
    if (res.status !== 202 && res.status !== 204 && res.status !== 201) throw await errorFor(res, what)
    const next = new URL(res.header('location') ?? location, this.base)
    next.searchParams.set('digest', digest())
    const put = await this.request('PUT', next.href, {scopes: [`repository:${repo}:pull,push`], repo, idempotent: false, what})
    put.discard()
    if (put.status !== 201) throw await errorFor(put, what)
  }

  /** A small blob (config) in one POST + PUT. */
  async uploadSmall(repo: string, data: Buffer, digest: string): Promise<void> {
    const what = `uploading blob ${digest} to ${this.domain}/${repo}`
    const location = await this.startUpload(repo)
    const url = new URL(location)
    url.searchParams.set('digest', digest)
    const res = await this.request('PUT', url.href, {
      scopes: [`repository:${repo}:pull,push`], repo, headers: {'content-type': 'application/octet-stream'}, body: data, idempotent: false, what,
    })
    res.discard()
    if (res.status !== 201) throw await errorFor(res, what)
  }

  async cancelUpload(repo: string, location: string): Promise<void> {
    try {
      const res = await this.request('DELETE', location, {scopes: [`repository:${repo}:pull,push`], repo, idempotent: false, what: 'cancelling upload'})
      res.discard()
    } catch {
      // best effort
    }
  }

  /** PUT a manifest under a tag or digest; returns the digest the registry gives. */
  async putManifest(repo: string, reference: string, raw: Buffer, mediaType: string): Promise<string> {
    const what = `writing manifest to ${this.domain}/${repo}:${reference}`
    const res = await this.request('PUT', `/v2/${repo}/manifests/${reference}`, {
      scopes: [`repository:${repo}:pull,push`], repo, headers: {'content-type': mediaType}, body: raw, idempotent: true, what,
    })
    res.discard()
    if (res.status !== 201 && res.status !== 200 && res.status !== 202) throw await errorFor(res, `writing manifest: uploading manifest ${reference} to ${this.domain}/${repo}`)
    const digest = sha256(raw)
    const sent = res.header('docker-content-digest')
    if (sent && /^sha256:/.test(sent) && sent !== digest) {
      throw new DigestMismatchError(`${what}: the registry stored digest ${sent}, expected ${digest}`)
    }
    return digest
  }
}

function basic(c: Credentials): string {
  return 'Basic ' + Buffer.from(`${c.username}:${c.password}`).toString('base64')
}

function nextLink(link: string | undefined): string | undefined {
  const m = link && /<([^>]+)>\s*;\s*rel="?next"?/.exec(link)
  return m ? m[1] : undefined
}
