// `exec`: a process in a running container, through the OCI runtime
// (`runc exec --process process.json ID`), with Podman's semantics.
//
// The process.json starts from the container's own process (the bundle's
// config.json: capabilities, rlimits, umask, no_new_privileges, ...), as
// Podman's prepareProcessExec does, and then:
//   - args: the exec command; terminal only with -t;
//   - env: the container's environment without what the runtime start added
//     for the container's own process (HOSTNAME, HOME unless the user or image
//     set them), then --env-file and -e (KEY without a value takes ours, or is
//     dropped), then HOME of the exec user when unset;
//   - user: -u, else the container's user (-u at create or the image's),
//     resolved in the container's /etc/passwd and /etc/group;
//   - capabilities: Podman's setProcessCapabilitiesExec (root gets the
//     bounding set; the container's own non-root user its effective set;
//     another user none; --privileged: the bounding set is everything);
//   - cwd: -w.
//
// How it runs (the caller picks, see commands/container/exec.ts):
//   - foreground: this process runs the runtime with our stdio (no terminal,
//     not detached). The process's stdout is ours directly; stderr goes
//     through a pipe held back until the runtime wrote the pid file, because a
//     failed start prints the runtime's error there (we print Podman's
//     message instead). The runtime's exit code is the process's.
//   - detached (-d without -t): `runc exec -d`, stdio on /dev/null.
//   - monitored (-t, -d -t): a short-lived monitor in exec mode (src/conmon)
//     holds the terminal, serves the attach socket (detach keys, resize) and
//     reports the exit code.
// Rootless, exec runs outside peapod's user namespace (it saves a second
// Node start): the runtime, or the monitor, is started through
// `nsenter --user --mount --target PAUSE_PID`. Files inside the container's
// rootfs are read through /proc/PAUSE_PID/root then.
//
// This module stays light on purpose (no spec generator, no ops.ts on the
// hot path): `exec CTR true` latency is benchmarked against Podman.
// Raw spawn, not util/process.ts: the exec's stdio is ours (inherited, held-back stderr, preserved fds), and exec latency is benchmarked.
import {containerEvent} from '../events/log.js'
import {spawn, type ChildProcess, type StdioOptions} from 'node:child_process'
import {closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, readlinkSync, rmSync, rmdirSync, writeFileSync} from 'node:fs'
import {constants} from 'node:os'
import path from 'node:path'
import {hostUid} from '../config/paths.js'
import {CommandNotFound, CommandNotInvokable, ContainerStateImproper, InvalidArgument, PeapodError, RuntimeFailure} from '../define/errors.js'
import {livePausePid} from '../rootless/pause.js'
import type {Runtime} from '../runtime.js'
import {hostBoundingSet} from '../spec/caps.js'
import {parseEnvFile, parseEnvList} from '../spec/env.js'
import type {OciCapabilities, OciProcess} from '../spec/oci.js'
import {getExecUser, readUserFiles} from '../spec/user.js'
import {monitorAlive} from './liveness.js'
import {containerPaths} from './paths.js'
import type {Container, ContainerConfig} from './types.js'
import {isActive} from '../define/state.js'
import {ociFor} from '../oci/runtime.js'

export const NOT_RUNNING = 'can only create exec sessions on running containers: container state improper'

export interface ExecOptions {
  command: string[]
  /** -e entries. */
  env?: string[]
  /** --env-file contents. */
  envFiles?: string[]
  user?: string
  workdir?: string
  privileged?: boolean
  tty?: boolean
  /** Initial terminal size (with tty). */
  consoleSize?: {rows: number; cols: number}
}

/** 64 hex digits like Podman's exec session IDs (from /dev/urandom: node:crypto costs ~2 ms to load). */
export function newExecId(): string {
  const b = Buffer.alloc(32)
  const fd = openSync('/dev/urandom', 'r')
  try {
    readSync(fd, b, 0, 32, null)
  } finally {
    closeSync(fd)
  }
  return b.toString('hex')
}


