// exec, top, port, pause/unpause and mount/unmount end to end, as root and
// as the rootless test user, checked against what Podman 4.3.1 prints and
// returns on this machine (rootless, --runtime runc). `exec -it` runs for
// real in tmux: typing, terminal size and resize, detach keys, Ctrl-D.
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {existsSync, readdirSync, writeFileSync} from 'node:fs'
import {BIN, Containers, Env, processes, unavailable, waitUntil, type Mode} from './helpers.js'
import {busyboxTar} from './fixtures.js'

/** Podman's default capability set (11) as /proc/self/status shows it. */
const DEFAULT_CAPS = '00000000800405fb'
const NOT_RUNNING = 'Error: can only create exec sessions on running containers: container state improper\n'
const EXEC_ID = /^[0-9a-f]{64}\n$/

/** The bounding set of a process of ours (the most --privileged can give). */
function hostCapBnd(): string {
  const m = /^CapBnd:\s*([0-9a-f]+)/m.exec(spawnSync('cat', ['/proc/self/status'], {encoding: 'utf8'}).stdout)
  return m ? m[1] : ''
}

/** A private tmux server running one peapod command; killed by close(). */
class Tmux {
  private readonly sock = `peapod-exec-${process.pid}-${Math.random().toString(36).slice(2, 8)}`

  constructor(cmd: string, cols = 80, rows = 24) {
    const r = spawnSync('tmux', ['-L', this.sock, 'new-session', '-d', '-x', String(cols), '-y', String(rows), `${cmd}; echo EXIT=$?; sleep 60`])
    if (r.status !== 0) throw new Error(`tmux: ${r.stderr}`)
  }

  keys(...k: string[]): void {
    spawnSync('tmux', ['-L', this.sock, 'send-keys', ...k])
  }

  screen(): string {
    return spawnSync('tmux', ['-L', this.sock, 'capture-pane', '-p'], {encoding: 'utf8'}).stdout
  }

  resize(cols: number, rows: number): void {
    spawnSync('tmux', ['-L', this.sock, 'resize-window', '-x', String(cols), '-y', String(rows)])
  }

  waitFor(re: RegExp, ms = 20000): Promise<string> {
    return waitUntil(`${re} on the screen`, () => {
      const s = this.screen()
      return re.test(s) ? s : undefined
    }, ms)
  }

  close(): void {
    spawnSync('tmux', ['-L', this.sock, 'kill-server'])
  }
}

function tmuxAvailable(): boolean {
  return spawnSync('tmux', ['-V']).status === 0
}

