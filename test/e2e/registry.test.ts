// Registries end to end, against Debian's docker-registry on 127.0.0.1:
// pull/push both ways with skopeo and Podman (digests must match), the
// transports, Basic and token auth with login/logout, TLS with a private
// CA, registries.conf (search registries, aliases, rewrites, mirrors,
// blocks), policy.json, manifest lists, search, Range resume and
// redirects; and bad input that must fail in one line with exit 125 and
// leave nothing in the store.
import {expect} from 'chai'
import {execFile, execFileSync, spawnSync} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync, openSync, writeSync, closeSync, readSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {busyboxTar} from './fixtures.js'
import {Env, listFiles, unavailable, type Mode, type Result} from './helpers.js'
import {
  FaultProxy, RegistryServer, TokenServer, htpasswd, makeOciLayout, makePki, skopeoDigest, skopeoPush, smallLayer, type Pki,
} from './registry-server.js'

const HAVE_REGISTRY = spawnSync('docker-registry', ['--version']).status === 0
const HAVE_SKOPEO = spawnSync('skopeo', ['--version']).status === 0
const HAVE_PODMAN = spawnSync('podman', ['--version']).status === 0 && process.getuid!() === 0
const HAVE_HTPASSWD = spawnSync('htpasswd', ['-h']).status !== null && spawnSync('which', ['htpasswd']).status === 0

const TLS_OFF = '--tls-verify=false'

/**
 * Runs peapod without blocking this process: the proxy and the token server
 * live here, and a synchronous spawn would stop them from answering.
 */
async function runAsync(env: Env, args: string[]): Promise<Result> {
  const p = env.spawn(args)
  let stdout = ''
  let stderr = ''
  p.stdout!.on('data', d => {
    stdout += d
  })
  p.stderr!.on('data', d => {
    stderr += d
  })
  const code = await new Promise<number>(resolve => p.on('close', c => resolve(c ?? 128)))
  return {code, stdout, stderr}
}

async function skopeoDigestAsync(ref: string, extra: string[] = []): Promise<string> {
  const raw = await new Promise<Buffer>((resolve, reject) => execFile('skopeo', ['inspect', '--raw', '--tls-verify=false', ...extra, `docker://${ref}`], {encoding: 'buffer'}, (e, out) => e ? reject(e) : resolve(out)))
  return 'sha256:' + (await import('node:crypto')).createHash('sha256').update(raw).digest('hex')
}

/** What the store holds (images, layers, layer dirs, lists), to check that failures leave nothing. */
function snapshot(env: Env): string[] {
  return ['images', 'layers', 'overlay', 'vfs', 'manifests'].flatMap(d => listFiles(path.join(env.root, d)).map(f => `${d}/${f}`))
}

function expectCleanFailure(env: Env, r: Result, pattern: RegExp, before: string[]): void {
  expect(r.code, r.stderr).to.equal(125)
  const errors = r.stderr.split('\n').filter(l => l.startsWith('Error:'))
  expect(errors, r.stderr).to.have.length(1)
  expect(r.stderr.trim().split('\n').pop()).to.match(/^Error: /)
  expect(errors[0], r.stderr).to.match(pattern)
  expect(snapshot(env)).to.deep.equal(before)
  expect(listFiles(path.join(env.root, 'tmp')), 'staging left in tmp/').to.deep.equal([])
}

function storedImage(env: Env, id: string): {names: string[]; digests: string[]; digest: string; manifest: string; layers: string[]; config: string} {
  return JSON.parse(readFileSync(path.join(env.root, 'images', `${id}.json`), 'utf8'))
}

/** A registries.conf of the suite's own, given through CONTAINERS_REGISTRIES_CONF. */
function registriesConf(env: Env, name: string, text: string): Record<string, string> {
  const f = env.file(name)
  writeFileSync(f, text)
  chmodSync(f, 0o644)
  return {CONTAINERS_REGISTRIES_CONF: f}
}

interface Fixtures {
  dir: string
  /** busybox + 2 small layers */
  multi: string
  multiDigest: string
  multiConfig: string
  /** a layer writing ../evil */
  traversal: string
  /** busybox, config saying arm64 */
  arm64: string
}

function craftTraversalTar(out: string): string {
  const script = `
import io, sys, tarfile
with tarfile.open(sys.argv[1], 'w', format=tarfile.GNU_FORMAT) as t:
    for name in ['ok.txt', '../evil.txt']:
        b = b'pwned'; ti = tarfile.TarInfo(name); ti.size = len(b); ti.mode = 0o644; ti.mtime = 0
        t.addfile(ti, io.BytesIO(b))
`
  execFileSync('python3', ['-c', script, out])
  return out
}

function makeFixtures(): Fixtures {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'peapod-regfix-'))
  const l2 = smallLayer(path.join(dir, 'l2.tar'), {'etc/hello': 'hello from layer 2\n'})
  const l3 = smallLayer(path.join(dir, 'l3.tar'), {'data/blob.bin': randomBytes(512 * 1024)})
  const multi = path.join(dir, 'multi')
  const m = makeOciLayout(multi, {layers: [busyboxTar(), l2, l3]})
  const traversal = path.join(dir, 'traversal')
  makeOciLayout(traversal, {layers: [craftTraversalTar(path.join(dir, 'evil.tar'))]})
  const arm64 = path.join(dir, 'arm64')
  makeOciLayout(arm64, {layers: [busyboxTar(), l2], architecture: 'arm64', variant: 'v8'})
  return {dir, multi, multiDigest: m.manifestDigest, multiConfig: m.configDigest, traversal, arm64}
}

