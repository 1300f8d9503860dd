// The interface between the engine and the per-container monitor (peapod's
// conmon): how it is started, how it reports readiness, what it leaves behind
// when the container exits, and the attach socket protocol.
//
// STARTING
//   node dist/conmon/main.cjs CONFIG_JSON_PATH
//   detached (new session), stdin/stdout/stderr on /dev/null (or the caller's
//   stdio with logDriver 'passthrough'), plus the ready channel as fd 3.
//   launch.ts (launchMonitor) does all of this. The entry is CommonJS on
//   purpose: an ESM entry costs every running container ~0.5 MiB more (Node's
//   ESM loader), so the monitor's own files are .cts and import nothing but
//   Node built-ins and wire.cts. launchMonitor also drops NODE_EXTRA_CA_CERTS
//   (the monitor makes no TLS connection; the certificates cost ~1.8 MiB per
//   process) and NODE_OPTIONS from its environment. Measured (10 running,
//   test/e2e/conmon.test.ts): ~7.4 MiB PSS per monitor with the detached
//   runtime below, against ~7.5 + 2.5 MiB for a monitor and its waiting runc.
//
//   The monitor runs the runtime in the foreground so the runtime stays the
//   container's parent and exits with its status:
//     RUNTIME [runtimeArgs] run --bundle BUNDLE --pid-file PIDFILE
//             [--no-pivot] [runtimeRunArgs] CONTAINER_ID
//   Without a terminal the runtime's stdout/stderr are pipes (FIFOs, so the
//   container can open /dev/stdout, unlike with Node's socketpairs) read by the
//   monitor (the runtime hands them to the container as they are) and stdin is
//   a pipe fed by attach clients (stdin: true) or /dev/null. runc gets
//   GOMAXPROCS=1 unless the environment sets it. With a terminal
//   the runtime runs inside a pseudo-terminal made by util-linux `script`
//   (no native code): `script -q -e -E never -c "stty rows R cols C; exec
//   RUNTIME ..." /dev/null`; runc makes the container's own pty, copies it
//   to its stdio and forwards size changes on SIGWINCH; the monitor resizes
//   script's pty with `stty -F /dev/pts/N rows R cols C` (which sends runc
//   SIGWINCH). The runtime's stderr goes to a separate pipe then (fd 3 of
//   script). runc only copies that size to the container's pty after the
//   process started: the spec's process.consoleSize should carry the same
//   initial size (runc applies it before the process runs).
//   The container counts as running once the runtime wrote the pid file
//   (polled every 5 ms while starting).
//
// DETACHED RUNTIME (runtimeCreateArgv + runtimeStartArgv, no terminal, not an
//   exec session): a resident `runc run` costs ~3 MiB PSS per container, so
//   the monitor runs `runc create` (same stdio as above) and then `runc start`,
//   and neither stays. Node cannot make itself a child subreaper, so
//   launchMonitor starts it through perl (perl-base, always on Debian):
//   `perl -e 'prctl(PR_SET_CHILD_SUBREAPER, 1); exec node …'`; the attribute
//   survives the exec, and perl tells the monitor it took with
//   PEAPOD_MONITOR_SUBREAPER=1 (without it the monitor runs `run` as above).
//   perl also makes the stdio FIFOs (mknodat; PEAPOD_MONITOR_FIFOS=1 says
//   so), which spares a `mkfifo` process per start.
//   When runc create exits, the container's init is re-parented to the
//   monitor. Node only reaps the children it spawned, so the init stays a
//   zombie once it exits: on SIGCHLD the monitor reads its wait status from
//   /proc/PID/stat (field 52, exit_code) and the zombie is reaped when the
//   monitor exits. The container counts as running once `runc create` exited
//   0 (as with `run`'s pid file: before it can write anything); a failing
//   `runc start` then ends it with 125 and the error in the exit file.
//   runc's state then stays (status stopped) until the exit command's
//   `runc delete`. The engine asks for it only for a container with its own
//   pid namespace: with the host's, the container's orphans would be
//   re-parented to the monitor too and stay zombies (`runc run` reaps them).
//
// READY CHANNEL (readyFd, normally 3): newline-delimited JSON ReadyMessage:
//   {"type":"listening"}                  attach socket is accepting (always first
//                                         when attachSocket is set)
//   {"type":"running","pid":N}            the runtime wrote the pid file: the
//                                         container process is running
//   {"type":"failed","message":M,"exitCode":C}
//                                         the runtime exited without starting
//                                         the container; M is its error
//                                         (runc's logfmt msg extracted), C is
//                                         127/126/125 (classifyStartError)
//   then the monitor closes the fd. If the reader has gone, it carries on.
//
// EXIT FILE (exitFile), written atomically (temp + rename; no fsync: see writeFileAtomic) when the
//   container has exited, before attach clients are told and before the exit
//   command runs: ExitStatus JSON. For a failed start it holds the
//   127/126/125 code and `error`. The monitor removes a stale exit file and
//   pid file when it starts.
//
// CLEANUP CLAIMED (<dir of exitFile>/cleanup-claimed): written by a command
//   that stops the container and cleans it up itself (stop, rm -f, pod rm -f);
//   when it exists once the container has exited, the monitor skips the exit
//   command (one Node process less per container). An attached run, start -a
//   or attach that cleans up after the exit writes it when the EXIT frame
//   arrives, before it closes the connection; the monitor waits for its
//   clients to close (CLIENT_FLUSH_MS at most) before it looks. So a
//   foreground `run --rm` starts no third Node process.
//
// LOG (logDriver 'k8s-file'): conmon's format, one line per output line:
//   <RFC3339Nano local time, 9 digits, ±hh:mm> <stdout|stderr> <F|P> <bytes>\n
//   P = partial: the chunk read did not end with a newline. With a terminal
//   everything is stdout (with the pty's \r\n). logMaxSize > 0: when the next
//   line would take the file past it, the file is replaced by an empty one
//   (conmon's truncation; written via <logPath>.tmp + rename). Output that
//   arrives before the pid file exists is held back and written once the
//   container is known to run (so a failed start logs nothing: the runtime's
//   error goes to the ready channel and the exit file instead).
//
// ATTACH SOCKET (attachSocket, SOCK_STREAM unix socket): frames
//   [type u8][length u32 BE][payload], types in FRAME:
//   monitor → client: HELLO (AttachHello JSON, first), STDOUT, STDERR (raw
//     bytes), EXIT (ExitStatus JSON, last; then the monitor ends the connection)
//   client → monitor: STDIN (raw bytes; ignored unless config.stdin),
//     RESIZE (rows u16 BE, cols u16 BE; terminal only; before the container
//     starts it sets the initial size), CLOSE_STDIN (end the container's stdin;
//     with a terminal: sends ^D)
//   Any number of clients; output goes to all, from the moment they connect
//   (the log has the history). A slow client slows the container's output
//   (backpressure, like a terminal) instead of growing the monitor's memory.
//   Paths longer than a sockaddr_un allows are reached through
//   /proc/self/fd/<dirfd>/<name> by the client.
//   waitForAttach: the runtime is started only when the first client
//   connects (so `run` without -d sees all output), or after
//   waitForAttachTimeoutMs (default 60 s) if nobody does.
//
// EXIT SEQUENCE: runtime exits → remaining output drained → exit file →
//   EXIT frame to clients, connections ended → exit command spawned
//   (detached, stdio on /dev/null) and waited for → socket file removed →
//   monitor exits.
//
// SIGNALS: the monitor ignores SIGINT, SIGHUP and SIGTERM (killing it would
//   cut the container's stdio); stop the container with `runc kill`. The
//   runtime forwards signals it receives to the container.
//
// EXEC SESSIONS (config.exec): the same monitor, short-lived, for `exec -t`
//   and `exec -d -t`: it runs
//     RUNTIME [runtimeArgs] exec --process PROCESS --pid-file PIDFILE
//             [--preserve-fds N] CONTAINER_ID
//   with the same stdio, terminal (script), ready channel, exit file and
//   attach socket as a container; the caller sets logDriver 'none' (Podman
//   keeps exec output out of the container's log) and no exit command.
//   preserveFds N: the monitor is started with the fds to pass at 3..3+N-1
//   (launchMonitor extraFds) and the ready channel after them; the runtime
//   gets them at the same numbers. removeDirOnExit: the session's directory,
//   removed when the monitor is done (a detached session nobody waits for).
//
// HEALTH CHECKS (config.healthcheck, container monitors): once the container
//   runs, `command` (peapod healthcheck run ID) is spawned detached with
//   stdio on /dev/null intervalMs later, then intervalMs after each check
//   finished (never two at once; Podman's systemd timer uses
//   --on-unit-inactive the same way). The command records the result and
//   takes the on-failure action; it may stop or restart the container, so it
//   outlives the monitor. The timer stops when the container exits.
//
// EXIT CODES in ExitStatus.exitCode: the container's code as the runtime
//   reports it (128+N when the container was killed by signal N); 127/126/125
//   for a failed start (see classifyStartError); when the runtime itself was
//   killed by a signal, 128+N and `signal` set to the signal's name.