/** The container, checked to be running (its state synced if its monitor died). */
export async function execTarget(rt: Runtime, nameOrId: string): Promise<Container> {
  let c = rt.containers.lookup(nameOrId)
  if (isActive(c.state.status) && !monitorAlive(c)) {
    const {syncContainer} = await import('./sync.js')
    c = await syncContainer(rt, c)
  }
  if (c.state.status !== 'running') throw new ContainerStateImproper(NOT_RUNNING)
  return c
}

/** True when this process must enter peapod's user namespace to run the runtime. */
export function outsideUserNamespace(rt: Runtime): boolean {
  return rt.config.rootless && process.getuid?.() !== 0
}

/** `nsenter` into the pause process's user and mount namespace, or nothing when we are in it (or root). */
export function namespacePrefix(rt: Runtime): string[] {
  if (!outsideUserNamespace(rt)) return []
  const pid = livePausePid(hostUid())
  // No namespace, no running container in it.
  if (!pid) throw new ContainerStateImproper(NOT_RUNNING)
  return ['nsenter', '--user', '--mount', `--target=${pid}`, '--']
}

/** A path of the container's mount namespace world (its rootfs), readable from here. */
export function hostView(rt: Runtime, p: string): string {
  if (!outsideUserNamespace(rt)) return p
  const pid = livePausePid(hostUid())
  return pid ? `/proc/${pid}/root${p}` : p
}

interface BundleProcess {
  process: OciProcess
  rootfs: string
  /** process.rlimits as written (uint64 values that JSON.parse would round). */
  rawRlimits?: string
}

function readBundle(rt: Runtime, c: Container): BundleProcess {
  let text: string
  try {
    text = readFileSync(path.join(containerPaths(rt, c.config.id).bundle, 'config.json'), 'utf8')
  } catch {
    throw new ContainerStateImproper(NOT_RUNNING)
  }
  const spec = JSON.parse(text) as {process: OciProcess; root: {path: string}}
  return {process: spec.process, rootfs: spec.root.path, rawRlimits: /"rlimits":(\[[^\]]*\])/.exec(text)?.[1]}
}

function envKey(entry: string): string {
  const eq = entry.indexOf('=')
  return (eq < 0 ? entry : entry.slice(0, eq)).replace(/^[ \t]+/, '')
}

function imageConfig(rt: Runtime, c: ContainerConfig): {Env?: string[]; User?: string} {
  try {
    return (JSON.parse(rt.store.images.get(c.imageId).config) as {config?: {Env?: string[]; User?: string}}).config ?? {}
  } catch {
    return {}
  }
}