const skip = (mode: Mode) => unavailable(mode) ?? (!HAVE_REGISTRY ? 'docker-registry is not installed' : !HAVE_SKOPEO ? 'skopeo is not installed' : undefined)

describe('registries (root)', function () {
  this.timeout(120000)
  const why = skip('root')
  let reg: RegistryServer
  let env: Env
  let fx: Fixtures
  let multiId: string

  before(async function () {
    if (why) return this.skip()
    fx = makeFixtures()
    reg = await RegistryServer.start()
    env = new Env('root')
    skopeoPush(fx.multi, `${reg.host}/test/multi:v1`)
    skopeoPush(fx.multi, `${reg.host}/test/multi:v2`)
    skopeoPush(fx.traversal, `${reg.host}/test/evil:latest`)
    skopeoPush(fx.arm64, `${reg.host}/test/arm:latest`)
  })
  after(async () => {
    await reg?.stop()
    env?.cleanup()
    if (fx) rmSync(fx.dir, {recursive: true, force: true})
  })

  it('pulls an image skopeo pushed (3 layers), prints Podman\'s progress lines, and it runs', () => {
    const r = env.run(['pull', TLS_OFF, `${reg.host}/test/multi:v1`])
    expect(r.code, r.stderr).to.equal(0)
    multiId = r.stdout.trim()
    expect(`sha256:${multiId}`).to.equal(fx.multiConfig)
    expect(r.stderr).to.contain(`Trying to pull ${reg.host}/test/multi:v1...`)
    expect(r.stderr).to.contain('Getting image source signatures')
    expect(r.stderr.match(/^Copying blob sha256:[0-9a-f]{64}$/gm)).to.have.length(3)
    expect(r.stderr).to.contain(`Copying config ${fx.multiConfig}`)
    expect(r.stderr).to.contain('Writing manifest to image destination')
    const img = storedImage(env, multiId)
    expect(img.layers).to.have.length(3)
    expect(img.digest).to.equal(fx.multiDigest)
    expect(img.digest).to.equal(skopeoDigest(`${reg.host}/test/multi:v1`))
    expect(img.names).to.deep.equal([`${reg.host}/test/multi:v1`])
    const out = env.ok(['run', '--rm', '--network', 'none', `${reg.host}/test/multi:v1`, 'cat', '/etc/hello'])
    expect(out).to.equal('hello from layer 2\n')
  })

  it('re-pulls a present image without downloading, and -q prints only the ID', async () => {
    const before = snapshot(env)
    const r = env.run(['pull', '-q', TLS_OFF, `${reg.host}/test/multi:v1`])
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout).to.equal(multiId + '\n')
    expect(r.stderr).to.equal('')
    expect(snapshot(env)).to.deep.equal(before)
    // Nothing downloaded: counted by a proxy in front of the registry (a time
    // limit said the same on an idle machine, and can fail on a loaded one).
    const proxy = await FaultProxy.start(reg.port)
    try {
      const via = await runAsync(env, ['pull', '-q', TLS_OFF, `${proxy.host}/test/multi:v1`])
      expect(via.code, via.stderr).to.equal(0)
      expect(via.stdout).to.equal(multiId + '\n')
      expect(proxy.manifestRequests, 'the pull went through the proxy').to.be.greaterThan(0)
      expect(proxy.blobGets, 'blobs downloaded').to.equal(0)
    } finally {
      await proxy.stop()
    }
    env.ok(['untag', multiId, `${proxy.host}/test/multi:v1`])
    // Another tag of the same image: only a name is added.
    env.ok(['pull', '-q', TLS_OFF, `${reg.host}/test/multi:v2`])
    expect(storedImage(env, multiId).names).to.include.members([`${reg.host}/test/multi:v1`, `${reg.host}/test/multi:v2`])
  })

  it('pulls by digest and with --all-tags', () => {
    const e = new Env('root')
    try {
      const r = env.run(['pull', '-q', TLS_OFF, `${reg.host}/test/multi@${fx.multiDigest}`])
      expect(r.code, r.stderr).to.equal(0)
      expect(storedImage(env, multiId).names).to.include(`${reg.host}/test/multi@${fx.multiDigest}`)
      const all = e.run(['pull', '-q', '--all-tags', TLS_OFF, `${reg.host}/test/multi`])
      expect(all.code, all.stderr).to.equal(0)
      expect(all.stdout.trim().split('\n')).to.deep.equal([multiId, multiId])
      const bad = e.run(['pull', '-q', '--all-tags', TLS_OFF, `${reg.host}/test/multi:v1`])
      expect(bad.code).to.equal(125)
      expect(bad.stderr).to.contain('tag can\'t be used with --all-tags/-a')
    } finally {
      e.cleanup()
    }
  })

  it('pushes to a registry: skopeo and Podman see the same digests, layers already there are skipped', function () {
    const digestFile = env.file('digest')
    // Same registry, other repository: the blobs are mounted, the manifest is the one pulled.
    const r = env.run(['push', TLS_OFF, '--digestfile', digestFile, `${reg.host}/test/multi:v1`, `${reg.host}/copy/multi:v1`])
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stderr).to.contain('Writing manifest to image destination')
    expect(readFileSync(digestFile, 'utf8')).to.equal(fx.multiDigest)
    expect(skopeoDigest(`${reg.host}/copy/multi:v1`)).to.equal(fx.multiDigest)
    // An image made locally (import): layers are compressed and uploaded.
    const imp = env.ok(['import', '-q', busyboxTar(), 'localhost/imported:1']).trim().replace(/^sha256:/, '')
    const p = env.run(['push', TLS_OFF, '--digestfile', digestFile, 'localhost/imported:1', `docker://${reg.host}/imported:1`])
    expect(p.code, p.stderr).to.equal(0)
    const pushed = readFileSync(digestFile, 'utf8')
    expect(skopeoDigest(`${reg.host}/imported:1`)).to.equal(pushed)
    const raw = JSON.parse(execFileSync('skopeo', ['inspect', '--raw', TLS_OFF, `docker://${reg.host}/imported:1`], {encoding: 'utf8'}))
    expect(raw.config.digest).to.equal(`sha256:${imp}`)
    expect(raw.layers[0].mediaType).to.match(/tar\+gzip$|tar\.gzip$/)
    // Pushing again: every blob is skipped.
    const again = env.run(['push', TLS_OFF, 'localhost/imported:1', `${reg.host}/imported:2`])
    expect(again.code, again.stderr).to.equal(0)
    if (!HAVE_PODMAN) return
    const pm = mkdtempSync(path.join(os.tmpdir(), 'peapod-podman-'))
    try {
      const podman = (args: string[]) => execFileSync('podman', ['--root', `${pm}/root`, '--runroot', `${pm}/run`, '--storage-driver', 'vfs', ...args], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']})
      podman(['pull', '-q', TLS_OFF, `${reg.host}/imported:1`])
      const info = JSON.parse(podman(['image', 'inspect', `${reg.host}/imported:1`]))[0]
      expect(info.Id).to.equal(imp)
      expect(info.Digest).to.equal(pushed)
      // And Podman's push of it is pulled back by peapod with Podman's digest.
      podman(['push', '-q', TLS_OFF, `${reg.host}/imported:1`, `${reg.host}/from-podman:1`])
      const pmDigest = skopeoDigest(`${reg.host}/from-podman:1`)
      const back = env.run(['pull', '-q', TLS_OFF, `${reg.host}/from-podman:1`])
      expect(back.code, back.stderr).to.equal(0)
      expect(back.stdout.trim()).to.equal(imp)
      expect(storedImage(env, imp).digests).to.include(pmDigest)
    } finally {
      rmSync(pm, {recursive: true, force: true})
    }
  })

  it('pulls into a vfs store (layers unpacked in order while the later ones download) and honours --policy', () => {
    const e = new Env('root')
    try {
      const r = e.run(['--storage-driver', 'vfs', 'pull', '-q', TLS_OFF, `${reg.host}/test/multi:v1`])
      expect(r.code, r.stderr).to.equal(0)
      expect(r.stdout.trim()).to.equal(multiId)
      expect(listFiles(path.join(e.root, 'tmp'))).to.deep.equal([])
      expect(e.ok(['--storage-driver', 'vfs', 'run', '--rm', '--network', 'none', `${reg.host}/test/multi:v1`, 'cat', '/etc/hello'])).to.equal('hello from layer 2\n')
      // --policy: missing and newer use the stored image; never fails for an absent one.
      const missing = e.run(['--storage-driver', 'vfs', 'pull', '--policy', 'missing', TLS_OFF, `${reg.host}/test/multi:v1`])
      expect(missing.stdout.trim()).to.equal(multiId)
      expect(missing.stderr).to.equal('')
      const newer = e.run(['--storage-driver', 'vfs', 'pull', '--policy', 'newer', TLS_OFF, `${reg.host}/test/multi:v1`])
      expect(newer.stdout.trim()).to.equal(multiId)
      expect(newer.stderr).to.equal('')
      const never = e.run(['--storage-driver', 'vfs', 'pull', '-q', '--policy', 'never', `${reg.host}/test/arm`])
      expect(never.code).to.equal(125)
      expect(never.stderr.trim()).to.equal(`Error: ${reg.host}/test/arm: image not known`)
    } finally {
      e.cleanup()
    }
  })

  it('pushes to oci:, oci-archive:, docker-archive: and dir:, which skopeo reads and peapod pulls back', () => {
    const ref = `${reg.host}/test/multi:v1`
    const oci = env.file('layout')
    const ociArchive = env.file('img.oci.tar')
    const dockerArchive = env.file('img.docker.tar')
    const dir = env.file('dirimg')
    for (const dest of [`oci:${oci}:mytag`, `oci-archive:${ociArchive}`, `docker-archive:${dockerArchive}`, `dir:${dir}`]) {
      const r = env.run(['push', '-q', ref, dest])
      expect(r.code, `${dest}: ${r.stderr}`).to.equal(0)
      const cfg = JSON.parse(execFileSync('skopeo', ['inspect', '--config', dest.startsWith('oci:') ? `oci:${oci}:mytag` : dest], {encoding: 'utf8'}))
      expect(cfg.rootfs.diff_ids).to.have.length(3)
    }
    expect(statSync(path.join(dir, 'version')).isFile()).to.equal(true)
    const e = new Env('root')
    try {
      for (const src of [`oci:${oci}:mytag`, `oci-archive:${ociArchive}`, `docker-archive:${dockerArchive}`, `dir:${dir}`]) {
        const r = e.run(['pull', '-q', src])
        expect(r.code, `${src}: ${r.stderr}`).to.equal(0)
        expect(r.stdout.trim()).to.equal(multiId)
      }
    } finally {
      e.cleanup()
    }
  })

  it('pulls and pushes manifest lists: platform choice, no matching platform, manifest create/add/inspect/push/rm', () => {
    const list = 'localhost/multiarch:1'
    const id = env.ok(['manifest', 'create', list]).trim()
    expect(id).to.match(/^[0-9a-f]{64}$/)
    expect(env.ok(['manifest', 'add', TLS_OFF, list, `docker://${reg.host}/test/multi:v1`]).trim()).to.equal(id)
    expect(env.ok(['manifest', 'add', TLS_OFF, list, `${reg.host}/test/arm:latest`]).trim()).to.equal(id)
    const inspected = JSON.parse(env.ok(['manifest', 'inspect', list]))
    expect(inspected.mediaType).to.equal('application/vnd.docker.distribution.manifest.list.v2+json')
    expect(inspected.manifests.map((m: {platform: {architecture: string}}) => m.platform.architecture)).to.deep.equal(['amd64', 'arm64'])
    expect(inspected.manifests[0].digest).to.equal(fx.multiDigest)
    const push = env.run(['manifest', 'push', TLS_OFF, '--digestfile', env.file('listdigest'), list, `docker://${reg.host}/multiarch:1`])
    expect(push.code, push.stderr).to.equal(0)
    const listDigest = readFileSync(env.file('listdigest'), 'utf8')
    expect(skopeoDigest(`${reg.host}/multiarch:1`)).to.equal(listDigest)
    const remote = JSON.parse(env.ok(['manifest', 'inspect', TLS_OFF, `${reg.host}/multiarch:1`]))
    expect(remote.manifests).to.have.length(2)
    expect(env.run(['manifest', 'exists', list]).code).to.equal(0)
    const rm = env.ok(['manifest', 'rm', list])
    expect(rm).to.contain(`Deleted: ${id}`)
    expect(env.run(['manifest', 'exists', list]).code).to.equal(1)

    // A list with a local image: pushed by digest along with the list.
    const local = env.ok(['manifest', 'create', 'localhost/locallist']).trim()
    env.ok(['manifest', 'add', '--arch', 'arm', '--variant', 'v7', 'localhost/locallist', 'containers-storage:localhost/imported:1'])
    const lp = env.run(['manifest', 'push', '-q', TLS_OFF, '--rm', 'localhost/locallist', `${reg.host}/locallist:1`])
    expect(lp.code, lp.stderr).to.equal(0)
    expect(env.run(['manifest', 'exists', local]).code).to.equal(1)
    const pushedList = JSON.parse(execFileSync('skopeo', ['inspect', '--raw', TLS_OFF, `docker://${reg.host}/locallist:1`], {encoding: 'utf8'}))
    expect(pushedList.mediaType).to.equal('application/vnd.oci.image.index.v1+json')
    expect(pushedList.manifests[0].platform).to.deep.equal({architecture: 'arm', os: 'linux', variant: 'v7'})
    expect(skopeoDigest(`${reg.host}/locallist@${pushedList.manifests[0].digest}`)).to.equal(pushedList.manifests[0].digest)

    const e = new Env('root')
    try {
      const amd = e.run(['pull', '-q', TLS_OFF, `${reg.host}/multiarch:1`])
      expect(amd.code, amd.stderr).to.equal(0)
      expect(amd.stdout.trim()).to.equal(multiId)
      expect(storedImage(e, multiId).digests).to.include.members([fx.multiDigest, listDigest])
      const arm = e.run(['pull', '-q', TLS_OFF, '--platform', 'linux/arm64', `${reg.host}/multiarch:1`])
      expect(arm.code, arm.stderr).to.equal(0)
      expect(JSON.parse(storedImage(e, arm.stdout.trim()).config).architecture).to.equal('arm64')
      const arm2 = e.run(['pull', '-q', TLS_OFF, '--arch', 'arm64', '--variant', 'v8', `${reg.host}/multiarch:1`])
      expect(arm2.stdout.trim()).to.equal(arm.stdout.trim())
      const before = snapshot(e)
      const none = e.run(['pull', '-q', TLS_OFF, '--arch', 's390x', `${reg.host}/multiarch:1`])
      expectCleanFailure(e, none, /no image found in manifest list for architecture s390x, variant "", OS linux/, before)
    } finally {
      e.cleanup()
    }
  })

  it('searches a registry catalog and lists tags', () => {
    const s = env.ok(['search', TLS_OFF, `${reg.host}/multi`])
    expect(s.split('\n')[0]).to.match(/^NAME\s+DESCRIPTION/)
    expect(s).to.contain(`${reg.host}/test/multi`)
    expect(s).to.contain(`${reg.host}/copy/multi`)
    expect(s).not.to.contain(`${reg.host}/test/evil`)
    const tags = env.ok(['search', TLS_OFF, '--list-tags', `${reg.host}/test/multi`])
    expect(tags).to.match(/NAME\s+TAG/)
    expect(tags).to.match(/test\/multi\s+v1/)
    expect(tags).to.match(/test\/multi\s+v2/)
    const json = JSON.parse(env.ok(['search', TLS_OFF, '--format', 'json', `${reg.host}/test/arm`]))
    expect(json[0]).to.include({Name: `${reg.host}/test/arm`, Index: reg.host})
  })

  it('follows registries.conf: search registries, aliases, location rewrites, mirrors, blocked registries; policy.json reject', () => {
    const e = new Env('root')
    try {
      const conf = registriesConf(e, 'reg.conf', [
        `unqualified-search-registries = ["${reg.host}"]`,
        'short-name-mode = "enforcing"',
        '[aliases]',
        `"shorty" = "${reg.host}/test/multi"`,
        '[[registry]]',
        `location = "${reg.host}"`,
        'insecure = true',
        '[[registry]]',
        'prefix = "rewritten.example.com/ns"',
        `location = "${reg.host}/test"`,
        'insecure = true',
        '[[registry]]',
        'prefix = "mirrored.example.com"',
        'location = "127.0.0.1:1"',
        '[[registry.mirror]]',
        `location = "${reg.host}/test"`,
        'insecure = true',
        '[[registry]]',
        'location = "blocked.example.com"',
        'blocked = true',
      ].join('\n'))
      const short = e.run(['pull', 'test/multi:v1'], {env: conf})
      expect(short.code, short.stderr).to.equal(0)
      expect(short.stderr).to.contain(`Resolving "test/multi" using unqualified-search registries (${conf.CONTAINERS_REGISTRIES_CONF})`)
      const alias = e.run(['pull', 'shorty:v2'], {env: conf})
      expect(alias.code, alias.stderr).to.equal(0)
      expect(alias.stderr).to.contain(`Resolved "shorty" as an alias (${conf.CONTAINERS_REGISTRIES_CONF})`)
      expect(alias.stderr).to.contain(`Trying to pull ${reg.host}/test/multi:v2...`)
      const rewritten = e.run(['pull', '-q', 'rewritten.example.com/ns/multi:v1'], {env: conf})
      expect(rewritten.code, rewritten.stderr).to.equal(0)
      expect(storedImage(e, multiId).names).to.include('rewritten.example.com/ns/multi:v1')
      const mirrored = e.run(['pull', '-q', 'mirrored.example.com/multi:v1'], {env: conf})
      expect(mirrored.code, mirrored.stderr).to.equal(0)
      const before = snapshot(e)
      const blocked = e.run(['pull', '-q', 'blocked.example.com/x'], {env: conf})
      expectCleanFailure(e, blocked, /registry blocked\.example\.com is blocked in/, before)
      // policy.json: reject the registry.
      const policy = e.file('policy.json')
      writeFileSync(policy, JSON.stringify({default: [{type: 'insecureAcceptAnything'}], transports: {docker: {[`${reg.host}/test/arm`]: [{type: 'reject'}]}}}))
      const rejected = e.run(['pull', '-q', '--signature-policy', policy, `${reg.host}/test/arm`], {env: conf})
      expectCleanFailure(e, rejected, /Source image rejected: Running image docker:\/\/.*test\/arm:latest is rejected by policy/, before)
      // Two search registries and no terminal: enforcing mode refuses to guess.
      const two = registriesConf(e, 'two.conf', `unqualified-search-registries = ["${reg.host}", "docker.io"]\nshort-name-mode = "enforcing"\n`)
      const amb = e.run(['pull', '-q', 'test/multi:v1'], {env: two})
      expectCleanFailure(e, amb, /short-name resolution enforced but cannot prompt without a TTY/, before)
    } finally {
      e.cleanup()
    }
  })

  describe('bad input', () => {
    let e: Env
    beforeEach(() => {
      e = new Env('root')
    })
    afterEach(() => e.cleanup())

    it('unknown tag, unknown repository, registry down, plain HTTP without --tls-verify=false', async () => {
      const before = snapshot(e)
      expectCleanFailure(e, e.run(['pull', '-q', TLS_OFF, `${reg.host}/test/multi:nope`]),
        new RegExp(`initializing source docker://${reg.host}/test/multi:nope: reading manifest nope in ${reg.host}/test/multi: manifest unknown`), before)
      expectCleanFailure(e, e.run(['pull', '-q', TLS_OFF, `${reg.host}/no/such`]), /reading manifest latest in .*no\/such: (manifest|name) unknown/, before)
      const down = await RegistryServer.start()
      const host = down.host
      await down.stop()
      const r = e.run(['pull', '-q', TLS_OFF, `${host}/x`])
      expectCleanFailure(e, r, new RegExp(`pinging container registry ${host}: Get "http://${host}/v2/": dial tcp ${host}: connect: connection refused`), before)
      expect(r.stderr).to.contain('retrying')
      expectCleanFailure(e, e.run(['pull', '-q', `${reg.host}/test/multi:v1`]), /http: server gave HTTP response to HTTPS client/, before)
    })

    it('a corrupted blob (digest mismatch) and a truncated one in the registry storage', () => {
      const layout = path.join(fx.dir, 'corrupt')
      const l = smallLayer(path.join(fx.dir, 'c.tar'), {'c.bin': randomBytes(300 * 1024)})
      makeOciLayout(layout, {layers: [busyboxTar(), l]})
      skopeoPush(layout, `${reg.host}/bad/corrupt:1`)
      const manifest = JSON.parse(execFileSync('skopeo', ['inspect', '--raw', TLS_OFF, `docker://${reg.host}/bad/corrupt:1`], {encoding: 'utf8'}))
      const target = manifest.layers[1].digest as string
      const file = reg.blobFile(target)
      const orig = readFileSync(file)
      // Flip one byte in the middle: same size, other digest.
      const fd = openSync(file, 'r+')
      const b = Buffer.alloc(1)
      readSync(fd, b, 0, 1, Math.floor(orig.length / 2))
      b[0] ^= 0xff
      writeSync(fd, b, 0, 1, Math.floor(orig.length / 2))
      closeSync(fd)
      const before = snapshot(e)
      expectCleanFailure(e, e.run(['pull', '-q', TLS_OFF, `${reg.host}/bad/corrupt:1`]), new RegExp(`${target}: digest did not match, expected ${target}, got sha256:`), before)
      // The config blob corrupted.
      writeFileSync(file, orig)
      const cfgFile = reg.blobFile(manifest.config.digest)
      const cfg = readFileSync(cfgFile)
      writeFileSync(cfgFile, Buffer.from(cfg.toString().replace('"amd64"', '"AMD64"')))
      expectCleanFailure(e, e.run(['pull', '-q', TLS_OFF, `${reg.host}/bad/corrupt:1`]), /digest did not match, expected sha256:/, before)
      writeFileSync(cfgFile, cfg)
      // Truncated in storage: the registry serves fewer bytes than the manifest says.
      truncateSync(file, Math.floor(orig.length / 3))
      expectCleanFailure(e, e.run(['pull', '-q', TLS_OFF, `${reg.host}/bad/corrupt:1`]), /unexpected EOF|digest did not match/, before)
      writeFileSync(file, orig)
      const ok = e.run(['pull', '-q', TLS_OFF, `${reg.host}/bad/corrupt:1`])
      expect(ok.code, ok.stderr).to.equal(0)
    })

    it('a layer with path traversal', () => {
      const before = snapshot(e)
      const r = e.run(['pull', '-q', TLS_OFF, `${reg.host}/test/evil`])
      expectCleanFailure(e, r, /applying layer sha256:[0-9a-f]{64}: invalid tar entry "\.\.\/evil\.txt": path escapes the layer/, before)
      expect(existsSync(path.join(e.root, 'evil.txt'))).to.equal(false)
      expect(existsSync(path.join(e.dir, 'evil.txt'))).to.equal(false)
    })

    it('a malformed --platform, conflicting platform flags', () => {
      const before = snapshot(e)
      expectCleanFailure(e, e.run(['pull', '-q', TLS_OFF, '--platform', 'linux', `${reg.host}/test/arm`]), /invalid platform syntax for --platform="linux"/, before)
      expectCleanFailure(e, e.run(['pull', '-q', TLS_OFF, '--platform', 'linux/arm64', '--arch', 'arm64', `${reg.host}/test/arm`]), /--platform option can not be specified with --arch or --os/, before)
    })
  })

  describe('through a proxy: Range resume, redirects, broken transfers', () => {
    let proxy: FaultProxy
    before(async () => {
      proxy = await FaultProxy.start(reg.port)
    })
    after(async () => {
      await proxy?.stop()
    })

    it('resumes a blob download the connection dropped (Range) and gets the same image', async () => {
      const e = new Env('root')
      try {
        proxy.mode = 'cut-once'
        proxy.cuts = 0
        proxy.rangeRequests = 0
        const r = await runAsync(e, ['pull', '-q', TLS_OFF, `${proxy.host}/test/multi:v1`])
        expect(r.code, r.stderr).to.equal(0)
        expect(r.stdout.trim()).to.equal(multiId)
        // Layers download side by side: the first few may all be cut once.
        expect(proxy.cuts).to.be.at.least(1)
        expect(proxy.rangeRequests).to.be.at.least(proxy.cuts)
      } finally {
        e.cleanup()
      }
    })

    it('follows redirects to blob storage', async () => {
      const e = new Env('root')
      try {
        proxy.mode = 'redirect'
        proxy.redirects = 0
        const r = await runAsync(e, ['pull', '-q', TLS_OFF, `${proxy.host}/test/multi:v1`])
        expect(r.code, r.stderr).to.equal(0)
        expect(r.stdout.trim()).to.equal(multiId)
        expect(proxy.redirects).to.be.at.least(4)
      } finally {
        e.cleanup()
      }
    })

    it('gives up on a connection that keeps breaking, leaving nothing behind', async () => {
      const e = new Env('root')
      try {
        proxy.mode = 'cut-always'
        const before = snapshot(e)
        const r = await runAsync(e, ['pull', '-q', TLS_OFF, `${proxy.host}/test/multi:v1`])
        expectCleanFailure(e, r, /reading blob sha256:[0-9a-f]{64}: the connection broke \d+ times/, before)
      } finally {
        proxy.mode = 'pass'
        e.cleanup()
      }
    })
  })
})

