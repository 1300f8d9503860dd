// build's flags for what happens beside the stored image, root and rootless:
// --output (a directory, a tar file, a tar on stdout; nothing outside dest),
// --manifest (the image joins a list, made if missing), --logsplit,
// --cpp-flag (Containerfile.in through cpp), and the flags Podman 4.3.1
// refuses on this host (--all-platforms, --sign-by, --decryption-key, --ssh)
// with its errors and exit code 125.
import {expect} from 'chai'
import {execFileSync, spawn} from 'node:child_process'
import {existsSync, lstatSync, mkdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {Env, expectError, unavailable, type Mode} from './helpers.js'
import {busyboxTar} from './fixtures.js'
import {RegistryServer} from './registry-server.js'

for (const mode of ['root', 'rootless'] as Mode[]) {
  describe(`build output and list flags (${mode})`, function () {
    this.timeout(120000)
    let env: Env
    let n = 0

    function context(files: Record<string, string>): string {
      const dir = env.file(`ctx${++n}`)
      mkdirSync(dir, {recursive: true})
      for (const [f, content] of Object.entries(files)) writeFileSync(path.join(dir, f), content)
      env.chown(dir)
      return dir
    }

    /** A fresh empty dir the peapod user owns. */
    function dir(name: string): string {
      const d = env.file(name)
      mkdirSync(d, {recursive: true})
      env.chown(d)
      return d
    }

    // a symlink in the rootfs to a host path: written as a link, never followed
    const FILE = 'FROM busybox\nRUN echo hi > /hi && mkdir -p /sub && echo deep > /sub/f && ln -s /etc /sub/etclink\n'

    before(function () {
      if (unavailable(mode)) this.skip()
      env = new Env(mode)
      env.ok(['import', busyboxTar(), 'busybox'])
    })

    after(function () {
      env?.cleanup()
    })

    it('--output DIR and type=local,dest=DIR write the final rootfs into the directory, owned by the user', function () {
      const ctx = context({Containerfile: FILE})
      const out = dir('out-local')
      const id = env.ok(['build', '-q', '-o', out, ctx]).trim()
      expect(id).to.match(/^[0-9a-f]{64}$/)
      expect(readFileSync(path.join(out, 'hi'), 'utf8')).to.equal('hi\n')
      expect(readFileSync(path.join(out, 'sub/f'), 'utf8')).to.equal('deep\n')
      expect(lstatSync(path.join(out, 'sub/etclink')).isSymbolicLink()).to.equal(true)
      expect(existsSync(path.join(out, 'bin/busybox'))).to.equal(true)
      if (mode === 'rootless') expect(statSync(path.join(out, 'hi')).uid).to.not.equal(0)
      // a dest that does not exist yet is made
      const out2 = path.join(dir('out-parent'), 'new')
      env.ok(['build', '-q', '--output', `type=local,dest=${out2}`, ctx])
      expect(readFileSync(path.join(out2, 'hi'), 'utf8')).to.equal('hi\n')
    })

    it('--output type=tar,dest=FILE writes a tar archive; - writes one to stdout (the build lines on stderr)', async function () {
      const ctx = context({Containerfile: FILE})
      const file = path.join(dir('out-tar'), 'root.tar')
      env.ok(['build', '-q', '-o', `type=tar,dest=${file}`, ctx])
      const names = execFileSync('tar', ['tf', file], {encoding: 'utf8'}).split('\n')
      expect(names).to.include.members(['hi', 'sub/f', 'bin/busybox'])
      // stdout as bytes (a tar is no UTF-8)
      const p = env.spawn(['build', '-o', '-', ctx])
      const out: Buffer[] = []
      let stderr = ''
      p.stdout!.on('data', (d: Buffer) => out.push(d))
      p.stderr!.on('data', d => { stderr += d })
      const code = await new Promise<number | null>(resolve => p.on('close', resolve))
      expect(code, stderr).to.equal(0)
      expect(stderr).to.match(/STEP 1\/2: FROM busybox/)
      expect(stderr).to.match(/^[0-9a-f]{64}$/m)
      const listed = execFileSync('tar', ['tf', '-'], {input: Buffer.concat(out), encoding: 'utf8'}).split('\n')
      expect(listed).to.include('hi')
    })

    it('refuses bad --output values as Podman, building nothing', function () {
      const ctx = context({Containerfile: 'FROM busybox\nRUN touch /x\n'})
      const before = env.ok(['images', '-a', '-q']).trim()
      for (const [v, re] of [
        ['type=foo,dest=x', /^Error: failed to parse build output: invalid type "foo" selected for build output options "type=foo,dest=x"$/],
        ['type=local,dest=-', /^Error: failed to parse build output: invalid build output option "type=local,dest=-", type=local and dest=- is not supported$/],
        ['a=b,c', /^Error: failed to parse build output: unrecognized key "a" in build output option: "a=b,c"$/],
        ['type=tar,dest=x,type=tar', /^Error: failed to parse build output: duplicate "type" not supported$/],
        ['type=tar,x', /^Error: failed to parse build output: invalid build output options "type=tar,x", expected format key=value$/],
        ['type=tar,', /expected format key=value/],
      ] as Array<[string, RegExp]>) {
        expectError(env.run(['build', '-q', '-o', v, ctx]), 125, re)
      }
      expect(env.ok(['images', '-a', '-q']).trim()).to.equal(before)
    })

    it('--manifest adds the built image to the list, creating it first when missing', function () {
      const ctx = context({Containerfile: 'FROM busybox\nRUN echo one > /one\n'})
      const id = env.ok(['build', '-q', '--manifest', 'mylist', ctx]).trim()
      const list = JSON.parse(env.ok(['manifest', 'inspect', 'mylist'])) as {manifests: Array<{digest: string; platform: {os: string}}>}
      expect(list.manifests).to.have.length(1)
      expect(list.manifests[0].platform.os).to.equal('linux')
      const digest = (JSON.parse(env.ok(['image', 'inspect', id])) as Array<{Digest: string}>)[0].Digest
      expect(list.manifests[0].digest).to.equal(digest)
      // a second build joins the same list
      const ctx2 = context({Containerfile: 'FROM busybox\nRUN echo two > /two\n'})
      env.ok(['build', '-q', '--manifest', 'mylist', ctx2])
      const list2 = JSON.parse(env.ok(['manifest', 'inspect', 'mylist'])) as {manifests: unknown[]}
      expect(list2.manifests).to.have.length(2)
      // an image's name is not a list
      expectError(env.run(['build', '-q', '--manifest', 'busybox', ctx]), 125, /^Error: image name "localhost\/busybox:latest" is already associated with image "[0-9a-f]{64}": that name is already in use$/)
    })

    it('--logsplit with --logfile FILE: the build log is in FILE_OS_ARCH (empty names for the host platform), FILE stays empty', function () {
      const ctx = context({Containerfile: 'FROM busybox\nRUN echo logged\n'})
      const logs = dir('logs')
      const r = env.run(['build', '--logsplit', '--logfile', path.join(logs, 'lf'), ctx])
      expect(r.code, r.stderr).to.equal(0)
      expect(r.stdout).to.equal('')
      expect(readFileSync(path.join(logs, 'lf'), 'utf8')).to.equal('')
      const log = readFileSync(path.join(logs, 'lf__'), 'utf8')
      expect(log).to.match(/STEP 2\/2: RUN echo logged\nlogged\n/)
      expect(log).to.match(/^[0-9a-f]{64}$/m)
      env.ok(['build', '-q', '--logsplit', '--logfile', path.join(logs, 'lg'), '--platform', 'linux/amd64', ctx])
      expect(readFileSync(path.join(logs, 'lg_linux_amd64'), 'utf8')).to.match(/^[0-9a-f]{64}\n$/)
      // without --logsplit: one file, no suffixed one
      env.ok(['build', '-q', '--logfile', path.join(logs, 'one'), ctx])
      expect(existsSync(path.join(logs, 'one__'))).to.equal(false)
      expect(readFileSync(path.join(logs, 'one'), 'utf8')).to.match(/^[0-9a-f]{64}\n$/)
    })

    it('a Containerfile.in goes through cpp with --cpp-flag (and #include from the context); cpp errors are a warning', function () {
      const ctx = context({
        'Containerfile.in': '#include "common"\nRUN echo X=VAL > /x\n',
        common: 'FROM busybox\n',
        'bad.in': 'FROM busybox\n#error boom\nRUN echo ran > /ran\n',
      })
      const out = dir('cpp-out')
      env.ok(['build', '-q', '--cpp-flag', '-DVAL=42', '-f', 'Containerfile.in', '-o', out, ctx])
      expect(readFileSync(path.join(out, 'x'), 'utf8')).to.equal('X=42\n')
      const out2 = dir('cpp-out2')
      env.ok(['build', '-q', '--cpp-flag=-DVAL=43', '-f', path.join(ctx, 'Containerfile.in'), '-o', out2, ctx])
      expect(readFileSync(path.join(out2, 'x'), 'utf8')).to.equal('X=43\n')
      const out3 = dir('cpp-out3')
      const r = env.run(['build', '-q', '-f', 'bad.in', '-o', out3, ctx])
      expect(r.code, r.stderr).to.equal(0)
      expect(r.stderr).to.match(/WARN\[0000\] Ignoring <stdin>:2:2: error: #error boom/)
      expect(readFileSync(path.join(out3, 'ran'), 'utf8')).to.equal('ran\n')
    })

    it('--ssh: RUN --mount=type=ssh gets the agent (a socket, or key files loaded into an agent of the build); bad values refused as Podman', async function () {
      const keys = dir('ssh')
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'buildkey', '-f', path.join(keys, 'key')])
      env.chown(keys)
      const fingerprint = execFileSync('ssh-keygen', ['-lf', path.join(keys, 'key.pub')], {encoding: 'utf8'}).trim()
      // the host's ssh-add, run from a read-only bind of / (busybox has none)
      const ctx = context({Containerfile: 'FROM busybox\nRUN --mount=type=ssh /h/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 --library-path /h/usr/lib/x86_64-linux-gnu /h/usr/bin/ssh-add -l > /keys; echo "$SSH_AUTH_SOCK" >> /keys\nRUN echo "[$SSH_AUTH_SOCK]" > /after\n'})
      const out = dir('ssh-out')
      env.ok(['build', '-q', '--ssh', `default=${path.join(keys, 'key')}`, '-v', '/:/h:ro', '-o', out, ctx])
      expect(readFileSync(path.join(out, 'keys'), 'utf8')).to.equal(`${fingerprint}\n/run/buildkit/ssh_agent.0\n`)
      // the socket is the step's only: not in the next one, nor in a layer
      expect(existsSync(path.join(out, 'run/buildkit'))).to.equal(false)
      expect(readFileSync(path.join(out, 'after'), 'utf8')).to.equal('[]\n')
      // $SSH_AUTH_SOCK of an agent of the user's
      const sock = path.join(keys, 'agent.sock')
      // run as the store's user: ssh-agent takes only its own user's (and root's) connections
      const {uid, gid} = statSync(keys)
      const agent = spawn('setpriv', [`--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', '--', 'ssh-agent', '-D', '-a', sock], {stdio: ['ignore', 'pipe', 'inherit']})
      try {
        await new Promise(resolve => agent.stdout!.once('data', resolve))
        execFileSync('ssh-add', ['-q', path.join(keys, 'key')], {env: {...process.env, SSH_AUTH_SOCK: sock}})
        const out2 = dir('ssh-out2')
        const r = env.run(['build', '-q', '--no-cache', '--ssh', 'default', '-v', '/:/h:ro', '-o', out2, ctx], {env: {SSH_AUTH_SOCK: sock}})
        expect(r.code, r.stderr).to.equal(0)
        expect(readFileSync(path.join(out2, 'keys'), 'utf8')).to.equal(`${fingerprint}\n/run/buildkit/ssh_agent.0\n`)
      } finally {
        agent.kill()
      }
      expectError(env.run(['build', '-q', '--ssh', 'default', ctx], {env: {SSH_AUTH_SOCK: ''}}), 125, /^Error: creating build executor: \$SSH_AUTH_SOCK not set$/)
      expectError(env.run(['build', '-q', '--ssh', 'x=/nonexist', ctx]), 125, /^Error: creating build executor: stat \/nonexist: no such file or directory$/)
    })

    it('--all-platforms, --sign-by, --decryption-key: Podman\'s errors on this host, exit 125, nothing built', async function () {
      const before = env.ok(['images', '-a', '-q']).trim()
      const scratch = context({Containerfile: 'FROM scratch\nCOPY f /\n', f: 'x'})
      expectError(env.run(['build', '-q', '--all-platforms', scratch]), 125, /^Error: build uses no non-scratch base images: %!w\(<nil>\)$/)
      const ctx = context({Containerfile: 'FROM localhost/busybox\nRUN touch /x\n'})
      expectError(env.run(['build', '-q', '--all-platforms', '--tls-verify=false', ctx]), 125, /^Error: base image name "localhost\/busybox" didn't resolve to a manifest list$/)
      const short = context({Containerfile: 'FROM busybox\nRUN touch /x\n'})
      // a registries.conf with no search registries, as this host's
      const conf = path.join(dir('regconf'), 'registries.conf')
      writeFileSync(conf, 'unqualified-search-registries = []\n')
      env.chown(conf)
      // (busybox has an alias in shortnames.conf: this name has none)
      const noAlias = context({Containerfile: 'FROM nosuchbase\nRUN touch /x\n'})
      expectError(env.run(['build', '-q', '--all-platforms', noAlias], {env: {CONTAINERS_REGISTRIES_CONF: conf}}), 125, new RegExp(`^Error: resolving image name "nosuchbase": short-name "nosuchbase" did not resolve to an alias and no unqualified-search registries are defined in "${conf}"$`))
      expectError(env.run(['build', '-q', '--sign-by', 'ABCDEF', short]), 125, /^Error: --sign-by: signing images is not supported$/)
      expectError(env.run(['build', '-q', '--decryption-key', '/nonexist', short]), 125, /^Error: unable to obtain decrypt config: invalid decryption keys: Unable to read file: open \/nonexist: no such file or directory$/)
      const key = path.join(dir('dkey'), 'k.pem')
      writeFileSync(key, 'not a key')
      env.chown(key)
      expectError(env.run(['build', '-q', '--decryption-key', key, short]), 125, /^Error: --decryption-key: encrypted images are not supported$/)
      expect(env.ok(['images', '-a', '-q']).trim()).to.equal(before)
      // a base that is a manifest list in its registry: checked, then refused (peapod builds one platform)
      const reg = await RegistryServer.start()
      try {
        env.ok(['build', '-q', '--manifest', 'ml', short])
        env.ok(['manifest', 'push', '--tls-verify=false', 'ml', `docker://${reg.host}/ml:1`])
        const multi = context({Containerfile: `FROM ${reg.host}/ml:1\nRUN touch /y\n`})
        expectError(env.run(['build', '-q', '--all-platforms', '--tls-verify=false', multi]), 125, /^Error: building for all platforms of the base images is not supported: peapod builds for one platform at a time/)
      } finally {
        await reg.stop()
      }
    })
  })
}