/** The exec's process.json (see the file comment for Podman's rules). */
export function execProcess(rt: Runtime, c: Container, opts: ExecOptions): {process: OciProcess; rawRlimits?: string} {
  if (opts.command.length === 0 || opts.command[0] === '') throw new InvalidArgument('must provide a non-empty command to start an exec session: invalid argument')
  const bundle = readBundle(rt, c)
  const base = bundle.process
  const img = imageConfig(rt, c.config)
  const proc: OciProcess = JSON.parse(JSON.stringify({...base, rlimits: undefined})) as OciProcess
  proc.args = opts.command
  delete proc.terminal
  delete (proc as {consoleSize?: unknown}).consoleSize
  if (opts.tty) {
    proc.terminal = true
    if (opts.consoleSize?.rows && opts.consoleSize.cols) (proc as {consoleSize?: unknown}).consoleSize = {height: opts.consoleSize.rows, width: opts.consoleSize.cols}
  }
  if (opts.workdir) proc.cwd = opts.workdir

  // The user: -u, else the container's.
  const ctrUser = c.config.user ?? img.User ?? ''
  const user = opts.user || ctrUser
  const files = readUserFiles(hostView(rt, bundle.rootfs))
  const eu = getExecUser(user, files.passwd, files.group)
  if (user !== '') {
    proc.user = {uid: eu.uid, gid: eu.gid, ...(base.user.umask !== undefined ? {umask: base.user.umask} : {})}
    if (eu.sgids.length) proc.user.additionalGids = eu.sgids
  }

  // Capabilities.
  const ctrCaps = base.capabilities ?? {}
  const caps: OciCapabilities = {bounding: opts.privileged ? hostBoundingSet() : [...(ctrCaps.bounding ?? [])], inheritable: []}
  if (eu.uid === 0) {
    caps.effective = [...caps.bounding!]
    caps.permitted = [...caps.bounding!]
    caps.ambient = []
  } else if (user === ctrUser) {
    const eff = ctrCaps.effective ?? []
    caps.effective = [...eff]
    caps.inheritable = [...eff]
    caps.permitted = [...eff]
    caps.ambient = [...eff]
  } else {
    caps.effective = []
    caps.permitted = []
    caps.ambient = []
  }
  proc.capabilities = caps

  // Environment.
  const explicit = new Set<string>()
  for (const e of [...(img.Env ?? []), ...c.config.env]) explicit.add(envKey(e))
  for (const f of c.config.envFiles) for (const k of parseEnvFile(f, {}).keys()) explicit.add(k)
  const env = new Map<string, string>()
  for (const e of base.env ?? []) {
    const k = envKey(e)
    if ((k === 'HOSTNAME' || k === 'HOME') && !explicit.has(k) && !c.config.envHost) continue
    env.set(k, e.slice(e.indexOf('=') + 1))
  }
  for (const f of opts.envFiles ?? []) for (const [k, v] of parseEnvFile(f, process.env)) env.set(k, v)
  for (const [k, v] of parseEnvList(opts.env ?? [], process.env)) env.set(k, v)
  if (!env.has('HOME')) env.set('HOME', eu.home || '/')
  proc.env = [...env].map(([k, v]) => `${k}=${v}`)
  return {process: proc, rawRlimits: bundle.rawRlimits}
}

/** A directory for one exec session in the container's runtime dir; throws when the container is gone. */
export function execSessionDir(rt: Runtime, c: Container, execId: string): string {
  const run = containerPaths(rt, c.config.id).run
  const parent = path.join(run, 'exec')
  try {
    mkdirSync(parent)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new ContainerStateImproper(NOT_RUNNING)
    if (code !== 'EEXIST') throw e
  }
  const dir = path.join(parent, execId)
  mkdirSync(dir, {mode: 0o700})
  return dir
}

export function removeExecSession(dir: string): void {
  rmSync(dir, {recursive: true, force: true})
  try {
    rmdirSync(path.dirname(dir))
  } catch {
    // other sessions, or already gone
  }
}

/** Writes process.json (rlimits as the bundle had them). */
export function writeProcessJson(dir: string, proc: {process: OciProcess; rawRlimits?: string}): string {
  const file = path.join(dir, 'process.json')
  let text = JSON.stringify(proc.process)
  if (proc.rawRlimits) text = text.replace(/\}$/, `,"rlimits":${proc.rawRlimits}}`)
  writeFileSync(file, text)
  return file
}

/** Podman's messages and exit codes for an exec the runtime could not start. */
export async function execStartError(runtimeName: string, message: string): Promise<PeapodError> {
  // Loaded on failure only (the CommonJS loader costs the hot path ~3 ms).
  const {classifyStartError} = await import('../../conmon/wire.cjs')
  const code = classifyStartError(message)
  if (code === 127) return new CommandNotFound(`${runtimeName}: ${message}: OCI runtime attempted to invoke a command that was not found`)
  if (code === 126) return new CommandNotInvokable(`${runtimeName}: ${message}: OCI permission denied`)
  return new RuntimeFailure(`OCI runtime error: ${runtimeName}: ${message}`)
}