describe('registries with authentication and TLS (root)', function () {
  this.timeout(120000)
  const why = skip('root') ?? (!HAVE_HTPASSWD ? 'htpasswd (apache2-utils) is not installed' : undefined)
  let pki: Pki
  let basic: RegistryServer
  let tls: RegistryServer
  let token: RegistryServer
  let issuer: TokenServer
  let env: Env
  const certsD = () => `/etc/containers/certs.d/${tls.host}`

  before(async function () {
    if (why) return this.skip()
    pki = makePki()
    const pw = htpasswd(path.join(pki.dir, 'htpasswd'), 'alice', 'wonderland')
    issuer = await TokenServer.start({bob: 'builder'})
    ;[basic, tls, token] = await Promise.all([
      RegistryServer.start({htpasswd: pw}),
      RegistryServer.start({tls: {cert: pki.serverCert, key: pki.serverKey}}),
      RegistryServer.start({token: {realm: issuer.realm, service: issuer.service, issuer: issuer.issuer, rootcertbundle: issuer.certFile}}),
    ])
    env = new Env('root')
    env.ok(['import', '-q', busyboxTar(), 'localhost/bb:1'])
  })
  after(async () => {
    await Promise.all([basic?.stop(), tls?.stop(), token?.stop(), issuer?.stop()])
    if (tls) rmSync(certsD(), {recursive: true, force: true})
    env?.cleanup()
    if (pki) rmSync(pki.dir, {recursive: true, force: true})
  })

  it('Basic auth: clear 401s, login (--password-stdin, mode 0600 auth.json), push/pull, --get-login, --creds, logout', () => {
    const authfile = env.file('auth.json')
    const before = snapshot(env)
    const noCreds = env.run(['pull', '-q', TLS_OFF, '--authfile', authfile, `${basic.host}/bb:1`])
    expectCleanFailure(env, noCreds, /reading manifest 1 in .*: unauthorized: authentication required/, before)
    const wrong = env.run(['login', TLS_OFF, '--authfile', authfile, '-u', 'alice', '-p', 'nope', basic.host])
    expect(wrong.code).to.equal(125)
    expect(wrong.stderr.trim()).to.equal(`Error: logging into "${basic.host}": invalid username/password`)
    expect(existsSync(authfile)).to.equal(false)
    const ok = env.run(['login', TLS_OFF, '--authfile', authfile, '-u', 'alice', '--password-stdin', basic.host], {input: 'wonderland\n'})
    expect(ok.code, ok.stderr).to.equal(0)
    expect(ok.stdout).to.equal('Login Succeeded!\n')
    expect(statSync(authfile).mode & 0o777).to.equal(0o600)
    const doc = JSON.parse(readFileSync(authfile, 'utf8'))
    expect(doc.auths[basic.host].auth).to.equal(Buffer.from('alice:wonderland').toString('base64'))
    expect(env.ok(['login', '--authfile', authfile, '--get-login', basic.host])).to.equal('alice\n')
    const again = env.ok(['login', TLS_OFF, '--authfile', authfile, basic.host])
    expect(again).to.contain(`Existing credentials are valid. Already logged in to ${basic.host}`)
    const push = env.run(['push', '-q', TLS_OFF, '--authfile', authfile, 'localhost/bb:1', `${basic.host}/bb:1`])
    expect(push.code, push.stderr).to.equal(0)
    const e = new Env('root')
    try {
      const pull = e.run(['pull', '-q', TLS_OFF, '--authfile', authfile, `${basic.host}/bb:1`])
      expect(pull.code, pull.stderr).to.equal(0)
      const creds = e.run(['pull', '-q', TLS_OFF, '--creds', 'alice:wonderland', `${basic.host}/bb:1`])
      expect(creds.code, creds.stderr).to.equal(0)
      const badCreds = e.run(['pull', '-q', TLS_OFF, '--creds', 'alice:x', `${basic.host}/bb:1`])
      expect(badCreds.code).to.equal(125)
      expect(badCreds.stderr).to.match(/unauthorized/)
    } finally {
      e.cleanup()
    }
    // skopeo reads the same auth.json.
    execFileSync('skopeo', ['inspect', '--raw', TLS_OFF, '--authfile', authfile, `docker://${basic.host}/bb:1`])
    expect(env.ok(['logout', '--authfile', authfile, basic.host])).to.equal(`Removed login credentials for ${basic.host}\n`)
    const notIn = env.run(['logout', '--authfile', authfile, basic.host])
    expect(notIn.code).to.equal(125)
    expect(notIn.stderr.trim()).to.equal(`Error: not logged into ${basic.host}`)
    const getLogin = env.run(['login', '--authfile', authfile, '--get-login', basic.host])
    expect(getLogin.stderr.trim()).to.equal(`Error: not logged into ${basic.host}`)
  })

  it('login writes $XDG_RUNTIME_DIR/containers/auth.json by default (REGISTRY_AUTH_FILE overrides)', () => {
    const xdg = env.file('xdg')
    mkdirSync(xdg, {mode: 0o700})
    const r = env.run(['login', TLS_OFF, '-u', 'alice', '-p', 'wonderland', basic.host], {env: {XDG_RUNTIME_DIR: xdg}})
    expect(r.code, r.stderr).to.equal(0)
    expect(statSync(path.join(xdg, 'containers/auth.json')).mode & 0o777).to.equal(0o600)
    const viaEnv = env.file('env-auth.json')
    const r2 = env.run(['login', TLS_OFF, '-u', 'alice', '-p', 'wonderland', basic.host], {env: {XDG_RUNTIME_DIR: xdg, REGISTRY_AUTH_FILE: viaEnv}})
    expect(r2.code, r2.stderr).to.equal(0)
    expect(existsSync(viaEnv)).to.equal(true)
    expect(env.run(['logout', '--all'], {env: {XDG_RUNTIME_DIR: xdg}}).stdout).to.equal('Removed login credentials for all registries\n')
    expect(JSON.parse(readFileSync(path.join(xdg, 'containers/auth.json'), 'utf8')).auths).to.deep.equal({})
  })

  it('token (Bearer) auth: login, push and pull with scoped tokens; wrong password is a clear error', async () => {
    const authfile = env.file('token-auth.json')
    const before = snapshot(env)
    const anon = await runAsync(env, ['pull', '-q', TLS_OFF, '--authfile', authfile, `${token.host}/bb:1`])
    expectCleanFailure(env, anon, /unauthorized/, before)
    const wrong = await runAsync(env, ['login', TLS_OFF, '--authfile', authfile, '-u', 'bob', '-p', 'nope', token.host])
    expect(wrong.code).to.equal(125)
    expect(wrong.stderr.trim()).to.equal(`Error: logging into "${token.host}": invalid username/password`)
    const login = await runAsync(env, ['login', TLS_OFF, '--authfile', authfile, '-u', 'bob', '-p', 'builder', token.host])
    expect(login.code, login.stderr).to.equal(0)
    const requests = issuer.requests
    const push = await runAsync(env, ['push', '-q', TLS_OFF, '--authfile', authfile, 'localhost/bb:1', `${token.host}/team/bb:1`])
    expect(push.code, push.stderr).to.equal(0)
    expect(issuer.requests).to.be.above(requests)
    const e = new Env('root')
    try {
      const pull = await runAsync(e, ['pull', '-q', TLS_OFF, '--authfile', authfile, `${token.host}/team/bb:1`])
      expect(pull.code, pull.stderr).to.equal(0)
      const digest = await skopeoDigestAsync(`${token.host}/team/bb:1`, ['--authfile', authfile])
      expect(storedImage(e, pull.stdout.trim()).digests).to.include(digest)
    } finally {
      e.cleanup()
    }
  })

  it('TLS with a private CA: unknown authority refused; --cert-dir, certs.d and --tls-verify=false work', () => {
    const before = snapshot(env)
    const push = env.run(['push', '-q', TLS_OFF, 'localhost/bb:1', `${tls.host}/bb:1`])
    expect(push.code, push.stderr).to.equal(0)
    const e = new Env('root')
    try {
      const b = snapshot(e)
      expectCleanFailure(e, e.run(['pull', '-q', `${tls.host}/bb:1`]), /x509: certificate signed by unknown authority/, b)
      // The CA in NODE_EXTRA_CA_CERTS: bin/peapod defers it from Node's start-up to the registry client.
      const viaNodeEnv = e.run(['pull', '-q', `${tls.host}/bb:1`], {env: {NODE_EXTRA_CA_CERTS: pki.caCert}})
      expect(viaNodeEnv.code, viaNodeEnv.stderr).to.equal(0)
      e.ok(['rmi', '-a'])
      const certDir = e.file('certs')
      mkdirSync(certDir)
      writeFileSync(path.join(certDir, 'ca.crt'), readFileSync(pki.caCert))
      const viaDir = e.run(['pull', '-q', '--cert-dir', certDir, `${tls.host}/bb:1`])
      expect(viaDir.code, viaDir.stderr).to.equal(0)
      e.ok(['rmi', '-a'])
      mkdirSync(certsD(), {recursive: true})
      writeFileSync(path.join(certsD(), 'ca.crt'), readFileSync(pki.caCert))
      const viaCertsD = e.run(['pull', '-q', `${tls.host}/bb:1`])
      expect(viaCertsD.code, viaCertsD.stderr).to.equal(0)
      rmSync(certsD(), {recursive: true, force: true})
      const insecure = e.run(['pull', '-q', TLS_OFF, `${tls.host}/bb:1`])
      expect(insecure.code, insecure.stderr).to.equal(0)
    } finally {
      e.cleanup()
    }
    void before
  })
})