export {
  FRAME,
  FRAME_HEADER,
  MAX_FRAME,
  FrameDecoder,
  classifyStartError,
  decodeResize,
  encodeFrame,
  encodeResize,
  k8sLogLines,
  k8sTimestamp,
  nowNs,
  rfc3339Nano,
  runtimeErrorMessage,
} from './wire.cjs'

export type LogDriver = 'k8s-file' | 'none' | 'passthrough'

export interface MonitorConfig {
  containerId: string
  /** Path of the OCI runtime binary (runc, crun, runsc, ...). */
  runtime: string
  /** Global runtime arguments, before the verb (e.g. ["--root", "/run/peapod/runc"]). */
  runtimeArgs?: string[]
  /**
   * The runtime's whole argument list after the binary (`run …` or `exec …`),
   * as the engine's OciRuntime (src/libpod/oci) built it. When set, the
   * monitor runs exactly this and ignores runtimeArgs, runtimeRunArgs,
   * noPivot and exec.process; without it (a standalone monitor) it builds the
   * list from those fields.
   */
  runtimeArgv?: string[]
  /**
   * DETACHED RUNTIME: `create …` and `start ID` (after the binary). Used
   * instead of runtimeArgv when the monitor is a child subreaper and has no
   * terminal (see DETACHED RUNTIME); ignored otherwise.
   */
  runtimeCreateArgv?: string[]
  runtimeStartArgv?: string[]
  /** Extra arguments of `run`, after the verb (e.g. ["--no-new-keyring"]). */
  runtimeRunArgs?: string[]
  noPivot?: boolean
  /** Bundle directory (holds config.json). */
  bundle: string
  /** `--pid-file`: the runtime writes the container's pid here. */
  pidFile: string
  logPath?: string
  /** Default 'k8s-file'. */
  logDriver?: LogDriver
  /** Bytes; 0 or absent = unlimited. */
  logMaxSize?: number
  /** Run the runtime inside a pseudo-terminal (the spec's process.terminal must match). */
  terminal?: boolean
  /** Initial terminal size when no attach client has sent one; default 24x80. */
  consoleSize?: {rows: number; cols: number}
  /** Keep the container's stdin open for attach clients. */
  stdin?: boolean
  /** Unix socket path for attach clients (in the runtime dir). */
  attachSocket?: string
  /** Start the runtime only once an attach client connects. */
  waitForAttach?: boolean
  waitForAttachTimeoutMs?: number
  /** Where ExitStatus JSON is written atomically. */
  exitFile: string
  /** Inherited fd for ReadyMessage lines (launchMonitor passes 3). */
  readyFd?: number
  /** Run after the container exited (detached; waited for). */
  exitCommand?: string[]
  /** Environment of the exit command; default the monitor's. */
  exitCommandEnv?: Record<string, string>
  /** The monitor writes its own pid here. */
  monitorPidFile?: string
  /** The monitor appends its own diagnostics here (unexpected errors). */
  monitorLogPath?: string
  /** Exec session: `exec --process` instead of `run` (see EXEC SESSIONS). */
  exec?: {process: string; preserveFds?: number}
  /** Removed recursively when the monitor ends. */
  removeDirOnExit?: string
  /** Periodic health check (see HEALTH CHECKS). */
  healthcheck?: {intervalMs: number; command: string[]}
  /** run --preserve-fds N: fds 3 .. 3+N-1 of the monitor go to the container (as an exec session's). */
  preserveFds?: number
  /** --timeout: the container is killed (SIGKILL) this long after it started. */
  timeoutMs?: number
  /**
   * systemd's notify socket (--sdnotify): once the container runs, and before
   * the ready channel says so, the monitor sends MAINPID=<its pid> (and
   * READY=1 when `ready`) with systemd-notify(1).
   */
  sdNotify?: {socket: string; ready: boolean}
}

export type ReadyMessage =
  | {type: 'listening'}
  | {type: 'running'; pid: number}
  | {type: 'failed'; message: string; exitCode: number}

export interface ExitStatus {
  exitCode: number
  /** Set only when the runtime process itself was killed by a signal. */
  signal?: string
  /** Not detected yet (the runtime removes the cgroup before the monitor could look). */
  oomKilled?: boolean
  /** RFC3339Nano, UTC. */
  finishedAt: string
  /** The runtime's error when the container could not be started. */
  error?: string
}

/** Payload of the HELLO frame. */
export interface AttachHello {
  containerId: string
  terminal: boolean
  stdin: boolean
}
