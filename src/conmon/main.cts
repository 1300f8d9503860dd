// peapod's per-container monitor (the equivalent of Podman's conmon).
//   node dist/conmon/main.cjs CONFIG_JSON_PATH
// Interface: protocol.ts. CommonJS and only Node built-ins + wire.cts, to stay
// small: it lives as long as the container (budget: 12 MiB PSS together with
// the waiting runtime).
// Processes, pipes and the attach socket through uv.cts, not child_process
// and net: the monitor's memory counts (see there), and it owns the runtime's stdio.
import fs = require('node:fs')
import path = require('node:path')
import uv = require('./uv.cjs')
import wire = require('./wire.cjs')

/** protocol.ts CLEANUP_CLAIMED (this file cannot import the ESM module). */
const CLEANUP_CLAIMED = 'cleanup-claimed'
import type {AttachHello, ExitStatus, MonitorConfig, ReadyMessage} from './protocol.js'

const {FRAME} = wire
/** Pause the container's output while a client has this much unsent. */
const CLIENT_HIGH_WATER = 1 << 20
/** After the runtime exits, how long its output pipes may stay open (a stray process holding them). */
const DRAIN_GRACE_MS = 2000
/** How long ended connections get to flush the exit frame. */
const CLIENT_FLUSH_MS = 5000
/** How often the pid file is looked for while the runtime starts the container. */
const PID_POLL_MS = 5

type Phase = 'waiting' | 'starting' | 'running' | 'exiting'

const noop = (): void => {}
for (const sig of ['SIGINT', 'SIGHUP'] as const) process.on(sig, noop)
// SIGTERM goes to the container, as conmon forwards it: `systemctl stop` of a
// unit whose main PID is the monitor (KillMode=mixed) stops the container
let containerPid: number | undefined
process.on('SIGTERM', () => {
  if (containerPid === undefined) return
  try {
    process.kill(containerPid, 'SIGTERM')
  } catch {}
})

const cfg = loadConfig(process.argv[2])
const logDriver = cfg.logDriver ?? 'k8s-file'
const terminal = cfg.terminal === true
const stdinOpen = cfg.stdin === true
const passthrough = logDriver === 'passthrough'
/** Exec sessions: fds 3 .. 3+preserved-1 go to the process (runtime's --preserve-fds). */
const preserved = cfg.exec?.preserveFds ?? cfg.preserveFds ?? 0
/**
 * protocol.ts, DETACHED RUNTIME: `runc create` + `runc start`, and the
 * container's init adopted (this process is a child subreaper, set by perl
 * before Node started).
 */
const detachedRuntime = process.env.PEAPOD_MONITOR_SUBREAPER === '1' && !terminal && !cfg.exec &&
  Boolean(cfg.runtimeCreateArgv?.length && cfg.runtimeStartArgv?.length)
delete process.env.PEAPOD_MONITOR_SUBREAPER
/** Tests: where to write the built-in modules this monitor loaded in its life, as it exits. */
const modulesFile = process.env.PEAPOD_MONITOR_MODULES_FILE
delete process.env.PEAPOD_MONITOR_MODULES_FILE
/** launch.ts's perl made the FIFOs containerPipes() needs (no `mkfifo` process then). */
const fifosMade = process.env.PEAPOD_MONITOR_FIFOS === '1'
delete process.env.PEAPOD_MONITOR_FIFOS

let phase: Phase = 'waiting'
let child: uv.Child | undefined
/** Where attach clients' stdin goes: the container's stdin pipe, or script's. */
let stdinSink: uv.Stream | undefined
let pending: Array<['stdout' | 'stderr', Buffer]> = []
let runtimeStderr = ''
let termSize = cfg.consoleSize ?? {rows: 24, cols: 80}
let readyFd = cfg.readyFd
let server: uv.Server | undefined
let pidPoll: NodeJS.Timeout | undefined
const clients = new Set<uv.Stream>()
const outputStreams: uv.Stream[] = []
let logFd: number | undefined
let logBytes = 0
let devNullFd: number | undefined
/** script's pty (terminal mode), found on the first resize. */
let ttyPath: string | undefined
let resizing = false
let resizeAgain = false
let resizeRetries = 0
let finished = false

