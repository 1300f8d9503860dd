// Real registries for the e2e tests: Debian's docker-registry (distribution
// 2.8) on 127.0.0.1 with a private storage dir — plain HTTP, TLS with a
// self-signed CA, htpasswd Basic auth, or token auth against a small JWT
// issuer run here — plus a fault-injecting proxy (broken and redirected blob
// downloads) and OCI layouts built from scratch for skopeo to push.
import {execFileSync, spawn, type ChildProcess} from 'node:child_process'
import {createHash, randomBytes, sign} from 'node:crypto'
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import {gzipSync} from 'node:zlib'
import {freePort} from './helpers.js'

const live = new Set<ChildProcess>()
process.on('exit', () => {
  for (const p of live) p.kill('SIGKILL')
})


/** Resolves once something accepts connections on the port (polls connect, no fixed sleeps). */
export async function waitForPort(port: number, proc?: ChildProcess, timeoutMs = 15000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (proc && proc.exitCode !== null) throw new Error(`registry exited with ${proc.exitCode} before listening`)
    const ok = await new Promise<boolean>(resolve => {
      const c = net.connect(port, '127.0.0.1')
      c.once('connect', () => {
        c.destroy()
        resolve(true)
      })
      c.once('error', () => resolve(false))
    })
    if (ok) return
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`)
    await new Promise(r => setImmediate(r))
  }
}

export interface RegistryOptions {
  tls?: {cert: string; key: string}
  htpasswd?: string
  token?: {realm: string; service: string; issuer: string; rootcertbundle: string}
}

export class RegistryServer {
  private constructor(readonly dir: string, readonly port: number, private proc: ChildProcess) {}

  get host(): string {
    return `127.0.0.1:${this.port}`
  }

  get storage(): string {
    return path.join(this.dir, 'data')
  }

  static async start(opts: RegistryOptions = {}): Promise<RegistryServer> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'peapod-registry-'))
    const port = await freePort()
    const lines = [
      'version: 0.1',
      'log:',
      '  level: error',
      '  accesslog:',
      '    disabled: true',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${dir}/data`,
      '  delete:',
      '    enabled: true',
      'http:',
      `  addr: 127.0.0.1:${port}`,
    ]
    if (opts.tls) lines.push('  tls:', `    certificate: ${opts.tls.cert}`, `    key: ${opts.tls.key}`)
    if (opts.htpasswd) lines.push('auth:', '  htpasswd:', '    realm: basic-realm', `    path: ${opts.htpasswd}`)
    if (opts.token) {
      lines.push('auth:', '  token:', `    realm: ${opts.token.realm}`, `    service: ${opts.token.service}`,
        `    issuer: ${opts.token.issuer}`, `    rootcertbundle: ${opts.token.rootcertbundle}`)
    }
    writeFileSync(path.join(dir, 'config.yml'), lines.join('\n') + '\n')
    const proc = spawn('docker-registry', ['serve', path.join(dir, 'config.yml')], {stdio: ['ignore', 'ignore', 'pipe']})
    live.add(proc)
    let err = ''
    proc.stderr!.on('data', d => {
      err += d
    })
    try {
      await waitForPort(port, proc)
    } catch (e) {
      proc.kill('SIGKILL')
      live.delete(proc)
      throw new Error(`${(e as Error).message}: ${err}`)
    }
    return new RegistryServer(dir, port, proc)
  }

  /** Path of a blob's data file in the registry's storage. */
  blobFile(digest: string): string {
    const hex = digest.replace(/^sha256:/, '')
    return path.join(this.storage, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex, 'data')
  }

  async stop(): Promise<void> {
    const p = this.proc
    if (p.exitCode === null && p.signalCode === null) {
      const exited = new Promise(resolve => p.once('exit', resolve))
      p.kill('SIGTERM')
      await exited
    }
    live.delete(p)
    rmSync(this.dir, {recursive: true, force: true})
  }
}

// ---- certificates ----

export interface Pki {
  dir: string
  caCert: string
  serverCert: string
  serverKey: string
}

/** A CA and a server certificate for 127.0.0.1 signed by it. */
export function makePki(): Pki {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'peapod-pki-'))
  const o = (args: string[]) => execFileSync('openssl', args, {cwd: dir, stdio: ['ignore', 'ignore', 'pipe']})
  o(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-subj', '/CN=peapod test CA', '-days', '2',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'])
  o(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1'])
  writeFileSync(path.join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n')
  o(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'ext.cnf'])
  return {dir, caCert: path.join(dir, 'ca.crt'), serverCert: path.join(dir, 'server.crt'), serverKey: path.join(dir, 'server.key')}
}

