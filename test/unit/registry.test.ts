// The registry client's pure parts: auth challenges, platform choice,
// short-name resolution, registries.conf lookups, auth.json keys, policy.json.
import {expect} from 'chai'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {lookupKeys, normalizeKey, parseCreds, validateKey} from '../../src/libpod/image/registry/auth.js'
import {parseChallenges} from '../../src/libpod/image/registry/client.js'
import {RegistriesConf, checkPolicy, resolvePullName} from '../../src/libpod/image/registry/config.js'
import {choosePlatform, manifestType, wantedPlatform, type ManifestList} from '../../src/libpod/image/registry/manifest.js'
import {parseTransport} from '../../src/libpod/image/transports.js'

const d = (n: number) => 'sha256:' + String(n).repeat(64).slice(0, 64)

describe('registry client', () => {
  it('parses WWW-Authenticate challenges', () => {
    expect(parseChallenges('Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:a/b:pull"')).to.deep.equal([
      {scheme: 'bearer', params: {realm: 'https://auth.example.com/token', service: 'registry.example.com', scope: 'repository:a/b:pull'}},
    ])
    expect(parseChallenges('Basic realm="basic-realm"')).to.deep.equal([{scheme: 'basic', params: {realm: 'basic-realm'}}])
    expect(parseChallenges(undefined)).to.deep.equal([])
  })

  it('chooses a list instance for a platform, variants included', () => {
    const list: ManifestList = {schemaVersion: 2, manifests: [
      {mediaType: 'm', digest: d(1), size: 1, platform: {os: 'linux', architecture: 'amd64'}},
      {mediaType: 'm', digest: d(2), size: 1, platform: {os: 'linux', architecture: 'arm', variant: 'v6'}},
      {mediaType: 'm', digest: d(3), size: 1, platform: {os: 'linux', architecture: 'arm64', variant: 'v8'}},
      {mediaType: 'm', digest: d(4), size: 1, platform: {os: 'windows', architecture: 'amd64'}},
    ]}
    expect(choosePlatform(list, wantedPlatform({arch: 'amd64'}), 'x').digest).to.equal(d(1))
    expect(choosePlatform(list, wantedPlatform({platform: 'linux/arm64'}), 'x').digest).to.equal(d(3))
    expect(choosePlatform(list, wantedPlatform({platform: 'linux/arm/v7'}), 'x').digest).to.equal(d(2))
    expect(choosePlatform(list, wantedPlatform({os: 'windows', arch: 'x86_64'}), 'x').digest).to.equal(d(4))
    expect(() => choosePlatform(list, wantedPlatform({arch: 's390x'}), 'docker://x')).to.throw('no image found in manifest list for architecture s390x, variant "", OS linux')
    expect(() => wantedPlatform({platform: 'linux'})).to.throw('invalid platform syntax')
  })

  it('tells manifest types apart', () => {
    expect(manifestType(Buffer.from('{"schemaVersion":2,"manifests":[]}'))).to.equal('application/vnd.oci.image.index.v1+json')
    expect(manifestType(Buffer.from('{"schemaVersion":2,"config":{}}'), 'application/vnd.docker.distribution.manifest.v2+json')).to.equal('application/vnd.docker.distribution.manifest.v2+json')
    expect(manifestType(Buffer.from('{"schemaVersion":1,"signatures":[]}'))).to.equal('application/vnd.docker.distribution.manifest.v1+prettyjws')
  })

  it('parses transports', () => {
    expect(parseTransport('docker://quay.io/a:1')).to.deep.equal({transport: 'docker', name: 'quay.io/a:1'})
    expect(parseTransport('oci:/tmp/x:tag')).to.deep.equal({transport: 'oci', path: '/tmp/x', ref: 'tag'})
    expect(parseTransport('docker-archive:/tmp/x.tar')).to.deep.equal({transport: 'docker-archive', path: '/tmp/x.tar', ref: undefined})
    expect(parseTransport('dir:/tmp/d')).to.deep.equal({transport: 'dir', path: '/tmp/d'})
    expect(parseTransport('localhost:5000/x')).to.deep.equal({transport: 'docker', name: 'localhost:5000/x'})
    expect(() => parseTransport('docker:x')).to.throw('does not start with "//"')
  })

  it('auth.json keys', () => {
    expect(lookupKeys('quay.io/a/b')).to.deep.equal(['quay.io/a/b', 'quay.io/a', 'quay.io'])
    expect(normalizeKey('https://index.docker.io/v1/')).to.equal('docker.io')
    expect(validateKey('quay.io/ns/repo')).to.equal('quay.io/ns/repo')
    expect(() => validateKey('quay.io/ns/repo:tag')).to.throw('no tag or digest')
    expect(parseCreds('u:p:q')).to.deep.equal({username: 'u', password: 'p:q'})
  })
})