let uncaught = 0
process.on('uncaughtException', err => {
  diag(`uncaught: ${err.stack ?? err}`)
  if (++uncaught > 20 || finished) process.exit(125)
  if ((phase === 'waiting' || phase === 'starting') && !child?.pid) void finish({code: null, signal: null}, `monitor: ${err.message}`)
})

function main(): void {
  process.chdir('/')
  fs.mkdirSync(path.dirname(cfg.exitFile), {recursive: true})
  if (cfg.monitorPidFile) writeFileAtomic(cfg.monitorPidFile, `${process.pid}\n`)
  rm(cfg.exitFile)
  rm(path.join(path.dirname(cfg.exitFile), CLEANUP_CLAIMED))
  rm(cfg.pidFile)
  openLog()
  if (cfg.attachSocket && !passthrough) {
    listen(cfg.attachSocket, () => {
      ready({type: 'listening'})
      if (!cfg.waitForAttach) startRuntime()
      else setTimeout(() => phase === 'waiting' && startRuntime(), cfg.waitForAttachTimeoutMs ?? 60000).unref()
    })
  } else {
    startRuntime()
  }
}

function loadConfig(file: string | undefined): MonitorConfig {
  if (!file) {
    process.stderr.write('usage: main.cjs CONFIG_JSON_PATH\n')
    process.exit(125)
  }
  const c = JSON.parse(fs.readFileSync(file, 'utf8')) as MonitorConfig
  // Relative paths are taken from where the monitor was started; it then moves to /.
  const abs = (p: string | undefined): string | undefined => (p === undefined ? p : path.resolve(p))
  return {
    ...c,
    bundle: abs(c.bundle)!,
    pidFile: abs(c.pidFile)!,
    exitFile: abs(c.exitFile)!,
    logPath: abs(c.logPath),
    attachSocket: abs(c.attachSocket),
    monitorPidFile: abs(c.monitorPidFile),
    monitorLogPath: abs(c.monitorLogPath),
  }
}

// ---- ready channel -------------------------------------------------------

function ready(msg: ReadyMessage): void {
  if (readyFd === undefined) return
  try {
    fs.writeSync(readyFd, JSON.stringify(msg) + '\n')
  } catch {
    // The launching command has gone; carry on.
  }
  if (msg.type !== 'listening') {
    try {
      fs.closeSync(readyFd)
    } catch {}
    readyFd = undefined
  }
}

// ---- the runtime -----------------------------------------------------------

function runtimeArgv(): string[] {
  if (cfg.runtimeArgv) return cfg.runtimeArgv
  if (cfg.exec) {
    // An exec session: the process joins the running container.
    return [
      ...(cfg.runtimeArgs ?? []),
      'exec',
      '--process',
      cfg.exec.process,
      '--pid-file',
      cfg.pidFile,
      ...(cfg.exec.preserveFds ? ['--preserve-fds', String(cfg.exec.preserveFds)] : []),
      cfg.containerId,
    ]
  }
  return [
    ...(cfg.runtimeArgs ?? []),
    'run',
    '--bundle',
    cfg.bundle,
    '--pid-file',
    cfg.pidFile,
    ...(cfg.noPivot ? ['--no-pivot'] : []),
    ...(cfg.runtimeRunArgs ?? []),
    cfg.containerId,
  ]
}

/** The runtime (or script) could not be started at all. */
class SpawnFailure extends Error {}

function startRuntime(): void {
  if (phase !== 'waiting') return
  phase = 'starting'
  try {
    spawnRuntime()
  } catch (e) {
    const message = (e as Error).message
    void finish({code: null, signal: null}, e instanceof SpawnFailure ? message : `cannot start the runtime: ${message}`)
  }
}

