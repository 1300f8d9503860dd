// `build`'s flags beyond the Containerfile, root and rootless: the container
// flags every RUN step gets (each checked from inside a RUN), the image flags
// (--env/--unsetenv, --squash*, --omit-history, --platform ...), the extra
// inputs (--build-context, a URL context, --build-arg-file, --stdin,
// RUN --mount=type=bind,from=), a built image through save/load (peapod and
// Podman), and bad values refused with exit 125 and nothing left behind.
// Each build is small: the busybox fixture, one RUN where one will do.
import {expect} from 'chai'
import {execFileSync, spawnSync} from 'node:child_process'
import {mkdirSync, readFileSync, readlinkSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import path from 'node:path'
import {Containers, Env, expectError, listFiles, unavailable, type Mode, type Result} from './helpers.js'
import {busyboxTar} from './fixtures.js'

const HAVE_PODMAN = spawnSync('podman', ['--version']).status === 0

for (const mode of ['root', 'rootless'] as Mode[]) {
  describe(`build flags (${mode})`, function () {
    this.timeout(120000)
    let env: Env
    let ct: Containers
    let n = 0

    function context(files: Record<string, string>): string {
      const dir = env.file(`ctx${++n}`)
      mkdirSync(dir, {recursive: true})
      for (const [f, content] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(dir, f)), {recursive: true})
        writeFileSync(path.join(dir, f), content)
      }
      env.chown(dir)
      return dir
    }

    /** Runs peapod without blocking this process (a test's http server must answer meanwhile). */
    function runAsync(args: string[], input?: string): Promise<Result> {
      return new Promise(resolve => {
        const p = env.spawn(args, {stdin: input === undefined ? 'ignore' : 'pipe'})
        let stdout = ''
        let stderr = ''
        p.stdout!.on('data', d => { stdout += d })
        p.stderr!.on('data', d => { stderr += d })
        if (input !== undefined) p.stdin!.end(input)
        p.on('close', code => resolve({code: code ?? 128, stdout, stderr}))
      })
    }

    function inspect(ref: string): Record<string, any> {
      return (JSON.parse(env.ok(['image', 'inspect', ref])) as Array<Record<string, any>>)[0]
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

    it('gives every RUN step the container flags: DNS, hosts, ulimits, capabilities, volumes, namespaces, proxy, default network', function () {
      const vol = env.file('vol')
      mkdirSync(vol)
      writeFileSync(path.join(vol, 'v.txt'), 'from the volume\n')
      env.chown(vol)
      const dir = context({Containerfile: 'FROM busybox\nRUN set -e; ' + [
        'cat /etc/resolv.conf', 'grep myhost /etc/hosts', 'ulimit -Sn', 'ulimit -Hn', 'grep CapEff /proc/self/status',
        'cat /vol/v.txt', 'echo written > /vol/w.txt', 'echo "A=$A FOO=$FOO proxy=[$HTTP_PROXY]"', 'ip -o link | wc -l',
        'readlink /proc/self/ns/pid', 'hostname',
      ].join('; ') + '\n'})
      const r = env.run(['build', '--dns', '192.0.2.53', '--dns-search', 'example.test', '--dns-option', 'ndots:3', '--add-host', 'myhost:192.0.2.7',
        '--ulimit', 'nofile=100:200', '--cap-drop', 'all', '--cap-add', 'net_raw', '-v', `${vol}:/vol`, '--env', 'A=1', '--env', 'FOO=x', '--unsetenv', 'FOO',
        '--http-proxy=false', '--pid', 'host', '--uts', 'host', '--identity-label=false', '--omit-history', '-t', 'flags', dir],
      {env: {HTTP_PROXY: 'http://proxy.example:3128'}})
      expect(r.code, r.stderr).to.equal(0)
      expect(r.stdout).to.contain('search example.test\nnameserver 192.0.2.53\noptions ndots:3\n')
      expect(r.stdout).to.match(/192\.0\.2\.7\tmyhost\n/)
      expect(r.stdout).to.contain('\n100\n200\n')
      expect(r.stdout).to.contain('CapEff:\t0000000000002000\n') // CAP_NET_RAW only
      expect(r.stdout).to.contain('from the volume\n')
      expect(r.stdout).to.contain('A=1 FOO=x proxy=[]\n') // --env seen by RUN; --unsetenv only in the final image; no proxy
      expect(r.stdout).to.contain(`\n${readlinkSync('/proc/self/ns/pid')}\n${execFileSync('hostname', {encoding: 'utf8'})}`)
      // what the volume got stays on the host, and nothing of it is in the image
      expect(readFileSync(path.join(vol, 'w.txt'), 'utf8')).to.equal('written\n')
      expect(env.run(['run', '--rm', 'flags', 'ls', '/vol']).code).to.not.equal(0)
      const img = inspect('flags')
      expect(img.Config.Env).to.deep.equal(['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'A=1'])
      expect(img.Config.Labels ?? null).to.equal(null) // --identity-label=false
      expect(img.History ?? null).to.equal(null) // --omit-history
      // Podman's default network for RUN is private: lo and one interface (bridge rootful, slirp4netns rootless)
      const d = env.run(['build', '--no-cache', '-f', '-', dir], {input: 'FROM busybox\nRUN ip -o link | wc -l; ip -o -4 addr show scope global | wc -l\n'})
      expect(d.code, d.stderr).to.equal(0)
      expect(d.stdout).to.contain('\n2\n1\n')
      // the proxy variables pass by default
      const p = env.run(['build', '--no-cache', '-f', '-', dir], {input: 'FROM busybox\nRUN echo "proxy=[$HTTP_PROXY]"\n', env: {HTTP_PROXY: 'http://proxy.example:3128'}})
      expect(p.stdout).to.contain('proxy=[http://proxy.example:3128]\n')
    })

    it('gives RUN steps --memory, --shm-size and --security-opt; --isolation=chroot shares the host network', function () {
      const dir = context({Containerfile: 'FROM busybox\nRUN df -k /dev/shm | tail -1; cat /proc/kcore >/dev/null 2>&1 && echo kcore-readable || echo kcore-masked; ' +
        'cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || true; ip -o link | wc -l\n'})
      const r = env.run(['build', '--no-cache', '--shm-size', '2m', '--security-opt', 'unmask=/proc/kcore', ...mode === 'root' ? ['--memory', '64m'] : [], dir])
      expect(r.code, r.stderr).to.equal(0)
      expect(r.stdout).to.match(/shm\s+2048\s/)
      expect(r.stdout).to.contain('kcore-readable')
      if (mode === 'root') expect(r.stdout).to.contain('\n67108864\n')
      // the host's network namespace (rootless too: peapod's user namespace has none of its own)
      const c = env.run(['build', '--no-cache', '--isolation', 'chroot', '-f', '-', dir], {input: 'FROM busybox\nRUN readlink /proc/self/ns/net\n'})
      expect(c.code, c.stderr).to.equal(0)
      expect(c.stdout).to.contain(`\n${readlinkSync('/proc/self/ns/net')}\n`)
    })

    it('--squash keeps the base layers and squashes the new ones; --squash-all makes one layer', function () {
      const dir = context({Containerfile: 'FROM busybox\nRUN echo a > /a\nCOPY f /f\nENV X=1\nRUN echo b > /b && rm /a\n', f: 'file\n'})
      const before = env.ok(['images', '-a', '-q']).trim().split('\n').length
      const s = env.run(['build', '--squash', '-t', 'sq', dir])
      expect(s.code, s.stderr).to.equal(0)
      expect(s.stdout).to.match(/STEP 5\/5: RUN echo b > \/b && rm \/a\nCOMMIT sq\n--> [0-9a-f]{11}\nSuccessfully tagged localhost\/sq:latest\n[0-9a-f]{64}\n$/)
      const sq = inspect('sq')
      expect(sq.RootFS.Layers).to.have.length(2)
      const hist = (sq.History as Array<Record<string, unknown>>)
      expect(hist).to.have.length(5)
      expect(hist.slice(1, 4).every(h => h.empty_layer === true)).to.equal(true)
      expect(hist[4]).to.include({created_by: '/bin/sh -c echo b > /b && rm /a'}).and.not.have.property('empty_layer')
      expect(env.ok(['run', '--rm', 'sq', 'sh', '-c', 'cat /b /f; ls /a 2>&1 || true'])).to.equal('b\nfile\nls: /a: No such file or directory\n')
      const a = env.run(['build', '--squash-all', '-q', '-t', 'sqall', dir])
      expect(a.code, a.stderr).to.equal(0)
      const all = inspect('sqall')
      expect(all.RootFS.Layers).to.have.length(1)
      expect(all.History).to.have.length(4) // the base's history is gone with its layer
      expect(env.ok(['run', '--rm', 'sqall', 'cat', '/b', '/f'])).to.equal('b\nfile\n')
      // no intermediate image is kept
      expect(env.ok(['images', '-a', '-q']).trim().split('\n')).to.have.length(before + 2)
      expectError(env.run(['build', '--squash', '--squash-all', dir]), 125, /^Error: cannot specify --squash with --layers and --squash-all with --squash$/)
    })

    it('reads --build-context directories and images, RUN --mount=type=bind,from=, --build-arg-file, --from and --stdin', function () {
      const extra = context({'e.txt': 'extra context\n'})
      const args = env.file(`args${n}`)
      writeFileSync(args, '# a comment\nGREETING=from-file\n\nOTHER=overridden\n')
      env.chown(args)
      // the first RUN reads the stdin (all of it, as in Podman)
      const dir = context({Containerfile: 'FROM busybox AS st\nRUN cat > /stdin.txt; echo from-stage > /s.txt\n' +
        'FROM base\nARG GREETING\nARG OTHER\nCOPY --from=more e.txt /e.txt\n' +
        'RUN --mount=type=bind,from=st,source=/s.txt,target=/m/s.txt --mount=type=bind,from=more,target=/more cat /m/s.txt /more/e.txt > /mounted.txt\n' +
        'COPY --from=st /stdin.txt /stdin.txt\nRUN echo "$GREETING $OTHER" > /args.txt\n'})
      const r = env.run(['build', '--stdin', '--build-context', `more=${extra}`, '--build-context', 'base=docker-image://busybox',
        '--build-arg-file', args, '--build-arg', 'OTHER=cli', '-t', 'ctxs', dir], {input: 'piped in\n'})
      expect(r.code, r.stderr).to.equal(0)
      expect(env.ok(['run', '--rm', 'ctxs', 'cat', '/e.txt', '/mounted.txt', '/args.txt', '/stdin.txt']))
        .to.equal('extra context\nfrom-stage\nextra context\nfrom-file cli\npiped in\n')
      expect(env.run(['run', '--rm', 'ctxs', 'ls', '/m', '/more']).stdout).to.equal('')
      // without --stdin a RUN reads nothing; --from replaces the first FROM
      const f = context({Containerfile: 'FROM nosuchimage\nRUN cat > /stdin.txt\n'})
      const s = env.run(['build', '--from', 'ctxs', '-t', 'fromflag', f], {input: 'not for RUN\n'})
      expect(s.code, s.stderr).to.equal(0)
      expect(env.ok(['run', '--rm', 'fromflag', 'cat', '/e.txt', '/stdin.txt'])).to.equal('extra context\n')
      expect(env.ok(['ps', '-a', '-q'])).to.equal('')
    })

    it('COPY --parents keeps the sources\' paths; COPY --exclude leaves out what its patterns match', function () {
      const dir = context({Containerfile: 'FROM busybox\nCOPY --parents a/b/c.txt a/x.txt /dst/\nCOPY --exclude=**/*.log --exclude=x.txt a /ex/\nCOPY --exclude=*.md *.md *.txt /top/\n',
        'a/b/c.txt': 'c\n', 'a/b/d.log': 'log\n', 'a/x.txt': 'x\n', 'a/y.txt': 'y\n', 'r.md': 'r\n', 't.txt': 't\n'})
      const r = env.run(['build', '-t', 'copyflags', dir])
      expect(r.code, r.stderr).to.equal(0)
      expect(env.ok(['run', '--rm', 'copyflags', 'find', '/dst', '/ex', '/top', '-type', 'f']).trim().split('\n').sort())
        .to.deep.equal(['/dst/a/b/c.txt', '/dst/a/x.txt', '/ex/b/c.txt', '/ex/y.txt', '/top/t.txt'])
    })

    it('builds from an http URL of a tarball, and takes a --build-context URL; --logfile', async function () {
      const src = context({Containerfile: 'FROM busybox\nCOPY hello.txt /hello.txt\nCOPY --from=web w.txt /w.txt\n', 'hello.txt': 'hello from the URL\n'})
      const web = context({'w.txt': 'web context\n'})
      const tars: Record<string, Buffer> = {
        '/ctx.tar.gz': execFileSync('tar', ['-C', src, '-czf', '-', '.']),
        '/web.tar': execFileSync('tar', ['-C', web, '-cf', '-', '.']),
      }
      const server: Server = createServer((req, res) => {
        const body = tars[req.url ?? '']
        if (body) res.end(body)
        else { res.statusCode = 404; res.end() }
      })
      await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      try {
        const log = env.file(`build${n}.log`)
        const r = await runAsync(['build', '--logfile', log, '--build-context', `web=${base}/web.tar`, '-t', 'fromurl', `${base}/ctx.tar.gz`])
        expect(r.code, r.stderr).to.equal(0)
        expect(r.stdout).to.equal('')
        expect(readFileSync(log, 'utf8')).to.match(/STEP 1\/3: FROM busybox\n[\s\S]*Successfully tagged localhost\/fromurl:latest\n[0-9a-f]{64}\n$/)
        expect(env.ok(['run', '--rm', 'fromurl', 'cat', '/hello.txt', '/w.txt'])).to.equal('hello from the URL\nweb context\n')
        const bad = await runAsync(['build', `${base}/missing.tar`])
        expectError(bad, 125, /^Error: invalid response status 404 getting "http:\/\/127\.0\.0\.1:\d+\/missing\.tar"$/)
        expect(listFiles(path.join(env.root, 'tmp'))).to.deep.equal([])
      } finally {
        server.close()
      }
    })

    it('--platform/--arch, --os-version/--os-feature, --cache-ttl and --skip-unused-stages=false', function () {
      if (mode !== 'root') this.skip() // image config and cache only: nothing rootless-specific
      const dir = context({Containerfile: 'FROM busybox AS unused\nRUN echo unused-stage-ran\nFROM scratch\nCOPY f /f\n', f: 'f\n'})
      const r = env.run(['build', '--arch', 'arm64', '--variant', 'v8', '--os-version', '10.0.1', '--os-feature', 'win32k', '-t', 'plat', dir])
      expect(r.code, r.stderr).to.equal(0)
      expect(r.stdout).not.to.contain('unused-stage-ran')
      const img = inspect('plat')
      expect([img.Architecture, img.Os]).to.deep.equal(['arm64', 'linux'])
      // the raw config, from an OCI archive: index → manifest → config
      const saved = env.file(`plat${n}.tar`)
      env.ok(['save', '--format', 'oci-archive', '-o', saved, 'plat'])
      const blob = (d: string) => JSON.parse(execFileSync('tar', ['-xOf', saved, `blobs/sha256/${d.slice(7)}`], {encoding: 'utf8'}))
      const index = JSON.parse(execFileSync('tar', ['-xOf', saved, 'index.json'], {encoding: 'utf8'}))
      const config = blob(blob(index.manifests[0].digest).config.digest)
      expect(config).to.deep.include({architecture: 'arm64', variant: 'v8', os: 'linux', 'os.version': '10.0.1', 'os.features': ['win32k']})
      const all = env.run(['build', '--skip-unused-stages=false', '--platform', 'linux/amd64', dir])
      expect(all.code, all.stderr).to.equal(0)
      expect(all.stdout).to.contain('unused-stage-ran')
      // a cached image older than --cache-ttl is not used
      const again = env.run(['build', '--skip-unused-stages=false', '--platform', 'linux/amd64', '--cache-ttl', '1h', dir])
      expect(again.stdout).to.contain('Using cache')
      const stale = env.run(['build', '--skip-unused-stages=false', '--platform', 'linux/amd64', '--cache-ttl', '1ns', dir])
      expect(stale.code, stale.stderr).to.equal(0)
      expect(stale.stdout).not.to.contain('Using cache')
    })

    it('a built image survives save and load, in peapod and in Podman', function () {
      const dir = context({Containerfile: 'FROM busybox\nCOPY f /f\nRUN echo ran > /r\nCMD ["cat", "/f", "/r"]\n', f: 'copied\n'})
      const id = env.ok(['build', '-q', '-t', 'saved', dir]).trim()
      const tar = env.file(`saved${n}.tar`)
      env.ok(['save', '-o', tar, 'saved'])
      env.ok(['rmi', 'saved'])
      expect(env.ok(['load', '-i', tar])).to.equal('Loaded image: localhost/saved:latest\n')
      expect(inspect('saved').Id).to.equal(id)
      expect(env.ok(['run', '--rm', 'saved'])).to.equal('copied\nran\n')
      if (mode !== 'root' || !HAVE_PODMAN) return
      // Podman can't run containers rootful here (rlimits); it loads the image and its files are there
      const pm = ['--root', env.file('podman-root'), '--runroot', env.file('podman-run'), '--storage-driver', 'vfs', '--runtime', 'runc']
      execFileSync('podman', [...pm, 'load', '-i', tar], {stdio: 'ignore'})
      expect(execFileSync('podman', [...pm, 'image', 'inspect', '--format', '{{.Id}}', 'localhost/saved'], {encoding: 'utf8'}).trim()).to.equal(id)
      const c = execFileSync('podman', [...pm, 'create', 'localhost/saved'], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']}).trim()
      const files = execFileSync('sh', ['-c', `podman ${pm.join(' ')} export ${c} | tar -xOf - f r`], {encoding: 'utf8'})
      expect(files).to.equal('copied\nran\n')
      execFileSync('podman', [...pm, 'rmi', '-a', '-f'], {stdio: 'ignore'})
    })

    describe('bad values: exit 125, nothing left behind', function () {
      const cases: Array<[string[], RegExp]> = [
        [['--cap-add', 'bogus'], /^Error: creating build executor: "CAP_BOGUS": unknown capability$/],
        [['--security-opt', 'no-new-privileges'], /^Error: no-new-privileges is not supported$/],
        [['--security-opt', 'bogus'], /^Error: invalid --security-opt name=value pair: "bogus"$/],
        [['--ulimit', 'bogus'], /^Error: ulimit option "bogus" requires name=SOFT:HARD/],
        [['--add-host', 'foo'], /^Error: bad format for add-host: "foo"$/],
        [['--memory', '12x'], /^Error: invalid value for memory: invalid size: '12x'$/],
        [['--userns', 'bogus'], /^Error: checking user namespace: stat bogus: no such file or directory$/],
        [['--isolation', 'bogus'], /^Error: unrecognized isolation type "bogus"$/],
        [['--platform', 'linux'], /^Error: invalid platform syntax for --platform="linux"/],
        [['--build-context', 'novalue'], /^Error: invalid --build-context "novalue": must be NAME=VALUE$/],
        [['--build-context', 'x=/nonexistent/dir'], /^Error: build context "x": "\/nonexistent\/dir" is not a directory$/],
        [['--build-arg-file', '/nonexistent/args'], /^Error: reading build args from "\/nonexistent\/args": no such file or directory$/],
        [['--cache-ttl', '5 minutes'], /^Error: time: invalid duration "5 minutes"$/],
      ]
      for (const [flags, re] of cases) {
        it(flags.join(' '), function () {
          if (mode !== 'root') this.skip() // parsed before any work: the same as root
          const dir = context({Containerfile: 'FROM busybox\nRUN true\n'})
          const before = env.ok(['images', '-a', '-q'])
          expectError(env.run(['build', ...flags, dir]), 125, re)
          expect(env.ok(['ps', '-a', '-q'])).to.equal('')
          expect(env.ok(['images', '-a', '-q'])).to.equal(before)
        })
      }
    })
  })
}