/** The runtime's error from its --log file (JSON lines), else from its stderr. */
async function runtimeError(logFile: string, stderr: string): Promise<string> {
  let text = ''
  try {
    text = readFileSync(logFile, 'utf8')
  } catch {
    // no log
  }
  const msgs: string[] = []
  for (const line of text.split('\n')) {
    if (!line.trim()) continue
    try {
      const m = JSON.parse(line) as {level?: string; msg?: string}
      if ((m.level === 'error' || m.level === 'fatal') && m.msg) msgs.push(m.msg)
    } catch {
      // not JSON
    }
  }
  if (msgs.length) return msgs.join('\n')
  const {runtimeErrorMessage} = await import('../../conmon/wire.cjs')
  return runtimeErrorMessage(stderr) || 'the OCI runtime failed to start the exec session'
}

/**
 * --preserve-fds N: fds 3..3+N-1 must have been passed to us. Node opens its
 * own fds (an epoll fd first) at the lowest free numbers when it starts, so an
 * fd counts as passed only below Node's first epoll fd.
 */
export function checkPreserveFds(n: number): number[] {
  if (n <= 0) return []
  let nodeFirst = Infinity
  const fds = readdirSync('/proc/self/fd').map(Number).filter(fd => fd >= 3).sort((a, b) => a - b)
  for (const fd of fds) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === 'anon_inode:[eventpoll]') {
        nodeFirst = fd
        break
      }
    } catch {
      // the fd of the readdir itself
    }
  }
  const out: number[] = []
  for (let fd = 3; fd < 3 + n; fd++) {
    if (fd >= nodeFirst || !existsSync(`/proc/self/fd/${fd}`)) {
      throw new InvalidArgument(`file descriptor ${fd} is not available - the preserve-fds option requires that file descriptors must be passed`)
    }
    out.push(fd)
  }
  return out
}

export interface ForegroundOptions {
  /** Our stdin for the process (-i), else /dev/null. */
  stdin: boolean
  /** Capture stdout and stderr together instead of writing them to ours (health checks, top's ps). */
  capture?: boolean
  preserveFds?: number[]
}

export interface ForegroundResult {
  exitCode: number
  /** With capture: stdout and stderr as they came. */
  output?: string
}

/** How often the foreground exec looks for its process's end while the runtime still runs. */
const MAIN_EXIT_POLL_MS = 100
/** After the process ended, how long the runtime gets to pass on the last output. */
const DRAIN_GRACE_MS = 250

/** The runtime's debug log line for the process's end: `process exited` with its status (runc). */
function exitStatusFromLog(logFile: string, pid: number): number | undefined {
  let text: string
  try {
    text = readFileSync(logFile, 'utf8')
  } catch {
    return undefined
  }
  for (const line of text.split('\n')) {
    if (!line.includes('"process exited"')) continue
    try {
      const m = JSON.parse(line) as {msg?: string; pid?: number; status?: number}
      if (m.msg === 'process exited' && m.pid === pid && typeof m.status === 'number') return m.status
    } catch {
      // not JSON
    }
  }
  return undefined
}

/**
 * Runs the exec in the foreground (see the file comment); throws a start
 * failure with Podman's code.
 *
 * runc copies a foreground process's stdio through pipes of its own and only
 * exits once nothing holds them: a process that leaves a background child
 * behind (`sh -c 'daemon &'`) would keep us waiting, where Podman (whose
 * conmon waits for the process itself) returns. So runc runs with --debug,
 * which logs `process exited` with the status as soon as the process ends;
 * once the process is gone (polled) and runc has not finished within a short
 * grace, we take that status and stop runc.
 */