function spawnRuntime(): void {
  // The container runs once the runtime has written the pid file. Polled
  // (only while starting): fs.watch would cost each monitor ~70 KiB for good.
  // Detached, it runs once `runc start` has exited 0.
  fs.mkdirSync(path.dirname(cfg.pidFile), {recursive: true})
  if (!detachedRuntime) pidPoll = setInterval(checkPidFile, PID_POLL_MS)
  const argv = detachedRuntime ? cfg.runtimeCreateArgv! : runtimeArgv()
  const env = runtimeEnv()
  const spawn = (file: string, args: string[], opts: uv.SpawnOptions): uv.Child => {
    try {
      return uv.spawn(file, args, opts)
    } catch (err) {
      // Spawn failure (runtime or script missing).
      const what = terminal && !passthrough ? `script (util-linux, needed for a terminal)` : cfg.runtime
      throw new SpawnFailure(`cannot run ${what}: ${(err as Error).message}`)
    }
  }
  if (passthrough) {
    child = spawn(cfg.runtime, argv, {stdio: [0, 1, 2, ...extraStdio(false)], env})
  } else if (terminal) {
    // A pty without native code: util-linux script. runc's stderr → fd D,
    // the first fd after those an exec session preserves (3 without any).
    const d = 3 + preserved
    const cmd = `stty rows ${termSize.rows} cols ${termSize.cols} 2>/dev/null; exec ${[cfg.runtime, ...argv].map(shq).join(' ')} 2>&${d} ${d}>&-`
    child = spawn('script', ['-q', '-e', '-E', 'never', '-c', cmd, '/dev/null'], {
      stdio: ['pipe', 'pipe', 'pipe', ...extraStdio(true)],
      env: {...env, SHELL: '/bin/sh'},
    })
    readOutput(child.stdio[1]!, 'stdout')
    readDiagnostics(child.stdio[2]!)
    readDiagnostics(child.stdio[d]!)
  } else {
    // Real pipes (FIFOs), not Node's socketpairs: programs that open
    // /dev/stdout (nginx's log symlinks) get ENXIO on a socket.
    const io = containerPipes()
    try {
      child = spawn(cfg.runtime, argv, {stdio: [io.stdin?.theirs ?? 'ignore', io.stdout.theirs, io.stderr.theirs, ...extraStdio(false)], env})
    } finally {
      for (const p of [io.stdin, io.stdout, io.stderr]) if (p) fs.closeSync(p.theirs)
    }
    stdinSink = io.stdin?.mine
    readOutput(io.stdout.mine, 'stdout')
    readOutput(io.stderr.mine, 'stderr')
  }
  if (terminal && !passthrough) stdinSink = child.stdio[0]
  stdinSink?.onDrain(() => {
    for (const c of clients) c.resume()
  })
  let exited: {code: number | null; signal: NodeJS.Signals | null} | undefined
  child.onExit((code, signal) => {
    if (detachedRuntime && code === 0 && phase === 'starting') return startCreated()
    exited = {code, signal}
    // create failed: its message is on the stderr pipe, which ends with the half-made init.
    if (detachedRuntime) return drainThenFinish(exited)
    // Give stray holders of the output pipes a moment, then stop waiting.
    setTimeout(() => void finish(exited!), DRAIN_GRACE_MS).unref()
  })
  child.onClose(() => {
    if (exited && !detachedRuntime) void finish(exited)
  })
}

// ---- detached runtime (protocol.ts, DETACHED RUNTIME) -------------------------

/** The adopted init's pid, once `runc create` wrote it. */
let initPid: number | undefined

/** `runc create` succeeded: the init waits for `runc start` and is our child now. */
function startCreated(): void {
  const pid = readPidFile()
  if (!pid) {
    void finish({code: null, signal: null}, `${path.basename(cfg.runtime)} create wrote no pid to ${cfg.pidFile}`)
    return
  }
  initPid = pid
  process.on('SIGCHLD', checkInitExit)
  // Running from here, as `runc run`'s pid file said: the engine records it
  // before the container can write a byte (that waits for `runc start`).
  markRunning(pid)
  let err = ''
  let s: uv.Child
  try {
    s = uv.spawn(cfg.runtime, cfg.runtimeStartArgv!, {stdio: ['ignore', 'ignore', 'pipe', ...extraStdio(false)], env: runtimeEnv()})
  } catch (e) {
    void finish({code: null, signal: null}, `cannot run ${cfg.runtime}: ${(e as Error).message}`)
    return
  }
  s.stdio[2]!.onData(b => {
    if (err.length < 65536) err += b.toString()
  })
  let code: number | null = null
  s.onExit(c => (code = c))
  s.onClose(() => {
    if (finished || initExited) return
    if (code !== 0) {
      // Killed between create and start (`kill` right after `run -d`
      // returned): runc start fails on a stopped container, and the
      // container's own status (128+N) is what happened, not a start failure.
      if (initExit(initPid!) !== undefined) return checkInitExit()
      // The created init still waits: the exit command's `runc delete --force` ends it.
      void finish({code: 125, signal: null}, wire.runtimeErrorMessage(err) || `${path.basename(cfg.runtime)} start exited with code ${code}`)
      return
    }
    checkInitExit()
  })
}

