// Starting a container's monitor from the engine (`peapod start/run`): write
// its config, fork it detached so it outlives the command, and learn through
// the ready channel (fd 3) whether the container runs. Protocol: protocol.ts.
//
//   start / run -d:   const m = launchMonitor({config, configPath})
//                     const r = await m.started   // {running, pid} or {message, exitCode}
//   run (attached):   config.waitForAttach = true; const m = launchMonitor(...)
//                     await m.listening
//                     const done = attach({socketPath: config.attachSocket, stdin: i ? process.stdin : null})
//                     const r = await m.started   // a failed start: print r.message, exit r.exitCode
//                     const {exitCode, detached} = await done
//   Signal proxying (--sig-proxy) is the command's job: `runc kill ID SIG`.
/// <reference path="./main.cts" />
// Raw spawn, not util/process.ts: the monitor is detached with a ready channel on an extra fd, and every start pays for it.
import {spawn, type ChildProcess} from 'node:child_process'
import {existsSync, mkdirSync, writeFileSync, renameSync} from 'node:fs'
import path from 'node:path'
import type {Readable} from 'node:stream'
import {fileURLToPath} from 'node:url'
import {log} from '../libpod/util/log.js'
import type {MonitorConfig, ReadyMessage} from './protocol.js'

/**
 * V8 flags for the monitor. None: with 5 monitors beside 5 idle Nodes, a
 * monitor is ~0.3 MiB above an idle Node (PSS and private memory alike, since
 * it stopped loading child_process and net: uv.cts); --max-semi-space-size=1,
 * --single-threaded, --v8-pool-size=0, --max-old-space-size=16,
 * --optimize-for-size, --no-opt each moved that by under 30 KiB either way,
 * --jitless and --lite-mode saved ~40 KiB at the cost of interpreting every
 * log line. (Earlier, with net loaded: --expose-gc and a gc() once the
 * container runs did not help either.)
 */
export const MONITOR_NODE_FLAGS: string[] = []

/** dist/conmon/main.cjs (also when this module runs from src/ under tsx). */
export function monitorEntry(): string {
  const here = path.dirname(fileURLToPath(import.meta.url))
  const local = path.join(here, 'main.cjs')
  if (existsSync(local)) return local
  return path.resolve(here, '../../dist/conmon/main.cjs')
}

/** prctl(2)'s syscall number where perl's syscall() needs it. */
const PRCTL_NR: Partial<Record<string, number>> = {x64: 157, arm64: 167, riscv64: 167, loong64: 167, ia32: 172, arm: 172, ppc64: 171, s390x: 172}
/** mknodat(2)'s. */
const MKNODAT_NR: Partial<Record<string, number>> = {x64: 259, arm64: 33, riscv64: 33, loong64: 33, ia32: 297, arm: 324, ppc64: 288, s390x: 290}
const PERL = '/usr/bin/perl'

/**
 * The argv prefix that makes the monitor a child subreaper before Node starts
 * (protocol.ts, DETACHED RUNTIME): perl sets PR_SET_CHILD_SUBREAPER (36),
 * says whether it took, and execs Node (the attribute survives exec).
 * Undefined without perl or a known syscall number: the runtime then stays
 * resident (`run`).
 * With PEAPOD_MONITOR_FIFOS ("BASE\nNAME\n…") in its environment, perl also
 * makes the container's stdio FIFOs, BASE.PID.NAME (PID: the monitor's, as
 * exec keeps it), with mknodat(S_IFIFO|0600), which saves the monitor a
 * `mkfifo` process; PEAPOD_MONITOR_FIFOS is then 1 when all were made.
 */
export function subreaperWrapper(): string[] | undefined {
  const nr = PRCTL_NR[process.arch]
  const mknod = MKNODAT_NR[process.arch]
  if (nr === undefined || mknod === undefined || !existsSync(PERL)) return undefined
  const script = `$ENV{PEAPOD_MONITOR_SUBREAPER} = syscall(${nr}, 36, 1, 0, 0, 0) == 0 ? 1 : 0; ` +
    `if (my $f = $ENV{PEAPOD_MONITOR_FIFOS}) { my ($b, @n) = split /\n/, $f; my $ok = 1; ` +
    `for (@n) { $ok = 0 if syscall(${mknod}, -100, "$b.$$.$_", 0010600, 0) != 0 } $ENV{PEAPOD_MONITOR_FIFOS} = $ok } ` +
    `exec {$ARGV[0]} @ARGV or die "exec $ARGV[0]: $!\n"`
  return [PERL, '-e', script, '--']
}

/** The FIFOs the monitor's containerPipes() opens (main.cts), for perl to make. */
function fifoNames(config: MonitorConfig): string {
  return [path.resolve(config.exitFile), 'out', 'err', ...config.stdin ? ['in'] : []].join('\n')
}

