// The per-container monitor (src/conmon) against real runc and a hand-made
// busybox bundle: exit codes, the k8s-file log, attach, detach keys, terminal
// resize, start failures, the exit file and command, log rotation, memory.
import {expect} from 'chai'
import {execFileSync, spawn, spawnSync} from 'node:child_process'
import {chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {PassThrough} from 'node:stream'
import {Attachment, attach, parseDetachKeys} from '../../src/conmon/attach-client.js'
import {launchMonitor, type LaunchedMonitor} from '../../src/conmon/launch.js'
import {FrameDecoder, FRAME, encodeFrame, k8sLogLines, runtimeErrorMessage, classifyStartError, type ExitStatus, type MonitorConfig} from '../../src/conmon/protocol.js'
import {REPO} from './helpers.js'

const RUNC = ['/usr/sbin/runc', '/usr/bin/runc', '/usr/local/sbin/runc', '/usr/local/bin/runc'].find(p => existsSync(p))
const BUSYBOX = '/bin/busybox'
const LOG_LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}[+-]\d\d:\d\d (stdout|stderr) [FP] /
const RFC3339NANO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/

function why(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root'
  if (!RUNC) return 'runc is not installed'
  if (!existsSync(BUSYBOX)) return 'no /bin/busybox'
  if (!existsSync(path.join(REPO, 'dist/conmon/main.cjs'))) return 'build first (npx tsc -p tsconfig.json)'
  return undefined
}

/** Collects a stream's output and lets a test wait for text to appear in it. */
class Collector extends PassThrough {
  text = ''
  private waiters: Array<{re: RegExp; resolve: () => void}> = []
  constructor() {
    super()
    this.on('data', (d: Buffer) => {
      this.text += d.toString()
      this.waiters = this.waiters.filter(w => (w.re.test(this.text) ? (w.resolve(), false) : true))
    })
  }

  waitFor(re: RegExp, ms = 20000): Promise<void> {
    if (re.test(this.text)) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`timed out waiting for ${re} in ${JSON.stringify(this.text)}`)), ms)
      this.waiters.push({re, resolve: () => (clearTimeout(t), resolve())})
    })
  }
}

/** Polls a state (a file's content) with a bounded loop; never a fixed sleep to synchronise. */
async function until<T>(what: string, probe: () => T | undefined | false, ms = 20000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = probe()
    if (v) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise(r => setTimeout(r, 20))
  }
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return ''
  }
}

function exitOf(m: LaunchedMonitor): Promise<number | null> {
  if (m.process.exitCode !== null) return Promise.resolve(m.process.exitCode)
  return new Promise(resolve => m.process.once('exit', code => resolve(code)))
}

function pss(pid: number): number {
  const m = /^Pss:\s+(\d+) kB/m.exec(readText(`/proc/${pid}/smaps_rollup`))
  return m ? Number(m[1]) : 0
}

function childrenOf(pid: number): number[] {
  return readText(`/proc/${pid}/task/${pid}/children`).trim().split(/\s+/).filter(Boolean).map(Number)
}