for (const mode of ['root', 'rootless'] as Mode[]) {
  describe(`exec, top, port, pause, mount (${mode})`, function () {
    let env: Env
    let ct: Containers

    before(function () {
      if (unavailable(mode)) this.skip()
      env = new Env(mode)
      ct = new Containers(env)
      env.ok(['import', busyboxTar(), 'bb'])
      env.ok(['run', '-d', '--name', 'c1', 'bb', 'sleep', '100000'])
      env.ok(['create', '--name', 'stopped', 'bb', 'true'])
    })
    after(() => {
      if (!env) return
      env.run(['rm', '-af', '-t', '0'])
      env.cleanup()
    })

    /** Kills the container's processes whose command line contains `text` (busybox has no pkill). */
    const killIn = (text: string) => {
      const pids = env.ok(['top', 'c1', 'pid', 'args']).split('\n').slice(1).filter(l => l.includes(text)).map(l => l.trim().split(/\s+/)[0])
      if (pids.length) env.ok(['exec', 'c1', 'kill', ...pids])
    }

    describe('exec', () => {
      it('passes the process\'s exit code, stdout and stderr through', () => {
        expect(env.run(['exec', 'c1', 'true']).code).to.equal(0)
        const r = env.run(['exec', 'c1', 'sh', '-c', 'echo out; echo err >&2; exit 7'])
        expect(r).to.deep.include({code: 7, stdout: 'out\n', stderr: 'err\n'})
        expect(env.run(['exec', 'c1', 'sh', '-c', 'kill -9 $$']).code).to.equal(137)
      })

      it('exits 127 for a missing command and 126 for one that cannot be invoked, with Podman\'s messages', () => {
        const nf = env.run(['exec', 'c1', 'nosuch'])
        expect(nf.code).to.equal(127)
        expect(nf.stderr).to.equal('Error: runc: exec failed: unable to start container process: exec: "nosuch": executable file not found in $PATH: OCI runtime attempted to invoke a command that was not found\n')
        const ni = env.run(['exec', 'c1', '/etc/passwd'])
        expect(ni.code).to.equal(126)
        expect(ni.stderr).to.equal('Error: runc: exec failed: unable to start container process: exec: "/etc/passwd": permission denied: OCI permission denied\n')
        const wd = env.run(['exec', '-w', '/nonexistent', 'c1', 'pwd'])
        expect(wd.code).to.equal(127)
        expect(wd.stderr).to.match(/chdir to cwd \("\/nonexistent"\) set in config.json failed: no such file or directory: OCI runtime attempted to invoke a command that was not found/)
      })

      it('refuses a container that does not run, a missing one, and an empty command (125)', () => {
        expect(env.run(['exec', 'stopped', 'true'])).to.deep.include({code: 125, stderr: NOT_RUNNING})
        expect(env.run(['exec', 'nosuch', 'true'])).to.deep.include({code: 125, stderr: 'Error: no container with name or ID "nosuch" found: no such container\n'})
        expect(env.run(['exec', 'c1'])).to.deep.include({code: 125, stderr: 'Error: must provide a non-empty command to start an exec session: invalid argument\n'})
        expect(env.run(['exec'])).to.deep.include({code: 125, stderr: 'Error: exec requires the name or ID of a container or the --latest flag\n'})
        expect(env.run(['exec', '-u', 'nosuch', 'c1', 'id'])).to.deep.include({code: 125, stderr: 'Error: unable to find user nosuch: no matching entries in passwd file\n'})
        expect(env.run(['exec', '--env-file', env.file('nofile'), 'c1', 'true'])).to.deep.include({code: 125, stderr: `Error: parsing env file "${env.file('nofile')}": open ${env.file('nofile')}: no such file or directory\n`})
        // --latest is the newest container: "stopped"
        expect(env.run(['exec', '-l', 'true'])).to.deep.include({code: 125, stderr: NOT_RUNNING})
      })

      it('gives the process Podman\'s environment, user, workdir and capabilities', () => {
        expect(env.ok(['exec', 'c1', 'env'])).to.equal('PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nTERM=xterm\ncontainer=podman\nHOME=/root\n')
        expect(env.ok(['exec', '-u', 'nobody', 'c1', 'env'])).to.equal('PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nTERM=xterm\ncontainer=podman\nHOME=/\n')
        const envFile = env.file('exec.env')
        writeFileSync(envFile, 'A=1\n# comment\nB=2\n')
        env.chown(envFile)
        expect(env.ok(['exec', '--env-file', envFile, '-e', 'B=3', '-e', 'PATH=/bin', 'c1', 'sh', '-c', 'echo $A$B $PATH'])).to.equal('13 /bin\n')
        expect(env.ok(['exec', '-u', 'nobody', 'c1', 'id'])).to.equal('uid=65534(nobody) gid=65534(nobody)\n')
        expect(env.ok(['exec', '-u', '1234:5678', 'c1', 'id'])).to.equal('uid=1234 gid=5678\n')
        expect(env.ok(['exec', '-w', '/tmp', 'c1', 'pwd'])).to.equal('/tmp\n')
        const caps = (args: string[]) => Object.fromEntries(env.ok(['exec', ...args, 'c1', 'grep', 'Cap', '/proc/self/status']).trim().split('\n').map(l => l.split(/:\s+/)))
        expect(caps([])).to.include({CapEff: DEFAULT_CAPS, CapPrm: DEFAULT_CAPS, CapBnd: DEFAULT_CAPS, CapInh: '0000000000000000'})
        expect(caps(['-u', 'nobody'])).to.include({CapEff: '0000000000000000', CapBnd: DEFAULT_CAPS})
        expect(caps(['--privileged'])).to.include({CapEff: hostCapBnd(), CapBnd: hostCapBnd()})
        expect(caps(['--privileged', '-u', 'nobody'])).to.include({CapEff: '0000000000000000', CapBnd: hostCapBnd()})
      })

      it('gives stdin only with -i', () => {
        expect(env.run(['exec', '-i', 'c1', 'cat'], {input: 'hello\n'}).stdout).to.equal('hello\n')
        expect(env.run(['exec', 'c1', 'cat'], {input: 'hello\n'})).to.deep.include({code: 0, stdout: ''})
      })

      it('allocates a terminal with -t, also without one here', () => {
        expect(env.run(['exec', '-t', 'c1', 'tty']).stdout).to.match(/^\/dev\/pts\/\d+\r\n$/)
        const r = env.run(['exec', '-t', 'c1', 'sh', '-c', 'echo a; echo b >&2; exit 3'])
        expect(r).to.deep.include({code: 3, stdout: 'a\r\nb\r\n'})
        expect(env.run(['exec', '-t', 'c1', 'nosuch']).code).to.equal(127)
      })

      it('runs detached with -d (and -dt) and prints the session ID', async () => {
        const d = env.run(['exec', '-d', 'c1', 'sleep', '4321'])
        expect(d.code).to.equal(0)
        expect(d.stdout).to.match(EXEC_ID)
        const dt = env.run(['exec', '-dt', 'c1', 'sleep', '4322'])
        expect(dt.stdout).to.match(EXEC_ID)
        const top = env.ok(['top', 'c1', 'args'])
        expect(top).to.include('sleep 4321')
        expect(top).to.include('sleep 4322')
        const bad = env.run(['exec', '-d', 'c1', 'nosuch'])
        expect(bad.code).to.equal(125)
        expect(bad.stderr).to.include('executable file not found in $PATH')
        // every session's files go once its process has started (-d) or ended (-dt, whose monitor then ends)
        killIn('sleep 432')
        const id = env.ok(['inspect', '--format', '{{.Id}}', 'c1']).trim()
        const sessions = `${env.runroot}/containers/${id}/exec`
        await waitUntil('exec sessions gone', () => processes().every(p => !p.cmdline.includes(`${sessions}/`)) && (!existsSync(sessions) || readdirSync(sessions).length === 0))
      })

      it('does not wait for a background child the process leaves behind', () => {
        const t0 = Date.now()
        const r = env.run(['exec', 'c1', 'sh', '-c', 'sleep 60 & echo started; exit 4'])
        expect(r).to.deep.include({code: 4, stdout: 'started\n'})
        expect(Date.now() - t0).to.be.below(30000)
        killIn('sleep 60')
      })

      it('passes --preserve-fds', () => {
        const data = env.file('fd3.txt')
        writeFileSync(data, 'from fd 3\n')
        env.chown(data)
        const cmd = ct.shellCommand(['exec', '--preserve-fds', '1', 'c1', 'sh', '-c', 'cat <&3'])
        const r = spawnSync('sh', ['-c', `${cmd} 3<'${data}'`], {encoding: 'utf8'})
        expect(r.stdout).to.equal('from fd 3\n')
        expect(r.status).to.equal(0)
        const none = env.run(['exec', '--preserve-fds', '1', 'c1', 'true'])
        expect(none).to.deep.include({code: 125, stderr: 'Error: file descriptor 3 is not available - the preserve-fds option requires that file descriptors must be passed\n'})
      })

      it('exec -it: a real terminal, resize, exit code, Ctrl-D and detach keys (tmux)', async function () {
        if (!tmuxAvailable()) this.skip()
        const t = new Tmux(ct.shellCommand(['exec', '-it', 'c1', 'sh']))
        try {
          await t.waitFor(/^\/ #/m)
          t.keys('echo hel""lo; stty size; tty', 'Enter')
          await t.waitFor(/^hello\n24 80\n\/dev\/pts\/\d+$/m)
          t.resize(100, 30)
          // the resize reaches the container asynchronously: ask (now and then) until it shows
          let asked = 0
          await waitUntil('30 100 in the container', () => {
            if (Date.now() - asked > 500) {
              t.keys('stty size', 'Enter')
              asked = Date.now()
            }
            return /^30 100$/m.test(t.screen())
          })
          t.keys('exit 3', 'Enter')
          await t.waitFor(/^EXIT=3$/m)
        } finally {
          t.close()
        }
        const d = new Tmux(ct.shellCommand(['exec', '-it', 'c1', 'sh']))
        try {
          await d.waitFor(/^\/ #/m)
          d.keys('C-d')
          await d.waitFor(/^EXIT=0$/m)
        } finally {
          d.close()
        }
        const k = new Tmux(ct.shellCommand(['exec', '-it', 'c1', 'sh', '-c', 'echo ready; exec sleep 4444']))
        try {
          await k.waitFor(/^ready/m)
          k.keys('C-p', 'C-q')
          await k.waitFor(/^EXIT=0$/m)
          // detached: the process still runs
          expect(env.ok(['top', 'c1', 'args'])).to.include('sleep 4444')
          killIn('sleep 4444')
        } finally {
          k.close()
        }
      })
    })

    describe('top', () => {
      it('prints Podman\'s default columns for the container\'s processes', () => {
        const lines = env.ok(['top', 'c1']).split('\n')
        expect(lines[0]).to.match(/^USER\s+PID\s+PPID\s+%CPU\s+ELAPSED\s+TTY\s+TIME\s+COMMAND$/)
        expect(lines[1]).to.match(/^root\s+1\s+0\s+\d+\.\d{3}\s+(\d+m)?[\d.]+(ms|s)\s+\?\s+0s\s+sleep 100000 $/)
      })

      it('takes descriptors (also comma-separated) and host data', () => {
        const out = env.ok(['top', 'c1', 'pid,comm', 'user', 'hpid', 'state', 'capeff', 'seccomp'])
        const [head, row] = out.split('\n')
        expect(head).to.match(/^PID\s+COMMAND\s+USER\s+HPID\s+STATE\s+EFFECTIVE CAPS\s+SECCOMP$/)
        const cells = row.split(/\s{2,}/)
        expect(cells.slice(0, 3)).to.deep.equal(['1', 'sleep', 'root'])
        const pid = Number(env.ok(['inspect', '--format', '{{.State.Pid}}', 'c1']).trim())
        expect(Number(cells[3])).to.equal(pid)
        expect(cells.slice(4)).to.deep.equal(['S', 'CHOWN,DAC_OVERRIDE,FOWNER,FSETID,KILL,NET_BIND_SERVICE,SETFCAP,SETGID,SETPCAP,SETUID,SYS_CHROOT', 'filter'])
        expect(env.ok(['top', '--list-descriptors']).split('\n')).to.include.members(['args', 'comm', 'etime', 'hpid', 'pcpu', 'user'])
      })

      it('passes other arguments to ps(1) in the container, without the ps line', () => {
        const out = env.ok(['top', 'c1', '-o', 'pid,args'])
        expect(out.split('\n')[0]).to.match(/^\s*PID\s+COMMAND$/)
        expect(out).to.include('sleep 100000')
        expect(out).not.to.include('ps -o')
      })

      it('refuses a container that does not run and a missing one (125)', () => {
        expect(env.run(['top', 'stopped'])).to.deep.include({code: 125, stderr: 'Error: top can only be used on running containers\n'})
        expect(env.run(['top', 'nosuch'])).to.deep.include({code: 125, stderr: 'Error: unable to look up requested container: no container with name or ID "nosuch" found: no such container\n'})
        expect(env.run(['top'])).to.deep.include({code: 125, stderr: 'Error: you must provide the name or id of a running container\n'})
      })
    })

    describe('port', () => {
      it('prints nothing for a container without port mappings', () => {
        expect(env.run(['port', 'c1'])).to.deep.include({code: 0, stdout: ''})
        expect(env.run(['port', 'stopped', '80/tcp'])).to.deep.include({code: 0, stdout: ''})
        expect(env.run(['port', '-a'])).to.deep.include({code: 0, stdout: ''})
        expect(env.run(['port', 'nosuch']).code).to.equal(125)
        expect(env.run(['port'])).to.deep.include({code: 125, stderr: 'Error: you must supply a running container name or id\n'})
        expect(env.run(['port', 'c1', 'abc'])).to.deep.include({code: 125, stderr: 'Error: strconv.ParseUint: parsing "abc": invalid syntax\n'})
      })
    })

    describe('pause and unpause', () => {
      if (mode === 'root') {
        it('freezes and thaws the container', () => {
          expect(env.ok(['pause', 'c1'])).to.equal('c1\n')
          expect(env.ok(['ps', '--format', '{{.Names}} {{.Status}}'])).to.include('c1 Paused')
          expect(env.ok(['inspect', '--format', '{{.State.Status}} {{.State.Paused}}', 'c1'])).to.equal('paused true\n')
          expect(env.run(['exec', 'c1', 'true'])).to.deep.include({code: 125, stderr: NOT_RUNNING})
          expect(env.run(['pause', 'c1']).stderr).to.match(/^Error: "[0-9a-f]{64}" is already paused: container state improper\n$/)
          expect(env.ok(['unpause', 'c1'])).to.equal('c1\n')
          expect(env.run(['unpause', 'c1']).stderr).to.match(/^Error: "[0-9a-f]{64}" is not paused, can't unpause: container state improper\n$/)
          expect(env.run(['exec', 'c1', 'true']).code).to.equal(0)
        })
      } else {
        it('gives Podman\'s errors on cgroup v1', () => {
          expect(env.run(['pause', 'c1'])).to.deep.include({code: 125, stderr: 'Error: can not pause containers on rootless containers with cgroup V1: this container does not have a cgroup\n'})
          expect(env.run(['unpause', 'c1'])).to.deep.include({code: 125, stderr: 'Error: unpause is not supported for cgroupv1 rootless containers\n'})
          expect(env.ok(['inspect', '--format', '{{.State.Status}}', 'c1'])).to.equal('running\n')
        })
      }

      it('refuses containers that do not run; --all passes over them', () => {
        expect(env.run(['pause', 'stopped'])).to.deep.include({code: 125, stderr: 'Error: "created" is not running, can\'t pause: container state improper\n'})
        expect(env.run(['pause'])).to.deep.include({code: 125, stderr: 'Error: you must provide at least one name or id\n'})
        expect(env.run(['pause', 'nosuch']).code).to.equal(125)
        if (mode === 'root') {
          const id = env.ok(['inspect', '--format', '{{.Id}}', 'c1']).trim()
          expect(env.ok(['pause', '-a'])).to.equal(`${id}\n`)
          expect(env.ok(['unpause', '-a'])).to.equal(`${id}\n`)
        }
      })
    })

    describe('mount and unmount', () => {
      const inUnshare = (args: string[]) => env.run(['unshare', process.execPath, BIN, '--root', env.root, '--runroot', env.runroot, ...args])
      const mount = (args: string[]) => (mode === 'root' ? env.run(args) : inUnshare(args))

      if (mode === 'rootless') {
        it('needs `peapod unshare` rootless, as Podman', () => {
          expect(env.run(['mount', 'c1'])).to.deep.include({code: 125, stderr: 'Error: cannot run command "peapod mount" in rootless mode, must execute `peapod unshare` first\n'})
          expect(env.run(['container', 'mount'])).to.deep.include({code: 125, stderr: 'Error: cannot run command "peapod container mount" in rootless mode, must execute `peapod unshare` first\n'})
        })
      }

      it('prints the merged rootfs, lists mounted containers and unmounts', () => {
        const ids = Object.fromEntries(['c1', 'stopped'].map(n => [n, env.ok(['inspect', '--format', '{{.Id}}', n]).trim()]))
        const path = (id: string) => `${env.root}/containers/${id}/rootfs/merged`
        expect(mount(['mount', 'c1'])).to.deep.include({code: 0, stdout: `${path(ids.c1)}\n`})
        expect(mount(['mount', 'stopped'])).to.deep.include({code: 0, stdout: `${path(ids.stopped)}\n`})
        const ls = mount(['mount'])
        const rows = ls.stdout.trim().split('\n').sort()
        expect(rows).to.deep.equal(Object.values(ids).sort().map(id => `${id.slice(0, 12)}  ${path(id)}`))
        const json = JSON.parse(mount(['mount', '--format', 'json']).stdout) as Array<{id: string; Names: string[]; mountpoint: string}>
        expect(json.find(j => j.id === ids.stopped)).to.deep.equal({id: ids.stopped, Names: ['stopped'], mountpoint: path(ids.stopped)})
        expect(mount(['mount', '--format', '{{.ID}}'])).to.deep.include({code: 125, stderr: 'Error: unknown --format argument: "{{.ID}}"\n'})
        if (mode === 'root') expect(spawnSync('ls', [`${path(ids.stopped)}/bin/busybox`]).status).to.equal(0)
        expect(mount(['unmount', 'stopped'])).to.deep.include({code: 0, stdout: 'stopped\n'})
        expect(mount(['umount', 'c1'])).to.deep.include({code: 0, stdout: 'c1\n'})
        // the running container keeps its rootfs; no user mount is left on it
        expect(mount(['umount', 'c1']).stderr).to.match(/^Error: cannot unmount storage for container [0-9a-f]{64} as it is running or paused: container state improper\n$/)
        expect(mount(['mount']).stdout).to.equal(`${ids.c1.slice(0, 12)}  ${path(ids.c1)}\n`)
        expect(mount(['unmount', 'nosuch']).code).to.equal(125)
        expect(ct.mounts().filter(m => m.endsWith('/rootfs/merged'))).to.deep.equal([path(ids.c1)])
      })
    })
  })
}