export async function execForeground(rt: Runtime, c: Container, execId: string, opts: ExecOptions & ForegroundOptions): Promise<ForegroundResult> {
  const proc = execProcess(rt, c, {...opts, tty: false})
  const oci = ociFor(rt, c.config)
  const prefix = namespacePrefix(rt)
  const dir = execSessionDir(rt, c, execId)
  containerEvent(rt.config, c.config, 'exec')
  const isRunc = oci.name.startsWith('runc')
  try {
    const processFile = writeProcessJson(dir, proc)
    const pidFile = path.join(dir, 'pid')
    const logFile = path.join(dir, 'runtime.log')
    // --debug: runc logs `process exited` with the status (see above).
    const argv = oci.exec(c.config.id, {process: processFile, pidFile, log: logFile, logFormat: 'json', debug: true, preserveFds: opts.preserveFds?.length})
    const cmd = [...prefix, ...argv]
    const stdio: StdioOptions = [opts.stdin ? 'inherit' : 'ignore', opts.capture ? 'pipe' : 'inherit', 'pipe', ...(opts.preserveFds ?? [])]
    rt.logger.debug(`running ${cmd.join(' ')}`)
    const child = spawn(cmd[0], cmd.slice(1), {stdio})
    return await new Promise<ForegroundResult>((resolve, reject) => {
      const captured: Buffer[] = []
      const held: Buffer[] = []
      let mainPid = 0
      let statusOverride: number | undefined
      const flush = () => {
        for (const b of held.splice(0)) (opts.capture ? captured.push(b) : process.stderr.write(b))
      }
      const readPid = (): boolean => {
        if (mainPid) return true
        let text: string
        try {
          text = readFileSync(pidFile, 'utf8')
        } catch {
          return false
        }
        const pid = Number.parseInt(text.trim(), 10)
        if (!(pid > 0)) return false
        mainPid = pid
        flush()
        return true
      }
      // Until the pid file exists: is it there yet (then stderr is the
      // process's); after: is the process still there.
      const timer = setInterval(() => {
        if (!mainPid) {
          readPid()
          return
        }
        if (!isRunc || existsSync(`/proc/${mainPid}`)) return
        clearInterval(timer)
        setTimeout(() => {
          const status = exitStatusFromLog(logFile, mainPid)
          if (status === undefined || child.exitCode !== null || child.signalCode !== null) return
          statusOverride = status
          child.kill('SIGKILL')
        }, DRAIN_GRACE_MS).unref()
      }, MAIN_EXIT_POLL_MS)
      child.stderr!.on('data', (b: Buffer) => {
        if (mainPid || readPid()) {
          if (opts.capture) captured.push(b)
          else process.stderr.write(b)
        } else held.push(b)
      })
      child.stdout?.on('data', (b: Buffer) => captured.push(b))
      const signals = forwardSignals(child)
      child.on('error', e => {
        signals()
        clearInterval(timer)
        reject(new RuntimeFailure(`cannot run ${cmd[0]}: ${e.message}`))
      })
      child.on('close', (code: number | null, signal: NodeJS.Signals | null) => {
        signals()
        clearInterval(timer)
        const ran = readPid()
        const exitCode = statusOverride ?? code ?? 128 + (signal ? constants.signals[signal] : 0)
        if (!ran && exitCode !== 0) {
          void runtimeError(logFile, Buffer.concat(held).toString()).then(msg => execStartError(oci.name, msg)).then(reject, reject)
          return
        }
        flush()
        resolve({exitCode, ...(opts.capture ? {output: Buffer.concat(captured).toString()} : {})})
      })
    })
  } finally {
    removeExecSession(dir)
  }
}

/** `exec -d` without a terminal: the runtime starts the process and returns. */
export async function execDetached(rt: Runtime, c: Container, execId: string, opts: ExecOptions & {preserveFds?: number[]}): Promise<void> {
  const proc = execProcess(rt, c, {...opts, tty: false})
  const oci = ociFor(rt, c.config)
  const prefix = namespacePrefix(rt)
  const dir = execSessionDir(rt, c, execId)
  containerEvent(rt.config, c.config, 'exec')
  try {
    const processFile = writeProcessJson(dir, proc)
    const logFile = path.join(dir, 'runtime.log')
    const cmd = [...prefix, ...oci.exec(c.config.id, {detach: true, process: processFile, pidFile: path.join(dir, 'pid'), log: logFile, logFormat: 'json', preserveFds: opts.preserveFds?.length})]
    // No pipes: the detached process would inherit them (the runtime gives it
    // its own stdio) and hold them open. The runtime's error is in its log.
    rt.logger.debug(`running ${cmd.join(' ')}`)
    const child = spawn(cmd[0], cmd.slice(1), {stdio: ['ignore', 'ignore', 'ignore', ...(opts.preserveFds ?? [])]})
    const code = await new Promise<number>((resolve, reject) => {
      child.on('error', e => reject(new RuntimeFailure(`cannot run ${cmd[0]}: ${e.message}`)))
      child.on('exit', c => resolve(c ?? 125))
    })
    if (code !== 0) {
      // Podman: a detached exec that cannot start is an engine error (125).
      const e = await execStartError(oci.name, await runtimeError(logFile, ''))
      throw new RuntimeFailure(e.message)
    }
  } finally {
    removeExecSession(dir)
  }
}

