// `build` end to end, as root and as the rootless test user: a multi-stage
// Containerfile (COPY --from, heredocs, ARG/ENV expansion, .containerignore,
// --target), the layer cache (a changed file re-runs from its COPY on), RUN
// mounts and secrets, stdin forms, and bad input refused with one line naming
// the file and line, nothing left behind. Output and config as Podman 4.3.1.
import {expect} from 'chai'
import {execFileSync, spawnSync} from 'node:child_process'
import {mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {createHash} from 'node:crypto'
import {createServer} from 'node:http'
import type {AddressInfo} from 'node:net'
import {Containers, Env, expectError, listFiles, processes, unavailable, waitUntil, type Mode} from './helpers.js'
import {busyboxTar} from './fixtures.js'

const MULTI = `# a comment
ARG BASE=busybox
FROM \${BASE} AS builder
ARG GREETING=hello
ENV TARGET=world \\
    DIR=/build
WORKDIR $DIR
COPY app/ ./src/
RUN <<EOF
set -e
echo "\${GREETING} \${TARGET}" > out.txt
ls src | sort > files.txt
EOF
FROM busybox AS extra
RUN echo extra > /extra.txt

FROM busybox
LABEL org.example.stage=final
COPY --from=builder /build/out.txt /build/files.txt /app/
COPY <<EOT /app/note.txt
made by \${HOSTNAME:-peapod}
EOT
ENV PATH=/app/bin:$PATH
CMD ["cat", "/app/out.txt"]
`

for (const mode of ['root', 'rootless'] as Mode[]) {
  describe(`build (${mode})`, function () {
    this.timeout(120000)
    let env: Env
    let ct: Containers
    let n = 0

    /** A new context directory with files (paths → contents), owned by the suite's user. */
    function context(files: Record<string, string>): string {
      const dir = env.file(`ctx${++n}`)
      for (const [f, content] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(dir, f)), {recursive: true})
        writeFileSync(path.join(dir, f), content)
      }
      mkdirSync(dir, {recursive: true})
      env.chown(dir)
      return dir
    }

    before(function () {
      if (unavailable(mode)) this.skip()
      env = new Env(mode)
      ct = new Containers(env)
      env.ok(['import', busyboxTar(), 'busybox'])
    })

    after(function () {
      env?.cleanup()
    })

    afterEach(async function () {
      if (ct) await ct.settled()
    })

    it('builds a multi-stage Containerfile that runs, with Podman\'s output and config', function () {
      const dir = context({
        Containerfile: MULTI,
        'app/a.txt': 'a\n',
        'app/b.txt': 'b\n',
        'app/secret.key': 'do not ship\n',
        '.containerignore': '**/*.key\n',
      })
      const r = env.run(['build', '-t', 'multi', dir])
      expect(r.code, r.stderr).to.equal(0)
      const lines = r.stdout.trim().split('\n')
      expect(lines[0]).to.equal('[1/3] STEP 1/6: FROM busybox AS builder')
      expect(r.stdout).to.contain('[1/3] STEP 4/6: WORKDIR $DIR\n--> ')
      // the target does not need the "extra" stage: it is skipped
      expect(r.stdout).not.to.contain('extra.txt')
      expect(r.stdout).to.match(/\[3\/3\] STEP 1\/6: FROM busybox\n/)
      expect(r.stdout).to.match(/\[3\/3\] COMMIT multi\n--> [0-9a-f]{11}\nSuccessfully tagged localhost\/multi:latest\n[0-9a-f]{64}\n$/)
      const id = lines[lines.length - 1]
      expect(env.ok(['run', '--rm', 'multi']).trim()).to.equal('hello world')
      expect(env.ok(['run', '--rm', 'multi', 'cat', '/app/files.txt']).trim().split('\n')).to.deep.equal(['a.txt', 'b.txt'])
      expect(env.ok(['run', '--rm', 'multi', 'cat', '/app/note.txt']).trim()).to.equal('made by peapod')
      const [img] = JSON.parse(env.ok(['image', 'inspect', 'multi'])) as Array<Record<string, any>>
      expect(img.Id).to.equal(id)
      expect(img.Config.Env).to.deep.equal(['PATH=/app/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'])
      expect(img.Config.Cmd).to.deep.equal(['cat', '/app/out.txt'])
      expect(img.Config.Labels).to.include({'org.example.stage': 'final'})
      expect(img.Annotations).to.include({'org.opencontainers.image.base.name': 'localhost/busybox:latest'})
      const hist = (img.History as Array<Record<string, unknown>>).slice(1)
      expect(hist[0]).to.include({created_by: '/bin/sh -c #(nop) LABEL org.example.stage=final', comment: 'FROM localhost/busybox:latest', empty_layer: true})
      expect(hist[1].created_by).to.match(/^\/bin\/sh -c #\(nop\) COPY multi:[0-9a-f]{64} in \/app\/ $/)
      expect(hist[1].comment).to.match(/^FROM [0-9a-f]{12}$/)
      expect(img.RootFS.Layers).to.have.length(3)
      // --target builds the named stage only; the ignored key never reached it
      const t = env.run(['build', '--target', 'builder', '-t', 'stage1', dir])
      expect(t.code, t.stderr).to.equal(0)
      expect(t.stdout).to.contain('Using cache')
      expect(env.ok(['run', '--rm', 'stage1', 'ls', '/build/src']).trim().split('\n')).to.deep.equal(['a.txt', 'b.txt'])
      const [s1] = JSON.parse(env.ok(['image', 'inspect', 'stage1'])) as Array<Record<string, any>>
      expect(s1.Config.WorkingDir).to.equal('/build')
      expect(s1.Config.Env).to.include.members(['TARGET=world', 'DIR=/build'])
      const runStep = (s1.History as Array<Record<string, string>>).find(h => h.created_by.startsWith('|'))
      expect(runStep?.created_by).to.match(/^\|1 GREETING=hello \/bin\/sh -c <<EOF\n/)
    })

    it('writes the image config and history Podman writes for the same Containerfile', function () {
      if (mode !== 'root' || spawnSync('podman', ['--version']).status !== 0) this.skip()
      const dir = context({
        Containerfile: 'FROM busybox\nARG V=1\nENV A=1 B="x y"\nWORKDIR /w\nRUN echo $V > v\nCOPY f.txt ./\nLABEL k=v\nEXPOSE 80 53/udp\nVOLUME /data\n' +
          'USER 1:2\nSTOPSIGNAL SIGINT\nENTRYPOINT ["/bin/sh", "-c"]\nCMD echo hi\nMAINTAINER someone\n',
        'f.txt': 'f\n',
      })
      const pm = ['--root', env.file('podman-root'), '--runroot', env.file('podman-run'), '--storage-driver', 'vfs', '--runtime', 'runc']
      execFileSync('podman', [...pm, 'import', busyboxTar(), 'busybox'], {stdio: 'ignore'})
      execFileSync('podman', [...pm, 'build', '-q', '-t', 'same', dir], {stdio: 'ignore'})
      const theirs = (JSON.parse(execFileSync('podman', [...pm, 'image', 'inspect', 'same'], {encoding: 'utf8'})) as Array<Record<string, any>>)[0]
      execFileSync('podman', [...pm, 'rmi', '-a', '-f'], {stdio: 'ignore'})
      env.ok(['build', '-q', '-t', 'same', dir])
      const ours = (JSON.parse(env.ok(['image', 'inspect', 'same'])) as Array<Record<string, any>>)[0]
      const provenance = (labels: Record<string, string>) => Object.fromEntries(Object.entries(labels).filter(([k]) => !/^io\.(buildah|peapod)\.version$/.test(k)))
      expect({...ours.Config, Labels: provenance(ours.Config.Labels)}).to.deep.equal({...theirs.Config, Labels: provenance(theirs.Config.Labels)})
      for (const k of ['Author', 'Architecture', 'Os', 'ManifestType']) expect(ours[k], k).to.deep.equal(theirs[k])
      expect(ours.RootFS.Layers).to.have.length(theirs.RootFS.Layers.length)
      const steps = (img: Record<string, any>) => (img.History as Array<Record<string, unknown>>).map(h => ({
        created_by: String(h.created_by).replace(/(file|dir|multi):[0-9a-f]{64}/, '$1:DIGEST'),
        comment: String(h.comment ?? '').replace(/^FROM [0-9a-f]{12}$/, 'FROM ID'),
        author: h.author, empty_layer: h.empty_layer,
      }))
      expect(steps(ours)).to.deep.equal(steps(theirs))
    })

    it('caches steps and re-runs from the step whose source changed', function () {
      const dir = context({
        Containerfile: 'FROM busybox\nARG N=1\nRUN echo first-$N >> /log\nCOPY f.txt /f.txt\nRUN echo second >> /log; cat /f.txt >> /log\n',
        'f.txt': 'one\n',
      })
      const first = env.run(['build', '-t', 'cached', dir])
      expect(first.code, first.stderr).to.equal(0)
      expect(first.stdout).not.to.contain('Using cache')
      const again = env.run(['build', '-t', 'cached', dir])
      expect(again.code, again.stderr).to.equal(0)
      expect(again.stdout.match(/Using cache/g)).to.have.length(4)
      expect(again.stdout.trim().split('\n').pop()).to.equal(first.stdout.trim().split('\n').pop())
      writeFileSync(path.join(dir, 'f.txt'), 'two\n')
      const changed = env.run(['build', '-t', 'cached', dir])
      expect(changed.code, changed.stderr).to.equal(0)
      // ARG and the first RUN come from the cache, COPY and the last RUN run again
      expect(changed.stdout).to.match(/STEP 3\/5: RUN echo first-\$N >> \/log\n--> Using cache/)
      expect(changed.stdout).to.match(/STEP 4\/5: COPY f.txt \/f.txt\n--> [0-9a-f]{11}\n/)
      expect(env.ok(['run', '--rm', 'cached', 'cat', '/log'])).to.equal('first-1\nsecond\ntwo\n')
      // a build arg the step uses is part of its key
      const arg = env.run(['build', '--build-arg', 'N=2', '-t', 'cached2', dir])
      expect(arg.code, arg.stderr).to.equal(0)
      expect(arg.stdout).to.match(/STEP 3\/5: RUN echo first-\$N >> \/log\n--> [0-9a-f]{11}\n/)
      expect(env.ok(['run', '--rm', 'cached2', 'cat', '/log'])).to.equal('first-2\nsecond\ntwo\n')
      // --no-cache runs everything
      const nc = env.run(['build', '--no-cache', '-q', dir])
      expect(nc.code, nc.stderr).to.equal(0)
      expect(nc.stdout).to.match(/^[0-9a-f]{64}\n$/)
    })

    it('fails a RUN with its exit code and Podman\'s message, leaving nothing behind', function () {
      const dir = context({Containerfile: 'FROM busybox\nRUN echo before\nRUN exit 7\n'})
      const r = env.run(['build', dir])
      expect(r.code, r.stderr).to.equal(7)
      expect(r.stderr.trim()).to.equal('Error: building at STEP "RUN exit 7": while running runtime: exit status 7')
      expect(r.stdout).to.contain('before\n')
      expect(env.ok(['ps', '-a', '-q'])).to.equal('')
    })

    it('leaves nothing behind when interrupted with SIGINT during a RUN', async function () {
      const dir = context({Containerfile: 'FROM busybox\nRUN echo started; sleep 1000\n'})
      const p = env.spawn(['build', dir])
      let out = ''
      p.stdout!.on('data', d => { out += d })
      const closed = new Promise<number | null>(resolve => p.on('close', code => resolve(code)))
      await waitUntil('the RUN step to start', () => out.includes('started'))
      // as a terminal's ^C: every peapod process of this build (the rootless launcher and its child in the namespace)
      for (const proc of processes()) if (proc.cmdline.includes('bin/run.') && proc.cmdline.includes(dir)) process.kill(proc.pid, 'SIGINT')
      expect(await closed).to.equal(130)
      await ct.settled()
      expect(env.ok(['ps', '-a', '-q'])).to.equal('')
      expect(listFiles(path.join(env.root, 'tmp'))).to.deep.equal([])
    })

    it('gives RUN its mounts: a secret only during the step, a cache shared between builds, a bind of the context', function () {
      const secret = env.file(`secret${n}`)
      writeFileSync(secret, 'hunter2\n')
      env.chown(secret)
      const dir = context({
        Containerfile: 'FROM busybox\n' +
          'RUN --mount=type=secret,id=tok cat /run/secrets/tok > /seen.txt\n' +
          'RUN --mount=type=cache,target=/cache echo run >> /cache/count; wc -l < /cache/count > /count.txt\n' +
          'RUN --mount=type=bind,source=data,target=/data cat /data/d.txt > /d.txt\n' +
          'RUN --mount=type=tmpfs,target=/scratch touch /scratch/x && ls /scratch > /tmpfs.txt\n',
        'data/d.txt': 'bound\n',
      })
      const r = env.run(['build', '--secret', `id=tok,src=${secret}`, '-t', 'mounts', dir])
      expect(r.code, r.stderr).to.equal(0)
      expect(env.ok(['run', '--rm', 'mounts', 'cat', '/seen.txt', '/count.txt', '/d.txt', '/tmpfs.txt'])).to.equal('hunter2\n1\nbound\nx\n')
      // the secret and the mount points are in no layer
      expect(env.run(['run', '--rm', 'mounts', 'ls', '/run/secrets']).code).to.not.equal(0)
      expect(env.run(['run', '--rm', 'mounts', 'ls', '/cache', '/data', '/scratch']).stdout).to.equal('')
      const saved = env.file(`mounts${n}.tar`)
      env.ok(['save', '-o', saved, 'mounts'])
      expect(execFileSync('sh', ['-c', `mkdir -p ${saved}.d && tar -xf ${saved} -C ${saved}.d && for f in $(find ${saved}.d -type f); do tar -xOf $f 2>/dev/null; done | grep -c hunter2 || true`], {encoding: 'utf8'}).trim()).to.equal('1') // only /seen.txt, which the step wrote
      rmSync(`${saved}.d`, {recursive: true, force: true})
      // the cache mount keeps its content for the next build (of a changed step)
      writeFileSync(path.join(dir, 'Containerfile'), readFileSync(path.join(dir, 'Containerfile'), 'utf8').replace('echo run', 'echo run2'))
      env.ok(['build', '--secret', `id=tok,src=${secret}`, '-t', 'mounts2', dir])
      expect(env.ok(['run', '--rm', 'mounts2', 'cat', '/count.txt']).trim()).to.equal('2')
    })

    it('reads the Containerfile or the whole context from stdin; -q, --iidfile, --format docker, --label', function () {
      const dir = context({'x.txt': 'x\n'})
      const iid = env.file(`iid${n}`)
      const r = env.run(['build', '-q', '--iidfile', iid, '--format', 'docker', '--label', 'k=v', '-f', '-', dir], {
        input: 'FROM busybox\nCOPY x.txt /\nHEALTHCHECK --interval=5s CMD true\nSHELL ["/bin/sh", "-ec"]\n',
      })
      expect(r.code, r.stderr).to.equal(0)
      expect(r.stdout).to.match(/^[0-9a-f]{64}\n$/)
      expect(readFileSync(iid, 'utf8')).to.equal(`sha256:${r.stdout.trim()}`)
      const [img] = JSON.parse(env.ok(['image', 'inspect', r.stdout.trim()])) as Array<Record<string, any>>
      expect(img.ManifestType).to.equal('application/vnd.docker.distribution.manifest.v2+json')
      expect(img.Config.Labels).to.include({k: 'v'})
      expect(img.Healthcheck ?? img.Config.Healthcheck).to.deep.include({Test: ['CMD-SHELL', 'true']})
      // the context as a tar on stdin
      const tarDir = context({Dockerfile: 'FROM busybox\nCOPY y.txt /y.txt\n', 'y.txt': 'from tar\n'})
      const tar = execFileSync('tar', ['-C', tarDir, '-cf', '-', '.'])
      const s = env.run(['build', '-t', 'fromtar', '-'], {input: tar})
      expect(s.code, s.stderr).to.equal(0)
      expect(env.ok(['run', '--rm', 'fromtar', 'cat', '/y.txt'])).to.equal('from tar\n')
    })

    it('--layers=false keeps only the result; image build and buildx build are the same command', function () {
      const dir = context({Containerfile: 'FROM busybox\nRUN echo one > /one\nENV X=1\nRUN echo two > /two\n'})
      const before = env.ok(['images', '-a', '-q']).trim().split('\n').length
      const r = env.run(['image', 'build', '--layers=false', '-t', 'nolayers', dir])
      expect(r.code, r.stderr).to.equal(0)
      expect(env.ok(['images', '-a', '-q']).trim().split('\n')).to.have.length(before + 1)
      expect(env.ok(['run', '--rm', 'nolayers', 'cat', '/one', '/two'])).to.equal('one\ntwo\n')
      const again = env.run(['buildx', 'build', '--layers=false', '-t', 'nolayers', dir])
      expect(again.code, again.stderr).to.equal(0)
      expect(again.stdout).not.to.contain('Using cache')
    })

    it('--rm=false and --force-rm=false keep the step containers; --annotation, --network=none, --ignorefile', function () {
      const dir = context({Containerfile: 'FROM busybox\nRUN ip -o link | wc -l > /links\nCOPY . /ctx/\n', 'keep.txt': 'k\n', 'drop.txt': 'd\n', 'my.ignore': 'drop.txt\nmy.ignore\nContainerfile\n'})
      const r = env.run(['build', '--rm=false', '--network=none', '--annotation', 'org.example.a=b', '--ignorefile', path.join(dir, 'my.ignore'), '-t', 'flags', dir])
      expect(r.code, r.stderr).to.equal(0)
      expect(env.ok(['ps', '-a', '-q']).trim().split('\n')).to.have.length(2) // the RUN and COPY steps' containers
      env.ok(['rm', '-a', '-f', '-t', '0'])
      expect(env.ok(['run', '--rm', 'flags', 'cat', '/links']).trim()).to.equal('1') // only lo
      expect(env.ok(['run', '--rm', 'flags', 'ls', '/ctx']).trim()).to.equal('keep.txt')
      const [img] = JSON.parse(env.ok(['image', 'inspect', 'flags'])) as Array<Record<string, any>>
      expect(img.Annotations).to.include({'org.example.a': 'b'})
      const bad = context({Containerfile: 'FROM busybox\nRUN exit 4\n'})
      expect(env.run(['build', '--force-rm=false', bad]).code).to.equal(4)
      expect(env.ok(['ps', '-a', '-q']).trim().split('\n')).to.have.length(1)
      env.ok(['rm', '-a', '-f', '-t', '0'])
    })

    it('runs the ONBUILD triggers of a docker-format base in the child build', function () {
      const base = context({Containerfile: 'FROM busybox\nONBUILD RUN echo triggered > /t\n'})
      const b = env.run(['build', '--format', 'docker', '-t', 'onbase', base])
      expect(b.code, b.stderr).to.equal(0)
      const [img] = JSON.parse(env.ok(['image', 'inspect', 'onbase'])) as Array<Record<string, any>>
      expect(img.Config.OnBuild).to.deep.equal(['RUN echo triggered > /t'])
      const child = context({Containerfile: 'FROM onbase\nRUN cat /t > /t2\n'})
      const c = env.run(['build', '--format', 'docker', '-t', 'onchild', child])
      expect(c.code, c.stderr).to.equal(0)
      expect(env.ok(['run', '--rm', 'onchild', 'cat', '/t2'])).to.equal('triggered\n')
      const [ci] = JSON.parse(env.ok(['image', 'inspect', 'onchild'])) as Array<Record<string, any>>
      expect(ci.Config.OnBuild ?? null).to.equal(null)
    })

    it('--timestamp gives the same image ID for the same context, built twice without the cache', function () {
      const dir = context({Containerfile: 'FROM busybox\nCOPY f.txt /f.txt\nRUN mkdir -p /made && echo x > /made/x\nENV A=1\n', 'f.txt': 'f\n'})
      const a = env.run(['build', '--no-cache', '-q', '--timestamp', '1700000000', dir])
      const b = env.run(['build', '--no-cache', '-q', '--timestamp', '1700000000', dir])
      expect(a.code, a.stderr).to.equal(0)
      expect(b.stdout).to.equal(a.stdout)
      const [img] = JSON.parse(env.ok(['image', 'inspect', a.stdout.trim()])) as Array<Record<string, any>>
      expect(img.Created).to.match(/^2023-11-14T22:13:20/)
      expect(env.run(['build', '--no-cache', '-q', dir]).stdout).not.to.equal(a.stdout)
    })

    it('ADD fetches an http URL (checked by --checksum), never unpacking it', async function () {
      const body = Buffer.from('served over http\n')
      const server = createServer((req, res) => {
        if (req.url === '/files/served.txt') res.end(body)
        else { res.statusCode = 404; res.end() }
      })
      await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
      const port = (server.address() as AddressInfo).port
      try {
        const sum = `sha256:${createHash('sha256').update(body).digest('hex')}`
        const dir = context({Containerfile: `FROM busybox\nADD --checksum=${sum} http://127.0.0.1:${port}/files/served.txt /got/\n`})
        const r = await new Promise<{code: number | null; stderr: string}>(resolve => {
          const p = env.spawn(['build', '-t', 'fromurl', dir])
          let stderr = ''
          p.stderr!.on('data', d => { stderr += d })
          p.on('close', code => resolve({code, stderr}))
        })
        expect(r.code, r.stderr).to.equal(0)
        expect(env.ok(['run', '--rm', 'fromurl', 'stat', '-c', '%a %n', '/got/served.txt']).trim()).to.equal('600 /got/served.txt')
        const bad = context({Containerfile: `FROM busybox\nADD http://127.0.0.1:${port}/missing /x\n`})
        const b = await new Promise<{code: number | null; stderr: string}>(resolve => {
          const p = env.spawn(['build', bad])
          let stderr = ''
          p.stderr!.on('data', d => { stderr += d })
          p.on('close', code => resolve({code, stderr}))
        })
        expect(b.code).to.equal(125)
        expect(b.stderr.trim()).to.match(/^Error: building at STEP "ADD http:\/\/127.0.0.1:\d+\/missing \/x": Containerfile:2: invalid response status 404/)
      } finally {
        server.close()
      }
    })

    it('ADD unpacks a local archive; COPY --chown/--chmod; a symlink is copied as a link', function () {
      const dir = context({Containerfile: 'FROM busybox\nADD files.tar.gz /unpacked/\nCOPY --chown=65534:65534 --chmod=0600 one.txt /owned.txt\nCOPY link /link\n', 'one.txt': '1\n'})
      const src = context({'inside/f.txt': 'in tar\n'})
      execFileSync('tar', ['-C', src, '-czf', path.join(dir, 'files.tar.gz'), 'inside'])
      symlinkSync('/etc/shadow-outside', path.join(dir, 'link'))
      env.chown(dir)
      const r = env.run(['build', '-t', 'adds', dir])
      expect(r.code, r.stderr).to.equal(0)
      expect(env.ok(['run', '--rm', 'adds', 'cat', '/unpacked/inside/f.txt'])).to.equal('in tar\n')
      expect(env.ok(['run', '--rm', 'adds', 'stat', '-c', '%u:%g %a', '/owned.txt']).trim()).to.equal('65534:65534 600')
      expect(env.ok(['run', '--rm', 'adds', 'readlink', '/link']).trim()).to.equal('/etc/shadow-outside')
    })

    describe('bad input: one line naming the file and line, exit 125, nothing left', function () {
      const cases: Array<[string, Record<string, string>, string[], RegExp]> = [
        ['an unknown instruction', {Containerfile: 'FROM busybox\nRUN true\nBOGUS x\n'}, [], /^Error: Containerfile:3: unknown instruction: BOGUS$/],
        ['a missing COPY source', {Containerfile: 'FROM busybox\nCOPY nope /x\n'}, [], /^Error: building at STEP "COPY nope \/x": Containerfile:2: checking on sources under ".*": copier: stat: "\/nope": no such file or directory$/],
        ['COPY ../outside', {Containerfile: 'FROM busybox\nCOPY ../outside /x\n'}, [], /Containerfile:2: .*possible escaping context directory error: copier: stat: "\/outside": no such file or directory$/],
        ['an unterminated heredoc', {Containerfile: 'FROM busybox\nRUN <<EOF\necho hi\n'}, [], /^Error: Containerfile:2: unterminated heredoc <<EOF/],
        ['a FROM of a missing image', {Containerfile: 'FROM nosuchimage\n'}, ['--pull=never'], /^Error: creating build container: nosuchimage: image not known \(Containerfile:1\)$/],
        ['an invalid --build-arg', {Containerfile: 'FROM busybox\n'}, ['--build-arg', '=x'], /^Error: invalid build-arg "=x"/],
      ]
      for (const [what, files, flags, re] of cases) {
        it(what, function () {
          const dir = context(files)
          expectError(env.run(['build', ...flags, dir]), 125, re)
          expect(env.ok(['ps', '-a', '-q'])).to.equal('')
        })
      }

      it('a context that is not there', function () {
        expectError(env.run(['build', env.file('nonexistent')]), 125, /^Error: context must be a directory: ".*nonexistent"$/)
      })

      it('an ARG used before it is declared is empty, not an error', function () {
        const dir = context({Containerfile: 'FROM busybox\nRUN echo "q=[$Q]" > /q\nARG Q=late\n'})
        const r = env.run(['build', '-t', 'argorder', dir])
        expect(r.code, r.stderr).to.equal(0)
        expect(env.ok(['run', '--rm', 'argorder', 'cat', '/q'])).to.equal('q=[]\n')
      })
    })
  })
}
