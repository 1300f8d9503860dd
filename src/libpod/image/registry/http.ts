// HTTP for the registry client, on Node's own http/https modules: keep-alive
// agents per TLS setting (CA bundle, client certificate, verification on or
// off), streamed bodies both ways, redirects followed by hand so that the
// Authorization header never leaks to another origin (blob storage).
import http, {type IncomingHttpHeaders, type IncomingMessage} from 'node:http'
import https from 'node:https'
import {Readable} from 'node:stream'
import {InvalidResponse, Unreachable} from '../../define/errors.js'
import {caWithExtras} from '../../util/extra-ca.js'

export interface TlsSettings {
  /** Verify the server's certificate (--tls-verify). */
  verify: boolean
  /** Extra CA certificates (certs.d *.crt), PEM; added to the system ones. */
  ca?: string[]
  /** Client certificate and key (certs.d *.cert / *.key), PEM. */
  cert?: string
  key?: string
}

export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface HttpRequest {
  method: Method
  url: URL
  headers?: Record<string, string>
  /** A stream body is sent chunked unless a content-length header is given. */
  body?: Buffer | string | Readable
  /** Return 3xx answers instead of following them. */
  noRedirect?: boolean
}

/** Largest JSON document (manifest, config, token, error) read into memory. */
export const MAX_DOCUMENT = 16 << 20

export class HttpResponse {
  constructor(readonly status: number, readonly headers: IncomingHttpHeaders, readonly body: IncomingMessage, readonly url: URL) {}

  header(name: string): string | undefined {
    const v = this.headers[name.toLowerCase()]
    return Array.isArray(v) ? v[0] : v
  }

  /** The whole body, refused beyond `limit` bytes. */
  async buffer(limit = MAX_DOCUMENT): Promise<Buffer> {
    const declared = Number(this.header('content-length') ?? NaN)
    if (declared > limit) {
      this.discard()
      throw new InvalidResponse(`${this.url.href}: response of ${declared} bytes is too large`, this.status)
    }
    const chunks: Buffer[] = []
    let n = 0
    try {
      for await (const c of this.body) {
        n += (c as Buffer).length
        if (n > limit) {
          this.discard()
          throw new InvalidResponse(`${this.url.href}: response is larger than ${limit} bytes`, this.status)
        }
        chunks.push(c as Buffer)
      }
    } catch (e) {
      if (e instanceof InvalidResponse) throw e
      const err = new Unreachable(`reading ${this.url.href}: ${describeError(e, this.url)}`)
      err.transient = isTransient(e)
      throw err
    }
    return Buffer.concat(chunks)
  }

  async text(limit?: number): Promise<string> {
    return (await this.buffer(limit)).toString('utf8')
  }

  /** Drops the body (the socket goes back to the pool when it was small). */
  discard(): void {
    if (this.body.complete) return
    this.body.resume()
    // Large or endless bodies: don't read them, close the connection.
    const len = Number(this.header('content-length') ?? NaN)
    if (!(len <= 64 * 1024)) this.body.destroy()
  }
}

/** One connection pool per TLS setting. */
export class HttpTransport {
  private readonly plain: http.Agent
  private readonly secure: https.Agent

  constructor(readonly tlsSettings: TlsSettings) {
    this.plain = new http.Agent({keepAlive: true, maxSockets: 32})
    this.secure = new https.Agent({
      keepAlive: true,
      maxSockets: 32,
      rejectUnauthorized: tlsSettings.verify,
      // Not verifying: an empty CA list spares loading the system's ~140 roots (~20 ms).
      // Verifying: the system's, a NODE_EXTRA_CA_CERTS bin/peapod deferred, certs.d's.
      ca: tlsSettings.ca?.length || tlsSettings.verify ? caWithExtras(tlsSettings.ca) : [],
      cert: tlsSettings.cert,
      key: tlsSettings.key,
    })
  }