/**
 * While the runtime runs in the foreground: SIGTERM/SIGHUP sent to us go to
 * it (it forwards them to the process); a terminal's SIGINT reaches both of
 * us through the process group, so here it is only kept from killing us.
 * Returns the undo.
 */
function forwardSignals(child: ChildProcess): () => void {
  const fwd = (sig: NodeJS.Signals) => () => {
    child.kill(sig)
  }
  const handlers: Array<[NodeJS.Signals, () => void]> = [['SIGTERM', fwd('SIGTERM')], ['SIGHUP', fwd('SIGHUP')], ['SIGINT', () => {}]]
  for (const [s, h] of handlers) process.on(s, h)
  return () => {
    for (const [s, h] of handlers) process.off(s, h)
  }
}

export interface MonitoredExec {
  /** The session's attach socket. */
  socket: string
  listening: Promise<void>
  /** The process runs, or the runtime could not start it (message and Podman's code). */
  started: Promise<{running: true; pid: number} | {running: false; message: string; exitCode: number}>
  runtimeName: string
}

/**
 * `exec -t` (and `exec -d -t`): a short-lived monitor in exec mode holds the
 * process's terminal and serves its attach socket; it removes the session's
 * directory when the process is gone. Attached sessions start once the first
 * client connected (no output is lost).
 */
export async function execMonitored(rt: Runtime, c: Container, execId: string, opts: ExecOptions & {interactive: boolean; detach: boolean; preserveFds?: number[]}): Promise<MonitoredExec> {
  const {launchMonitor, MONITOR_NODE_FLAGS} = await import('../../conmon/launch.js')
  const proc = execProcess(rt, c, {...opts, tty: true})
  const oci = ociFor(rt, c.config)
  const prefix = namespacePrefix(rt)
  const dir = execSessionDir(rt, c, execId)
  containerEvent(rt.config, c.config, 'exec')
  try {
    const processFile = writeProcessJson(dir, proc)
    const pidFile = path.join(dir, 'pid')
    const socket = path.join(dir, 'attach')
    const argv = oci.exec(c.config.id, {process: processFile, pidFile, preserveFds: opts.preserveFds?.length})
    rt.logger.debug(`running ${argv.join(' ')} under an exec monitor`)
    const m = launchMonitor({
      configPath: path.join(dir, 'monitor.json'),
      config: {
        containerId: c.config.id,
        runtime: oci.path,
        runtimeArgv: argv.slice(1),
        bundle: dir,
        pidFile,
        logDriver: 'none',
        terminal: true,
        consoleSize: opts.consoleSize,
        stdin: opts.interactive,
        attachSocket: socket,
        waitForAttach: !opts.detach,
        exitFile: path.join(dir, 'exit.json'),
        exec: {process: processFile, ...(opts.preserveFds?.length ? {preserveFds: opts.preserveFds.length} : {})},
        removeDirOnExit: dir,
      },
      // Rootless from outside the namespace: the monitor (and so the runtime) runs in it.
      ...(prefix.length ? {node: prefix[0], nodeFlags: [...prefix.slice(1), process.execPath, ...MONITOR_NODE_FLAGS]} : {}),
      extraFds: opts.preserveFds,
    })
    m.started.catch(() => removeExecSession(dir))
    return {socket, listening: m.listening, started: m.started, runtimeName: oci.name}
  } catch (e) {
    removeExecSession(dir)
    throw e
  }
}
