// Containers under stress and abuse, as root and rootless: 20 `run --rm`
// at once, `ps` while containers come and go, bad input, a monitor killed
// with SIGKILL, a real terminal (tmux), and gVisor (runsc). Every case ends
// with nothing left behind: no container document, name, mount (rootless:
// in the pause process's namespace), monitor, runtime process, lock or
// runtime dir.
import {expect} from 'chai'
import {execFileSync, spawnSync, type ChildProcess} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {Containers, Env, pidGone, waitUntil, type Mode} from './helpers.js'
import {busyboxEnvs} from './fixtures.js'

interface Done { code: number; stdout: string; stderr: string }

/** Runs a spawned peapod to completion. */
function finished(p: ChildProcess): Promise<Done> {
  let stdout = ''
  let stderr = ''
  p.stdout?.on('data', d => { stdout += d })
  p.stderr?.on('data', d => { stderr += d })
  return new Promise(resolve => p.on('close', code => resolve({code: code ?? 128, stdout, stderr})))
}

const MODES: Mode[] = ['root', 'rootless']

describe('container reliability', function () {
  const envs = busyboxEnvs()

  it('runs 20 `run --rm` at once (10 root + 10 rootless): all succeed, nothing left behind', async function () {
    if (envs.size < 2) this.skip()
    const t0 = Date.now()
    const runs = [...envs.values()].flatMap(({env}) => Array.from({length: 10}, (_, i) =>
      finished(env.spawn(['run', '--rm', '--name', `par${i}`, 'bb', 'sh', '-c', 'echo $HOSTNAME; echo err >&2']))))
    const results = await Promise.all(runs)
    const wall = Date.now() - t0
    for (const r of results) expect(r, r.stderr).to.include({code: 0, stderr: 'err\n'})
    const hosts = results.map(r => r.stdout.trim())
    for (const h of hosts) expect(h).to.match(/^[0-9a-f]{12}$/)
    expect(new Set(hosts).size).to.equal(20)
    for (const {env, ct} of envs.values()) {
      expect(env.ok(['ps', '-a', '-q'])).to.equal('')
      await ct.settled()
    }
    console.log(`      20 parallel run --rm: ${wall} ms wall`)
  })

  for (const mode of MODES) {
    describe(mode, () => {
      let env: Env
      let ct: Containers
      before(function () {
        const e = envs.get(mode)
        if (!e) this.skip()
        env = e!.env
        ct = e!.ct
      })
      // a failed test must not take the next ones with it
      afterEach(() => env && env.run(['rm', '-a', '-f', '-t', '0']))

      it('ps never errors or shows a half-written container while others are created and removed', async () => {
        let churning = true
        const churn = async (w: number) => {
          for (let i = 0; i < 3; i++) {
            const c = await finished(env.spawn(['create', '--name', `churn${w}-${i}`, '-l', `w=${w}`, 'bb', 'true']))
            const id = c.stdout.trim()
            expect(id, c.stderr).to.match(/^[0-9a-f]{64}$/)
            const s = await finished(env.spawn(['start', id]))
            expect(s.code, s.stderr).to.equal(0)
            const r = await finished(env.spawn(['rm', '-f', '-t', '0', id]))
            expect(r.code, r.stderr).to.equal(0)
          }
        }
        const observed: number[] = []
        const watch = async () => {
          while (churning) {
            const r = await finished(env.spawn(['ps', '-a', '--format', 'json']))
            expect(r.code, r.stderr).to.equal(0)
            expect(r.stderr).to.equal('')
            const rows = JSON.parse(r.stdout) as Array<{Id: string; Names: string[]; State: string; Labels: Record<string, string> | null}>
            for (const row of rows) {
              expect(row.Id).to.match(/^[0-9a-f]{64}$/)
              expect(row.Names[0]).to.match(/^churn\d-\d$/)
              expect(['created', 'initialized', 'running', 'exited', 'stopping']).to.include(row.State)
              expect(row.Labels).to.have.key('w')
            }
            observed.push(rows.length)
          }
        }
        const watcher = watch()
        await Promise.all([0, 1, 2].map(churn)).finally(() => { churning = false })
        await watcher
        expect(observed.length).to.be.greaterThan(0)
        expect(env.ok(['ps', '-a', '-q'])).to.equal('')
        await ct.settled()
      })

      it('rejects bad input with one line, Podman\'s exit code, and nothing left behind', async () => {
        const holder = env.ok(['create', '--name', 'dup', 'bb', 'true']).trim()
        const cases: Array<[string[], number, RegExp]> = [
          [['run', '--rm', 'nosuchimage'], 125, /^Error: .*nosuchimage.*$/],
          [['start', 'nosuchctr'], 125, /^Error: no container with name or ID "nosuchctr" found: no such container$/],
          [['run', '--name', 'dup', 'bb', 'true'], 125, new RegExp(`^Error: the container name "dup" is already in use by ${holder}\\. You have to remove that container to be able to reuse that name: that name is already in use$`)],
          [['create', '--name', 'dup', 'bb', 'true'], 125, /already in use/],
          [['run', '--rm', '-v', '/nonexistent/dir:/x', 'bb', 'true'], 125, /^Error: statfs \/nonexistent\/dir: no such file or directory$/],
          [['run', '--rm', '-v', '/tmp:relative', 'bb', 'true'], 125, /^Error: invalid container path "relative", must be an absolute path$/],
          [['run', '--rm', '-v', '/tmp:/x:bogus', 'bb', 'true'], 125, /^Error: invalid option type "bogus"$/],
          [['run', '--rm', '-e', '=x', 'bb', 'true'], 125, /^Error: invalid environment variable: "=x"$/],
          [['run', '--rm', '--cap-add', 'BOGUS', 'bb', 'true'], 125, /^Error: "CAP_BOGUS": unknown capability$/],
          [['run', '--rm', '--cap-drop', 'nope', 'bb', 'true'], 125, /^Error: "CAP_NOPE": unknown capability$/],
          [['run', '--rm', '--security-opt', 'bogus', 'bb', 'true'], 125, /^Error: invalid --security-opt 1: "bogus"$/],
          [['run', '--rm', '--stop-signal', 'BOGUS', 'bb', 'true'], 125, /^Error: invalid signal: BOGUS$/],
          [['run', '--rm', '--ulimit', 'bogus=1', 'bb', 'true'], 125, /^Error: ulimit option "bogus=1" requires name=SOFT:HARD/],
          [['run', '--rm', '--name', 'bad/name', 'bb', 'true'], 125, /^Error: names must match/],
          [['run', '--rm', '--bogus-flag', 'bb'], 125, /^Error: .*bogus-flag/],
          [['run', '--rm', 'bb'], 125, /^Error: no command or entrypoint provided, and no CMD or ENTRYPOINT from image$/],
          [['run', '--rm', 'bb', 'nosuchcmd'], 127, /^Error: .*nosuchcmd/],
          [['run', '--rm', 'bb', '/etc'], 126, /^Error: .*(permission denied|is a directory)/],
          [['run', '--rm', '-u', 'ghost', 'bb', 'true'], 126, /^Error: unable to find user ghost/],
          [['run', 'bb', 'nosuchcmd'], 127, /^Error: .*nosuchcmd/],
        ]
        for (const [args, code, re] of cases) {
          const r = env.run(args)
          expect(r.code, `${args.join(' ')}: ${r.stderr}`).to.equal(code)
          expect(r.stderr.trimEnd(), args.join(' ')).to.match(re)
          expect(r.stderr.trimEnd().split('\n'), args.join(' ')).to.have.length(1)
          expect(r.stdout, args.join(' ')).to.equal('')
        }
        // only the name holder, and the one container run without --rm (Podman keeps it too, exited 127)
        const left = env.ok(['ps', '-a', '--format', '{{.Names}} {{.Status}}']).trim().split('\n')
        expect(left).to.have.length(2)
        expect(left).to.include('dup Created')
        expect(left.find(l => !l.startsWith('dup '))).to.match(/ Exited \(127\) /)
        env.ok(['rm', '-a'])
        await ct.settled()
      })

      it('reports a missing --env-file like Podman', () => {
        // Node 20 itself scans the whole command line for --env-file and
        // exits 9 ("node: /x: not found") before peapod runs, unless the
        // script is started as `node -- script` (bin/run.js's shebang and the
        // rootless re-exec in src/libpod/rootless/reexec.ts).
        const r = env.run(['run', '--rm', '--env-file', '/nonexistent.env', 'bb', 'true'])
        expect(r).to.include({code: 125, stdout: '', stderr: 'Error: open /nonexistent.env: no such file or directory\n'})
        expect(env.ok(['ps', '-a', '-q'])).to.equal('')
      })

      it('notices a monitor killed with SIGKILL: the container shows exited, rm cleans it up', async () => {
        const id = env.ok(['run', '-d', '--name', 'victim', 'bb', 'sleep', '1000']).trim()
        const [doc] = JSON.parse(env.ok(['inspect', 'victim']))
        const {Pid: pid, ConmonPid: monitor} = doc.State
        expect(pid).to.be.greaterThan(0)
        expect(monitor).to.be.greaterThan(0)
        expect(ct.mounts().some(m => m.includes(id))).to.equal(true)
        process.kill(monitor, 'SIGKILL')
        await pidGone(monitor)
        // the next look at it finds out
        expect(env.ok(['ps', '-a', '--format', '{{.Names}} {{.Status}}'])).to.match(/^victim Exited \(137\) .* ago\n$/)
        expect(env.ok(['inspect', '--format', '{{.State.Status}} {{.State.Running}} {{.State.Error}}', 'victim']).trim()).to.equal('exited false container monitor died')
        expect(env.ok(['ps', '-q'])).to.equal('')
        // rm takes the rest: the container's processes, the runtime's state, the mount
        expect(env.ok(['rm', 'victim'])).to.equal('victim\n')
        await pidGone(pid)
        expect(existsSync(path.join(env.runroot, 'runc', id))).to.equal(false)
        await ct.settled()
      })

      it('drives `run -it IMAGE sh` through a real terminal (tmux): type, read, resize, Ctrl-D', async function () {
        if (spawnSync('tmux', ['-V']).status !== 0) this.skip()
        const sock = `peapod-e2e-${process.pid}-${mode}`
        const conf = path.join(mkdtempSync(path.join(os.tmpdir(), 'peapod-tmux-')), 'tmux.conf')
        writeFileSync(conf, 'set -g status off\nset -g remain-on-exit on\nset -g default-terminal xterm\n')
        const tmux = (...args: string[]) => execFileSync('tmux', ['-L', sock, ...args], {encoding: 'utf8'})
        const screen = () => tmux('capture-pane', '-p', '-t', 'tty')
        const shows = (what: string, re: RegExp) => waitUntil(what, () => re.test(screen()), 30000)
        try {
          // (the pane's shell reports run's exit code: tmux 3.3 can miss the
          // SIGCHLD of a pane process whose terminal closed first, leaving a zombie)
          tmux('-f', conf, 'new-session', '-d', '-s', 'tty', '-x', '80', '-y', '24', `${ct.shellCommand(['run', '-it', '--rm', '--name', 'tty', 'bb', 'sh'])}; echo EXIT=$?`)
          await shows('the shell prompt', /^\/ #\s*$/m)
          tmux('send-keys', '-t', 'tty', 'echo hello-$((6*7)); tty', 'Enter')
          await shows('the command\'s output', /^hello-42\n\/dev\/pts\/0$/m)
          tmux('send-keys', '-t', 'tty', 'stty size', 'Enter')
          await shows('the first size', /^24 80$/m)
          tmux('resize-window', '-t', 'tty', '-x', '100', '-y', '30')
          // the new size travels SIGWINCH → run → monitor → pty, as it does
          // for Podman, so the shell may read the old one first: ask until
          // it has arrived, each time on a cleared screen
          let asked = 0
          await waitUntil('the new size', () => {
            if (/^30 100$/m.test(screen())) return true
            if (asked++ % 40 === 0) tmux('send-keys', '-t', 'tty', 'clear; stty size', 'Enter')
            return false
          }, 30000)
          // Ctrl-D ends the shell; run exits 0 and removes the container (--rm)
          tmux('send-keys', '-t', 'tty', 'C-d')
          await shows('run\'s exit code', /^EXIT=0$/m)
        } finally {
          spawnSync('tmux', ['-L', sock, 'kill-server'])
          rmSync(path.dirname(conf), {recursive: true, force: true})
        }
        expect(env.ok(['ps', '-a', '-q'])).to.equal('')
        await ct.settled()
      })

      it('runs a container with gVisor (--runtime runsc)', async function () {
        if (!['/usr/bin/runsc', '/usr/local/bin/runsc', '/usr/sbin/runsc'].some(p => existsSync(p))) this.skip()
        const r = env.run(['--runtime', 'runsc', 'run', '--rm', 'bb', 'sh', '-c', 'dmesg | head -1; echo out; echo err >&2; exit 3'])
        expect(r.code, r.stderr).to.equal(3)
        // gVisor's own kernel log proves which runtime ran it
        expect(r.stdout).to.match(/^\[ *0\.0+\] Starting gVisor\.\.\.\nout\n$/)
        expect(r.stderr).to.equal('err\n')
        // --network none: gVisor's sandbox has loopback only
        expect(env.ok(['--runtime', 'runsc', 'run', '--rm', '--network', 'none', 'bb', 'sh', '-c', 'tail -n +3 /proc/net/dev | cut -d: -f1'])).to.match(/^\s*lo\n$/)
        const id = env.ok(['--runtime', 'runsc', 'run', '-d', 'bb', 'sleep', '1000']).trim()
        expect(env.ok(['inspect', '--format', '{{.OCIRuntime}} {{.State.Status}}', id]).trim()).to.equal('runsc running')
        env.ok(['--runtime', 'runsc', 'stop', '-t', '0', id])
        expect(env.ok(['inspect', '--format', '{{.State.Status}} {{.State.ExitCode}}', id]).trim()).to.equal('exited 137')
        env.ok(['rm', id])
        await ct.settled()
      })
    })
  }
})