export function htpasswd(file: string, user: string, password: string): string {
  writeFileSync(file, execFileSync('htpasswd', ['-Bbn', user, password], {encoding: 'utf8'}))
  return file
}

// ---- token auth ----

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url')

/** A token issuer for the registry's `auth.token`: checks Basic credentials, signs RS256 JWTs with an x5c chain. */
export class TokenServer {
  readonly issuer = 'peapod-test-issuer'
  readonly service = 'peapod-test-registry'
  requests = 0

  private constructor(private readonly server: http.Server, readonly port: number, readonly certFile: string, private readonly key: string, private readonly certDer: Buffer, private readonly users: Record<string, string>) {}

  get realm(): string {
    return `http://127.0.0.1:${this.port}/token`
  }

  static async start(users: Record<string, string>): Promise<TokenServer> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'peapod-token-'))
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-subj', '/CN=peapod token issuer', '-days', '2'], {cwd: dir, stdio: ['ignore', 'ignore', 'pipe']})
    const key = readFileSync(path.join(dir, 'key.pem'), 'utf8')
    const der = execFileSync('openssl', ['x509', '-in', 'cert.pem', '-outform', 'DER'], {cwd: dir})
    let self!: TokenServer
    const server = http.createServer((req, res) => self.handle(req, res))
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    self = new TokenServer(server, (server.address() as net.AddressInfo).port, path.join(dir, 'cert.pem'), key, der, users)
    return self
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.requests++
    const url = new URL(req.url ?? '/', 'http://x')
    const auth = req.headers.authorization ?? ''
    let account = ''
    if (auth.startsWith('Basic ')) {
      const [u, p] = Buffer.from(auth.slice(6), 'base64').toString().split(':')
      if (this.users[u] !== p) {
        res.writeHead(401, {'content-type': 'application/json'})
        res.end(JSON.stringify({errors: [{code: 'UNAUTHORIZED', message: 'invalid credentials'}]}))
        return
      }
      account = u
    }
    const access = url.searchParams.getAll('scope').flatMap(s => {
      const [type, name, actions] = s.split(':')
      if (!account) return [] // anonymous: no access at all
      return [{type, name, actions: actions === '*' ? ['*'] : actions.split(',')}]
    })
    const now = Math.floor(Date.now() / 1000)
    const header = {alg: 'RS256', typ: 'JWT', x5c: [this.certDer.toString('base64')]}
    const claims = {iss: this.issuer, sub: account, aud: this.service, exp: now + 300, nbf: now - 10, iat: now, jti: randomBytes(8).toString('hex'), access}
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`
    const token = `${input}.${b64url(sign('sha256', Buffer.from(input), this.key))}`
    res.writeHead(200, {'content-type': 'application/json'})
    res.end(JSON.stringify({token, expires_in: 300, issued_at: new Date().toISOString()}))
  }

  async stop(): Promise<void> {
    await new Promise(resolve => this.server.close(resolve))
    this.server.closeAllConnections()
    rmSync(path.dirname(this.certFile), {recursive: true, force: true})
  }
}

// ---- fault-injecting proxy ----

export type ProxyMode = 'pass' | 'cut-once' | 'cut-always' | 'redirect'

/**
 * An HTTP proxy in front of a registry. Blob GETs can be cut after half
 * their bytes (the first one only, or every one, ranges included) or
 * answered with a redirect to the registry itself (another origin, like
 * blob storage).
 */
export class FaultProxy {
  mode: ProxyMode = 'pass'
  cuts = 0
  rangeRequests = 0
  redirects = 0
  /** Blob GETs seen (any mode): a pull of a present image makes none. */
  blobGets = 0
  /** Manifest requests seen. */
  manifestRequests = 0
  private constructor(private readonly server: http.Server, readonly port: number, private readonly upstream: number) {}

  get host(): string {
    return `127.0.0.1:${this.port}`
  }

  static async start(upstreamPort: number): Promise<FaultProxy> {
    let self!: FaultProxy
    const server = http.createServer((req, res) => self.handle(req, res))
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    self = new FaultProxy(server, (server.address() as net.AddressInfo).port, upstreamPort)
    return self
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const isBlob = req.method === 'GET' && /\/blobs\/sha256:/.test(req.url ?? '')
    if (req.headers.range) this.rangeRequests++
    if (isBlob) this.blobGets++
    if (/\/manifests\//.test(req.url ?? '')) this.manifestRequests++
    if (isBlob && this.mode === 'redirect') {
      this.redirects++
      res.writeHead(307, {location: `http://127.0.0.1:${this.upstream}${req.url}`})
      res.end()
      return
    }
    const cut = isBlob && (this.mode === 'cut-always' || (this.mode === 'cut-once' && this.cuts === 0 && !req.headers.range))
    const up = http.request({host: '127.0.0.1', port: this.upstream, method: req.method, path: req.url, headers: {...req.headers, host: `127.0.0.1:${this.upstream}`}}, upRes => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers)
      const total = Number(upRes.headers['content-length'] ?? 0)
      // Only layer-sized blobs (configs pass: they are read whole and retried whole).
      if (!cut || total < 64 * 1024) {
        upRes.pipe(res)
        return
      }
      this.cuts++
      let sent = 0
      upRes.on('data', (c: Buffer) => {
        if (sent >= total / 2) return
        const part = c.subarray(0, Math.max(0, Math.ceil(total / 2) - sent))
        sent += part.length
        res.write(part)
        if (sent >= total / 2) {
          upRes.destroy()
          res.socket?.destroy()
        }
      })
    })
    up.on('error', () => res.socket?.destroy())
    req.pipe(up)
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections()
    await new Promise(resolve => this.server.close(resolve))
  }
}

