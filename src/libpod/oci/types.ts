// The OCI runtime as the engine sees it: typed verbs instead of argv strings.
// Implementations: runc, crun and runsc (oci/runc.ts, crun.ts, runsc.ts on
// the runc-compatible CLI base in cli.ts) and an in-memory fake for unit
// tests (fake.ts).
//
// `run` and `exec` return the argv rather than running it: the monitor
// (src/conmon) runs the runtime in the foreground so that it stays the
// container's parent, and the foreground exec owns the process's stdio.

/** How a runtime instance is set up: the same for every call it makes. */
export interface OciRuntimeOptions {
  /** --root: where the runtime keeps its container state. */
  root: string
  /** Running in peapod's user namespace (runc: --rootless true; runsc: no cgroups). */
  rootless: boolean
  /** --systemd-cgroup: cgroups through systemd (cgroupsPath is slice:prefix:name then). */
  systemdCgroup?: boolean
  /** The container's network mode: runsc picks its network stack from it. */
  network?: string
  /** --runtime-flag: more global flags, already with their dashes. */
  extraFlags?: string[]
}

/** Where one call's own diagnostics go (--log, --log-format, --debug). */
export interface OciLog {
  log?: string
  logFormat?: 'json' | 'text'
  /** Debug-level lines in the log (runc's `process exited` with the status). */
  debug?: boolean
}

export interface OciCreateOptions extends OciLog {
  bundle: string
  pidFile: string
  /** A unix socket that receives the terminal's master (process.terminal). */
  consoleSocket?: string
  noPivot?: boolean
}

export interface OciRunOptions extends OciLog {
  bundle: string
  pidFile: string
  noPivot?: boolean
  /** More arguments of `run`, after the verb's own. */
  extra?: string[]
}

export interface OciExecOptions extends OciLog {
  /** process.json of the exec process. */
  process: string
  pidFile: string
  /** `-d`: the runtime starts the process and returns. */
  detach?: boolean
  /** Fds 3 .. 3+n-1 go to the process. */
  preserveFds?: number
}

/** `state ID`: the runtime's view of one container (OCI runtime-spec state). */
export interface OciState {
  ociVersion: string
  id: string
  status: 'creating' | 'created' | 'running' | 'paused' | 'stopped'
  pid?: number
  bundle: string
  annotations?: Record<string, string>
}

/** `features` (runtime-spec features.md); runtimes too old for it give {}. */
export interface OciFeatures {
  ociVersionMin?: string
  ociVersionMax?: string
  hooks?: string[]
  mountOptions?: string[]
  linux?: Record<string, unknown>
  annotations?: Record<string, string>
}

export interface OciRuntime {
  /** runc, crun, runsc, or the file name of a runtime given by path. */
  readonly name: string
  /** The binary. */
  readonly path: string

  /** Global arguments (before the verb) for a call that logs as `log` says. */
  globalArgs(log?: OciLog): string[]

  create(id: string, opts: OciCreateOptions): Promise<void>
  start(id: string): Promise<void>
  /** The full argv (binary first) the monitor runs in the foreground: create + start + wait. */
  run(id: string, opts: OciRunOptions): string[]
  /**
   * `run` as two argvs (binary first), `create …` then `start ID`, for a
   * monitor that adopts the container so no runtime process stays resident
   * (conmon/protocol.ts, DETACHED RUNTIME). Absent: the runtime is run in the
   * foreground only.
   */
  runDetached?(id: string, opts: OciRunOptions): {create: string[]; start: string[]}
  /** Whether the runtime keeps state for the container (false: `delete` has nothing to do). Absent: unknown. */
  hasState?(id: string): boolean
  /** Signal names without SIG (KILL, TERM) or numbers. `all`: every process of the container. */
  kill(id: string, signal: string, opts?: {all?: boolean}): Promise<void>
  /** `force`: kill a container that still runs; no error for one that is gone. */
  delete(id: string, opts?: {force?: boolean}): Promise<void>
  pause(id: string): Promise<void>
  resume(id: string): Promise<void>
  /** Sets a running container's cgroup limits from a JSON file of linux.resources (`update --resources`). */
  update(id: string, resourcesFile: string): Promise<void>
  /** The full argv (binary first) of an exec process in a running container. */
  exec(id: string, opts: OciExecOptions): string[]
  state(id: string): Promise<OciState>
  features(): Promise<OciFeatures>
}
