// Image archives: import, load, save (docker-archive and oci-archive),
// checked against Podman 4.3.1 when it is installed (rootful, in its own
// --root/--runroot with vfs), and bad archives that must fail cleanly.
import {expect} from 'chai'
import {execFileSync, spawnSync} from 'node:child_process'
import {createHash, randomBytes} from 'node:crypto'
import {chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {gzipSync} from 'node:zlib'
import {busyboxTar} from './fixtures.js'
import {BIN, Env, listFiles, TEST_USER, unavailable, type Mode} from './helpers.js'

const HAVE_PODMAN = spawnSync('podman', ['--version']).status === 0 && process.getuid!() === 0

/** Rootful Podman in a private store (vfs: nothing to mount or unmount). */
class Podman {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), 'peapod-e2e-podman-'))
  run(args: string[]): string {
    return execFileSync('podman', ['--root', `${this.dir}/root`, '--runroot', `${this.dir}/run`, '--storage-driver', 'vfs', ...args], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20,
    })
  }
  inspect(ref: string): {Id: string; Digest: string; RepoTags: string[]} {
    return JSON.parse(this.run(['image', 'inspect', ref]))[0]
  }
  cleanup(): void {
    rmSync(this.dir, {recursive: true, force: true})
  }
}

interface StoredImage {
  id: string
  names: string[]
  digest: string
  manifest: string
  manifestMediaType: string
  config: string
  layers: string[]
}

function storedImages(env: Env): StoredImage[] {
  const dir = path.join(env.root, 'images')
  if (!existsSync(dir)) return []
  return readdirSync(dir).filter(f => f.endsWith('.json') && !f.startsWith('.')).map(f => JSON.parse(readFileSync(path.join(dir, f), 'utf8')))
}

function storedImage(env: Env, id: string): StoredImage {
  const img = storedImages(env).find(i => i.id === id.replace(/^sha256:/, ''))
  if (!img) throw new Error(`image ${id} is not in the store`)
  return img
}

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex')
}

/** A tar built with Python's tarfile: it writes what GNU tar refuses to (../ names, odd links). */
function craftTar(out: string, entries: Array<{name: string; type: 'file' | 'dir' | 'symlink' | 'link'; data?: string; target?: string}>): string {
  const script = `
import io, json, sys, tarfile
with tarfile.open(sys.argv[1], 'w', format=tarfile.GNU_FORMAT) as t:
    for e in json.load(sys.stdin):
        ti = tarfile.TarInfo(e['name']); ti.mtime = 0; data = None
        if e['type'] == 'dir': ti.type = tarfile.DIRTYPE; ti.mode = 0o755
        elif e['type'] == 'symlink': ti.type = tarfile.SYMTYPE; ti.linkname = e['target']
        elif e['type'] == 'link': ti.type = tarfile.LNKTYPE; ti.linkname = e['target']
        else:
            b = e.get('data', '').encode(); ti.size = len(b); ti.mode = 0o644; data = io.BytesIO(b)
        t.addfile(ti, data)
`
  execFileSync('python3', ['-c', script, out], {input: JSON.stringify(entries)})
  return out
}

interface ArchiveSpec {
  layers: string[]
  tags?: string[]
  /** Override the config's diff IDs (to make them wrong). */
  diffIds?: string[]
  /** Raw config text instead of the generated one. */
  rawConfig?: string
  /** Store the layer files gzip'd. */
  gzipLayers?: boolean
  /** Extra members (name → content) added to the archive's tar. */
  extra?: Record<string, string>
}