  /** Sends a request; GET/HEAD redirects are followed (up to 10). */
  async send(req: HttpRequest): Promise<HttpResponse> {
    let url = req.url
    let headers = {...req.headers}
    for (let hop = 0; ; hop++) {
      const res = await this.once(req.method, url, headers, req.body)
      const loc = res.header('location')
      const redirect = [301, 302, 303, 307, 308].includes(res.status) && loc && !req.noRedirect &&
        (req.method === 'GET' || req.method === 'HEAD')
      if (!redirect) return res
      res.discard()
      if (hop >= 10) throw new InvalidResponse(`${req.method} "${req.url.href}": stopped after 10 redirects`, res.status)
      const next = new URL(loc, url)
      if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new InvalidResponse(`${req.method} "${url.href}": redirect to unsupported URL ${next.href}`, res.status)
      if (next.origin !== url.origin) {
        // Blob storage (S3, a CDN) gets no registry credentials.
        headers = Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== 'authorization'))
      }
      url = next
    }
  }

  private once(method: Method, url: URL, headers: Record<string, string>, body?: Buffer | string | Readable): Promise<HttpResponse> {
    const mod = url.protocol === 'https:' ? https : http
    const agent = url.protocol === 'https:' ? this.secure : this.plain
    return new Promise((resolve, reject) => {
      const h: Record<string, string> = {'user-agent': USER_AGENT, ...headers}
      if ((typeof body === 'string' || Buffer.isBuffer(body)) && !hasHeader(h, 'content-length')) h['content-length'] = String(Buffer.byteLength(body))
      if (body === undefined && (method === 'PUT' || method === 'POST' || method === 'PATCH') && !hasHeader(h, 'content-length')) h['content-length'] = '0'
      let settled = false
      const req = mod.request(url, {method, headers: h, agent}, res => {
        settled = true
        res.setTimeout(IDLE_TIMEOUT, () => res.destroy(Object.assign(new Error('timeout: no data for 60s'), {code: 'ETIMEDOUT'})))
        resolve(new HttpResponse(res.statusCode ?? 0, res.headers, res, url))
      })
      req.setTimeout(IDLE_TIMEOUT, () => req.destroy(Object.assign(new Error('timeout: no response for 60s'), {code: 'ETIMEDOUT'})))
      req.on('error', e => {
        if (settled) return
        settled = true
        const err = new Unreachable(`${goMethod(method)} "${url.href}": ${describeError(e, url)}`)
        err.transient = isTransient(e)
        reject(err)
      })
      if (body instanceof Readable) {
        body.on('error', e => req.destroy(e))
        body.pipe(req)
      } else {
        req.end(body)
      }
    })
  }

  close(): void {
    this.plain.destroy()
    this.secure.destroy()
  }
}

const IDLE_TIMEOUT = 60_000
const USER_AGENT = 'peapod/0.1 (containers/image compatible)'

function hasHeader(h: Record<string, string>, name: string): boolean {
  return Object.keys(h).some(k => k.toLowerCase() === name)
}

function goMethod(m: Method): string {
  return m === 'GET' ? 'Get' : m === 'HEAD' ? 'Head' : m === 'POST' ? 'Post' : m === 'PUT' ? 'Put' : m === 'PATCH' ? 'Patch' : 'Delete'
}

/** Socket and TLS errors in Go's words (what Podman prints). */
export function describeError(e: unknown, url: URL): string {
  const err = e as NodeJS.ErrnoException & {reason?: string}
  const host = url.host || url.hostname
  const port = url.port || (url.protocol === 'https:' ? '443' : '80')
  const hostPort = host.includes(':') ? host : `${host}:${port}`
  switch (err?.code) {
    case 'ECONNREFUSED': return `dial tcp ${hostPort}: connect: connection refused`
    case 'ENOTFOUND': case 'EAI_AGAIN': return `dial tcp: lookup ${url.hostname}: no such host`
    case 'ECONNRESET': return 'read: connection reset by peer'
    case 'EHOSTUNREACH': return `dial tcp ${hostPort}: connect: no route to host`
    case 'ENETUNREACH': return `dial tcp ${hostPort}: connect: network is unreachable`
    case 'ETIMEDOUT': return `dial tcp ${hostPort}: i/o timeout`
    case 'EPIPE': return 'write: broken pipe'
    case 'DEPTH_ZERO_SELF_SIGNED_CERT': case 'SELF_SIGNED_CERT_IN_CHAIN': case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY': case 'UNABLE_TO_GET_ISSUER_CERT':
      return 'tls: failed to verify certificate: x509: certificate signed by unknown authority'
    case 'CERT_HAS_EXPIRED': return 'tls: failed to verify certificate: x509: certificate has expired or is not yet valid'
    case 'ERR_TLS_CERT_ALTNAME_INVALID': return `tls: failed to verify certificate: x509: ${err.reason ?? err.message}`
    case 'EPROTO': case 'ERR_SSL_WRONG_VERSION_NUMBER':
      if (/wrong version number|packet length too long|http request/i.test(err.message)) return 'http: server gave HTTP response to HTTPS client'
      return `tls: ${err.message}`
  }
  if (/wrong version number/i.test(err?.message ?? '')) return 'http: server gave HTTP response to HTTPS client'
  return err?.message ?? String(e)
}

/** Network errors worth retrying (not TLS or protocol errors). */
export function isTransient(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException)?.code
  return ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED'].includes(code ?? '') ||
    /socket hang up|aborted|terminated|other side closed/i.test((e as Error)?.message ?? '')
}