/**
 * On SIGCHLD: has the adopted init exited? Its wait status is in
 * /proc/PID/stat while it is a zombie (nothing but Node's own child
 * handling could reap it, and that only reaps what Node spawned).
 */
function checkInitExit(): void {
  if (initPid === undefined || phase !== 'running' || finished || initExited) return
  const code = initExit(initPid)
  if (code === undefined) return
  if (code === null) diag(`container init ${initPid} was reaped elsewhere: its exit code is unknown`)
  containerExited({code: code ?? 255, signal: null})
}

/**
 * The exit code of an exited init, as `runc run` reports it (a signal is
 * 128+N); undefined while it runs, null when it was reaped elsewhere (the
 * status went with it).
 */
function initExit(pid: number): number | null | undefined {
  let stat: string
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1')
  } catch {
    return null
  }
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  if (f[0] !== 'Z' && f[0] !== 'X') return undefined
  const status = Number(f[49])
  const sig = status & 0x7f
  return sig ? 128 + sig : (status >> 8) & 0xff
}

/** Set once the init's exit is being finished: a failing `runc start` after it changes nothing. */
let initExited = false

function containerExited(exit: {code: number | null; signal: NodeJS.Signals | null}): void {
  initExited = true
  process.removeListener('SIGCHLD', checkInitExit)
  drainThenFinish(exit)
}

/** Reads the output pipes to their end (other holders exit too) or for DRAIN_GRACE_MS, then finishes. */
function drainThenFinish(exit: {code: number | null; signal: NodeJS.Signals | null}): void {
  const open = outputStreams.filter(st => !st.ended)
  if (open.length === 0) return void finish(exit)
  let left = open.length
  const timer = setTimeout(() => void finish(exit), DRAIN_GRACE_MS)
  timer.unref()
  for (const st of open) {
    st.resume()
    st.onEnd(() => {
      if (--left > 0) return
      clearTimeout(timer)
      void finish(exit)
    })
  }
}

function readPidFile(): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(cfg.pidFile, 'utf8').trim(), 10)
    return pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}

/**
 * runc waits for the container as long as it runs: one Go P is plenty for
 * that and saves ~0.1 MiB per container (more on machines with many CPUs).
 */
function runtimeEnv(): NodeJS.ProcessEnv {
  if (process.env.GOMAXPROCS || !path.basename(cfg.runtime).startsWith('runc')) return process.env
  return {...process.env, GOMAXPROCS: '1'}
}

interface Pipe<T> {
  mine: T
  theirs: number
}

/** FIFOs for the container's stdio (stdin only when attach clients may write). */
function containerPipes(): {stdin?: Pipe<uv.Stream>; stdout: Pipe<uv.Stream>; stderr: Pipe<uv.Stream>} {
  const base = `${cfg.exitFile}.${process.pid}`
  const names = stdinOpen ? ['out', 'err', 'in'] : ['out', 'err']
  if (!fifosMade) {
    for (const n of names) rm(`${base}.${n}`) // any perl made before one failed
    const r = uv.spawnSync('mkfifo', ['-m', '600', ...names.map(n => `${base}.${n}`)], {stdio: ['ignore', 'ignore', 'pipe'], env: process.env})
    if (r.status !== 0) throw new Error(`mkfifo: ${r.error?.message ?? r.output[2]?.toString().trim()}`)
  }
  return {
    stdout: fifo(`${base}.out`, false),
    stderr: fifo(`${base}.err`, false),
    stdin: stdinOpen ? fifo(`${base}.in`, true) : undefined,
  }
}

/**
 * Opens both ends of a FIFO without blocking (a temporary O_RDWR end stands in
 * for the missing peer) and removes its name. Each end has its own open file
 * description, so the monitor's non-blocking mode never reaches the container.
 */