/** A hand-made docker-archive (as `docker save` writes): returns the image ID. */
function dockerArchive(out: string, spec: ArchiveSpec): string {
  const pkg = mkdtempSync(path.join(os.tmpdir(), 'peapod-e2e-pkg-'))
  try {
    const diffIds = spec.layers.map(l => `sha256:${sha256(readFileSync(l))}`)
    const files = spec.layers.map((l, i) => {
      const name = `layer${i}/layer.tar`
      mkdirSync(path.join(pkg, `layer${i}`))
      const data = readFileSync(l)
      writeFileSync(path.join(pkg, name), spec.gzipLayers ? gzipSync(data) : data)
      return name
    })
    const config = spec.rawConfig ?? JSON.stringify({
      architecture: 'amd64', os: 'linux', created: '2024-01-02T03:04:05Z',
      config: {Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], Cmd: ['/bin/sh']},
      rootfs: {type: 'layers', diff_ids: spec.diffIds ?? diffIds},
      history: spec.layers.map((_, i) => ({created: '2024-01-02T03:04:05Z', created_by: `layer ${i}`})),
    })
    const id = sha256(config)
    writeFileSync(path.join(pkg, `${id}.json`), config)
    writeFileSync(path.join(pkg, 'manifest.json'), JSON.stringify([{Config: `${id}.json`, RepoTags: spec.tags ?? [], Layers: files}]))
    writeFileSync(path.join(pkg, 'repositories'), '{}')
    const members: Array<[string, string]> = ['manifest.json', `${id}.json`, 'repositories', ...files].map(f => [f, path.join(pkg, f)])
    Object.entries(spec.extra ?? {}).forEach(([name, content], i) => {
      writeFileSync(path.join(pkg, `extra${i}`), content)
      members.push([name, path.join(pkg, `extra${i}`)])
    })
    // Python's tarfile writes any member name (GNU tar strips ../).
    execFileSync('python3', ['-c', `
import json, sys, tarfile
with tarfile.open(sys.argv[1], 'w') as t:
    for name, f in json.loads(sys.argv[2]):
        ti = t.gettarinfo(f, arcname=name); ti.uid = ti.gid = 0; ti.uname = ti.gname = ''
        with open(f, 'rb') as fh: t.addfile(ti, fh)
`, out, JSON.stringify(members)])
    return id
  } finally {
    rmSync(pkg, {recursive: true, force: true})
  }
}