describe('registries (rootless)', function () {
  this.timeout(120000)
  const why = skip('rootless')
  let reg: RegistryServer
  let env: Env
  let fx: Fixtures

  before(async function () {
    if (why) return this.skip()
    fx = makeFixtures()
    reg = await RegistryServer.start()
    env = new Env('rootless')
    skopeoPush(fx.multi, `${reg.host}/test/multi:v1`)
    skopeoPush(fx.traversal, `${reg.host}/test/evil:latest`)
  })
  after(async () => {
    await reg?.stop()
    env?.cleanup()
    if (fx) rmSync(fx.dir, {recursive: true, force: true})
  })

  it('pulls, re-pulls, pushes and logs in as a user; auth.json in its XDG_RUNTIME_DIR', () => {
    const r = env.run(['pull', '-q', TLS_OFF, `${reg.host}/test/multi:v1`])
    expect(r.code, r.stderr).to.equal(0)
    expect(`sha256:${r.stdout.trim()}`).to.equal(fx.multiConfig)
    const again = env.run(['pull', '-q', TLS_OFF, `${reg.host}/test/multi:v1`])
    expect(again.stdout).to.equal(r.stdout)
    const push = env.run(['push', '-q', TLS_OFF, `${reg.host}/test/multi:v1`, `${reg.host}/rootless/multi:v1`])
    expect(push.code, push.stderr).to.equal(0)
    expect(skopeoDigest(`${reg.host}/rootless/multi:v1`)).to.equal(fx.multiDigest)
    const out = env.run(['push', '-q', `${reg.host}/test/multi:v1`, `oci-archive:${env.file('x.tar')}`])
    expect(out.code, out.stderr).to.equal(0)
    const login = env.run(['login', TLS_OFF, '-u', 'someone', '-p', 'pw', reg.host])
    expect(login.code, login.stderr).to.equal(0)
    const auth = path.join(env.dir, 'xdg/containers/auth.json')
    expect(statSync(auth).mode & 0o777).to.equal(0o600)
    expect(statSync(auth).uid).to.not.equal(0)
  })

  it('fails cleanly as a user (path traversal, unknown tag)', () => {
    const before = snapshot(env)
    expectCleanFailure(env, env.run(['pull', '-q', TLS_OFF, `${reg.host}/test/evil`]), /path escapes the layer/, before)
    expectCleanFailure(env, env.run(['pull', '-q', TLS_OFF, `${reg.host}/test/multi:nope`]), /manifest unknown/, before)
  })
})