function fifo(file: string, childReads: boolean): Pipe<uv.Stream> {
  const {O_RDWR, O_RDONLY, O_WRONLY} = fs.constants
  const keep = fs.openSync(file, O_RDWR)
  try {
    const r = fs.openSync(file, O_RDONLY)
    const w = fs.openSync(file, O_WRONLY)
    return childReads ? {mine: uv.Stream.fromFd(w), theirs: r} : {mine: uv.Stream.fromFd(r), theirs: w}
  } finally {
    fs.closeSync(keep)
    rm(file)
  }
}

/**
 * The runtime's fds from 3 on: those an exec session preserves (inherited by
 * the monitor at the same numbers: 3 .. 3+N-1), then with `pipe` a pipe for
 * the runtime's diagnostics (terminal mode). The ready channel is inherited
 * without close-on-exec (Node can't set it): the runtime gets /dev/null in its
 * place (or the diagnostics pipe) so it doesn't hold the channel open.
 */
function extraStdio(pipe: boolean): uv.Stdio[] {
  const out: uv.Stdio[] = []
  for (let fd = 3; fd < 3 + preserved; fd++) out.push(fd)
  if (pipe) out.push('pipe')
  const next = 3 + out.length
  if (readyFd === undefined || readyFd < next) return out
  for (let fd = next; fd < readyFd; fd++) out.push('ignore')
  out.push(devNull())
  return out
}

function devNull(): number {
  return (devNullFd ??= fs.openSync('/dev/null', 'r'))
}

function checkPidFile(): void {
  if (phase !== 'starting' || detachedRuntime) return
  const pid = readPidFile()
  if (pid) markRunning(pid)
}

function markRunning(pid: number): void {
  phase = 'running'
  containerPid = pid
  clearInterval(pidPoll)
  notifySystemd()
  const held = pending
  pending = []
  for (const [stream, chunk] of held) deliver(stream, chunk)
  ready({type: 'running', pid})
  scheduleHealthcheck()
  scheduleTimeout(pid)
}

/** --timeout (conmon's --timeout): the container is killed once its time is up. */
function scheduleTimeout(pid: number): void {
  if (!(cfg.timeoutMs && cfg.timeoutMs > 0)) return
  setTimeout(() => {
    if (phase !== 'running') return
    diag(`timeout of ${cfg.timeoutMs} ms reached: killing the container`)
    try {
      process.kill(pid, 'SIGKILL')
    } catch {}
  }, cfg.timeoutMs).unref()
}

// ---- sd_notify -------------------------------------------------------------

/**
 * Tells systemd this monitor is the unit's main process (and, for
 * --sdnotify=conmon, that the service is ready). Synchronous, before the
 * ready channel reports the start: `run -d` (the unit's first main process)
 * must not exit before systemd knows its successor.
 */
