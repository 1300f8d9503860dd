// `build`: COPY --link (a layer of the copied files alone), --jobs
// (independent stages at once) and --cache-to/--cache-from (the layer cache
// in a registry), root and rootless. The stages of the --jobs build wait on
// each other's file in a shared volume (a bounded loop): they can only both
// finish when they run at the same time.
import {expect} from 'chai'
import {execFileSync, spawnSync} from 'node:child_process'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {Env, unavailable, type Mode} from './helpers.js'
import {busyboxTar} from './fixtures.js'
import {RegistryServer} from './registry-server.js'

const HAVE_REGISTRY = spawnSync('docker-registry', ['--version']).status === 0

for (const mode of ['root', 'rootless'] as Mode[]) {
  describe(`build --link, --jobs, --cache-to/--cache-from (${mode})`, function () {
    this.timeout(180000)
    let env: Env
    let n = 0

    function context(e: Env, files: Record<string, string>): string {
      const dir = e.file(`ctx${++n}`)
      mkdirSync(dir, {recursive: true})
      for (const [f, content] of Object.entries(files)) writeFileSync(path.join(dir, f), content)
      e.chown(dir)
      return dir
    }

    function shared(e: Env, name: string): string {
      const dir = e.file(name)
      mkdirSync(dir)
      e.chown(dir)
      return dir
    }

    function inspect(e: Env, ref: string): Record<string, any> {
      return (JSON.parse(e.ok(['image', 'inspect', ref])) as Array<Record<string, any>>)[0]
    }

    /** The paths in the image's top layer (from `save`'s docker archive). */
    function topLayer(ref: string): string[] {
      const tar = env.file(`save${++n}.tar`)
      env.ok(['save', '-o', tar, ref])
      const manifest = JSON.parse(execFileSync('tar', ['-xOf', tar, 'manifest.json'], {encoding: 'utf8'})) as Array<{Layers: string[]}>
      const layer = manifest[0].Layers[manifest[0].Layers.length - 1]
      const blob = execFileSync('tar', ['-xOf', tar, layer], {maxBuffer: 1 << 26})
      return execFileSync('tar', ['-t'], {input: blob, encoding: 'utf8'}).split('\n').filter(Boolean).map(p => p.replace(/^\.\//, '')).sort()
    }

    before(function () {
      if (unavailable(mode)) this.skip()
      env = new Env(mode)
      env.ok(['import', busyboxTar(), 'busybox'])
    })

    after(function () {
      env?.cleanup()
    })

    it('COPY --link: the layer holds only the copied files, the same over any parent; the filesystem is the one without --link', () => {
      const file = (base: string, link: string) => `FROM busybox\nRUN ${base} && echo p > /d/p\nCOPY ${link} f /d/f\nCOPY ${link} --chown=nobody --chmod=640 f /d/g\n`
      const build = (cf: string, tag: string) => {
        const dir = context(env, {Containerfile: cf, f: 'linked\n'})
        env.ok(['build', '-q', '--timestamp', '0', '-t', tag, dir])
        return inspect(env, tag).RootFS.Layers as string[]
      }
      const l700 = build(file('mkdir -m 700 /d', '--link'), 'l700')
      const l755 = build(file('mkdir -m 755 /d', '--link'), 'l755')
      // the parents differ; the --link layers do not
      expect(l700[l700.length - 3]).to.not.equal(l755[l755.length - 3])
      expect(l700.slice(-2)).to.deep.equal(l755.slice(-2))
      expect(topLayer('l700')).to.deep.equal(['d/', 'd/g'])
      // without --link the copied-up directory is the parent's: the layers differ
      const p700 = build(file('mkdir -m 700 /d', ''), 'p700')
      const p755 = build(file('mkdir -m 755 /d', ''), 'p755')
      expect(p700[p700.length - 2]).to.not.equal(p755[p755.length - 2])
      // what the container sees: the parent's files, the copies, the owner by name from the parent's /etc/passwd
      const seen = env.ok(['run', '--rm', 'l755', 'sh', '-c', 'cat /d/p /d/f; stat -c "%U %a" /d/g'])
      expect(seen).to.equal('p\nlinked\nnobody 640\n')
      // without --timestamp: the layer made once is applied again over another parent (buildah's --link cache), its diff ID with it
      const dir2 = context(env, {A: file('mkdir -m 700 /d', '--link'), B: file('mkdir -p /d && touch /d/q', '--link'), f: 'again\n'})
      env.ok(['build', '-q', '-f', path.join(dir2, 'A'), '-t', 'ra', dir2])
      env.ok(['build', '-q', '-f', path.join(dir2, 'B'), '-t', 'rb', dir2])
      const ra = inspect(env, 'ra').RootFS.Layers as string[]
      const rb = inspect(env, 'rb').RootFS.Layers as string[]
      expect(ra[ra.length - 3]).to.not.equal(rb[rb.length - 3])
      expect(ra.slice(-2)).to.deep.equal(rb.slice(-2))
      expect(env.ok(['run', '--rm', 'rb', 'sh', '-c', 'ls /d; cat /d/f'])).to.equal('f\ng\np\nq\nagain\n')
      // ADD --link: a local archive unpacked into the layer of its own
      const dir3 = context(env, {Containerfile: 'FROM busybox\nADD --link t.tar /x/\n', 'in.txt': 'unpacked\n'})
      execFileSync('tar', ['-cf', path.join(dir3, 't.tar'), '-C', dir3, 'in.txt'])
      env.chown(path.join(dir3, 't.tar'))
      env.ok(['build', '-q', '-t', 'addlink', dir3])
      expect(topLayer('addlink')).to.deep.equal(['x/', 'x/in.txt'])
      expect(env.ok(['run', '--rm', 'addlink', 'cat', '/x/in.txt'])).to.equal('unpacked\n')
      // --link=false is the plain COPY; a bad value is refused
      const dir = context(env, {Containerfile: 'FROM busybox\nCOPY --link=maybe f /f\n', f: 'x'})
      const r = env.run(['build', dir])
      expect(r.code).to.equal(125)
      expect(r.stderr).to.match(/^Error: .*Containerfile:2: invalid value for --link: "maybe"\n$/m)
    })

    it('--jobs 2 builds independent stages at once (each waits for the other\'s file); --jobs 1 one after the other', () => {
      const wait = (me: string, other: string) => `RUN touch /shared/${me}-$N; i=0; while [ ! -f /shared/${other}-$N ] && [ $i -lt $N ]; do sleep 0.1; i=$((i+1)); done; test -f /shared/${other}-$N && echo ${me} > /${me}`
      const cf = `FROM busybox AS a\nARG N\n${wait('a', 'b')}\nFROM busybox AS b\nARG N\n${wait('b', 'a')}\nFROM busybox\nCOPY --from=a /a /a\nCOPY --from=b /b /b\nCMD cat /a /b\n`
      const dir = context(env, {Containerfile: cf})
      const vol = shared(env, 'jobs')
      env.ok(['build', '-q', '--jobs', '2', '--build-arg', 'N=900', '-v', `${vol}:/shared`, '-t', 'par', dir])
      expect(env.ok(['run', '--rm', 'par'])).to.equal('a\nb\n')
      // the default (1): stage a gives up waiting for stage b, which has not started
      const r = env.run(['build', '-q', '--build-arg', 'N=5', '-v', `${vol}:/shared`, dir])
      expect(r.code).to.equal(1)
      expect(r.stderr).to.include('exit status 1')
      expect(execFileSync('ls', [vol], {encoding: 'utf8'}).split('\n')).to.include('a-5').and.not.include('b-5')
      if (mode === 'root') {
        // 0: no limit
        env.ok(['build', '-q', '--jobs', '0', '--build-arg', 'N=901', '-v', `${vol}:/shared`, dir])
      }
      const bad = env.run(['build', '--jobs', '-1', dir])
      expect(bad.code).to.equal(125)
      expect(bad.stderr).to.equal('Error: building: invalid value for jobs.  It must be a positive integer\n')
    })

    it('--cache-to pushes each step to a registry; --cache-from in a fresh store pulls them and runs nothing again', async function () {
      if (!HAVE_REGISTRY) this.skip()
      const reg = await RegistryServer.start()
      const other = new Env(mode)
      try {
        const cf = 'FROM busybox\nRUN echo ran >> /m/runs; echo built > /built\nCOPY f /f\nENV X=1\n'
        const dir = context(env, {Containerfile: cf, f: 'file\n'})
        const marks = shared(env, 'marks')
        const repo = `${reg.host}/cache/app`
        const first = env.ok(['build', '-q', '--tls-verify=false', '--cache-to', repo, '-v', `${marks}:/m`, '-t', 'cached', dir]).trim()
        expect(readFileSync(path.join(marks, 'runs'), 'utf8')).to.equal('ran\n')
        const tags = JSON.parse(execFileSync('curl', ['-sf', `http://${reg.host}/v2/cache/app/tags/list`], {encoding: 'utf8'})) as {tags: string[]}
        expect(tags.tags).to.have.length(3)
        for (const t of tags.tags) expect(t).to.match(/^[0-9a-f]{64}$/)
        // a step found in the local cache is pushed too: another repository gets all three
        env.ok(['build', '-q', '--tls-verify=false', '--cache-to', `${reg.host}/cache/again`, '-v', `${marks}:/m`, dir])
        expect((JSON.parse(execFileSync('curl', ['-sf', `http://${reg.host}/v2/cache/again/tags/list`], {encoding: 'utf8'})) as {tags: string[]}).tags.sort()).to.deep.equal(tags.tags.sort())
        // the fresh store gets the same base image (save/load keeps its ID)
        const base = env.file('base.tar')
        env.ok(['save', '-o', base, 'busybox'])
        other.ok(['load', '-i', base])
        const dir2 = context(other, {Containerfile: cf, f: 'file\n'})
        const out = other.ok(['build', '--tls-verify=false', '--cache-from', repo, '-v', `${marks}:/m`, '-t', 'cached', dir2])
        expect(out.match(/--> Using cache/g)).to.have.length(3)
        expect(readFileSync(path.join(marks, 'runs'), 'utf8')).to.equal('ran\n')
        expect(out.trim().split('\n').pop()).to.equal(first)
        expect(other.ok(['run', '--rm', 'cached', 'cat', '/built', '/f'])).to.equal('built\nfile\n')
        // the pulled steps carry no cache tags
        expect(other.ok(['images', '--format', '{{.Repository}}'])).to.not.include('cache/app')
        // bad repositories: Podman's messages
        for (const [flag, v, msg] of [
          ['--cache-to', 'a b', 'Error: unable to parse value provided `a b` to --cache-to: invalid repo "a b": must contain registry and repository: invalid reference format\n'],
          ['--cache-from', 'BAD::x', 'Error: unable to parse value provided `` to --cache-from: invalid repo "BAD::x": must contain registry and repository: invalid reference format: repository name must be lowercase\n'],
        ]) {
          const r = other.run(['build', flag, v, dir2])
          expect(r.code).to.equal(125)
          expect(r.stderr).to.equal(msg)
        }
      } finally {
        other.cleanup()
        await reg.stop()
      }
    })
  })
}