export interface LaunchOptions {
  config: MonitorConfig
  /** Where the config JSON is written (in the container's runtime dir). */
  configPath: string
  /** Node binary; default process.execPath. */
  node?: string
  nodeFlags?: string[]
  /** Default monitorEntry(). */
  entry?: string
  /** Monitor environment (also the runtime's and, by default, the exit command's); default process.env without NODE_EXTRA_CA_CERTS and NODE_OPTIONS. */
  env?: NodeJS.ProcessEnv
  /**
   * Fds of this process the monitor gets at 3, 4, ... (an exec session's
   * --preserve-fds; config.exec.preserveFds must match); the ready channel
   * comes after them.
   */
  extraFds?: number[]
}

export type StartResult =
  | {running: true; pid: number}
  | {running: false; message: string; exitCode: number}

export interface LaunchedMonitor {
  /** The monitor's pid. */
  pid: number
  /** Resolves when the attach socket accepts connections (config.attachSocket set). */
  listening: Promise<void>
  /** Resolves when the container runs or failed to start. Rejects when the monitor died first. */
  started: Promise<StartResult>
  /** The monitor process (detached and unref'd once started settles). */
  process: ChildProcess
}

/**
 * Forks the monitor. With logDriver 'passthrough' it inherits this process's
 * stdio (the container writes straight to it); otherwise stdio is /dev/null.
 */
export function launchMonitor(opts: LaunchOptions): LaunchedMonitor {
  const extra = opts.extraFds ?? []
  const readyFd = 3 + extra.length
  const config: MonitorConfig = {...opts.config, readyFd}
  mkdirSync(path.dirname(opts.configPath), {recursive: true})
  const tmp = `${opts.configPath}.${process.pid}.tmp`
  writeFileSync(tmp, JSON.stringify(config, null, 1) + '\n', {mode: 0o600})
  renameSync(tmp, opts.configPath)

  const env = {...(opts.env ?? process.env)}
  if (!opts.env) {
    // The monitor makes no TLS connection: the extra certificates would cost
    // it ~1.8 MiB; and nothing of the caller's NODE_OPTIONS (e.g. a loader)
    // belongs in it.
    delete env.NODE_EXTRA_CA_CERTS
    delete env.NODE_OPTIONS
  }
  // systemd's socket reaches the monitor in config.sdNotify (--sdnotify); runc
  // would act on NOTIFY_SOCKET itself (its own proxy socket, READY on start)
  delete env.NOTIFY_SOCKET
  const passthrough = config.logDriver === 'passthrough'
  const node = opts.node ?? process.execPath
  let argv = [...(opts.nodeFlags ?? MONITOR_NODE_FLAGS), opts.entry ?? monitorEntry(), opts.configPath]
  log.debug(`Using OCI runtime ${JSON.stringify(config.runtime)}${config.runtimeArgs?.length ? ` with ${config.runtimeArgs.join(' ')}` : ''}`)
  log.debug(`Starting the monitor of container ${config.containerId}: ${node} ${argv.join(' ')}`)
  let file = node
  const wrap = config.runtimeCreateArgv && !config.terminal && !config.exec ? subreaperWrapper() : undefined
  if (wrap) {
    file = wrap[0]
    argv = [...wrap.slice(1), node, ...argv]
    env.PEAPOD_MONITOR_FIFOS = fifoNames(config)
  }
  const child = spawn(file, argv, {
    detached: true,
    // passthrough: stdin only when asked for (-i, build --stdin), else /dev/null as Podman
    stdio: passthrough ? [config.stdin ? 'inherit' : 'ignore', 'inherit', 'inherit', ...extra, 'pipe'] : ['ignore', 'ignore', 'ignore', ...extra, 'pipe'],
    env,
  })
  const channel = child.stdio[readyFd] as Readable

  let onListening!: () => void
  let listeningFailed!: (e: Error) => void
  const listening = new Promise<void>((resolve, reject) => {
    onListening = resolve
    listeningFailed = reject
  })
  listening.catch(() => {})

  const started = new Promise<StartResult>((resolve, reject) => {
    let buf = ''
    let settled = false
    const settle = (r: StartResult | Error): void => {
      if (settled) return
      settled = true
      channel.destroy()
      child.unref()
      if (r instanceof Error) {
        listeningFailed(r)
        reject(r)
      } else {
        listeningFailed(new Error('the container monitor did not open its attach socket'))
        resolve(r)
      }
    }
    channel.setEncoding('utf8')
    channel.on('data', (s: string) => {
      buf += s
      let nl
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl)
        buf = buf.slice(nl + 1)
        let msg: ReadyMessage
        try {
          msg = JSON.parse(line) as ReadyMessage
        } catch {
          continue
        }
        if (msg.type === 'listening') onListening()
        else if (msg.type === 'running') {
          log.debug(`The monitor of container ${config.containerId} reports its process running: pid ${msg.pid}`)
          settle({running: true, pid: msg.pid})
        }
        else if (msg.type === 'failed') settle({running: false, message: msg.message, exitCode: msg.exitCode})
      }
    })
    channel.on('error', () => {})
    channel.on('close', () => settle(new Error('the container monitor exited before the container started')))
    child.on('error', err => settle(new Error(`cannot start the container monitor: ${err.message}`)))
  })
  started.catch(() => {})

  return {pid: child.pid ?? 0, listening, started, process: child}
}