function notifySystemd(): void {
  const n = cfg.sdNotify
  if (!n) return
  const args = [`--pid=${process.pid}`, ...(n.ready ? ['--ready'] : [])]
  const r = uv.spawnSync('systemd-notify', args, {env: {...process.env, NOTIFY_SOCKET: n.socket}, stdio: ['ignore', 'ignore', 'ignore'], timeoutMs: 5000})
  if (r.status !== 0) diag(`sd_notify: systemd-notify ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`})`)
}

// ---- health checks ------------------------------------------------------------

let healthTimer: NodeJS.Timeout | undefined

/**
 * The container's health check timer (Podman's systemd timer with
 * --on-unit-inactive): the check command runs `intervalMs` after the monitor
 * saw the container run, then `intervalMs` after each check finished, so
 * checks never overlap. The command (`peapod healthcheck run ID`) does the
 * exec, records the result and takes the on-failure action.
 */
function scheduleHealthcheck(): void {
  const hc = cfg.healthcheck
  if (!hc || !(hc.intervalMs > 0) || !hc.command.length || phase !== 'running') return
  healthTimer = setTimeout(runHealthcheck, hc.intervalMs)
  healthTimer.unref()
}

function runHealthcheck(): void {
  const argv = cfg.healthcheck!.command
  if (phase !== 'running') return
  let p: uv.Child
  try {
    p = uv.spawn(argv[0], argv.slice(1), {detached: true, stdio: ['ignore', 'ignore', 'ignore'], env: cfg.exitCommandEnv ?? process.env})
  } catch (e) {
    diag(`healthcheck: ${(e as Error).message}`)
    scheduleHealthcheck()
    return
  }
  // The check may stop or restart this very container: it must outlive us.
  p.unref()
  p.onClose(() => scheduleHealthcheck())
}

function readOutput(stream: uv.Stream, name: 'stdout' | 'stderr'): void {
  outputStreams.push(stream)
  stream.onData(chunk => {
    if (phase === 'running' || phase === 'exiting') deliver(name, chunk)
    else {
      pending.push([name, chunk])
      if (name === 'stderr' && runtimeStderr.length < 65536) runtimeStderr += chunk.toString()
    }
  })
}

/** The runtime's (or script's) own messages: kept for a start failure, otherwise dropped. */
function readDiagnostics(stream: uv.Stream): void {
  stream.onData(chunk => {
    if (phase !== 'running' && runtimeStderr.length < 65536) runtimeStderr += chunk.toString()
    else diag(`runtime: ${chunk.toString().trimEnd()}`)
  })
}

function deliver(stream: 'stdout' | 'stderr', chunk: Buffer): void {
  writeLog(stream, chunk)
  if (clients.size === 0) return
  const frame = wire.encodeFrame(stream === 'stdout' ? FRAME.STDOUT : FRAME.STDERR, chunk)
  let full = false
  for (const c of clients) {
    c.write(frame)
    if (c.writableLength > CLIENT_HIGH_WATER) full = true
  }
  if (full) for (const s of outputStreams) s.pause()
}

function resumeOutput(): void {
  for (const c of clients) if (c.writableLength > CLIENT_HIGH_WATER) return
  for (const s of outputStreams) s.resume()
}

// ---- log -------------------------------------------------------------------

function openLog(): void {
  if (logDriver !== 'k8s-file' || !cfg.logPath) return
  fs.mkdirSync(path.dirname(cfg.logPath), {recursive: true})
  logFd = fs.openSync(cfg.logPath, 'a', 0o600)
  logBytes = fs.fstatSync(logFd).size
}

function writeLog(stream: 'stdout' | 'stderr', chunk: Buffer): void {
  if (logFd === undefined) return
  const max = cfg.logMaxSize ?? 0
  const lines = wire.k8sLogLines(stream, chunk)
  try {
    if (max <= 0) {
      const b = lines.length === 1 ? lines[0] : Buffer.concat(lines)
      writeAll(logFd, b)
      logBytes += b.length
      return
    }
    for (const line of lines) {
      if (logBytes > 0 && logBytes + line.length > max) rotateLog()
      writeAll(logFd, line)
      logBytes += line.length
    }
  } catch (e) {
    diag(`log: ${(e as Error).message}`)
  }
}

function writeAll(fd: number, b: Buffer): void {
  let off = 0
  while (off < b.length) off += fs.writeSync(fd, b, off, b.length - off)
}

/** conmon's log-size-max: start over with an empty file. */
function rotateLog(): void {
  const file = cfg.logPath!
  const tmp = `${file}.tmp`
  const fd = fs.openSync(tmp, 'w', 0o600)
  fs.renameSync(tmp, file)
  fs.closeSync(logFd!)
  logFd = fd
  logBytes = 0
}

// ---- attach socket -----------------------------------------------------------

function listen(socketPath: string, onListening: () => void): void {
  rm(socketPath)
  fs.mkdirSync(path.dirname(socketPath), {recursive: true})
  try {
    // sockaddr_un holds 107 bytes: bind long paths from inside their directory.
    if (Buffer.byteLength(socketPath) > 100) {
      process.chdir(path.dirname(socketPath))
      try {
        server = uv.listenUnix(path.basename(socketPath), onClient)
      } finally {
        process.chdir('/')
      }
    } else {
      server = uv.listenUnix(socketPath, onClient)
    }
  } catch (e) {
    const err = e as Error
    diag(`attach socket: ${err.message}`)
    void finish({code: null, signal: null}, `cannot listen on ${socketPath}: ${err.message}`)
    return
  }
  // As net's listen callback: after this tick.
  setImmediate(onListening)
}

function onClient(sock: uv.Stream): void {
  if (phase === 'exiting') {
    sock.destroy()
    return
  }
  clients.add(sock)
  const hello: AttachHello = {containerId: cfg.containerId, terminal, stdin: stdinOpen}
  sock.write(wire.encodeFrame(FRAME.HELLO, JSON.stringify(hello)))
  const decoder = new wire.FrameDecoder()
  sock.onData(chunk => {
    let frames
    try {
      frames = decoder.push(chunk)
    } catch {
      sock.destroy()
      return
    }
    for (const f of frames) onFrame(sock, f.type, f.payload)
  })
  sock.onDrain(resumeOutput)
  sock.onClose(() => {
    clients.delete(sock)
    resumeOutput()
  })
  if (phase === 'waiting') startRuntime()
}

function onFrame(sock: uv.Stream, type: number, payload: Buffer): void {
  switch (type) {
    case FRAME.STDIN:
      if (!stdinOpen || !stdinSink || stdinSink.writableEnded) return
      if (!stdinSink.write(payload)) sock.pause()
      return
    case FRAME.CLOSE_STDIN:
      if (!stdinOpen || !stdinSink || stdinSink.writableEnded) return
      if (terminal) stdinSink.write('\x04')
      else stdinSink.end()
      return
    case FRAME.RESIZE: {
      const size = wire.decodeResize(payload)
      if (!size || !terminal || size.rows === 0 || size.cols === 0) return
      termSize = size
      if (child?.pid && phase !== 'exiting') resizePty()
      return
    }
    default:
      // Unknown frames are ignored (newer clients).
      return
  }
}

/** Sets script's pty to termSize; runc gets SIGWINCH and resizes the container's. */
function resizePty(): void {
  if (resizing) {
    resizeAgain = true
    return
  }
  const tty = findTty()
  if (!tty) {
    // script has not forked its child yet: try again shortly.
    if (resizeRetries++ < 50) setTimeout(() => phase !== 'exiting' && resizePty(), 40).unref()
    return
  }
  resizing = true
  const {rows, cols} = termSize
  const done = (): void => {
    resizing = false
    if (resizeAgain) {
      resizeAgain = false
      resizePty()
    }
  }
  try {
    uv.spawn('stty', ['-F', tty, 'rows', String(rows), 'cols', String(cols)], {stdio: ['ignore', 'ignore', 'ignore'], env: process.env}).onExit(done)
  } catch (err) {
    diag(`stty: ${(err as Error).message}`)
    done()
  }
}

/** The slave side of script's pty: stdin of script's child (the runtime). */
function findTty(): string | undefined {
  if (ttyPath) return ttyPath
  const pid = child?.pid
  if (!pid) return undefined
  try {
    for (const kid of fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)) {
      if (!kid) continue
      const t = fs.readlinkSync(`/proc/${kid}/fd/0`)
      if (t.startsWith('/dev/pts/')) return (ttyPath = t)
    }
  } catch (e) {
    diag(`find tty: ${(e as Error).message}`)
  }
  return undefined
}

// ---- exit ------------------------------------------------------------------

async function finish(exit: {code: number | null; signal: NodeJS.Signals | null}, startError?: string): Promise<void> {
  if (finished) return
  finished = true
  clearTimeout(healthTimer)
  let code = 0
  try {
    code = await exitSequence(exit, startError)
  } catch (e) {
    diag(`exit: ${(e as Error).stack ?? e}`)
  }
  if (cfg.removeDirOnExit) {
    try {
      fs.rmSync(cfg.removeDirOnExit, {recursive: true, force: true})
    } catch {}
  }
  if (modulesFile) {
    try {
      fs.writeFileSync(modulesFile, (process as unknown as {moduleLoadList: string[]}).moduleLoadList.join('\n') + '\n')
    } catch {}
  }
  // conmon's own exit status is the container's: a unit whose MAINPID is the
  // monitor (--sdnotify=conmon) fails, and Restart=on-failure restarts it
  process.exit(code & 0xff)
}

async function exitSequence(exit: {code: number | null; signal: NodeJS.Signals | null}, startError?: string): Promise<number> {
  if (phase === 'starting') checkPidFile()
  const failed = phase !== 'running'
  phase = 'exiting'
  clearInterval(pidPoll)
  const status: ExitStatus = {exitCode: 0, finishedAt: wire.rfc3339Nano()}
  if (failed) {
    let message = startError ?? wire.runtimeErrorMessage(runtimeStderr)
    if (!message) message = `${path.basename(cfg.runtime)} exited with ${exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`} before starting the container`
    status.exitCode = startError ? 125 : wire.classifyStartError(message)
    status.error = message
    ready({type: 'failed', message, exitCode: status.exitCode})
  } else if (startError) {
    // `runc start` failed after the container was reported running.
    status.exitCode = exit.code ?? 125
    status.error = startError
  } else if (exit.signal) {
    status.exitCode = 128 + (signalNumber(exit.signal) ?? 0)
    status.signal = exit.signal
  } else {
    status.exitCode = exit.code ?? 0
  }
  try {
    writeFileAtomic(cfg.exitFile, JSON.stringify(status) + '\n')
  } catch (e) {
    diag(`exit file: ${(e as Error).message}`)
  }
  if (logFd !== undefined) {
    try {
      fs.closeSync(logFd)
    } catch {}
    logFd = undefined
  }
  // Tell the clients, let the frames reach them, then run the exit command.
  const exitFrame = wire.encodeFrame(FRAME.EXIT, JSON.stringify(status))
  const flushed = [...clients].map(
    c =>
      new Promise<void>(resolve => {
        if (c.destroyed) return resolve()
        // Closed by the client (it may claim the cleanup first), not merely flushed.
        c.onClose(() => resolve())
        c.resume()
        c.end(exitFrame)
      }),
  )
  server?.close()
  await Promise.race([Promise.all(flushed), new Promise(r => setTimeout(r, CLIENT_FLUSH_MS).unref())])
  for (const c of clients) c.destroy()
  await runExitCommand()
  if (cfg.attachSocket) rm(cfg.attachSocket)
  return status.exitCode
}