// ---- OCI layouts built from scratch ----

export interface LayoutImage {
  /** Layer tarballs (uncompressed tar files); gzip'd into the layout. */
  layers: string[]
  architecture?: string
  variant?: string
  os?: string
  cmd?: string[]
  /** Keep layers uncompressed. */
  plain?: boolean
}

function digestOf(b: Buffer | string): string {
  return 'sha256:' + createHash('sha256').update(b).digest('hex')
}

/** Writes an OCI layout with one image (ref name "latest") for skopeo to push; returns the manifest digest. */
export function makeOciLayout(dir: string, img: LayoutImage): {manifestDigest: string; configDigest: string; diffIds: string[]} {
  mkdirSync(path.join(dir, 'blobs/sha256'), {recursive: true})
  const put = (b: Buffer | string) => {
    const d = digestOf(b)
    writeFileSync(path.join(dir, 'blobs/sha256', d.slice(7)), b)
    return d
  }
  const diffIds: string[] = []
  const layers = img.layers.map(file => {
    const tar = readFileSync(file)
    diffIds.push(digestOf(tar))
    const blob = img.plain ? tar : gzipSync(tar, {level: 1})
    return {mediaType: img.plain ? 'application/vnd.oci.image.layer.v1.tar' : 'application/vnd.oci.image.layer.v1.tar+gzip', digest: put(blob), size: blob.length}
  })
  const config = JSON.stringify({
    created: '2024-01-01T00:00:00Z',
    architecture: img.architecture ?? 'amd64',
    ...(img.variant ? {variant: img.variant} : {}),
    os: img.os ?? 'linux',
    config: {Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], Cmd: img.cmd ?? ['sh']},
    rootfs: {type: 'layers', diff_ids: diffIds},
    history: diffIds.map(() => ({created: '2024-01-01T00:00:00Z', created_by: 'peapod test'})),
  })
  const configDigest = put(config)
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: {mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: Buffer.byteLength(config)},
    layers,
  })
  const manifestDigest = put(manifest)
  writeFileSync(path.join(dir, 'index.json'), JSON.stringify({schemaVersion: 2, manifests: [{mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: manifestDigest, size: Buffer.byteLength(manifest), annotations: {'org.opencontainers.image.ref.name': 'latest'}}]}))
  writeFileSync(path.join(dir, 'oci-layout'), '{"imageLayoutVersion": "1.0.0"}')
  return {manifestDigest, configDigest, diffIds}
}

/** A tarball of a few files (GNU tar, numeric owners). */
export function smallLayer(out: string, files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'peapod-layer-'))
  for (const [name, data] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), {recursive: true})
    writeFileSync(path.join(root, name), data)
  }
  execFileSync('tar', ['--numeric-owner', '--owner=0', '--group=0', '--mtime=@0', '-C', root, '-cf', out, '.'])
  rmSync(root, {recursive: true, force: true})
  return out
}

/** skopeo copy from an OCI layout to a registry (plain HTTP, no TLS checks). */
export function skopeoPush(layout: string, dest: string, extra: string[] = []): void {
  execFileSync('skopeo', ['copy', '--quiet', '--dest-tls-verify=false', ...extra, `oci:${layout}:latest`, `docker://${dest}`], {stdio: ['ignore', 'ignore', 'pipe']})
}

export function skopeoDigest(ref: string, extra: string[] = []): string {
  const raw = execFileSync('skopeo', ['inspect', '--raw', '--tls-verify=false', ...extra, `docker://${ref}`])
  return digestOf(raw)
}
