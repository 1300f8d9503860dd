// Container commands end to end, as root and as the rootless test user,
// checked against what Podman 4.3.1 prints and returns on this machine:
// run's flags and exit codes, the lifecycle (create, init, start, stop,
// kill, restart, rm, rename, prune, exists, wait, attach), logs, ps and
// inspect. Reliability (parallel runs, bad input, a killed monitor, a real
// terminal, gVisor) is in containers-reliability.test.ts.
import {expect} from 'chai'
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {Containers, Env, pidGone, unavailable, waitUntil, type Mode} from './helpers.js'
import {busyboxTar} from './fixtures.js'

/** Podman's default capability set (11) as /proc/self/status shows it. */
const DEFAULT_CAPS = '00000000800405fb'
const PS_HEADER = /^CONTAINER ID\s+IMAGE\s+COMMAND\s+CREATED\s+STATUS\s+PORTS\s+NAMES$/

/** Collects a child's output and resolves when a pattern shows up. */
function outputOf(stream: NodeJS.ReadableStream): {text: () => string; waitFor: (re: RegExp, ms?: number) => Promise<void>} {
  let text = ''
  const waiters: Array<{re: RegExp; done: () => void}> = []
  stream.on('data', (d: Buffer) => {
    text += d.toString()
    for (const w of [...waiters]) if (w.re.test(text)) {
      waiters.splice(waiters.indexOf(w), 1)
      w.done()
    }
  })
  return {
    text: () => text,
    waitFor: (re, ms = 20000) => re.test(text) ? Promise.resolve() : new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`timed out waiting for ${re} in ${JSON.stringify(text)}`)), ms)
      waiters.push({re, done: () => (clearTimeout(t), resolve())})
    }),
  }
}

/** Runs a spawned peapod to completion. */
function finished(p: import('node:child_process').ChildProcess): Promise<{code: number; stdout: string; stderr: string}> {
  let stdout = ''
  let stderr = ''
  p.stdout?.on('data', d => { stdout += d })
  p.stderr?.on('data', d => { stderr += d })
  return new Promise(resolve => p.on('close', code => resolve({code: code ?? 128, stdout, stderr})))
}

function exited(p: import('node:child_process').ChildProcess): Promise<number> {
  if (p.exitCode !== null) return Promise.resolve(p.exitCode)
  return new Promise(resolve => p.once('exit', code => resolve(code ?? 128)))
}