describe('registries.conf and policy.json', () => {
  let dir: string
  const saved = process.env.CONTAINERS_REGISTRIES_CONF
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'peapod-unit-reg-'))
  })
  after(() => {
    rmSync(dir, {recursive: true, force: true})
    if (saved === undefined) delete process.env.CONTAINERS_REGISTRIES_CONF
    else process.env.CONTAINERS_REGISTRIES_CONF = saved
  })

  function conf(text: string): RegistriesConf {
    const f = path.join(dir, `r${Math.random()}.conf`)
    writeFileSync(f, text)
    process.env.CONTAINERS_REGISTRIES_CONF = f
    return RegistriesConf.load([path.join(dir, 'none')])
  }

  it('resolves short names: qualified, alias, search registries, enforcing without a terminal', () => {
    const c = conf(['unqualified-search-registries = ["docker.io", "quay.io"]', '[aliases]', '"fedora" = "registry.fedoraproject.org/fedora"'].join('\n'))
    expect(resolvePullName(c, 'quay.io/a/b', false).candidates).to.deep.equal([{domain: 'quay.io', path: 'a/b', tag: 'latest', digest: undefined}])
    expect(resolvePullName(c, 'fedora:39', false).candidates[0]).to.include({domain: 'registry.fedoraproject.org', path: 'fedora', tag: '39'})
    expect(() => resolvePullName(c, 'busybox', false)).to.throw('short-name resolution enforced but cannot prompt without a TTY')
    const r = resolvePullName(c, 'busybox', true).candidates
    expect(r.map(x => `${x.domain}/${x.path}`)).to.deep.equal(['docker.io/library/busybox', 'quay.io/busybox'])
    const none = conf('')
    expect(() => resolvePullName(none, 'busybox', false)).to.throw('did not resolve to an alias and no unqualified-search registries are defined')
  })

  it('rewrites locations, orders mirrors, blocks', () => {
    const c = conf([
      '[[registry]]', 'prefix = "example.com/foo"', 'location = "internal.example.com/bar"', 'insecure = true',
      '[[registry.mirror]]', 'location = "mirror.example.com/m"',
      '[[registry.mirror]]', 'location = "digests.example.com"', 'pull-from-mirror = "digest-only"',
      '[[registry]]', 'location = "blocked.example.com"', 'blocked = true',
      '[[registry]]', 'prefix = "*.wild.example.com"', 'insecure = true',
    ].join('\n'))
    const eps = c.pullEndpoints({domain: 'example.com', path: 'foo/img', tag: '1'})
    expect(eps.map(e => `${e.ref.domain}/${e.ref.path}:${e.ref.tag}`)).to.deep.equal(['mirror.example.com/m/img:1', 'internal.example.com/bar/img:1'])
    expect(eps[1].insecure).to.equal(true)
    expect(c.pullEndpoints({domain: 'example.com', path: 'foo/img', digest: d(1)})).to.have.length(3)
    expect(() => c.pullEndpoints({domain: 'blocked.example.com', path: 'x', tag: 'latest'})).to.throw('is blocked')
    expect(c.insecure('a.wild.example.com')).to.equal(true)
    expect(c.insecure('example.com')).to.equal(false)
  })

  it('policy.json: insecureAcceptAnything passes, reject refuses by scope', () => {
    const f = path.join(dir, 'policy.json')
    writeFileSync(f, JSON.stringify({default: [{type: 'insecureAcceptAnything'}], transports: {docker: {'quay.io/bad': [{type: 'reject'}], '*.evil.example.com': [{type: 'reject'}]}}}))
    expect(() => checkPolicy('docker', 'quay.io/good:1', 'docker://quay.io/good:1', f)).not.to.throw()
    expect(() => checkPolicy('docker', 'quay.io/bad/x:1', 'docker://quay.io/bad/x:1', f)).to.throw('rejected by policy')
    expect(() => checkPolicy('docker', 'r.evil.example.com/x:1', 'docker://r.evil.example.com/x:1', f)).to.throw('rejected by policy')
    writeFileSync(f, JSON.stringify({default: [{type: 'reject'}]}))
    expect(() => checkPolicy('docker', 'quay.io/good:1', 'docker://quay.io/good:1', f)).to.throw('rejected by policy')
  })
})