describe('conmon: the per-container monitor', function () {
  const reason = why()
  let dir: string
  let rootfs: string
  let runcRoot: string
  /** A copy of the built monitor: other builds may replace dist/ while this suite runs. */
  let entry: string
  let clientModule: string
  const ids: string[] = []
  const monitors: LaunchedMonitor[] = []
  let seq = 0

  before(function () {
    if (reason) this.skip()
    dir = mkdtempSync(path.join(os.tmpdir(), 'peapod-conmon-'))
    runcRoot = path.join(dir, 'runc')
    rootfs = path.join(dir, 'rootfs')
    mkdirSync(path.join(rootfs, 'bin'), {recursive: true})
    for (const d of ['proc', 'dev', 'sys', 'tmp', 'etc']) mkdirSync(path.join(rootfs, d))
    copyFileSync(BUSYBOX, path.join(rootfs, 'bin/busybox'))
    chmodSync(path.join(rootfs, 'bin/busybox'), 0o755)
    for (const c of ['sh', 'echo', 'cat', 'sleep', 'stty', 'tty', 'printf', 'true']) symlinkSync('busybox', path.join(rootfs, 'bin', c))
    writeFileSync(path.join(rootfs, 'etc/notexec'), 'not a program\n', {mode: 0o644})
    const built = path.join(REPO, 'dist/conmon')
    const copy = path.join(dir, 'conmon')
    mkdirSync(copy)
    for (const f of ['main.cjs', 'wire.cjs', 'uv.cjs']) copyFileSync(path.join(built, f), path.join(copy, f))
    copyFileSync(path.join(built, 'attach-client.js'), path.join(copy, 'attach-client.mjs'))
    entry = path.join(copy, 'main.cjs')
    clientModule = path.join(copy, 'attach-client.mjs')
  })

  after(function () {
    if (reason) return
    for (const m of monitors) if (m.process.exitCode === null && m.process.signalCode === null) m.process.kill('SIGKILL')
    for (const id of ids) spawnSync(RUNC!, ['--root', runcRoot, 'delete', '-f', id], {stdio: 'ignore'})
    rmSync(dir, {recursive: true, force: true})
  })

  interface Ctr {
    id: string
    run: string
    config: MonitorConfig
    m: LaunchedMonitor
  }

  /** A bundle over the shared busybox rootfs, and its monitor. */
  function start(args: string[], opts: Partial<MonitorConfig> = {}, detached = false, env?: NodeJS.ProcessEnv): Ctr {
    const id = `pp-conmon-${process.pid}-${++seq}`
    ids.push(id)
    const bundle = path.join(dir, id)
    const run = path.join(bundle, 'run')
    mkdirSync(run, {recursive: true})
    const terminal = opts.terminal === true
    const spec = {
      ociVersion: '1.0.2',
      process: {
        terminal,
        // runc applies it before the process starts; it only copies its own
        // terminal's size after the start (so `stty size` could see 0 0).
        ...(terminal ? {consoleSize: {height: opts.consoleSize?.rows ?? 24, width: opts.consoleSize?.cols ?? 80}} : {}),
        user: {uid: 0, gid: 0},
        args,
        env: ['PATH=/bin', 'TERM=xterm'],
        cwd: '/',
        capabilities: {bounding: ['CAP_KILL'], effective: ['CAP_KILL'], permitted: ['CAP_KILL']},
        noNewPrivileges: true,
      },
      root: {path: rootfs, readonly: true},
      hostname: id.slice(0, 60),
      mounts: [
        {destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev']},
        {destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k']},
        {destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620']},
        {destination: '/tmp', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'nodev']},
      ],
      linux: {
        namespaces: [{type: 'pid'}, {type: 'ipc'}, {type: 'uts'}, {type: 'mount'}, {type: 'network'}],
        maskedPaths: ['/proc/kcore'],
        readonlyPaths: ['/proc/sys'],
      },
    }
    writeFileSync(path.join(bundle, 'config.json'), JSON.stringify(spec, null, 1))
    const config: MonitorConfig = {
      containerId: id,
      runtime: RUNC!,
      runtimeArgs: ['--root', runcRoot],
      bundle,
      pidFile: path.join(run, 'pidfile'),
      logPath: path.join(run, 'ctr.log'),
      logDriver: 'k8s-file',
      exitFile: path.join(run, 'exit.json'),
      attachSocket: path.join(run, 'attach'),
      monitorPidFile: path.join(run, 'conmon.pid'),
      monitorLogPath: path.join(run, 'conmon.log'),
      exitCommand: ['/bin/sh', '-c', `echo "cleanup $0" > ${path.join(run, 'cleanup.txt')}`, id],
      ...detached ? {
        runtimeCreateArgv: ['--root', runcRoot, 'create', '--bundle', bundle, '--pid-file', path.join(run, 'pidfile'), id],
        runtimeStartArgv: ['--root', runcRoot, 'start', id],
      } : {},
      ...opts,
    }
    const m = launchMonitor({config, configPath: path.join(run, 'conmon.json'), entry, env})
    monitors.push(m)
    return {id, run, config, m}
  }

  function exitStatus(c: Ctr): ExitStatus {
    return JSON.parse(readFileSync(c.config.exitFile, 'utf8')) as ExitStatus
  }

  function logLines(c: Ctr): string[] {
    return readText(c.config.logPath!).split('\n').filter(Boolean)
  }

  it('passes the exit code through, writes the exit file, runs the exit command', async function () {
    const c = start(['sh', '-c', 'exit 7'])
    const r = await c.m.started
    expect(r.running).to.equal(true)
    // the monitor's own status is the container's, as conmon's (systemd units whose MAINPID it is)
    expect(await exitOf(c.m)).to.equal(7)
    const st = exitStatus(c)
    expect(st.exitCode).to.equal(7)
    expect(st.finishedAt).to.match(RFC3339NANO)
    expect(st.signal).to.equal(undefined)
    expect(readText(c.config.monitorPidFile!).trim()).to.equal(String(c.m.pid))
    expect(readText(path.join(c.run, 'cleanup.txt'))).to.equal(`cleanup ${c.id}\n`)
    expect(existsSync(c.config.attachSocket!), 'attach socket removed').to.equal(false)
  })

  it('logs stdout and stderr in k8s-file format with F and P lines', async function () {
    const c = start(['sh', '-c', 'echo out1; echo err1 >&2; printf partial; read x; echo "got $x"; echo end >/dev/stdout'], {stdin: true})
    expect((await c.m.started).running).to.equal(true)
    // Wait until the partial line is in the log, then let the container go on.
    await until('the partial line', () => logLines(c).some(l => / stdout P partial$/.test(l)))
    const a = await Attachment.connect({socketPath: c.config.attachSocket!, stdout: null, stderr: null})
    a.write('go\n')
    a.closeStdin()
    expect((await a.done).exitCode).to.equal(0)
    await exitOf(c.m)
    const lines = logLines(c)
    for (const l of lines) expect(l).to.match(LOG_LINE)
    const body = lines.map(l => l.replace(/^\S+ /, ''))
    expect(body).to.include.members(['stdout F out1', 'stderr F err1', 'stdout P partial', 'stdout F got go', 'stdout F end'])
    expect(exitStatus(c).exitCode).to.equal(0)
  })

  it('attach: several clients get live output (no history), stdin reaches the container', async function () {
    const c = start(['sh', '-c', 'echo started; cat'], {stdin: true})
    expect((await c.m.started).running).to.equal(true)
    await until('"started" in the log', () => logLines(c).some(l => l.endsWith('stdout F started')))
    const input = new PassThrough()
    const outA = new Collector()
    const outB = new Collector()
    const a = await Attachment.connect({socketPath: c.config.attachSocket!, stdin: input, stdout: outA, stderr: null})
    expect(a.hello).to.deep.equal({containerId: c.id, terminal: false, stdin: true})
    const b = await Attachment.connect({socketPath: c.config.attachSocket!, stdout: outB, stderr: null})
    input.write('hello\n')
    await outA.waitFor(/hello\n/)
    await outB.waitFor(/hello\n/)
    expect(outA.text).to.equal('hello\n')
    input.end()
    const [ra, rb] = await Promise.all([a.done, b.done])
    expect(ra).to.deep.include({detached: false, exitCode: 0})
    expect(rb.exitCode).to.equal(0)
    await exitOf(c.m)
  })

  it('detach keys detach without stopping the container; SIGTERM does not kill the monitor', async function () {
    const c = start(['cat'], {stdin: true})
    expect((await c.m.started).running).to.equal(true)
    const input = new PassThrough()
    const out = new Collector()
    const a = await Attachment.connect({socketPath: c.config.attachSocket!, stdin: input, stdout: out})
    // A broken sequence is passed on; the full one detaches.
    input.write('abc\x10x\n')
    await out.waitFor(/abc\x10x\n/)
    input.write('\x10\x11')
    expect(await a.done).to.deep.equal({detached: true})
    expect(existsSync(c.config.exitFile)).to.equal(false)

    process.kill(c.m.pid, 'SIGTERM')
    process.kill(c.m.pid, 'SIGINT')
    process.kill(c.m.pid, 'SIGHUP')
    const state = JSON.parse(execFileSync(RUNC!, ['--root', runcRoot, 'state', c.id], {encoding: 'utf8'})) as {status: string}
    expect(state.status).to.equal('running')

    const input2 = new PassThrough()
    const out2 = new Collector()
    const a2 = await Attachment.connect({socketPath: c.config.attachSocket!, stdin: input2, stdout: out2, detachKeys: 'ctrl-a,d'})
    input2.write('\x10\x11again\n')
    await out2.waitFor(/again\n/)
    expect(out2.text).to.equal('\x10\x11again\n')
    input2.end()
    expect((await a2.done).exitCode).to.equal(0)
    expect(await exitOf(c.m)).to.equal(0)
    expect(exitStatus(c).exitCode).to.equal(0)
  })

  it('waitForAttach: the first client sees all output and the exit code', async function () {
    const c = start(['sh', '-c', 'echo early; echo late >&2; exit 3'], {waitForAttach: true})
    await c.m.listening
    const out = new Collector()
    const err = new Collector()
    const r = await attach({socketPath: c.config.attachSocket!, stdout: out, stderr: err})
    expect(r.exitCode).to.equal(3)
    expect(r.status?.exitCode).to.equal(3)
    expect(out.text).to.equal('early\n')
    expect(err.text).to.equal('late\n')
    expect((await c.m.started).running).to.equal(true)
    await exitOf(c.m)
  })

  it('terminal: runs in a tty, resizes reach `stty size`, output is stdout', async function () {
    const c = start(['sh', '-c', 'tty; stty size; while read x; do stty size; done; echo bye'], {
      terminal: true,
      stdin: true,
      waitForAttach: true,
      consoleSize: {rows: 30, cols: 100},
    })
    await c.m.listening
    const input = new PassThrough()
    const out = new Collector()
    const a = await Attachment.connect({socketPath: c.config.attachSocket!, stdin: input, stdout: out})
    expect(a.hello.terminal).to.equal(true)
    expect((await c.m.started).running).to.equal(true)
    await out.waitFor(/\/dev\/pts\/0\r\n30 100\r\n/)
    a.resize(50, 120)
    // Each line typed prints the current size: type until the new one shows.
    for (let i = 0; !/50 120\r\n/.test(out.text); i++) {
      if (i >= 100) throw new Error(`the resize never reached the container: ${JSON.stringify(out.text)}`)
      const seen = out.text.length
      input.write('\r')
      await out.waitFor(new RegExp(`^[\\s\\S]{${seen}}[\\s\\S]*\\d+ \\d+\\r\\n`))
    }
    input.end() // ^D: read fails, the loop ends
    const r = await a.done
    expect(r.exitCode).to.equal(0)
    await exitOf(c.m)
    const lines = logLines(c)
    for (const l of lines) expect(l).to.match(LOG_LINE)
    expect(lines.every(l => / stdout /.test(l))).to.equal(true)
    expect(lines.some(l => l.includes('stdout F 30 100\r'))).to.equal(true)
    expect(lines.some(l => l.includes('bye'))).to.equal(true)
  })

  it('attach client on a TTY: raw mode, forwards its size and SIGWINCH, detaches and exits', async function () {
    const c = start(['sh', '-c', 'while read x; do stty size; done'], {terminal: true, stdin: true})
    expect((await c.m.started).running).to.equal(true)
    const result = path.join(c.run, 'client-result.json')
    const client = path.join(c.run, 'client.mjs')
    writeFileSync(
      client,
      `import {attach} from ${JSON.stringify(clientModule)}\n` +
        `import {writeFileSync} from 'node:fs'\n` +
        `const r = await attach({socketPath: ${JSON.stringify(c.config.attachSocket)}, stdin: process.stdin})\n` +
        `writeFileSync(${JSON.stringify(result)}, JSON.stringify(r))\n`,
    )
    // The client runs in a terminal of its own (util-linux script), 33x77.
    const term = spawn('script', ['-q', '-e', '-E', 'never', '-c', `stty rows 33 cols 77; exec ${process.execPath} ${client}`, '/dev/null'], {
      stdio: ['pipe', 'pipe', 'inherit'],
    })
    const screen = new Collector()
    term.stdout.pipe(screen)
    const closed = new Promise<number | null>(resolve => term.on('close', code => resolve(code)))
    const typeUntil = async (re: RegExp): Promise<void> => {
      for (let i = 0; !re.test(screen.text); i++) {
        if (i >= 100) throw new Error(`never saw ${re}: ${JSON.stringify(screen.text)}`)
        const seen = screen.text.length
        term.stdin.write('\r')
        await screen.waitFor(new RegExp(`^[\\s\\S]{${seen}}[\\s\\S]*\\d+ \\d+\\r+\\n`))
      }
    }
    // (Node's raw mode keeps ONLCR, so the container's \r\n shows as \r\r\n.)
    await typeUntil(/33 77\r+\n/)
    const clientPid = await until('the client process', () => childrenOf(term.pid!)[0])
    const clientTty = readlinkSync(`/proc/${clientPid}/fd/0`)
    execFileSync('stty', ['-F', clientTty, 'rows', '44', 'cols', '88'])
    await typeUntil(/44 88\r+\n/)
    // Raw mode: the detach keys arrive without a newline.
    term.stdin.write('\x10\x11')
    expect(await closed).to.equal(0)
    expect(JSON.parse(readText(result))).to.deep.equal({detached: true})
    expect(existsSync(c.config.exitFile)).to.equal(false)
    execFileSync(RUNC!, ['--root', runcRoot, 'kill', c.id, 'KILL'])
    await exitOf(c.m)
    expect(exitStatus(c).exitCode).to.equal(137)
  })

  it('attach works when the socket path is too long for sockaddr_un', async function () {
    const deep = path.join(dir, 'd'.repeat(60), 'e'.repeat(60))
    const c = start(['sh', '-c', 'echo far'], {waitForAttach: true, attachSocket: path.join(deep, 'attach.sock')})
    expect(Buffer.byteLength(c.config.attachSocket!)).to.be.greaterThan(108)
    await c.m.listening
    const out = new Collector()
    const r = await attach({socketPath: c.config.attachSocket!, stdout: out})
    expect(r.exitCode).to.equal(0)
    expect(out.text).to.equal('far\n')
    await exitOf(c.m)
  })

  it('a missing executable fails the start with the runtime message and 127', async function () {
    const c = start(['nosuch'])
    const r = await c.m.started
    expect(r.running).to.equal(false)
    if (r.running) return
    expect(r.exitCode).to.equal(127)
    expect(r.message).to.match(/exec: "nosuch": executable file not found in \$PATH/)
    expect(r.message).not.to.match(/level=error/)
    await exitOf(c.m)
    const st = exitStatus(c)
    expect(st.exitCode).to.equal(127)
    expect(st.error).to.equal(r.message)
    expect(st.finishedAt).to.match(RFC3339NANO)
    expect(readText(path.join(c.run, 'cleanup.txt'))).to.equal(`cleanup ${c.id}\n`)
    expect(readText(c.config.logPath!)).to.equal('')
  })

  it('with a terminal too, a missing executable reports the runtime message and 127', async function () {
    const c = start(['nosuch'], {terminal: true, stdin: true})
    const r = await c.m.started
    expect(r).to.deep.include({running: false, exitCode: 127})
    if (!r.running) expect(r.message).to.match(/executable file not found/)
    await exitOf(c.m)
    expect(exitStatus(c).exitCode).to.equal(127)
    expect(readText(c.config.logPath!)).to.equal('')
  })

  it('a file that is not executable fails the start with 126', async function () {
    const c = start(['/etc/notexec'])
    const r = await c.m.started
    expect(r).to.deep.include({running: false, exitCode: 126})
    await exitOf(c.m)
    expect(exitStatus(c).exitCode).to.equal(126)
  })

  it('a missing runtime binary fails the start with 125', async function () {
    const c = start(['true'], {runtime: path.join(dir, 'no-such-runtime')})
    const r = await c.m.started
    expect(r).to.deep.include({running: false, exitCode: 125})
    await exitOf(c.m)
    expect(exitStatus(c).exitCode).to.equal(125)
    expect(readText(path.join(c.run, 'cleanup.txt'))).to.equal(`cleanup ${c.id}\n`)
  })

  it('starts the log over when it would exceed logMaxSize', async function () {
    const c = start(['sh', '-c', 'i=0; while [ $i -lt 200 ]; do echo line$i; i=$((i+1)); done'], {logMaxSize: 1000})
    expect((await c.m.started).running).to.equal(true)
    await exitOf(c.m)
    const text = readText(c.config.logPath!)
    expect(text.length).to.be.greaterThan(0)
    expect(statSync(c.config.logPath!).size).to.be.at.most(1000)
    const lines = text.split('\n').filter(Boolean)
    for (const l of lines) expect(l).to.match(LOG_LINE)
    expect(lines.at(-1)).to.match(/stdout F line199$/)
    expect(text).not.to.match(/ line0\n/)
    expect(existsSync(c.config.logPath + '.tmp')).to.equal(false)
  })

  it('logDriver none writes no log', async function () {
    const c = start(['sh', '-c', 'echo hi'], {logDriver: 'none'})
    expect((await c.m.started).running).to.equal(true)
    await exitOf(c.m)
    expect(existsSync(c.config.logPath!)).to.equal(false)
    expect(exitStatus(c).exitCode).to.equal(0)
  })

  it('memory: 10 monitors + waiting runc stay within 12 MiB PSS each', async function () {
    const cs = Array.from({length: 10}, () => start(['sleep', '1000']))
    for (const c of cs) expect((await c.m.started).running).to.equal(true)
    let total = 0
    const rows: string[] = []
    for (const c of cs) {
      const helpers = childrenOf(c.m.pid)
      const mon = pss(c.m.pid)
      const rt = helpers.reduce((s, p) => s + pss(p), 0)
      total += mon + rt
      rows.push(`${mon}+${rt}`)
    }
    const avg = total / cs.length / 1024
    console.log(`      PSS per container (monitor+runtime, KiB): ${rows.join(' ')}; average ${avg.toFixed(2)} MiB`)
    for (const c of cs) execFileSync(RUNC!, ['--root', runcRoot, 'kill', c.id, 'KILL'])
    for (const c of cs) await exitOf(c.m)
    for (const c of cs) expect(exitStatus(c).exitCode).to.equal(137)
    expect(avg).to.be.at.most(12)
  })

  describe('detached runtime: runc create + start, the monitor adopts the init', function () {
    it('leaves no runtime process, passes the exit code and all the output through', async function () {
      const c = start(['sh', '-c', 'echo up; read x; i=0; while [ $i -lt 3000 ]; do echo line$i; i=$((i+1)); done; exit 7'], {stdin: true}, true)
      const r = await c.m.started
      expect(r.running).to.equal(true)
      await until('"up" in the log', () => logLines(c).some(l => l.endsWith('stdout F up')))
      // The container's init is the monitor's only child: runc (create, then start) has exited.
      const pid = r.running ? r.pid : 0
      await until('runc start gone', () => childrenOf(c.m.pid).join() === String(pid))
      expect(readText(`/proc/${pid}/comm`).trim()).to.equal('sh')
      const input = new PassThrough()
      const out = new Collector()
      const a = await Attachment.connect({socketPath: c.config.attachSocket!, stdin: input, stdout: out, stderr: null})
      input.write('go\n')
      expect((await a.done).exitCode).to.equal(7)
      expect(out.text).to.match(/^line0\n[^]*line2999\n$/)
      expect(await exitOf(c.m)).to.equal(7) // the container's code, as conmon
      expect(exitStatus(c).exitCode).to.equal(7)
      expect(logLines(c).filter(l => / stdout F line\d+$/.test(l))).to.have.length(3000)
      expect(readText(path.join(c.run, 'cleanup.txt'))).to.equal(`cleanup ${c.id}\n`)
      // runc keeps the stopped container until it is deleted (the engine's cleanup does it).
      const state = JSON.parse(execFileSync(RUNC!, ['--root', runcRoot, 'state', c.id], {encoding: 'utf8'})) as {status: string}
      expect(state.status).to.equal('stopped')
    })

    it('a container killed by a signal exits 128+N', async function () {
      const c = start(['sleep', '1000'], {}, true)
      expect((await c.m.started).running).to.equal(true)
      execFileSync(RUNC!, ['--root', runcRoot, 'kill', c.id, 'KILL'])
      await exitOf(c.m)
      expect(exitStatus(c).exitCode).to.equal(137)
    })

    it('a container killed between create and start exits 128+N, not as a failed start', async function () {
      // `kill` right after `run -d` returned (the container counts as running
      // once created) lands before `runc start`: here a runtime whose start
      // kills the container first makes that order certain.
      const killer = path.join(dir, `kill-then-start-${++seq}`)
      writeFileSync(killer, `#!/bin/sh\nfor id; do :; done\ncase " $* " in *" start "*) "${RUNC}" --root "${runcRoot}" kill "$id" KILL || exit 99;; esac\nexec "${RUNC}" "$@"\n`)
      chmodSync(killer, 0o755)
      const c = start(['sleep', '1000'], {runtime: killer}, true)
      expect((await c.m.started).running).to.equal(true)
      expect(await exitOf(c.m)).to.equal(137)
      expect(exitStatus(c)).to.deep.include({exitCode: 137}).and.not.have.property('error')
    })

    it('start failures keep their message and code', async function () {
      const c = start(['nonexistent'], {}, true)
      const r = await c.m.started
      expect(r).to.deep.include({running: false, exitCode: 127})
      expect(r.running ? '' : r.message).to.match(/executable file not found/)
      await exitOf(c.m)
      expect(exitStatus(c).exitCode).to.equal(127)
      const d = start(['/etc/notexec'], {}, true)
      expect(await d.m.started).to.deep.include({running: false, exitCode: 126})
    })

    it('loads none of child_process, net, stream: start, attach, stdin, output, exit command', async function () {
      const modules = path.join(dir, `modules-${++seq}.txt`)
      const env = {...process.env, PEAPOD_MONITOR_MODULES_FILE: modules}
      delete env.NODE_OPTIONS
      const c = start(['sh', '-c', 'read x; echo "got $x"; echo err >&2; exit 4'], {stdin: true, waitForAttach: true, logMaxSize: 4096}, true, env)
      await c.m.listening
      const input = new PassThrough()
      const out = new Collector()
      const err = new Collector()
      const done = attach({socketPath: c.config.attachSocket!, stdin: input, stdout: out, stderr: err})
      input.end('hi\n')
      expect((await done).exitCode).to.equal(4)
      expect(out.text).to.equal('got hi\n')
      expect(err.text).to.equal('err\n')
      expect(await exitOf(c.m)).to.equal(4)
      expect(readText(path.join(c.run, 'cleanup.txt'))).to.equal(`cleanup ${c.id}\n`)
      const loaded = readText(modules).split('\n')
      expect(loaded).to.include('Internal Binding process_wrap')
      for (const m of ['child_process', 'net', 'stream', 'dgram', 'cluster', 'internal/child_process', 'internal/streams/readable', 'internal/fs/rimraf']) {
        expect(loaded, m).not.to.include(`NativeModule ${m}`)
      }
    })

    it('memory: 10 monitors, no runtime left, within 9.5 MiB PSS each', async function () {
      const cs = Array.from({length: 10}, () => start(['sleep', '1000'], {}, true))
      for (const c of cs) expect((await c.m.started).running).to.equal(true)
      const each = cs.map(c => pss(c.m.pid))
      for (const c of cs) await until('sleep runs', () => childrenOf(c.m.pid).map(p => readText(`/proc/${p}/comm`).trim()).join() === 'sleep')
      const avg = each.reduce((a, b) => a + b, 0) / cs.length / 1024
      console.log(`      PSS per container (monitor only, KiB): ${each.join(' ')}; average ${avg.toFixed(2)} MiB`)
      for (const c of cs) execFileSync(RUNC!, ['--root', runcRoot, 'kill', c.id, 'KILL'])
      for (const c of cs) await exitOf(c.m)
      for (const c of cs) expect(exitStatus(c).exitCode).to.equal(137)
      expect(avg).to.be.at.most(9.5)
    })
  })
})

describe('conmon: wire helpers', function () {
  it('formats k8s-file lines like conmon', function () {
    const ts = '2024-01-02T03:04:05.000000001+00:00'
    const lines = k8sLogLines('stdout', Buffer.from('a\nb\n\npart'), ts).map(b => b.toString())
    expect(lines).to.deep.equal([`${ts} stdout F a\n`, `${ts} stdout F b\n`, `${ts} stdout F \n`, `${ts} stdout P part\n`])
  })

  it('frames round-trip across arbitrary chunking', function () {
    const bytes = Buffer.concat([encodeFrame(FRAME.STDOUT, 'hello'), encodeFrame(FRAME.CLOSE_STDIN), encodeFrame(FRAME.STDERR, Buffer.alloc(70000, 1))])
    const d = new FrameDecoder()
    const got: Array<{type: number; payload: Buffer}> = []
    for (let i = 0; i < bytes.length; i += 7) got.push(...d.push(bytes.subarray(i, i + 7)))
    expect(got.map(f => [f.type, f.payload.length])).to.deep.equal([
      [FRAME.STDOUT, 5],
      [FRAME.CLOSE_STDIN, 0],
      [FRAME.STDERR, 70000],
    ])
  })

  it('parses detach keys like Podman', function () {
    expect([...parseDetachKeys('ctrl-p,ctrl-q')]).to.deep.equal([16, 17])
    expect([...parseDetachKeys('ctrl-a,d')]).to.deep.equal([1, 100])
    expect([...parseDetachKeys('ctrl-@,ctrl-[')]).to.deep.equal([0, 27])
    expect(parseDetachKeys('').length).to.equal(0)
    expect(() => parseDetachKeys('ctrl-1')).to.throw(/invalid detach keys/)
  })

  it('extracts and classifies runtime errors', function () {
    const m = runtimeErrorMessage('time="2024-01-01T00:00:00Z" level=error msg="runc run failed: unable to start container process: exec: \\"x\\": executable file not found in $PATH"\n')
    expect(m).to.equal('runc run failed: unable to start container process: exec: "x": executable file not found in $PATH')
    expect(classifyStartError(m)).to.equal(127)
    expect(classifyStartError('exec: "/etc/x": permission denied')).to.equal(126)
    expect(classifyStartError('cgroup: something else')).to.equal(125)
  })
})
