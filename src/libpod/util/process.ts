// The one way the engine runs a helper program (netavark, slirp4netns's
// siblings, mount/umount, the OCI runtime's short calls, tar, getfattr, ...):
// each call is logged at debug level, and a failure is a ProcessFailure whose
// message folds in the helper's own complaint (its stderr's last line).
//
// Short calls (run, runSync) use Node's own spawn: they are on the paths
// whose start-up counts (run, start, the cleanup after every container), and
// importing execa there cost ~24 ms per process even bundled, measured as
// +46 ms on rootless `run --rm` (run and its cleanup each paid it). execa,
// loaded lazily and bundled into one file by the build, serves the streaming
// calls (runTo: tar archives of volumes and containers). The monitor in
// src/conmon and the rootless re-exec keep their own raw spawn.
import type {Writable} from 'node:stream'
import type {Options, ResultPromise} from 'execa'
import {PeapodError} from '../define/errors.js'
import {log} from './log.js'
import {childProcess} from './builtins.js'

/** A helper that could not run or did not succeed. */
export class ProcessFailure extends PeapodError {
  constructor(
    readonly argv: string[],
    /** The helper's exit status; undefined when it never ran or a signal ended it. */
    readonly status: number | undefined,
    readonly signal: string | undefined,
    readonly stdout: string,
    readonly stderr: string,
    /** The helper's complaint: its stderr's last line, else how it ended. */
    readonly detail: string,
    /** Spawning failed with this errno code (ENOENT: no such program). */
    readonly errno?: string,
  ) {
    super(`${argv[0]}: ${detail}`)
  }

  /** The program is not installed (or not executable). */
  get notFound(): boolean {
    return this.errno === 'ENOENT'
  }
}

export interface RunOptions {
  /** Written to the helper's stdin (else stdin is /dev/null). */
  input?: string | Buffer
  cwd?: string
  env?: NodeJS.ProcessEnv
  /** Milliseconds; the helper is killed after it. Default: none. */
  timeout?: number
  /** Helper exit statuses that count as success besides 0 (tar's 1: "a file changed as we read it"). */
  okStatus?: number[]
}

export interface RunResult {
  stdout: string
  stderr: string
  status: number
}

const MAX_BUFFER = 64 * 1024 * 1024

/** The last non-empty line of a helper's stderr. */
export function lastLine(text: string): string {
  return text.trim().split('\n').pop()?.trim() ?? ''
}

function describe(status: number | undefined, signal: string | undefined, message: string | undefined): string {
  if (signal) return `killed by ${signal}`
  if (status !== undefined) return `exit status ${status}`
  return message ?? 'failed'
}

let execaModule: Promise<typeof import('execa')> | undefined

/**
 * The build's single-file bundle of execa (scripts/build-vendor.js: ~20 ms
 * to import instead of ~85), else the package itself (running from src/).
 */
function loadExeca(): Promise<typeof import('execa')> {
  execaModule ??= (import(new URL('../../vendor/execa.mjs', import.meta.url).href) as Promise<typeof import('execa')>).catch(() => import('execa'))
  return execaModule
}

function baseOptions(opts: RunOptions): Options {
  return {
    ...(opts.input !== undefined ? {input: opts.input} : {stdin: 'ignore'}),
    cwd: opts.cwd,
    env: opts.env,
    extendEnv: opts.env === undefined,
    timeout: opts.timeout ?? 0,
    maxBuffer: MAX_BUFFER,
    // Keep output exactly as the helper wrote it.
    stripFinalNewline: false,
    reject: false,
  }
}

/** Runs a helper to its end; resolves with its output, rejects with a ProcessFailure. */
export function run(argv: string[], opts: RunOptions = {}): Promise<RunResult> {
  log.debug(`running ${argv.join(' ')}`)
  return new Promise((resolve, reject) => {
    const child = childProcess().spawn(argv[0], argv.slice(1), {
      stdio: [opts.input !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      cwd: opts.cwd,
      env: opts.env,
    })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout!.on('data', (b: Buffer) => out.push(b))
    child.stderr!.on('data', (b: Buffer) => err.push(b))
    let timedOut = false
    const timer = opts.timeout ? setTimeout(() => { timedOut = true; child.kill('SIGTERM') }, opts.timeout) : undefined
    if (opts.input !== undefined) child.stdin!.end(opts.input)
    let spawnError: NodeJS.ErrnoException | undefined
    child.on('error', e => { spawnError = e })
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer)
      const stdout = Buffer.concat(out).toString('utf8')
      const stderr = Buffer.concat(err).toString('utf8')
      // A program that never ran reports a negative errno as its code.
      const status = spawnError ? undefined : code ?? undefined
      if (!spawnError && !timedOut && status !== undefined && (status === 0 || opts.okStatus?.includes(status))) return resolve({stdout, stderr, status})
      const detail = lastLine(stderr) || (timedOut ? `timed out after ${opts.timeout} ms` : describe(status, signal ?? undefined, spawnError?.message))
      reject(new ProcessFailure(argv, status, signal ?? undefined, stdout, stderr, detail, spawnError?.code))
    })
  })
}

/**
 * Starts a helper whose stdout streams somewhere (a file descriptor or a
 * stream) instead of being buffered; resolves like run() once it ends.
 */
export async function runTo(argv: string[], out: number | Writable, opts: RunOptions = {}): Promise<RunResult> {
  log.debug(`running ${argv.join(' ')}`)
  const {execa} = await loadExeca()
  // A file descriptor goes to the helper as it is (execa types only name 0-2).
  const sub: ResultPromise = execa(argv[0], argv.slice(1), {...baseOptions(opts), stdout: typeof out === 'number' ? out : 'pipe', buffer: {stdout: false}} as Options)
  if (typeof out !== 'number') sub.stdout!.pipe(out, {end: false})
  const r = await sub
  const stderr = String(r.stderr ?? '')
  if (!r.failed || (r.exitCode !== undefined && opts.okStatus?.includes(r.exitCode))) return {stdout: '', stderr, status: r.exitCode ?? 0}
  const detail = lastLine(stderr) || describe(r.exitCode, r.signal, r.originalMessage)
  throw new ProcessFailure(argv, r.exitCode, r.signal, '', stderr, detail, (r as {code?: string}).code)
}

/**
 * The synchronous form, for the few callers inside synchronous code (a
 * lock's critical section, the storage driver's layer preparation) where an
 * async API would force a large rewrite. Node's spawnSync: execa can only be
 * loaded asynchronously here.
 */
export function runSync(argv: string[], opts: Omit<RunOptions, 'timeout'> = {}): RunResult {
  log.debug(`running ${argv.join(' ')}`)
  const r = childProcess().spawnSync(argv[0], argv.slice(1), {
    input: opts.input,
    stdio: [opts.input !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    cwd: opts.cwd,
    env: opts.env,
    maxBuffer: MAX_BUFFER,
    encoding: 'utf8',
  })
  const stdout = r.stdout ?? ''
  const stderr = r.stderr ?? ''
  const status = r.status ?? undefined
  if (!r.error && status !== undefined && (status === 0 || opts.okStatus?.includes(status))) return {stdout, stderr, status}
  const errno = (r.error as NodeJS.ErrnoException | undefined)?.code
  const detail = lastLine(stderr) || describe(status, r.signal ?? undefined, r.error?.message)
  throw new ProcessFailure(argv, status, r.signal ?? undefined, stdout, stderr, detail, errno)
}