function runExitCommand(): Promise<void> {
  const argv = cfg.exitCommand
  if (!argv || argv.length === 0) return Promise.resolve()
  // A stopper that cleans up itself (stop, rm -f) claimed the cleanup: no second process for it.
  if (fs.existsSync(path.join(path.dirname(cfg.exitFile), CLEANUP_CLAIMED))) return Promise.resolve()
  return new Promise(resolve => {
    try {
      uv.spawn(argv[0], argv.slice(1), {detached: true, stdio: ['ignore', 'ignore', 'ignore'], env: cfg.exitCommandEnv ?? process.env}).onExit(() => resolve())
    } catch (err) {
      diag(`exit command: ${(err as Error).message}`)
      resolve()
    }
  })
}

// ---- small helpers -------------------------------------------------------------

function signalNumber(sig: string): number | undefined {
  // Loaded only when needed: every module costs each monitor memory.
  return (require('node:os') as typeof import('node:os')).constants.signals[sig as NodeJS.Signals]
}

function shq(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`
}

function rm(file: string | undefined): void {
  if (!file) return
  try {
    // Not rmSync: it loads its rimraf module; these are all plain files, sockets or FIFOs.
    fs.unlinkSync(file)
  } catch {}
}

/**
 * As libpod/state/atomic.ts (which is ESM, so not loadable here), without
 * the fsync: the monitor writes only in the runtime dir (pid file, exit
 * file), whose contents mean nothing after a power loss (no container runs
 * then); against a crashed process the rename is enough.
 */
function writeFileAtomic(file: string, data: string): void {
  const dir = path.dirname(file)
  fs.mkdirSync(dir, {recursive: true})
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`)
  const fd = fs.openSync(tmp, 'w', 0o644)
  try {
    fs.writeSync(fd, data)
  } finally {
    fs.closeSync(fd)
  }
  fs.renameSync(tmp, file)
}

function diag(msg: string): void {
  if (!cfg.monitorLogPath) return
  try {
    fs.appendFileSync(cfg.monitorLogPath, `${new Date().toISOString()} ${cfg.containerId}: ${msg}\n`)
  } catch {}
}

main()