for (const mode of ['root', 'rootless'] as Mode[]) {
  describe(`container commands (${mode})`, function () {
    let env: Env
    let ct: Containers

    before(function () {
      if (unavailable(mode)) this.skip()
      env = new Env(mode)
      ct = new Containers(env)
      env.ok(['import', busyboxTar(), 'bb'])
    })
    after(() => env?.cleanup())

    /** stdout of a `run --rm`, which must succeed. */
    const out = (args: string[], opts: {env?: Record<string, string>} = {}): string => {
      const r = env.run(['run', '--rm', ...args], opts)
      if (r.code !== 0) throw new Error(`run ${args.join(' ')} exited ${r.code}: ${r.stderr}`)
      return r.stdout
    }
    const inspect = (ref: string, fmt: string) => env.ok(['inspect', '--format', fmt, ref]).trim()
    /** Several `run --rm` at once (they are independent; this also keeps the suite fast). */
    const runs = (list: Array<string[] | {args: string[]; env?: Record<string, string>}>) =>
      Promise.all(list.map(r => Array.isArray(r) ? {args: r} : r).map(r => finished(env.spawn(['run', '--rm', ...r.args], {env: r.env}))))
    /** Their stdout; each must succeed. */
    const outs = async (list: Parameters<typeof runs>[0]) => (await runs(list)).map((r, i) => {
      if (r.code !== 0) throw new Error(`run ${JSON.stringify(list[i])} exited ${r.code}: ${r.stderr}`)
      return r.stdout
    })

    describe('run', () => {
      it('passes the container\'s exit code and output through, as Podman', () => {
        expect(env.run(['run', '--rm', 'bb', 'true'])).to.include({code: 0, stdout: '', stderr: ''})
        const r = env.run(['run', '--rm', 'bb', 'sh', '-c', 'echo out; echo err >&2; exit 7'])
        expect(r).to.include({code: 7, stdout: 'out\n', stderr: 'err\n'})
        // flags after the image belong to the command (Podman stops parsing at the image)
        expect(out(['bb', 'echo', '-n', '--rm', 'x'])).to.equal('--rm x')
      })

      it('exits 127 for a command that is not there and 126 for one that cannot run', () => {
        const nf = env.run(['run', '--rm', 'bb', 'nosuchcmd'])
        expect(nf.code).to.equal(127)
        expect(nf.stderr).to.match(/^Error: .*nosuchcmd.*(not found|no such file)/i)
        expect(nf.stderr.trim().split('\n')).to.have.length(1)
        const ni = env.run(['run', '--rm', 'bb', '/etc/passwd'])
        expect(ni.code).to.equal(126)
        expect(ni.stderr).to.match(/^Error: .*permission denied/)
        // Podman: an unknown user is also 126
        const nu = env.run(['run', '--rm', '--user', 'nosuchuser', 'bb', 'true'])
        expect(nu.code).to.equal(126)
        expect(nu.stderr).to.equal('Error: unable to find user nosuchuser: no matching entries in passwd file\n')
        // engine errors: 125
        const img = env.run(['run', '--rm', 'nosuchimage', 'true'])
        expect(img.code).to.equal(125)
        expect(img.stderr).to.match(/^Error: .*nosuchimage.*\n$/)
        expect(env.ok(['ps', '-a', '-q'])).to.equal('')
      })

      it('sets the environment: -e, --env-file, --env-host, image defaults', async () => {
        const file = env.file('env.list')
        writeFileSync(file, 'A=1\n# comment\n\nFROMHOST\nB=two words\n')
        env.chown(file)
        const [plain, host, order] = await outs([
          {args: ['-e', 'X=1', '-e', 'FROMHOST', '-e', 'UNSET_ON_HOST', '--env-file', file, 'bb', 'env'], env: {FROMHOST: 'hostval'}},
          {args: ['--env-host', 'bb', 'env'], env: {ONLY_ON_HOST: 'yes'}},
          // -e wins over --env-file, which wins over the host
          {args: ['--env-host', '--env-file', file, '-e', 'A=3', 'bb', 'sh', '-c', 'echo $A $FROMHOST'], env: {A: 'host', FROMHOST: 'h'}},
        ])
        const lines = plain.trim().split('\n').sort()
        // Podman 4.3.1's output for the same run
        expect(lines.filter(l => !l.startsWith('HOSTNAME='))).to.deep.equal(
          ['A=1', 'B=two words', 'FROMHOST=hostval', 'HOME=/root', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'TERM=xterm', 'X=1', 'container=podman'])
        expect(lines.find(l => l.startsWith('HOSTNAME='))).to.match(/^HOSTNAME=[0-9a-f]{12}$/)
        expect(host).to.match(/^ONLY_ON_HOST=yes$/m)
        expect(host).not.to.match(/^PEAPOD_/m)
        expect(order).to.equal('3 h\n')
      })

      it('takes the environment from the shell that created the container, not the one that starts it', () => {
        const id = env.run(['create', '-e', 'V', 'bb', 'sh', '-c', 'echo V=$V'], {env: {V: 'at-create'}}).stdout.trim()
        expect(env.run(['start', '-a', id], {env: {V: 'at-start'}}).stdout).to.equal('V=at-create\n')
        env.ok(['rm', id])
      })

      it('sets the working dir, user, hostname and entrypoint', async () => {
        expect(await outs([
          ['-w', '/tmp', 'bb', 'pwd'],
          ['-w', '/new/dir', 'bb', 'pwd'],
          ['-u', '65534:65534', 'bb', 'id'],
          ['--user', 'nobody', 'bb', 'sh', '-c', 'id -u; echo $HOME'],
          ['-h', 'myhost', 'bb', 'sh', '-c', 'hostname; cat /etc/hostname; grep -c myhost /etc/hosts'],
          ['--hostname', 'h2', 'bb', 'sh', '-c', 'echo $HOSTNAME'],
          ['--entrypoint', 'echo', 'bb', 'a', 'b'],
          ['--entrypoint', '["echo","ep"]', 'bb', 'x'],
          ['--entrypoint', '', 'bb', 'echo', 'cleared'],
        ])).to.deep.equal([
          '/tmp\n',
          '/new/dir\n',
          'uid=65534(nobody) gid=65534(nobody) groups=65534(nobody)\n',
          '65534\n/\n',
          'myhost\nmyhost\n1\n',
          'h2\n',
          'a b\n',
          'ep x\n',
          'cleared\n',
        ])
      })

      it('mounts binds (ro and rw), --tmpfs, and a --read-only root', async () => {
        const dir = env.file('bind')
        mkdirSync(dir)
        writeFileSync(path.join(dir, 'f'), 'data\n')
        env.chown(dir)
        const [rw, ro, tmpfs, tmpfsRo, rdonly] = await runs([
          ['-v', `${dir}:/d`, 'bb', 'sh', '-c', 'cat /d/f; echo new > /d/g'],
          ['-v', `${dir}:/d:ro`, 'bb', 'sh', '-c', 'cat /d/f; echo x > /d/h'],
          ['--tmpfs', '/t', 'bb', 'sh', '-c', 'grep " /t " /proc/mounts'],
          ['--tmpfs', '/t:ro,size=1m', 'bb', 'sh', '-c', 'grep " /t " /proc/mounts'],
          ['--read-only', 'bb', 'sh', '-c', 'touch /tmp/ok && touch /x'],
        ])
        expect(rw).to.include({code: 0, stdout: 'data\n'})
        expect(readFileSync(path.join(dir, 'g'), 'utf8')).to.equal('new\n')
        expect(ro).to.include({code: 1, stdout: 'data\n'})
        expect(ro.stderr).to.match(/Read-only file system/)
        expect(tmpfs.stdout).to.match(/^tmpfs \/t tmpfs rw,nosuid,nodev/)
        expect(tmpfsRo.stdout).to.match(/^tmpfs \/t tmpfs ro,.*size=1024k/)
        expect(rdonly).to.include({code: 1, stderr: 'touch: /x: Read-only file system\n'})
      })

      it('runs catatonit as PID 1 with --init', async () => {
        const [init, plain] = await outs([['--init', 'bb', 'cat', '/proc/1/cmdline'], ['bb', 'cat', '/proc/1/cmdline']])
        expect(init.split('\0')).to.deep.equal(['/run/podman-init', '--', 'cat', '/proc/1/cmdline', ''])
        expect(plain).to.equal('cat\0/proc/1/cmdline\0')
        const id = env.ok(['create', '--init', 'bb', 'true']).trim()
        expect(inspect(id, '{{.HostConfig.Init}}')).to.equal('true')
        env.ok(['rm', id])
      })

      it('sets capabilities: default, --cap-add, --cap-drop, --privileged', async () => {
        const sets = [[], ['--cap-add', 'NET_ADMIN'], ['--cap-add', 'cap_net_admin', '--cap-drop', 'CHOWN'], ['--cap-drop', 'all'], ['--cap-drop', 'all', '--cap-add', 'KILL'], ['--privileged']]
        const effective = (await outs(sets.map(a => [...a, 'bb', 'cat', '/proc/self/status']))).map(o => /^CapEff:\s+(\w+)$/m.exec(o)![1])
        // --privileged: every capability peapod has (the bounding set of the test process, or rootless of the user namespace)
        const holder = mode === 'rootless' ? ct.pausePid() : undefined
        const bnd = /^CapBnd:\s+(\w+)$/m.exec(readFileSync(holder ? `/proc/${holder}/status` : '/proc/self/status', 'utf8'))![1]
        expect(effective).to.deep.equal([DEFAULT_CAPS, '00000000800415fb', '00000000800415fa', '0000000000000000', '0000000000000020', bnd])
        // inspect as Podman 4.3.1's, from create on and after the container exited: HostConfig's
        // CapAdd/CapDrop against containers/common's built-in default set; a non-root user gets only its adds
        const id = env.ok(['create', '--cap-add', 'net_admin', '--cap-drop', 'chown', 'bb', 'true']).trim()
        const user = env.ok(['create', '--cap-add', 'net_admin', '--cap-drop', 'chown', '--user', '1000', 'bb', 'true']).trim()
        const bounding = '[CAP_DAC_OVERRIDE CAP_FOWNER CAP_FSETID CAP_KILL CAP_NET_ADMIN CAP_NET_BIND_SERVICE CAP_SETFCAP CAP_SETGID CAP_SETPCAP CAP_SETUID CAP_SYS_CHROOT]'
        const fields = '{{.EffectiveCaps}}|{{.BoundingCaps}}|{{.HostConfig.CapAdd}}|{{.HostConfig.CapDrop}}'
        const changes = '[CAP_NET_ADMIN]|[CAP_AUDIT_WRITE CAP_CHOWN CAP_MKNOD CAP_NET_RAW]'
        expect(inspect(id, fields)).to.equal(`${bounding}|${bounding}|${changes}`)
        expect(inspect(user, fields)).to.equal(`[CAP_NET_ADMIN]|${bounding}|${changes}`)
        env.ok(['start', '--attach', id])
        expect(inspect(id, fields)).to.equal(`${bounding}|${bounding}|${changes}`)
        const plain = env.ok(['create', 'bb', 'true']).trim()
        expect(inspect(plain, '{{.HostConfig.CapAdd}}|{{.HostConfig.CapDrop}}')).to.equal('[]|[CAP_AUDIT_WRITE CAP_MKNOD CAP_NET_RAW]')
        // the image's USER counts as --user does
        env.ok(['commit', '-q', '-c', 'USER 1000', plain, 'bb-user'])
        const imageUser = env.ok(['create', '--cap-add', 'kill', 'bb-user', 'true']).trim()
        expect(inspect(imageUser, '{{.EffectiveCaps}}')).to.equal('[CAP_KILL]')
        env.ok(['rm', id, user, plain, imageUser])
        env.ok(['rmi', 'bb-user'])
      })

      it('applies --security-opt no-new-privileges and seccomp', async () => {
        const [def, nnp, unconfined, privileged] = await outs([[], ['--security-opt', 'no-new-privileges'], ['--security-opt', 'seccomp=unconfined'], ['--privileged']].map(a => [...a, 'bb', 'cat', '/proc/self/status']))
        expect(def).to.match(/^NoNewPrivs:\s+0$/m)
        expect(def).to.match(/^Seccomp:\s+2$/m)
        expect(nnp).to.match(/^NoNewPrivs:\s+1$/m)
        expect(unconfined).to.match(/^Seccomp:\s+0$/m)
        expect(privileged).to.match(/^Seccomp:\s+0$/m)
      })

      it('writes --cidfile and refuses one that exists', () => {
        const cid = env.file('cid')
        const id = env.ok(['run', '-d', '--cidfile', cid, 'bb', 'true']).trim()
        expect(readFileSync(cid, 'utf8')).to.equal(id)
        const again = env.run(['run', '--cidfile', cid, 'bb', 'true'])
        expect(again.code).to.equal(125)
        expect(again.stderr).to.equal(`Error: container id file exists. Ensure another container is not using it or delete ${cid}\n`)
        expect(env.run(['create', '--cidfile', cid, 'bb', 'true']).code).to.equal(125)
        expect(env.ok(['ps', '-a', '-q', '--no-trunc']).trim()).to.equal(id)
        env.ok(['wait', id])
        env.ok(['rm', '--cidfile', cid])
        expect(env.ok(['ps', '-a', '-q'])).to.equal('')
      })

      it('records labels, annotations, the stop signal and timeout as Podman shows them', () => {
        const id = env.ok(['create', '--name', 'meta', '-l', 'a=b', '--label', 'c', '--annotation', 'x=y', '--stop-signal', 'SIGINT', '--stop-timeout', '3', 'bb', 'true']).trim()
        const [doc] = JSON.parse(env.ok(['container', 'inspect', 'meta']))
        expect(doc.Id).to.equal(id)
        expect(doc.Config.Labels).to.deep.equal({a: 'b', c: ''})
        expect(doc.Config.Annotations).to.include({x: 'y', 'io.podman.annotations.autoremove': 'FALSE', 'io.kubernetes.cri-o.TTY': 'false'})
        expect(doc.Config.StopSignal).to.equal(2)
        expect(doc.Config.StopTimeout).to.equal(3)
        expect(doc.Config.CreateCommand).to.include.members(['create', '--name', 'meta', 'bb', 'true'])
        expect(env.ok(['ps', '-a', '--filter', 'label=a=b', '--format', '{{.Names}} {{.Labels}}']).trim()).to.equal('meta map[a:b c:]')
        env.ok(['rm', 'meta'])
      })
    })

    describe('lifecycle', () => {
      it('rm -f stops gracefully first, as Podman: the stop signal, SIGKILL only after the stop timeout', async () => {
        const dir = env.file('graceful')
        mkdirSync(dir)
        env.chown(dir)
        env.ok(['run', '-d', '--name', 'graceful', '-v', `${dir}:/out`, 'bb', 'sh', '-c',
          'trap "echo term > /out/t; exit 3" TERM; touch /out/ready; while :; do sleep 0.1; done'])
        await waitUntil('the trap to be set', () => existsSync(path.join(dir, 'ready')))
        expect(env.ok(['rm', '-f', 'graceful'])).to.equal('graceful\n')
        expect(readFileSync(path.join(dir, 't'), 'utf8')).to.equal('term\n')
      })

      it('create → init → start → stop → start → rm, with Podman\'s states', async () => {
        const id = env.ok(['create', '--name', 'life', 'bb', 'sleep', '1000']).trim()
        expect(id).to.match(/^[0-9a-f]{64}$/)
        expect(inspect('life', '{{.State.Status}} {{.State.Running}} {{.State.Pid}}')).to.equal('created false 0')
        expect(env.ok(['ps', '-a', '--format', '{{.Names}} {{.Status}}'])).to.equal('life Created\n')
        // not mounted by create (only this container's: an earlier test's exit command may still be unmounting its own)
        expect(ct.mounts().filter(m => m.includes(id))).to.deep.equal([])
        // init: mounted and bundled, nothing running (Podman's "initialized")
        expect(env.ok(['init', 'life'])).to.equal('life\n')
        expect(inspect('life', '{{.State.Status}} {{.State.Running}}')).to.equal('initialized false')
        expect(env.ok(['ps', '-a', '--format', '{{.Status}}'])).to.equal('Initialized\n')
        expect(env.ok(['ps', '-q'])).to.equal('')
        expect(env.ok(['ps', '-a', '-q', '--filter', 'status=initialized'])).to.equal(id.slice(0, 12) + '\n')
        expect(ct.mounts().some(m => m.includes(id))).to.equal(true)
        const again = env.run(['container', 'init', 'life'])
        expect(again.code).to.equal(125)
        expect(again.stderr).to.equal(`Error: container ${id} has already been created in runtime: container state improper\n`)
        // start: running
        expect(env.ok(['start', 'life'])).to.equal('life\n')
        expect(inspect('life', '{{.State.Status}} {{.State.Running}}')).to.equal('running true')
        const pid = Number(inspect('life', '{{.State.Pid}}'))
        expect(pid).to.be.greaterThan(0)
        expect(env.ok(['ps', '--format', '{{.Names}} {{.Status}}'])).to.match(/^life Up .* ago\n$/)
        expect(env.run(['init', 'life']).code).to.equal(125)
        // stop: busybox sleep as PID 1 ignores SIGTERM → SIGKILL after -t
        const t0 = Date.now()
        expect(env.ok(['stop', '-t', '1', 'life'])).to.equal('life\n')
        // below the default 10 s that an ignored -t would take, with room for a loaded machine
        expect(Date.now() - t0).to.be.within(900, 9500)
        expect(inspect('life', '{{.State.Status}} {{.State.ExitCode}}')).to.equal('exited 137')
        expect(env.ok(['ps', '-a', '--format', '{{.Status}}'])).to.match(/^Exited \(137\) .* ago\n$/)
        await pidGone(pid)
        // stop returns once the container is cleaned up: unmounted
        expect(ct.mounts().filter(m => m.includes(id))).to.deep.equal([])
        // stopping a stopped container is fine; starting it again works
        expect(env.ok(['stop', 'life'])).to.equal('life\n')
        expect(env.ok(['start', id.slice(0, 10)])).to.equal(id.slice(0, 10) + '\n')
        expect(inspect(id, '{{.State.Status}}')).to.equal('running')
        expect(env.ok(['rm', '-f', '-t', '0', 'life'])).to.equal('life\n')
        expect(env.run(['container', 'exists', 'life']).code).to.equal(1)
        await ct.settled()
      })

      it('stops with the stop signal, --stop-timeout, and stop --all', async () => {
        // a trap for the stop signal exits at once with its own code
        env.ok(['run', '-d', '--name', 'trap', '--stop-signal', 'USR1', 'bb', 'sh', '-c', 'trap "exit 42" USR1; echo ready; sleep 1000 & wait'])
        env.ok(['run', '-d', '--name', 'term', 'bb', 'sh', '-c', 'trap "exit 43" TERM; echo ready; sleep 1000 & wait'])
        env.ok(['run', '-d', '--name', 'slow', '--stop-timeout', '1', 'bb', 'sleep', '1000'])
        // run -d returns once sh runs, not once it has set its trap (a signal before that is dropped: sh is PID 1)
        await waitUntil('the traps to be set', () => ['trap', 'term'].every(n => env.ok(['logs', n]).includes('ready')))
        const t0 = Date.now()
        const stopped = env.ok(['stop', '--all']).trim().split('\n')
        expect(Date.now() - t0).to.be.within(900, 10000)
        expect(stopped).to.have.length(3)
        expect(inspect('trap', '{{.State.ExitCode}}')).to.equal('42')
        expect(inspect('term', '{{.State.ExitCode}}')).to.equal('43')
        expect(inspect('slow', '{{.State.ExitCode}}')).to.equal('137')
        expect(env.ok(['stop', '--all'])).to.equal('')
        const miss = env.run(['stop', 'nosuch'])
        expect(miss.code).to.equal(125)
        expect(miss.stderr).to.equal('Error: no container with name or ID "nosuch" found: no such container\n')
        expect(env.run(['stop', '--ignore', 'nosuch']).code).to.equal(0)
        env.ok(['rm', '-a'])
        await ct.settled()
      })

      it('kills with a signal (kill -s) and refuses containers that do not run', async () => {
        const id = env.ok(['run', '-d', '--name', 'k', 'bb', 'sh', '-c', 'trap "exit 9" HUP; echo ready; sleep 1000 & wait']).trim()
        // a HUP before the trap is set is dropped (sh is PID 1): wait for it
        await waitUntil('the trap to be set', () => env.ok(['logs', 'k']).includes('ready'))
        expect(env.ok(['kill', '-s', 'HUP', 'k'])).to.equal('k\n')
        expect(env.ok(['wait', 'k'])).to.equal('9\n')
        const notRunning = env.run(['kill', 'k'])
        expect(notRunning.code).to.equal(125)
        expect(notRunning.stderr).to.equal(`Error: can only kill running containers. ${id} is in state exited: container state improper\n`)
        env.ok(['start', 'k'])
        expect(env.ok(['kill', '--signal', 'SIGKILL', id.slice(0, 12)])).to.equal(id.slice(0, 12) + '\n')
        expect(env.ok(['wait', 'k'])).to.equal('137\n')
        env.ok(['start', 'k'])
        const bad = env.run(['kill', '-s', 'BOGUS', 'k'])
        expect(bad.code).to.equal(125)
        expect(bad.stderr).to.match(/^Error: invalid signal: BOGUS\n$/)
        expect(env.ok(['kill', 'k'])).to.equal('k\n')
        expect(env.ok(['wait', 'k'])).to.equal('137\n')
        env.ok(['rm', 'k'])
        await ct.settled()
      })

      it('restarts running and stopped containers', async () => {
        env.ok(['run', '-d', '--name', 'r', 'bb', 'sleep', '1000'])
        const pid1 = Number(inspect('r', '{{.State.Pid}}'))
        expect(env.ok(['restart', '-t', '0', 'r'])).to.equal('r\n')
        const pid2 = Number(inspect('r', '{{.State.Pid}}'))
        expect(inspect('r', '{{.State.Status}}')).to.equal('running')
        expect(pid2).to.be.greaterThan(0).and.not.equal(pid1)
        await pidGone(pid1)
        env.ok(['stop', '-t', '0', 'r'])
        expect(env.ok(['container', 'restart', 'r'])).to.equal('r\n')
        expect(inspect('r', '{{.State.Status}}')).to.equal('running')
        const created = env.ok(['create', '--name', 'r2', 'bb', 'sleep', '1000']).trim()
        expect(env.ok(['restart', '--running', '-t', '0']).trim()).to.equal(JSON.parse(env.ok(['inspect', 'r']))[0].Id)
        expect(inspect('r2', '{{.State.Status}}')).to.equal('created')
        expect(env.ok(['restart', '-t', '0', created])).to.equal(created + '\n')
        expect(inspect('r2', '{{.State.Status}}')).to.equal('running')
        expect(env.run(['restart', 'nosuch']).code).to.equal(125)
        env.ok(['rm', '-f', '-t', '0', '-a'])
        await ct.settled()
      })

      it('removes as Podman: exit 1 for missing, 2 for running, -f, -a, --depend', async () => {
        env.ok(['run', '-d', '--name', 'up', 'bb', 'sleep', '1000'])
        const running = env.run(['rm', 'up'])
        expect(running.code).to.equal(2)
        expect(running.stderr).to.match(/^Error: cannot remove container [0-9a-f]{64} as it is running - running or paused containers cannot be removed without force: container state improper\n$/)
        const missing = env.run(['rm', 'nosuch'])
        expect(missing.code).to.equal(1)
        expect(missing.stderr).to.equal('Error: no container with name or ID "nosuch" found: no such container\n')
        expect(env.run(['rm', '-f', '-t', '0', 'nosuch'])).to.include({code: 0, stdout: ''})
        expect(env.run(['rm', '--ignore', 'nosuch']).code).to.equal(0)
        expect(env.ok(['rm', '-f', '-t', '0', 'up'])).to.equal('up\n')
        // dependencies: a container in another's network namespace
        const a = env.ok(['create', '--name', 'base', 'bb', 'true']).trim()
        const b = env.ok(['create', '--name', 'dep', '--network', 'container:base', 'bb', 'true']).trim()
        const refused = env.run(['rm', 'base'])
        expect(refused.code).to.equal(125)
        expect(refused.stderr).to.equal(`Error: container ${a} has dependent containers which must be removed before it: ${b}: container already exists\n`)
        expect(env.ok(['rm', '--depend', 'base'])).to.equal(`${b}\nbase\n`)
        // -a removes everything (running too with -f), printing full IDs; -v is accepted
        const ids = [env.ok(['create', 'bb', 'true']).trim(), env.ok(['run', '-d', 'bb', 'sleep', '1000']).trim()]
        const rmAll = env.run(['rm', '-a'])
        expect(rmAll.code).to.equal(2)
        expect(env.ok(['rm', '-a', '-f', '-t', '0', '-v']).trim().split('\n')).to.deep.equal([ids[1]])
        expect(env.ok(['ps', '-a', '-q'])).to.equal('')
        await ct.settled()
      })

      it('renames containers', () => {
        const id = env.ok(['create', '--name', 'old', 'bb', 'true']).trim()
        env.ok(['create', '--name', 'taken', 'bb', 'true'])
        expect(env.run(['rename', 'old', 'new'])).to.include({code: 0, stdout: ''})
        expect(env.run(['container', 'exists', 'old']).code).to.equal(1)
        expect(env.run(['container', 'exists', 'new']).code).to.equal(0)
        expect(inspect('new', '{{.Name}} {{.Id}}')).to.equal(`new ${id}`)
        // the old name is free again
        env.ok(['create', '--name', 'old', 'bb', 'true'])
        const used = env.run(['rename', 'new', 'taken'])
        expect(used.code).to.equal(125)
        expect(used.stderr).to.equal(`Error: renaming container ${id}: name taken already in use, cannot rename container ${id}: container already exists\n`)
        const bad = env.run(['container', 'rename', 'new', 'bad name'])
        expect(bad.code).to.equal(125)
        expect(bad.stderr).to.equal('Error: names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*: invalid argument\n')
        expect(env.run(['rename', 'nosuch', 'x']).stderr).to.equal('Error: no container with name or ID "nosuch" found: no such container\n')
        expect(env.ok(['start', '-a', 'new'])).to.equal('')
        expect(env.ok(['ps', '-a', '--sort', 'names', '--format', '{{.Names}}'])).to.equal('new\nold\ntaken\n')
        env.ok(['rm', '-a'])
      })

      it('checks existence with container exists', () => {
        const id = env.ok(['create', '--name', 'here', 'bb', 'true']).trim()
        expect(env.run(['container', 'exists', 'here'])).to.include({code: 0, stdout: '', stderr: ''})
        expect(env.run(['container', 'exists', id.slice(0, 8)]).code).to.equal(0)
        expect(env.run(['container', 'exists', 'nothere'])).to.include({code: 1, stdout: '', stderr: ''})
        env.ok(['rm', 'here'])
        expect(env.run(['container', 'exists', id]).code).to.equal(1)
      })

      it('prunes containers that do not run', async () => {
        const exitedId = env.ok(['run', '-d', '-l', 'keep=no', 'bb', 'true']).trim()
        const createdId = env.ok(['create', '-l', 'keep=yes', 'bb', 'true']).trim()
        const runningId = env.ok(['run', '-d', 'bb', 'sleep', '1000']).trim()
        env.ok(['wait', exitedId])
        // the prompt: anything but y keeps everything
        expect(env.run(['container', 'prune'], {input: 'n\n'})).to.include({code: 0, stdout: 'WARNING! This will remove all non running containers.\nAre you sure you want to continue? [y/N] '})
        expect(env.ok(['ps', '-a', '-q']).trim().split('\n')).to.have.length(3)
        expect(env.ok(['container', 'prune', '-f', '--filter', 'label=keep=no'])).to.equal(exitedId + '\n')
        const bad = env.run(['container', 'prune', '-f', '--filter', 'bogus=1'])
        expect(bad).to.include({code: 125, stderr: 'Error: bogus is an invalid filter\n'})
        expect(env.ok(['container', 'prune', '-f'])).to.equal(createdId + '\n')
        expect(env.ok(['ps', '-a', '-q', '--no-trunc'])).to.equal(runningId + '\n')
        env.ok(['rm', '-f', '-t', '0', runningId])
        await ct.settled()
      })

      it('waits for exit codes and conditions', async () => {
        const gate = env.file('wait-gate')
        mkdirSync(gate)
        env.chown(gate)
        const id = env.ok(['create', '--name', 'w', '-v', `${gate}:/gate`, 'bb', 'sh', '-c', 'while [ ! -e /gate/go ]; do sleep 0.05; done; exit 3']).trim()
        // a created container is not running: wait returns its (zero) code at once
        expect(env.ok(['wait', 'w'])).to.equal('0\n')
        // --condition running: waits for the start
        const w = env.spawn(['wait', '--condition', 'running', 'w'])
        const wOut = outputOf(w.stdout!)
        env.ok(['start', 'w'])
        expect(await exited(w)).to.equal(0)
        expect(wOut.text()).to.equal('-1\n')
        // the default condition: waits for the exit and prints the code, for each container named
        const w2 = env.spawn(['wait', 'w', id])
        const w2Out = outputOf(w2.stdout!)
        expect(w2.exitCode).to.equal(null)
        writeFileSync(path.join(gate, 'go'), '')
        expect(await exited(w2)).to.equal(0)
        expect(w2Out.text()).to.equal('3\n3\n')
        expect(env.ok(['wait', '--condition', 'exited', 'w'])).to.equal('3\n')
        expect(env.ok(['wait', '--condition', 'created', '--condition', 'exited', 'w'])).to.equal('3\n')
        const bad = env.run(['wait', '--condition', 'bogus', 'w'])
        expect(bad).to.include({code: 125, stderr: 'Error: unknown container state: bogus: invalid argument\n'})
        expect(env.run(['wait', 'nosuch'])).to.include({code: 125, stderr: 'Error: no container with name or ID "nosuch" found: no such container\n'})
        env.ok(['rm', 'w'])
      })

      it('starts attached with -a and feeds stdin with -i', async () => {
        env.ok(['create', '-i', '--name', 'cat', 'bb', 'sh', '-c', 'while read l; do echo "got:$l"; done; exit 4'])
        const r = env.run(['start', '-a', '-i', 'cat'], {input: 'one\ntwo\n'})
        expect(r).to.include({code: 4, stdout: 'got:one\ngot:two\n'})
        const piped = env.run(['run', '--rm', '-i', 'bb', 'wc', '-l'], {input: 'a\nb\nc\n'})
        expect(piped).to.include({code: 0, stdout: '3\n'})
        // without -i the container's stdin is empty
        expect(env.run(['run', '--rm', 'bb', 'wc', '-l'], {input: 'a\nb\n'}).stdout).to.equal('0\n')
        env.ok(['rm', 'cat'])
        await ct.settled()
      })

      it('passes signals it gets on to the container (--sig-proxy), unless --sig-proxy=false', async () => {
        const script = 'trap "echo got-term; exit 5" TERM; echo ready; sleep 1000 & wait'
        const p = env.spawn(['run', '--name', 'sp', 'bb', 'sh', '-c', script])
        const o = outputOf(p.stdout!)
        await o.waitFor(/^ready\n/)
        p.kill('SIGTERM')
        expect(await exited(p)).to.equal(5)
        expect(o.text()).to.equal('ready\ngot-term\n')
        // without the proxy the signal ends only the command; the container runs on
        const q = env.spawn(['run', '--sig-proxy=false', '--name', 'nosp', 'bb', 'sh', '-c', script])
        await outputOf(q.stdout!).waitFor(/^ready\n/)
        q.kill('SIGTERM')
        expect(await exited(q)).to.not.equal(0)
        expect(inspect('nosp', '{{.State.Status}}')).to.equal('running')
        expect(env.ok(['stop', 'nosp'])).to.equal('nosp\n')
        expect(inspect('nosp', '{{.State.ExitCode}}')).to.equal('5')
        env.ok(['rm', 'sp', 'nosp'])
        await ct.settled()
      })

      it('attaches to a running container and detaches with --detach-keys', async () => {
        env.ok(['run', '-d', '-i', '--name', 'att', 'bb', 'sh', '-c', 'while read l; do echo "got:$l"; done'])
        const a = ct.spawnIo(['attach', '--detach-keys', 'ctrl-x', 'att'])
        const o = outputOf(a.stdout)
        // attach sends stdin only once connected: write after it echoes the first line
        a.stdin.write('hello\n')
        await o.waitFor(/got:hello\n/)
        a.stdin.write('\x18')
        expect(await exited(a)).to.equal(0)
        expect(inspect('att', '{{.State.Status}}')).to.equal('running')
        // a second attach, then the container ends: attach exits with its code
        const b = ct.spawnIo(['attach', 'att'])
        const bo = outputOf(b.stdout)
        b.stdin.write('again\n')
        await bo.waitFor(/got:again\n/)
        b.stdin.end()
        expect(await exited(b)).to.equal(0)
        expect(inspect('att', '{{.State.Status}}')).to.equal('exited')
        expect(env.run(['attach', 'att']).stderr).to.equal('Error: you can only attach to running containers: container state improper\n')
        env.ok(['rm', 'att'])
        await ct.settled()
      })
    })

    describe('logs', () => {
      let first: string
      let second: string
      let earlier: string
      before(() => {
        earlier = new Date(Date.now() - 1000).toISOString()
        expect(env.run(['run', '--name', 'l1', 'bb', 'sh', '-c', 'for i in 1 2 3 4; do echo line$i; done; echo oops >&2'])).to.include({code: 0, stdout: 'line1\nline2\nline3\nline4\n', stderr: 'oops\n'})
        first = inspect('l1', '{{.Id}}')
        second = env.ok(['run', '-d', '--name', 'l2', 'bb', 'echo', 'other']).trim()
        env.ok(['wait', 'l2'])
      })

      it('prints a container\'s output, --tail, -t', () => {
        const r = env.run(['logs', 'l1'])
        expect(r).to.include({code: 0, stdout: 'line1\nline2\nline3\nline4\n', stderr: 'oops\n'})
        // --tail counts lines of both streams (their order in the log is the order they were read in)
        const tail = env.run(['logs', '--tail', '2', 'l1'])
        expect((tail.stdout + tail.stderr).split('\n').filter(Boolean)).to.have.length(2)
        expect(tail.stdout).to.match(/line4\n$/)
        expect(env.run(['logs', '--tail', '0', 'l1'])).to.include({stdout: '', stderr: ''})
        const ts = env.ok(['logs', '-t', 'l1']).split('\n').filter(Boolean)
        expect(ts).to.have.length(4)
        // Go's RFC3339Nano in local time (Z for UTC), as Podman prints
        for (const l of ts) expect(l).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d) line\d$/)
      })

      it('filters by --since and --until', () => {
        const future = new Date(Date.now() + 3600_000).toISOString()
        expect(env.ok(['logs', '--since', earlier, 'l1'])).to.equal('line1\nline2\nline3\nline4\n')
        expect(env.run(['logs', '--since', future, 'l1'])).to.include({stdout: '', stderr: ''})
        expect(env.ok(['logs', '--until', earlier, 'l1'])).to.equal('')
        expect(env.ok(['logs', '--until', future, 'l1'])).to.equal('line1\nline2\nline3\nline4\n')
        expect(env.ok(['logs', '--since', '10m', 'l1'])).to.equal('line1\nline2\nline3\nline4\n')
        expect(env.run(['logs', '--since', 'garbage', 'l1']).code).to.equal(125)
      })

      it('prefixes lines when several containers are shown', () => {
        const lines = env.ok(['logs', 'l1', 'l2']).trim().split('\n').sort()
        expect(lines).to.deep.equal([...['line1', 'line2', 'line3', 'line4'].map(l => `${first.slice(0, 12)} ${l}`), `${second.slice(0, 12)} other`].sort())
        expect(env.ok(['logs', '--names', 'l1', 'l2']).trim().split('\n').sort()[0]).to.equal('l1 line1')
        // one container: no prefix even with --names (Podman 4.3.1)
        expect(env.ok(['logs', '--names', 'l2'])).to.equal('other\n')
        const miss = env.run(['logs', 'l1', 'nosuch'])
        expect(miss).to.include({code: 125, stderr: 'Error: no container with name or ID "nosuch" found: no such container\n'})
      })

      it('follows a running container until it exits (-f)', async () => {
        const dir = env.file('gate')
        mkdirSync(dir)
        env.chown(dir)
        env.ok(['run', '-d', '--name', 'lf', '-v', `${dir}:/gate`, 'bb', 'sh', '-c', 'echo before; while [ ! -e /gate/go ]; do sleep 0.05; done; echo after'])
        const f = env.spawn(['logs', '-f', 'lf'])
        const o = outputOf(f.stdout!)
        await o.waitFor(/^before\n/)
        expect(f.exitCode).to.equal(null)
        writeFileSync(path.join(dir, 'go'), '')
        expect(await exited(f)).to.equal(0)
        expect(o.text()).to.equal('before\nafter\n')
        // -f on an exited container prints and returns
        expect(env.ok(['logs', '-f', 'lf'])).to.equal('before\nafter\n')
        env.ok(['rm', 'lf'])
      })
    })

    describe('ps', () => {
      const ids: Record<string, string> = {}
      before(() => {
        env.ok(['rm', '-a', '-f', '-t', '0'])
        ids.c1 = env.ok(['create', '--name', 'c1', '-l', 'tier=web', 'bb', 'echo', 'a very long command line here']).trim()
        for (const name of ['x7', 'x7b']) {
          expect(env.run(['run', '--name', name, 'bb', 'sh', '-c', 'exit 7']).code).to.equal(7)
          ids[name] = inspect(name, '{{.Id}}')
        }
        ids.up = env.ok(['run', '-d', '--name', 'up', '-l', 'tier=db', 'bb', 'sleep', '1000']).trim()
      })
      after(() => env.ok(['rm', '-a', '-f', '-t', '0']))

      it('lists running containers by default, all with -a, as Podman\'s table', () => {
        const lines = env.ok(['ps']).trimEnd().split('\n')
        expect(lines[0]).to.match(PS_HEADER)
        expect(lines).to.have.length(2)
        expect(lines[1]).to.match(new RegExp(`^${ids.up.slice(0, 12)}  localhost/bb:latest\\s+sleep 1000\\s+.* ago\\s+Up .* ago\\s+up$`))
        const all = env.ok(['ps', '-a']).trimEnd().split('\n')
        expect(all).to.have.length(5)
        const c1 = all.find(l => l.startsWith(ids.c1.slice(0, 12)))!
        // long commands are cut to 17 characters and "..."
        expect(c1).to.match(/ echo a very long \.\.\.\s+.* ago\s+Created\s+c1$/)
        expect(all.find(l => l.endsWith(' x7b'))).to.match(/Exited \(7\) .* ago\s+x7b$/)
      })

      it('prints IDs with -q, full ones with --no-trunc, the latest with -l and -n', () => {
        expect(env.ok(['ps', '-q'])).to.equal(ids.up.slice(0, 12) + '\n')
        expect(env.ok(['ps', '-a', '-q']).trim().split('\n').sort()).to.deep.equal([ids.c1, ids.x7b, ids.up, ids.x7].filter(Boolean).map(i => i.slice(0, 12)).sort())
        expect(env.ok(['ps', '-q', '--no-trunc'])).to.equal(ids.up + '\n')
        expect(env.ok(['ps', '-l', '-q'])).to.equal(ids.up.slice(0, 12) + '\n')
        expect(env.ok(['ps', '--latest', '--format', '{{.Names}}'])).to.equal('up\n')
        expect(env.ok(['ps', '-n', '2', '--format', '{{.Names}}'])).to.equal('up\nx7b\n')
        const noTrunc = env.ok(['ps', '-a', '--no-trunc', '--filter', 'name=c1']).trimEnd().split('\n')[1]
        expect(noTrunc).to.include(ids.c1)
        expect(noTrunc).to.include('echo a very long command line here')
      })

      it('shows sizes with -s', () => {
        const id = env.ok(['run', '-d', '--name', 'sized', 'bb', 'sh', '-c', 'head -c 123456 /dev/zero > /blob']).trim()
        env.ok(['wait', id])
        const table = env.ok(['ps', '-a', '-s', '--filter', 'name=sized']).trimEnd().split('\n')
        expect(table[0]).to.match(/\s+NAMES\s+SIZE$/)
        expect(table[1]).to.match(/ sized\s+12\dkB \(virtual [\d.]+MB\)$/)
        const [j] = JSON.parse(env.ok(['ps', '-a', '-s', '--format', 'json', '--filter', 'name=sized']))
        expect(j.Size.rwSize).to.be.within(123456, 140000)
        expect(j.Size.rootFsSize).to.be.greaterThan(j.Size.rwSize + 1_000_000)
        expect(JSON.parse(env.ok(['ps', '-a', '--format', 'json', '--filter', 'name=sized']))[0].Size).to.equal(null)
        env.ok(['rm', id])
      })

      it('filters by status, name, id, label, exited and ancestor', () => {
        const names = (...f: string[]) => env.ok(['ps', '-a', ...f.flatMap(x => ['--filter', x]), '--format', '{{.Names}}']).trim().split('\n').filter(Boolean).sort()
        expect(names('status=running')).to.deep.equal(['up'])
        expect(names('status=created')).to.deep.equal(['c1'])
        expect(names('status=exited')).to.deep.equal(['x7', 'x7b'])
        expect(names('name=x7')).to.deep.equal(['x7', 'x7b'])
        expect(names('name=^x7$')).to.deep.equal(['x7'])
        expect(names(`id=${ids.c1.slice(0, 6)}`)).to.deep.equal(['c1'])
        expect(names('label=tier')).to.deep.equal(['c1', 'up'])
        expect(names('label=tier=db')).to.deep.equal(['up'])
        expect(names('exited=7')).to.deep.equal(['x7', 'x7b'])
        expect(names('exited=0')).to.deep.equal([])
        expect(names('ancestor=bb')).to.have.length(4)
        expect(names('ancestor=localhost/bb:latest', 'status=running')).to.deep.equal(['up'])
        // a filter lists all states without -a
        expect(env.ok(['ps', '--filter', 'status=exited', '-q']).trim().split('\n')).to.have.length(2)
        expect(env.run(['ps', '--filter', 'status=bogus'])).to.include({code: 125, stderr: 'Error: unknown container state: bogus: invalid argument\n'})
        expect(env.run(['ps', '--filter', 'bogus=1'])).to.include({code: 125, stderr: 'Error: bogus is an invalid filter\n'})
      })

      it('formats with Go templates and JSON, sorts', () => {
        // Podman 4's .State is the human status, like .Status
        expect(env.ok(['ps', '--format', '{{.ID}} {{.Image}} {{.Command}} {{.State}} {{.Labels}} {{.Pid}}']))
          .to.match(new RegExp(`^${ids.up.slice(0, 12)} localhost/bb:latest sleep 1000 Up .* ago map\\[tier:db\\] ${inspect('up', '{{.State.Pid}}')}\n$`))
        const table = env.ok(['ps', '-a', '--format', 'table {{.Names}}\\t{{.ExitCode}}', '--sort', 'names']).trimEnd().split('\n')
        expect(table[0]).to.match(/^NAMES\s+EXIT CODE$|^NAMES\s+EXITCODE$/)
        expect(table.slice(1).map(l => l.split(/\s+/).join(' '))).to.deep.equal(['c1 0', 'up 0', 'x7 7', 'x7b 7'])
        expect(env.ok(['ps', '--format', '{{upper .Names}} {{json .Names}} {{if .AutoRemove}}rm{{else}}keep{{end}}'])).to.equal('UP "up" keep\n')
        const json = JSON.parse(env.ok(['ps', '-a', '--format', 'json']))
        expect(json).to.have.length(4)
        const up = json.find((j: {Names: string[]}) => j.Names[0] === 'up')
        expect(up).to.include.keys('AutoRemove', 'Command', 'CreatedAt', 'Exited', 'ExitedAt', 'ExitCode', 'Id', 'Image', 'ImageID', 'IsInfra', 'Labels', 'Mounts', 'Names', 'Namespaces', 'Networks', 'Pid', 'Pod', 'PodName', 'Ports', 'Size', 'StartedAt', 'State', 'Status', 'Created')
        expect(up).to.include({Id: ids.up, State: 'running', Exited: false, Image: 'localhost/bb:latest'})
        expect(up.Command).to.deep.equal(['sleep', '1000'])
        expect(env.ok(['ps', '-a', '--sort', 'names', '--format', '{{.Names}}'])).to.equal('c1\nup\nx7\nx7b\n')
        expect(env.run(['ps', '--sort', 'bogus']).code).to.equal(125)
      })
    })

    describe('inspect', () => {
      it('shows Podman\'s keys and values for a container', () => {
        const dir = env.file('insp')
        mkdirSync(dir, {recursive: true})
        env.chown(dir)
        const id = env.ok(['run', '-d', '--name', 'insp', '-e', 'E=1', '-w', '/tmp', '-v', `${dir}:/data:ro`, '--tmpfs', '/scratch', '--init', 'bb', 'sleep', '1000']).trim()
        const [d] = JSON.parse(env.ok(['container', 'inspect', 'insp']))
        // Podman 4.3.1's top-level, State and Config keys
        expect(d).to.include.keys('AppArmorProfile', 'Args', 'BoundingCaps', 'Config', 'ConmonPidFile', 'Created', 'Dependencies', 'Driver', 'EffectiveCaps', 'ExecIDs', 'GraphDriver', 'HostConfig', 'HostnamePath', 'HostsPath', 'Id', 'Image', 'ImageDigest', 'ImageName', 'IsInfra', 'IsService', 'MountLabel', 'Mounts', 'Name', 'Namespace', 'NetworkSettings', 'OCIRuntime', 'Path', 'PidFile', 'Pod', 'ProcessLabel', 'ResolvConfPath', 'RestartCount', 'Rootfs', 'State', 'StaticDir')
        expect(d.State).to.include.keys('CheckpointedAt', 'Dead', 'Error', 'ExitCode', 'FinishedAt', 'Health', 'OOMKilled', 'OciVersion', 'Paused', 'Pid', 'Restarting', 'RestoredAt', 'Running', 'StartedAt', 'Status')
        expect(d.Config).to.include.keys('Annotations', 'AttachStderr', 'AttachStdin', 'AttachStdout', 'Cmd', 'CreateCommand', 'Domainname', 'Entrypoint', 'Env', 'Hostname', 'Image', 'Labels', 'OnBuild', 'OpenStdin', 'Passwd', 'StdinOnce', 'StopSignal', 'StopTimeout', 'Timeout', 'Tty', 'Umask', 'User', 'Volumes', 'WorkingDir')
        expect(d.HostConfig).to.include.keys('AutoRemove', 'Binds', 'CapAdd', 'CapDrop', 'CgroupManager', 'LogConfig', 'NetworkMode', 'PidsLimit', 'Privileged', 'ReadonlyRootfs', 'SecurityOpt', 'ShmSize', 'Tmpfs', 'Ulimits')
        expect(d).to.include({Id: id, Name: 'insp', Path: '/run/podman-init', ImageName: 'localhost/bb:latest', RestartCount: 0})
        expect(d.Args).to.deep.equal(['--', 'sleep', '1000'])
        expect(d.State).to.include({Status: 'running', Running: true, Paused: false, ExitCode: 0, OciVersion: '1.0.2-dev'})
        expect(d.State.Pid).to.be.greaterThan(0)
        expect(d.Config.Cmd).to.deep.equal(['sleep', '1000'])
        expect(d.Config.Env).to.include('E=1').and.include('container=podman')
        expect(d.Config.WorkingDir).to.equal('/tmp')
        expect(d.Config.StopSignal).to.equal(15)
        expect(d.HostConfig.Binds).to.deep.equal([`${dir}:/data:ro,rprivate,rbind`])
        expect(d.HostConfig.Tmpfs).to.have.key('/scratch')
        expect(d.Mounts).to.deep.equal([{Type: 'bind', Source: dir, Destination: '/data', Driver: '', Mode: '', Options: ['rbind'], RW: false, Propagation: 'rprivate'}])
        expect(d.EffectiveCaps).to.have.length(11)
        expect(d.HostConfig.LogConfig.Type).to.equal('k8s-file')
        expect(readFileSync(d.HostConfig.LogConfig.Path, 'utf8')).to.equal('')
        expect(d.Created).to.match(/^\d{4}-\d\d-\d\dT/)
        expect(env.ok(['inspect', '--format', '{{.Name}} {{.State.Status}} {{index .Config.Cmd 0}} {{json .Config.Cmd}}', 'insp']).trim()).to.equal('insp running sleep ["sleep","1000"]')
        expect(env.ok(['container', 'inspect', '-f', '{{.Id}}', '--latest'])).to.equal(id + '\n')
        env.ok(['rm', '-f', '-t', '0', 'insp'])
      })

      it('opens a container whose config was written by the previous format (flag strings), and starts it', () => {
        const id = env.ok(['create', '--name', 'oldfmt', '--tmpfs', '/t:size=1m', '--ulimit', 'nofile=1000:1000', '--security-opt', 'no-new-privileges',
          '--security-opt', 'seccomp=unconfined', 'bb', 'sh', '-c', 'ulimit -n; grep " /t " /proc/mounts; grep NoNewPrivs /proc/self/status']).trim()
        const [before] = JSON.parse(env.ok(['container', 'inspect', 'oldfmt']))
        // what today's main wrote: no version, securityOpt/tmpfs/ulimits as the flags' strings
        const file = path.join(env.root, 'containers', id, 'config.json')
        const cur = JSON.parse(readFileSync(file, 'utf8'))
        expect(cur.version).to.equal(2)
        const {version: _v, security: _s, ...rest} = cur
        const old = {...rest, securityOpt: ['no-new-privileges', 'seccomp=unconfined'], tmpfs: ['/t:size=1m'], ulimits: ['nofile=1000:1000']}
        writeFileSync(file, JSON.stringify(old))
        env.chown(file)
        const [after] = JSON.parse(env.ok(['container', 'inspect', 'oldfmt']))
        expect(after).to.deep.equal(before)
        expect(after.HostConfig.SecurityOpt).to.deep.equal(['no-new-privileges', 'seccomp=unconfined'])
        expect(after.HostConfig.Tmpfs).to.deep.equal({'/t': 'size=1m,rprivate,nosuid,nodev,tmpcopyup'})
        expect(after.HostConfig.Ulimits).to.deep.equal([{Name: 'RLIMIT_NOFILE', Soft: 1000, Hard: 1000}])
        const r = env.run(['start', '-a', 'oldfmt'])
        expect(r.code, r.stderr).to.equal(0)
        expect(r.stdout).to.match(/^1000\ntmpfs \/t tmpfs rw,nosuid,nodev,relatime,size=1024k.*\nNoNewPrivs:\s+1\n$/)
        // the document on disk is left as it was (an older peapod still reads it)
        expect(JSON.parse(readFileSync(file, 'utf8'))).to.not.have.property('version')
        env.ok(['rm', 'oldfmt'])
      })

      it('inspects several containers and reports a missing one like Podman', () => {
        const a = env.ok(['create', 'bb', 'true']).trim()
        const b = env.ok(['create', 'bb', 'true']).trim()
        expect(JSON.parse(env.ok(['container', 'inspect', a, b])).map((x: {Id: string}) => x.Id)).to.deep.equal([a, b])
        const miss = env.run(['container', 'inspect', a, 'nosuch'])
        expect(miss.code).to.equal(125)
        expect(JSON.parse(miss.stdout)).to.have.length(1)
        expect(miss.stderr).to.equal('Error: inspecting object: no such container nosuch\n')
        const top = env.run(['inspect', 'nosuch'])
        expect(top).to.include({code: 125, stderr: 'Error: inspecting object: no such object: "nosuch"\n'})
        env.ok(['rm', a, b])
      })
    })

    describe('afterwards', () => {
      it('leaves nothing behind: no container, name, mount, monitor, runtime, lock or runtime dir', async () => {
        env.ok(['rm', '-a', '-f', '-t', '0'])
        await ct.settled()
      })
    })
  })
}
