// Secrets, restart policies, and the lifecycle/environment flags of
// create/run, end to end as root and as the rootless test user: the secret
// commands (Podman 4.3.1's output, file modes, errors), --secret as a file
// and as a variable, RestartCount after failures, stop/kill standing the
// policy down, --pidfile/--conmon-pidfile/--timeout/--requires, the
// environment flags, --tz, --sysctl, --label-file, --read-only-tmpfs,
// --init-path, and bad input (exit 125, one line, nothing created).
import {expect} from 'chai'
import {execFileSync, spawnSync} from 'node:child_process'
import {closeSync, copyFileSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {BIN, Env, expectError, unavailable, waitUntil, type Mode} from './helpers.js'
import {busyboxTar} from './fixtures.js'
import {htpasswd, RegistryServer} from './registry-server.js'

for (const mode of ['root', 'rootless'] as Mode[]) {
  describe(`lifecycle, environment and secrets (${mode})`, function () {
    let env: Env

    before(function () {
      if (unavailable(mode)) this.skip()
      env = new Env(mode)
      const tar = env.file('bb.tar')
      copyFileSync(busyboxTar(), tar)
      env.chown(tar)
      env.ok(['import', tar, 'bb'])
    })
    after(() => env?.cleanup())

    const out = (args: string[]): string => {
      const r = env.run(['run', '--rm', ...args])
      if (r.code !== 0) throw new Error(`run ${args.join(' ')} exited ${r.code}: ${r.stderr}`)
      return r.stdout
    }
    const containers = () => env.ok(['ps', '-aq']).split('\n').filter(Boolean)
    const inspect = (ref: string, f: string) => env.ok(['inspect', ref, '--format', f]).trim()

    describe('secret commands', () => {
      afterEach(() => env.run(['secret', 'rm', '--all']))

      it('create prints a 25-digit ID; ls, inspect, exists and rm as Podman', () => {
        const id = env.ok(['secret', 'create', '-l', 'a=b', 'pw', '-'], {input: 'hunter2'}).trim()
        expect(id).to.match(/^[0-9a-f]{25}$/)
        const ls = env.ok(['secret', 'ls']).split('\n')
        expect(ls[0]).to.match(/^ID\s+NAME\s+DRIVER\s+CREATED\s+UPDATED$/)
        expect(ls[1]).to.match(new RegExp(`^${id}\\s+pw\\s+file\\s+`))
        expect(env.ok(['secret', 'ls', '-q']).trim()).to.equal(id)
        expect(env.ok(['secret', 'ls', '--filter', 'name=nomatch']).split('\n').filter(Boolean)).to.have.length(1)
        const [doc] = JSON.parse(env.ok(['secret', 'inspect', 'pw']))
        expect(doc).to.include({ID: id})
        expect(doc.Spec).to.deep.include({Name: 'pw', Labels: {a: 'b'}})
        expect(doc.Spec.Driver.Name).to.equal('file')
        expect(env.ok(['secret', 'inspect', '--format', '{{.Spec.Name}} {{.ID}}', id.slice(0, 6)]).trim()).to.equal(`pw ${id}`)
        expect(env.run(['secret', 'exists', 'pw']).code).to.equal(0)
        expect(env.run(['secret', 'exists', 'nope']).code).to.equal(1)
        expect(env.ok(['secret', 'rm', 'pw']).trim()).to.equal(id)
        expect(env.ok(['secret', 'ls', '-q']).trim()).to.equal('')
      })

      it('stores the data with mode 0600 under the store, readable only by the owner', () => {
        env.ok(['secret', 'create', 'pw', '-'], {input: 'hunter2'})
        for (const f of ['secrets/secrets.json', 'secrets/filedriver/secretsdata.json']) {
          const st = statSync(`${env.root}/${f}`)
          expect(st.mode & 0o777, f).to.equal(0o600)
        }
        expect(statSync(`${env.root}/secrets`).mode & 0o777).to.equal(0o700)
        const data = JSON.parse(readFileSync(`${env.root}/secrets/filedriver/secretsdata.json`, 'utf8'))
        expect(Object.values(data).map(v => Buffer.from(v as string, 'base64').toString())).to.deep.equal(['hunter2'])
      })

      it('--env reads a variable; a file; bad input is Podman\'s one-line error', () => {
        const r = env.run(['secret', 'create', '--env', 'fromenv', 'MY_SECRET'], {env: {MY_SECRET: 's3cret'}})
        expect(r.code, r.stderr).to.equal(0)
        const file = env.file('sec.txt')
        writeFileSync(file, 'filedata')
        env.chown(file)
        env.ok(['secret', 'create', 'fromfile', file])
        expectError(env.run(['secret', 'create', 'fromfile', file]), 125, /^Error: fromfile: secret name in use$/)
        expectError(env.run(['secret', 'create', '--env', 'x', 'NOT_SET_ANYWHERE']), 125, /environment variable NOT_SET_ANYWHERE is not set/)
        expectError(env.run(['secret', 'create', 'bad/name', file]), 125, /invalid secret name/)
        expectError(env.run(['secret', 'create', '-d', 'pass', 'x', file]), 125, /^Error: invalid driver$/)
        expectError(env.run(['secret', 'create', 'empty', '-'], {input: ''}), 125, /secret data must be larger than 0/)
        expectError(env.run(['secret', 'inspect', 'nope']), 125, /^Error: inspecting secret: no secret with name or id "nope": no such secret$/)
        expectError(env.run(['secret', 'rm', 'nope']), 125, /no secret with name or id "nope"/)
        expectError(env.run(['secret', 'rm']), 125, /requires one argument, or the --all flag/)
        expect(env.ok(['secret', 'ls', '--format', '{{.Name}}']).trim().split('\n').sort()).to.deep.equal(['fromenv', 'fromfile'])
      })
    })

    describe('--secret', () => {
      before(() => env.ok(['secret', 'create', 'pw', '-'], {input: 'hunter2'}))
      after(() => env.run(['secret', 'rm', '--all']))

      it('mounts the secret at /run/secrets/NAME, mode 0444, owned by root', () => {
        expect(out(['--secret', 'pw', 'bb', 'sh', '-c', 'cat /run/secrets/pw; echo; stat -c "%a %u %g" /run/secrets/pw']).trim().split('\n')).to.deep.equal(['hunter2', '444 0 0'])
      })

      it('target, uid, gid and mode', () => {
        expect(out(['--secret', 'pw,target=/etc/app.key,uid=5,gid=6,mode=0400', 'bb', 'sh', '-c', 'stat -c "%a %u %g" /etc/app.key']).trim()).to.equal('400 5 6')
        expect(out(['--secret', 'pw,target=other', 'bb', 'cat', '/run/secrets/other'])).to.equal('hunter2')
      })

      it('type=env gives a variable (named by target)', () => {
        expect(out(['--secret', 'pw,type=env', 'bb', 'sh', '-c', 'echo $pw'])).to.equal('hunter2\n')
        expect(out(['--secret', 'pw,type=env,target=DB_PASS', 'bb', 'sh', '-c', 'echo $DB_PASS'])).to.equal('hunter2\n')
      })

      it('inspect lists mount secrets in Config.Secrets', () => {
        const id = env.ok(['create', '--secret', 'pw,uid=3', 'bb', 'true']).trim()
        const [s] = JSON.parse(inspect(id, '{{json .Config.Secrets}}'))
        expect(s).to.include({Name: 'pw', UID: 3, GID: 0, Mode: 0o444})
        env.ok(['rm', id])
      })

      it('bad --secret values: Podman\'s error, exit 125, nothing created', () => {
        const cases: Array<[string, RegExp]> = [
          ['nope', /no secret with name or id "nope": no such secret/],
          ['pw,type=foo', /^Error: type foo is invalid: parsing secret$/],
          ['pw,foo=bar', /^Error: option foo=bar invalid: parsing secret$/],
          ['pw,mode=abc', /^Error: mode abc invalid: parsing secret$/],
          ['pw,uid=x', /^Error: UID x invalid: parsing secret$/],
          ['pw,type=env,uid=3', /UID, GID, Mode options cannot be set with secret type env/],
          [',', /must be in form option=value/],
        ]
        for (const [v, re] of cases) expectError(env.run(['create', '--secret', v, 'bb', 'true']), 125, re)
        expect(containers()).to.deep.equal([])
      })
    })

    describe('--restart', () => {
      afterEach(() => env.run(['rm', '-af', '-t', '0']))

      it('on-failure:2 restarts a failing container twice: RestartCount 2, then it stays exited', async () => {
        const id = env.ok(['run', '-d', '--restart', 'on-failure:2', 'bb', 'sh', '-c', 'exit 3']).trim()
        expect(JSON.parse(inspect(id, '{{json .HostConfig.RestartPolicy}}'))).to.deep.equal({Name: 'on-failure', MaximumRetryCount: 2})
        await waitUntil('two restarts and the final exit', () => inspect(id, '{{.RestartCount}} {{.State.Status}} {{.State.ExitCode}}') === '2 exited 3', 60000)
      })

      it('on-failure does not restart a container that exits 0', async () => {
        const id = env.ok(['run', '-d', '--restart', 'on-failure', 'bb', 'true']).trim()
        env.ok(['wait', id])
        expect(inspect(id, '{{.RestartCount}} {{.State.Status}}')).to.equal('0 exited')
      })

      it('always restarts until stopped; stop stops it for good', async () => {
        const id = env.ok(['run', '-d', '--restart', 'always', 'bb', 'sh', '-c', 'exit 0']).trim()
        await waitUntil('a restart', () => Number(inspect(id, '{{.RestartCount}}')) >= 1, 60000)
        env.ok(['stop', '-t', '0', id])
        const count = inspect(id, '{{.RestartCount}}')
        expect(inspect(id, '{{.State.Status}}')).to.equal('exited')
        // Whatever exit command was in flight has had its chance once the container is cleaned up.
        env.ok(['container', 'cleanup', id])
        expect(inspect(id, '{{.State.Status}} {{.RestartCount}}')).to.equal(`exited ${count}`)
      })

      it('no restart policy: inspect shows an empty one and RestartCount 0', () => {
        const id = env.ok(['create', 'bb', 'true']).trim()
        expect(inspect(id, '{{json .HostConfig.RestartPolicy}} {{.RestartCount}}')).to.equal('{"Name":"","MaximumRetryCount":0} 0')
      })

      it('bad policies and --rm with always: Podman\'s errors, nothing created', () => {
        const cases: Array<[string[], RegExp]> = [
          [['--restart', 'sometimes'], /"sometimes" is not a valid restart policy/],
          [['--restart', 'on-failure:x'], /parsing restart policy retry count: strconv.Atoi: parsing "x": invalid syntax/],
          [['--restart', 'on-failure:-1'], /must specify restart policy retry count as a number greater than 0/],
          [['--restart', 'always:3'], /restart policy retries can only be specified with on-failure restart policy/],
          [['--rm', '--restart', 'always'], /the --rm option conflicts with --restart/],
        ]
        for (const [flags, re] of cases) expectError(env.run(['create', ...flags, 'bb', 'true']), 125, re)
        expect(containers()).to.deep.equal([])
      })
    })

    describe('lifecycle flags', () => {
      afterEach(() => env.run(['rm', '-af', '-t', '0']))

      it('--pidfile and --conmon-pidfile get the container\'s and the monitor\'s PIDs', () => {
        const pf = env.file('ctr.pid')
        const cpf = env.file('conmon.pid')
        const id = env.ok(['run', '-d', '--pidfile', pf, '--conmon-pidfile', cpf, 'bb', 'sleep', '100']).trim()
        expect(readFileSync(pf, 'utf8').trim()).to.equal(inspect(id, '{{.State.Pid}}'))
        expect(readFileSync(cpf, 'utf8').trim()).to.equal(inspect(id, '{{.State.ConmonPid}}'))
        expect(inspect(id, '{{.PidFile}}')).to.equal(pf)
      })

      it('--timeout kills the container when its time is up', () => {
        const started = Date.now()
        const r = env.run(['run', '--timeout', '1', 'bb', 'sleep', '100'])
        expect(r.code).to.equal(137)
        expect(Date.now() - started).to.be.below(30000)
        expectError(env.run(['create', '--timeout', 'abc', 'bb', 'true']), 125, /invalid argument "abc" for "--timeout" flag/)
      })

      it('--preserve-fds passes the command\'s fd 3 on to the container', function () {
        if (mode !== 'root') this.skip() // the test user's command line has no fd 3 to give here
        const f = env.file('fd3.txt')
        writeFileSync(f, 'through fd 3\n')
        const fd = openSync(f, 'r')
        try {
          const r = spawnSync(process.execPath, ['--', BIN, '--root', env.root, '--runroot', env.runroot, 'run', '--rm', '--preserve-fds', '1', 'bb', 'cat', '/proc/self/fd/3'], {stdio: ['ignore', 'pipe', 'pipe', fd], env: {PATH: process.env.PATH, HOME: '/root'}})
          expect(r.stdout.toString(), r.stderr.toString()).to.equal('through fd 3\n')
        } finally {
          closeSync(fd)
        }
        expectError(env.run(['run', '--rm', '--preserve-fds', '2', 'bb', 'true']), 125, /file descriptor 3 is not available - the preserve-fds option requires that file descriptors must be passed/)
      })

      it('--requires starts the required container first', () => {
        const dep = env.ok(['create', '--name', 'dep', 'bb', 'sleep', '100']).trim()
        env.ok(['create', '--name', 'main', '--requires', 'dep', 'bb', 'sleep', '100'])
        env.ok(['start', 'main'])
        expect(inspect(dep, '{{.State.Status}}')).to.equal('running')
        expectError(env.run(['create', '--requires', 'nope', 'bb', 'true']), 125, /"nope" is not a valid container, cannot be used as a dependency/)
      })
    })

    describe('replace, attach, pod ID file, rmi', () => {
      afterEach(() => env.run(['rm', '-af', '-t', '0']))

      it('--replace removes the running container of that name first; without --name it is an error', () => {
        const old = env.ok(['run', '-d', '--name', 'svc', 'bb', 'sleep', '100']).trim()
        const neu = env.ok(['create', '--replace', '--name', 'svc', 'bb', 'true']).trim()
        expect(containers()).to.deep.equal([neu.slice(0, 12)])
        expect(old).to.not.equal(neu)
        expectError(env.run(['create', '--replace', 'bb', 'true']), 125, /^Error: cannot replace container without --name being set$/)
      })

      it('-a picks the streams run attaches; create -a shows in inspect', () => {
        const r = env.run(['run', '--rm', '-a', 'stderr', 'bb', 'sh', '-c', 'echo out; echo err >&2'])
        expect([r.stdout, r.stderr]).to.deep.equal(['', 'err\n'])
        const r2 = env.run(['run', '--rm', '-a', 'stdout', 'bb', 'sh', '-c', 'echo out; echo err >&2'])
        expect([r2.stdout, r2.stderr]).to.deep.equal(['out\n', ''])
        const id = env.ok(['create', '-a', 'stdout', 'bb', 'true']).trim()
        expect(inspect(id, '{{.Config.AttachStdin}} {{.Config.AttachStdout}} {{.Config.AttachStderr}}')).to.equal('false true false')
        expectError(env.run(['create', '-a', 'foo', 'bb', 'true']), 125, /invalid stream "foo" for --attach/)
      })

      it('--pod-id-file puts the container in that pod', () => {
        const podId = env.ok(['pod', 'create', '--name', 'p1']).trim()
        const f = env.file('pod.id')
        writeFileSync(f, podId + '\n')
        env.chown(f)
        const id = env.ok(['create', '--pod-id-file', f, 'bb', 'true']).trim()
        expect(inspect(id, '{{.Pod}}')).to.equal(podId)
        env.ok(['pod', 'rm', '-f', 'p1'])
        expectError(env.run(['create', '--pod-id-file', env.file('nope'), 'bb', 'true']), 125, /reading pod ID file: open .*: no such file or directory/)
      })

      it('--rmi removes the container and then its image (here: the tag it ran as)', () => {
        env.ok(['tag', 'bb', 'bbtmp'])
        env.ok(['run', '--rmi', 'bbtmp', 'true'])
        expect(env.ok(['images', '--format', '{{.Repository}}'])).to.not.include('bbtmp')
        expect(containers()).to.deep.equal([])
      })
    })

    describe('environment flags', () => {
      it('--unsetenv removes a default variable; HOME and HOSTNAME stay', () => {
        const vars = out(['--unsetenv', 'PATH', '--unsetenv', 'TERM', '--unsetenv', 'HOME', 'bb', '/bin/env']).split('\n').map(l => l.split('=')[0])
        expect(vars).to.not.include.members(['PATH', 'TERM'])
        expect(vars).to.include.members(['HOME', 'HOSTNAME', 'container'])
      })

      it('--unsetenv-all keeps only the user\'s variables (and HOME, HOSTNAME)', () => {
        const vars = out(['--unsetenv-all', '-e', 'A=1', 'bb', '/bin/env']).split('\n').filter(Boolean).map(l => l.split('=')[0]).sort()
        expect(vars).to.deep.equal(['A', 'HOME', 'HOSTNAME'])
      })

      it('--env-merge expands the default environment', () => {
        expect(out(['--env-merge', 'PATH=${PATH}:/opt/bin', 'bb', 'sh', '-c', 'echo $PATH'])).to.match(/:\/bin:\/opt\/bin\n$/)
      })

      it('--http-proxy=false keeps the host\'s proxy variables out', () => {
        const withProxy = env.run(['run', '--rm', 'bb', 'sh', '-c', 'echo "[$http_proxy]"'], {env: {http_proxy: 'http://proxy:3128'}})
        expect(withProxy.stdout).to.equal('[http://proxy:3128]\n')
        const without = env.run(['run', '--rm', '--http-proxy=false', 'bb', 'sh', '-c', 'echo "[$http_proxy]"'], {env: {http_proxy: 'http://proxy:3128'}})
        expect(without.stdout, without.stderr).to.equal('[]\n')
      })

      it('--tz puts the zone at /etc/localtime', () => {
        expect(out(['--tz', 'Asia/Tokyo', 'bb', 'date', '+%Z']).trim()).to.equal('JST')
        const host = execFileSync('md5sum', ['/usr/share/zoneinfo/Asia/Tokyo'], {encoding: 'utf8'}).split(' ')[0]
        expect(out(['--tz', 'Asia/Tokyo', 'bb', 'md5sum', '/etc/localtime']).split(' ')[0]).to.equal(host)
        expectError(env.run(['create', '--tz', 'Bad/Zone', 'bb', 'true']), 125, /stat \/usr\/share\/zoneinfo\/Bad\/Zone: no such file or directory/)
      })

      it('--sysctl sets the value in the container\'s namespaces', () => {
        expect(out(['--sysctl', 'kernel.msgmax=8192', '--sysctl', 'net.ipv4.ip_forward=1', 'bb', 'cat', '/proc/sys/kernel/msgmax', '/proc/sys/net/ipv4/ip_forward']).split('\n').slice(0, 2)).to.deep.equal(['8192', '1'])
        expectError(env.run(['create', '--sysctl', 'kernel.foo=1', 'bb', 'true']), 125, /^Error: sysctl 'kernel.foo' is not allowed$/)
        expectError(env.run(['create', '--sysctl', 'novalue', 'bb', 'true']), 125, /novalue is invalid, sysctl values must be in the form of KEY=VALUE/)
      })

      it('--label-file labels the container (--label wins)', () => {
        const lf = env.file('labels')
        writeFileSync(lf, '# comment\na=1\nb=2\n\nflag\n')
        env.chown(lf)
        const id = env.ok(['create', '--label-file', lf, '--label', 'b=3', 'bb', 'true']).trim()
        expect(JSON.parse(inspect(id, '{{json .Config.Labels}}'))).to.deep.equal({a: '1', b: '3', flag: ''})
        env.ok(['rm', id])
        expectError(env.run(['create', '--label-file', '/nonexistent', 'bb', 'true']), 125, /unable to process labels: open \/nonexistent/)
      })

      it('--read-only-tmpfs=false: no writable /tmp in a --read-only container', () => {
        expect(env.run(['run', '--rm', '--read-only', 'bb', 'touch', '/tmp/x']).code).to.equal(0)
        expect(env.run(['run', '--rm', '--read-only', '--read-only-tmpfs=false', 'bb', 'touch', '/tmp/x']).code).to.not.equal(0)
      })

      it('--image-volume: the image\'s VOLUME as a volume (bind), a tmpfs, or nothing', () => {
        env.ok(['import', '--change', 'VOLUME=/data', env.file('bb.tar'), 'vimg'])
        const before = env.ok(['volume', 'ls', '-q'])
        expect(out(['vimg', 'sh', '-c', 'mount | grep " /data " | cut -d" " -f5'])).to.not.equal('tmpfs\n')
        expect(out(['--image-volume', 'tmpfs', 'vimg', 'sh', '-c', 'mount | grep " /data " | cut -d" " -f5'])).to.equal('tmpfs\n')
        expect(env.run(['run', '--rm', '--image-volume', 'ignore', 'vimg', 'sh', '-c', 'mount | grep " /data "']).code).to.equal(1)
        expect(env.ok(['volume', 'ls', '-q'])).to.equal(before)
        expectError(env.run(['create', '--image-volume', 'foo', 'vimg', 'true']), 125, /invalid image volume mode "foo" required value: bind, tmpfs, ignore/)
      })

      it('--seccomp-policy image: the profile from the image\'s label', () => {
        const prof = JSON.stringify({defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO'}]})
        env.ok(['import', '--change', `LABEL io.containers.seccomp.profile=${prof}`, env.file('bb.tar'), 'simg'])
        expect(env.run(['run', '--rm', 'simg', 'mkdir', '/tmp/x']).code).to.equal(0)
        const r = env.run(['run', '--rm', '--seccomp-policy', 'image', 'simg', 'mkdir', '/tmp/x'])
        expect(r.code).to.equal(1)
        expect(r.stderr).to.include('Operation not permitted')
        expectError(env.run(['create', '--seccomp-policy', 'foo', 'simg', 'true']), 125, /invalid seccomp policy "foo": valid policies are \["default" "image"\]/)
      })

      it('--init-path: the init binary bound in with --init', function () {
        if (!existsSync('/usr/bin/catatonit')) this.skip()
        const init = env.file('my-init')
        copyFileSync('/usr/bin/catatonit', init)
        env.chown(init)
        expect(out(['--init', '--init-path', init, 'bb', 'cat', '/proc/1/cmdline']).split('\0')[0]).to.equal('/run/podman-init')
        expect(env.run(['run', '--rm', '--init', '--init-path', env.file('no-such-init'), 'bb', 'true']).code).to.not.equal(0)
      })
    })
  })
}

describe('run/create pull with --authfile, --tls-verify and the platform flags (root)', function () {
  const haveRegistry = spawnSync('docker-registry', ['--version']).status === 0 && spawnSync('which', ['htpasswd']).status === 0
  let env: Env
  let reg: RegistryServer
  let dir: string

  before(async function () {
    if (unavailable('root') || !haveRegistry) return this.skip()
    dir = mkdtempSync(path.join(os.tmpdir(), 'peapod-life-reg-'))
    reg = await RegistryServer.start({htpasswd: htpasswd(path.join(dir, 'htpasswd'), 'alice', 'wonderland')})
    env = new Env('root')
    env.ok(['import', '-q', busyboxTar(), 'localhost/bb:1'])
    writeFileSync(path.join(dir, 'auth.json'), JSON.stringify({auths: {[reg.host]: {auth: Buffer.from('alice:wonderland').toString('base64')}}}))
    env.ok(['push', '--tls-verify=false', '--authfile', path.join(dir, 'auth.json'), 'localhost/bb:1', `${reg.host}/bb:1`])
  })
  after(async () => {
    await reg?.stop()
    env?.cleanup()
    if (dir) rmSync(dir, {recursive: true, force: true})
  })

  it('pulls the missing image with the auth file; without it the registry refuses and nothing is created', () => {
    const ref = `${reg.host}/bb:1`
    const denied = env.run(['run', '--rm', '--tls-verify=false', ref, 'true'])
    expect(denied.code, denied.stderr).to.equal(125)
    expect(env.ok(['ps', '-aq']).trim()).to.equal('')
    expect(env.run(['run', '--rm', '--tls-verify', '--authfile', path.join(dir, 'auth.json'), ref, 'true']).code).to.equal(125) // HTTPS to a plain-HTTP registry
    expect(env.ok(['run', '--rm', '--tls-verify=false', '--authfile', path.join(dir, 'auth.json'), ref, 'echo', 'pulled'])).to.equal('pulled\n')
    expect(env.ok(['images', '--format', '{{.Repository}}:{{.Tag}}'])).to.include(ref)
    // --pull always fetches again; -q keeps the progress off stderr
    const loud = env.run(['run', '--rm', '--pull', 'always', '--tls-verify=false', '--authfile', path.join(dir, 'auth.json'), ref, 'true'])
    expect(loud.stderr).to.match(/Copying|Writing|Storing/)
    const quiet = env.run(['run', '--rm', '-q', '--pull', 'always', '--tls-verify=false', '--authfile', path.join(dir, 'auth.json'), ref, 'true'])
    expect([quiet.code, quiet.stderr]).to.deep.equal([0, ''])
  })

  it('--arch/--platform: a local image of another architecture does not count; conflicts are refused', () => {
    expectError(env.run(['create', '--arch', 'arm64', '--pull', 'never', 'localhost/bb:1', 'true']), 125, /^Error: localhost\/bb:1: image not known$/)
    expectError(env.run(['create', '--platform', 'linux/arm64', '--arch', 'amd64', 'localhost/bb:1', 'true']), 125, /^Error: --platform option can not be specified with --arch or --os$/)
    const arch = process.arch === 'x64' ? 'amd64' : process.arch
    const id = env.ok(['create', '--arch', arch, '--pull', 'never', 'localhost/bb:1', 'true']).trim()
    env.ok(['rm', id])
  })
})