/** Runs a shell pipeline as the mode's user, with $PEAPOD set to the peapod command of env. */
function shell(env: Env, script: string): {code: number; stdout: string; stderr: string} {
  const peapod = `${process.execPath} ${BIN} --root ${env.root} --runroot ${env.runroot}`
  const base = {PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8', PEAPOD: peapod}
  let r
  if (env.mode === 'root') {
    r = spawnSync('sh', ['-c', script], {env: {...base, HOME: '/root'}, cwd: env.dir})
  } else {
    const [uid, gid, home] = execFileSync('sh', ['-c', `id -u ${TEST_USER}; id -g ${TEST_USER}; getent passwd ${TEST_USER} | cut -d: -f6`], {encoding: 'utf8'}).trim().split('\n')
    const xdg = path.join(env.dir, 'xdg')
    if (!existsSync(xdg)) {
      mkdirSync(xdg, {mode: 0o700})
      execFileSync('chown', [`${uid}:${gid}`, xdg])
    }
    r = spawnSync('setpriv', [`--reuid=${uid}`, `--regid=${gid}`, '--init-groups', '--', 'sh', '-c', script], {
      env: {...base, HOME: home, USER: TEST_USER, LOGNAME: TEST_USER, XDG_RUNTIME_DIR: xdg}, cwd: env.dir,
    })
  }
  return {code: r.status ?? 128, stdout: r.stdout.toString(), stderr: r.stderr.toString()}
}

function expectId(out: string): string {
  expect(out).to.match(/^sha256:[0-9a-f]{64}\n$/)
  return out.trim()
}

for (const mode of ['root', 'rootless'] as Mode[]) {
  describe(`image archives (${mode})`, function () {
    let env: Env
    let bb: string
    const podmans: Podman[] = []
    const podman = (): Podman => {
      const p = new Podman()
      podmans.push(p)
      return p
    }
    const requirePodman = (ctx: Mocha.Context) => {
      if (!HAVE_PODMAN) ctx.skip()
    }

    before(function () {
      const why = unavailable(mode)
      if (why) this.skip()
      env = new Env(mode)
      bb = env.file('busybox.tar')
      copyFileSync(busyboxTar(), bb)
      env.chown(bb)
    })
    after(() => {
      env?.cleanup()
      for (const p of podmans) p.cleanup()
    })

    /** A file in the suite dir the peapod user may read. */
    const put = (name: string, data: Buffer | string): string => {
      const f = env.file(name)
      writeFileSync(f, data)
      env.chown(f)
      return f
    }

    it('imports a tarball with the image ID Podman gives it, lists it and saves a docker-archive Podman loads byte for byte the same', function () {
      const id = expectId(env.ok(['import', bb, 'bb']))
      const img = storedImage(env, id)
      expect(img.names).to.deep.equal(['localhost/bb:latest'])
      expect(img.manifestMediaType).to.equal('application/vnd.oci.image.manifest.v1+json')
      const cfg = JSON.parse(img.config)
      expect(cfg.history[0].comment).to.equal('imported from tarball')
      expect(cfg.history[0].created_by).to.equal(`/bin/sh -c #(nop) ADD file:${cfg.rootfs.diff_ids[0].slice(7)} in /`)

      const images = env.run(['images'])
      expect(images.code, images.stderr).to.equal(0)
      expect(images.stdout).to.contain('localhost/bb').and.contain(id.slice(7, 19))

      const out = env.file('bb-docker.tar')
      expect(env.ok(['save', '-o', out, 'bb'])).to.equal('')
      if (!HAVE_PODMAN) return
      const pa = podman()
      expect(pa.run(['import', '-q', bb, 'bb']).trim()).to.equal(id)
      const theirs = path.join(pa.dir, 'bb-docker.tar')
      pa.run(['save', '-o', theirs, 'bb'])
      expect(sha256(readFileSync(out))).to.equal(sha256(readFileSync(theirs)))
      const pb = podman()
      expect(pb.run(['load', '-i', out])).to.contain('Loaded image: localhost/bb:latest')
      expect(`sha256:${pb.inspect('bb').Id}`).to.equal(id)
    })

    it('imports with --change, --message, --arch/--variant and gzip as Podman does', function () {
      const changes = ['CMD /bin/sh', 'ENTRYPOINT ["/bin/env"]', 'ENV A=1', 'ENV B 2', 'EXPOSE 80/UDP', 'EXPOSE 8080', 'LABEL a="b c"',
        'USER 1000:1000', 'VOLUME /data /x', 'VOLUME ["/y"]', 'WORKDIR /w', 'WORKDIR sub', 'STOPSIGNAL SIGTERM', 'ONBUILD RUN true']
      const args = [...changes.flatMap(c => ['--change', c]), '--message', 'hello <world>', '--arch', 'arm64', '--variant', 'v8']
      const id = expectId(env.ok(['import', ...args, bb, 'changed']))
      const cfg = JSON.parse(storedImage(env, id).config)
      expect(cfg.config).to.deep.equal({
        User: '1000:1000', ExposedPorts: {'80/udp': {}, '8080/tcp': {}}, Env: ['A=1', 'B 2='], Entrypoint: ['/bin/env'],
        Cmd: ['/bin/sh', '-c', '/bin/sh'], Volumes: {'/data': {}, '/x': {}, '/y': {}}, WorkingDir: '/w/sub', Labels: {a: 'b c'}, StopSignal: '15',
      })
      expect([cfg.architecture, cfg.variant, cfg.os, cfg.history[0].comment]).to.deep.equal(['arm64', 'v8', 'linux', 'hello <world>'])

      const gz = put('busybox.tar.gz', gzipSync(readFileSync(bb)))
      const gzId = expectId(env.ok(['import', '-q', gz]))
      const gzImg = storedImage(env, gzId)
      expect(gzImg.names).to.deep.equal([])
      expect(JSON.parse(gzImg.manifest).layers[0].mediaType).to.equal('application/vnd.oci.image.layer.v1.tar+gzip')

      const bad = env.run(['import', '--change', 'EXPOSE 80/sctp', bb])
      expect(bad.code).to.equal(125)
      expect(bad.stderr).to.equal('Error: invalid change "EXPOSE 80/sctp" - EXPOSE protocol must be TCP or UDP\n')

      if (!HAVE_PODMAN) return
      const p = podman()
      expect(p.run(['import', '-q', ...args, bb]).trim()).to.equal(id)
      expect(p.run(['import', '-q', gz]).trim()).to.equal(gzId)
    })

    it('imports from stdin', function () {
      const r = env.run(['import', '-', 'fromstdin'], {input: readFileSync(bb)})
      expect(r.code, r.stderr).to.equal(0)
      const img = storedImage(env, expectId(r.stdout))
      expect(img.names).to.deep.equal(['localhost/fromstdin:latest'])
      // created is "now" for stdin (Podman spools stdin into a new file).
      const created = Date.parse(JSON.parse(img.config).created)
      expect(Math.abs(Date.now() - created)).to.be.below(60_000)
    })

    it('loads a docker-archive Podman saved, keeping its image ID and digest', function () {
      requirePodman(this)
      const p = podman()
      const id = p.run(['import', '-q', '--change', 'CMD ["/bin/sh"]', bb, 'frompodman']).trim()
      const archive = path.join(p.dir, 'frompodman.tar')
      p.run(['save', '-o', archive, 'frompodman'])
      const p2 = podman()
      p2.run(['load', '-i', archive])
      const theirs = p2.inspect('frompodman')
      chmodSync(p.dir, 0o755)
      expect(env.ok(['load', '-i', archive])).to.equal('Loaded image: localhost/frompodman:latest\n')
      const img = storedImage(env, id)
      expect(img.names).to.deep.equal(['localhost/frompodman:latest'])
      expect(img.digest).to.equal(theirs.Digest)
      expect(img.manifestMediaType).to.equal('application/vnd.docker.distribution.manifest.v2+json')
    })

    it('saves and loads oci-archives, both ways with Podman', function () {
      const id = expectId(env.ok(['import', bb, 'oci']))
      const out = env.file('oci.tar')
      env.ok(['save', '--format', 'oci-archive', '-o', out, 'oci'])
      const index = JSON.parse(execFileSync('tar', ['-xOf', out, 'index.json'], {encoding: 'utf8'}))
      expect(index.manifests[0].annotations).to.deep.equal({'org.opencontainers.image.ref.name': 'localhost/oci:latest'})
      const manifestBlob = execFileSync('tar', ['-xOf', out, `blobs/sha256/${index.manifests[0].digest.slice(7)}`], {encoding: 'utf8'})
      expect(JSON.parse(manifestBlob).layers[0].mediaType).to.equal('application/vnd.oci.image.layer.v1.tar')

      // Saved by ID: no name; loading it reports the ID.
      const byId = env.file('oci-byid.tar')
      env.ok(['save', '--format', 'oci-archive', '-o', byId, id.slice(7, 19)])
      env.ok(['rmi', 'oci'])
      expect(env.ok(['load', '-i', byId])).to.equal(`Loaded image: ${id}\n`)
      expect(env.ok(['load', '-i', out])).to.equal('Loaded image: localhost/oci:latest\n')

      if (!HAVE_PODMAN) return
      const p = podman()
      expect(p.run(['load', '-i', out])).to.contain('Loaded image: localhost/oci:latest')
      expect(`sha256:${p.inspect('oci').Id}`).to.equal(id)
      // Podman compresses oci-archive layers (tar+gzip); loading keeps its manifest.
      const pid = p.run(['import', '-q', '--change', 'ENV X=1', bb, 'podmanoci']).trim()
      const theirs = path.join(p.dir, 'podman-oci.tar')
      p.run(['save', '--format', 'oci-archive', '-o', theirs, 'podmanoci'])
      chmodSync(p.dir, 0o755)
      expect(env.ok(['load', '-i', theirs])).to.equal('Loaded image: localhost/podmanoci:latest\n')
      const img = storedImage(env, pid)
      const theirIndex = JSON.parse(execFileSync('tar', ['-xOf', theirs, 'index.json'], {encoding: 'utf8'}))
      expect(img.digest).to.equal(theirIndex.manifests[0].digest)
      expect(JSON.parse(img.manifest).layers[0].mediaType).to.equal('application/vnd.oci.image.layer.v1.tar+gzip')
    })

    it("loads gzip'd archives and archives with gzip'd layers, from files and from stdin", function () {
      const plain = env.file('gz-src.tar')
      const id = dockerArchive(plain, {layers: [bb], tags: ['gzipped:1']})
      const gz = put('whole.tar.gz', gzipSync(readFileSync(plain)))
      expect(env.ok(['load', '-i', gz])).to.equal('Loaded image: docker.io/library/gzipped:1\n')
      env.ok(['rmi', id])
      expect(env.ok(['load'], {input: readFileSync(gz)})).to.equal('Loaded image: docker.io/library/gzipped:1\n')
      env.ok(['rmi', id])
      const gzLayers = env.file('gz-layers.tar')
      expect(dockerArchive(gzLayers, {layers: [bb], tags: ['localhost/gzlayers:latest'], gzipLayers: true})).to.equal(id)
      env.chown(gzLayers)
      expect(env.ok(['load', '-q', '-i', gzLayers])).to.equal('Loaded image: localhost/gzlayers:latest\n')
      expect(storedImage(env, id).layers).to.have.length(1)
      expect(listFiles(path.join(env.root, 'tmp'))).to.deep.equal([])
    })

    it('round-trips a multi-layer image and a multi-image archive with Podman', function () {
      const l2 = craftTar(env.file('l2.tar'), [
        {name: 'etc/', type: 'dir'}, {name: 'etc/motd', type: 'file', data: 'hello\n'}, {name: 'etc/.wh.group', type: 'file'},
      ])
      const l3 = craftTar(env.file('l3.tar'), [{name: 'srv/', type: 'dir'}, {name: 'srv/data', type: 'file', data: randomBytes(300000).toString('hex')}])
      const archive = env.file('multi.tar')
      const id = dockerArchive(archive, {layers: [bb, l2, l3], tags: ['localhost/multi:latest', 'localhost/multi:v2']})
      env.chown(archive)
      expect(env.ok(['load', '-i', archive])).to.equal('Loaded image: localhost/multi:latest\nLoaded image: localhost/multi:v2\n')
      const img = storedImage(env, id)
      expect(img.layers).to.have.length(3)
      expect(img.names).to.deep.equal(['localhost/multi:latest', 'localhost/multi:v2'])

      const saved = env.file('multi-saved.tar')
      env.ok(['save', '-o', saved, 'multi:v2'])
      const both = env.file('both.tar')
      // the full name: a short one that is also a prefix of the image's ID (1 in 256 runs: the fixture's mtime) means the ID
      env.ok(['save', '-m', '-o', both, 'multi', 'localhost/bb'])
      const manifest = JSON.parse(execFileSync('tar', ['-xOf', both, 'manifest.json'], {encoding: 'utf8'}))
      expect(manifest.map((m: {RepoTags: string[]}) => m.RepoTags)).to.deep.equal([['localhost/multi:latest'], ['localhost/bb:latest']])

      // Loading again after removing the image restores the layers.
      env.ok(['rmi', '-f', id])
      expect(env.ok(['load', '-i', saved])).to.equal('Loaded image: localhost/multi:v2\n')
      expect(storedImage(env, id).layers).to.deep.equal(img.layers)

      if (!HAVE_PODMAN) return
      const p = podman()
      expect(p.run(['load', '-i', saved])).to.contain('Loaded image: localhost/multi:v2')
      expect(p.inspect('multi:v2').Id).to.equal(id)
      const theirs = path.join(p.dir, 'theirs.tar')
      p.run(['save', '-o', theirs, 'multi:v2'])
      expect(sha256(readFileSync(theirs))).to.equal(sha256(readFileSync(saved)))
      const out = p.run(['load', '-i', both])
      expect(out).to.contain('Loaded image: localhost/multi:latest').and.contain('Loaded image: localhost/bb:latest')
    })

    it('saves to stdout and loads from stdin through a pipe', function () {
      const r = shell(env, '$PEAPOD save localhost/bb | $PEAPOD load && $PEAPOD save --format oci-archive localhost/bb | gzip | $PEAPOD load')
      expect(r.code, r.stderr).to.equal(0)
      expect(r.stdout).to.equal('Loaded image: localhost/bb:latest\nLoaded image: localhost/bb:latest\n')
      const compress = env.run(['save', '--compress', '-o', env.file('x.tar'), 'bb'])
      expect(compress.stderr).to.equal("Error: --compress can only be set when --format is 'docker-dir'\n")
      const multiOci = env.run(['save', '--format', 'oci-archive', '-m', '-o', env.file('x.tar'), 'bb', 'oci'])
      expect(multiOci.code).to.equal(125)
      expect(multiOci.stderr).to.equal('Error: unsupported format "oci-archive" for saving multiple images (only docker-archive)\n')
      const missing = env.run(['save', '-o', env.file('x.tar'), 'nosuchimage'])
      expect([missing.code, missing.stderr]).to.deep.equal([125, 'Error: nosuchimage: image not known\n'])
      expect(existsSync(env.file('x.tar'))).to.equal(false)
    })
  })

  describe(`bad image archives (${mode})`, function () {
    let env: Env
    let bb: string
    let good: string

    before(function () {
      const why = unavailable(mode)
      if (why) this.skip()
      env = new Env(mode)
      bb = env.file('busybox.tar')
      copyFileSync(busyboxTar(), bb)
      env.chown(bb)
      good = env.file('good.tar')
      dockerArchive(good, {layers: [bb], tags: ['localhost/good:latest']})
      env.chown(good)
      // A store in use: something loaded already.
      env.ok(['import', bb, 'base'])
    })
    after(() => env?.cleanup())

    /** Loads `file`: it must fail with exit 125, one `Error:` line, and leave the store as it was. */
    function loadFails(file: string, message: RegExp): void {
      env.chown(file)
      const before = listFiles(env.root)
      const r = env.run(['load', '-i', file])
      expect(r.code, r.stderr).to.equal(125)
      expect(r.stdout).to.equal('')
      expect(r.stderr).to.match(/^Error: [^\n]+\n$/)
      expect(r.stderr).to.match(message)
      expect(listFiles(env.root)).to.deep.equal(before)
      expect(listFiles(path.join(env.root, 'tmp'))).to.deep.equal([])
    }

    it('rejects a truncated archive', function () {
      const data = readFileSync(good)
      writeFileSync(env.file('truncated.tar'), data.subarray(0, Math.floor(data.length / 2)))
      loadFails(env.file('truncated.tar'), /payload does not match any of the supported image formats: unexpected EOF/)
      writeFileSync(env.file('truncated.tar.gz'), gzipSync(data).subarray(0, 50000))
      loadFails(env.file('truncated.tar.gz'), /payload does not match any of the supported image formats/)
    })

    it('rejects a garbage file and an empty one', function () {
      writeFileSync(env.file('garbage'), randomBytes(10000))
      loadFails(env.file('garbage'), /^Error: payload does not match any of the supported image formats: archive\/tar: invalid tar header\n$/)
      writeFileSync(env.file('empty'), '')
      loadFails(env.file('empty'), /payload does not match any of the supported image formats/)
      const r = env.run(['load'], {input: randomBytes(3000)})
      expect([r.code, r.stderr]).to.deep.equal([125, 'Error: payload does not match any of the supported image formats: archive/tar: invalid tar header\n'])
    })

    it('rejects an archive with a ../ member', function () {
      const f = env.file('dotdot-member.tar')
      dockerArchive(f, {layers: [bb], tags: ['localhost/evil:latest'], extra: {'../../evil-member': 'x'}})
      loadFails(f, /outside of the archive/)
    })

    it('rejects a layer with a ../ member without writing outside', function () {
      const name = `peapod-escape-${randomBytes(4).toString('hex')}`
      const layer = craftTar(env.file('dotdot-layer.tar'), [{name: `${'../'.repeat(12)}${name}`, type: 'file', data: 'x'}])
      const f = env.file('dotdot-layer-archive.tar')
      dockerArchive(f, {layers: [bb, layer], tags: ['localhost/evil:latest']})
      loadFails(f, /escape|outside/)
      expect(existsSync(`/${name}`)).to.equal(false)
      expect(existsSync(path.join(env.root, name))).to.equal(false)
    })

    it('keeps a write through an absolute symlink inside the layer', function () {
      const target = mkdtempSync(path.join(os.tmpdir(), 'peapod-escape-target-'))
      chmodSync(target, 0o1777)
      try {
        const layer = craftTar(env.file('symlink-layer.tar'), [
          {name: 'evil', type: 'symlink', target}, {name: 'evil/pwned', type: 'file', data: 'x'},
        ])
        const f = env.file('symlink-archive.tar')
        dockerArchive(f, {layers: [bb, layer], tags: ['localhost/symlink:latest']})
        env.chown(f)
        const before = listFiles(env.root)
        const r = env.run(['load', '-i', f])
        // Whether it fails (as Podman 4.3.1: "open /evil/pwned: no such file or directory")
        // or resolves the symlink inside the rootfs, nothing may land on the host.
        expect(readdirSync(target)).to.deep.equal([])
        if (r.code !== 0) {
          expect(r.code).to.equal(125)
          expect(r.stderr).to.match(/^Error: [^\n]+\n$/)
          expect(listFiles(env.root)).to.deep.equal(before)
        } else {
          expect(r.stdout).to.equal('Loaded image: localhost/symlink:latest\n')
          env.ok(['rmi', 'symlink'])
        }
      } finally {
        rmSync(target, {recursive: true, force: true})
      }
    })

    it('rejects a hardlink pointing outside the layer', function () {
      const layer = craftTar(env.file('hardlink-layer.tar'), [{name: 'evil', type: 'link', target: '../../../../../../etc/passwd'}])
      const f = env.file('hardlink-archive.tar')
      dockerArchive(f, {layers: [bb, layer], tags: ['localhost/hardlink:latest']})
      loadFails(f, /hardlink/)
    })

    it('rejects a layer whose diff ID does not match the config', function () {
      const f = env.file('mismatch.tar')
      const wrong = `sha256:${'ab'.repeat(32)}`
      dockerArchive(f, {layers: [bb], diffIds: [wrong], tags: ['localhost/mismatch:latest']})
      loadFails(f, /^Error: layer digest mismatch: .*sha256:abab/)
    })

    it('rejects configs that are not JSON or have no rootfs', function () {
      const f = env.file('badconfig.tar')
      dockerArchive(f, {layers: [bb], rawConfig: '{"architecture": "amd64", "os": ', tags: ['localhost/bad:latest']})
      loadFails(f, /image config is not valid JSON/)
      dockerArchive(f, {layers: [bb], rawConfig: '{"architecture":"amd64","os":"linux"}', tags: ['localhost/bad:latest']})
      loadFails(f, /image config has no rootfs.diff_ids/)
    })

    it('rejects a bad import without leaving anything behind', function () {
      const f = env.file('garbage-rootfs')
      writeFileSync(f, randomBytes(10000))
      env.chown(f)
      const before = listFiles(env.root)
      const r = env.run(['import', f, 'garbage'])
      expect(r.code).to.equal(125)
      expect(r.stderr).to.match(/^Error: [^\n]+\n$/)
      expect(listFiles(env.root)).to.deep.equal(before)
      expect(statSync(good).size).to.be.above(0)
    })
  })
}
