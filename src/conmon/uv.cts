// The monitor's processes, pipes and attach socket straight on Node's libuv
// handles (the process_wrap, pipe_wrap, stream_wrap and spawn_sync bindings),
// not node:child_process and node:net: those load ~45 more built-in modules
// (stream, dgram, cluster, ...), ~0.7 MiB of private memory in every monitor
// (bench/monitor-memory.sh). The monitor needs only: start a process with
// given fds, read and write pipe/FIFO/socket fds, a unix socket server.
// process.binding() of these is allowed in Node 20; it warns (DEP0111) only
// under --pending-deprecation, silenced below. CommonJS and
// no imports beyond Node's, like main.cts. test/unit/conmon-uv.test.ts.
import util = require('node:util')

interface StreamHandle {
  onread: ((ab: ArrayBuffer | undefined) => void) | null
  readStart(): number
  readStop(): number
  writeBuffer(req: object, buf: Buffer): number
  shutdown(req: object): number
  open(fd: number): number
  close(cb?: () => void): void
  ref(): void
  unref(): void
}
interface ServerHandle extends StreamHandle {
  bind(path: string): number
  listen(backlog: number): number
  onconnection: ((err: number, client: StreamHandle | undefined) => void) | null
}
interface ProcessHandle {
  pid?: number
  onexit: (status: number, signal: string) => void
  spawn(options: object): number
  close(): void
  ref(): void
  unref(): void
}
interface Bindings {
  process_wrap: {Process: new () => ProcessHandle}
  pipe_wrap: {Pipe: new (type: number) => ServerHandle; constants: {SOCKET: number; SERVER: number}}
  stream_wrap: {
    WriteWrap: new () => {handle?: StreamHandle; oncomplete?: (status: number) => void; async?: boolean}
    ShutdownWrap: new () => {handle?: StreamHandle; oncomplete?: (status: number) => void}
    streamBaseState: Int32Array
    kReadBytesOrError: number
    kArrayBufferOffset: number
    kLastWriteWasAsync: number
  }
  spawn_sync: {spawn(options: object): {status: number | null; signal: string | null; error?: number; output: Array<Buffer | null> | null}}
}
function binding<K extends keyof Bindings>(name: K): Bindings[K] {
  // No DEP0111 warning under NODE_PENDING_DEPRECATION=1: with passthrough logs
  // the monitor's stderr is the user's terminal.
  // (Read-only, and already true, under --no-deprecation.)
  const quiet = process.noDeprecation
  if (!quiet) process.noDeprecation = true
  try {
    return (process as unknown as {binding(n: string): Bindings[K]}).binding(name)
  } finally {
    if (!quiet) process.noDeprecation = quiet
  }
}

const {Process} = binding('process_wrap')
const {Pipe, constants: PipeConstants} = binding('pipe_wrap')
const {WriteWrap, ShutdownWrap, streamBaseState, kReadBytesOrError, kArrayBufferOffset, kLastWriteWasAsync} = binding('stream_wrap')
/** libuv's UV_EOF. */
const UV_EOF = -4095
/** As net.Socket's default highWaterMark: write() says "wait for drain" above it. */
const HIGH_WATER = 16384

function errnoError(err: number, syscall: string): Error & {code: string} {
  const code = util.getSystemErrorName(err)
  return Object.assign(new Error(`${syscall} ${code}`), {code, errno: err, syscall})
}

/**
 * A pipe, FIFO or unix socket fd on the event loop: what the monitor used of
 * net.Socket (allowHalfOpen false). Reads start at onData(). end() flushes and
 * shuts the sending side down; the fd closes once the peer has closed too (a
 * FIFO, which has no shutdown, closes at once). At EOF the sending side ends
 * too; a read or write error closes it.
 */
export class Stream {
  /** Bytes handed to write() not yet written (net.Socket's writableLength). */
  writableLength = 0
  destroyed = false
  writableEnded = false
  ended = false
  private handle: StreamHandle
  private reading = false
  private paused = false
  private shutDown = false
  private dataCb?: (chunk: Buffer) => void
  private endCbs: Array<() => void> = []
  private closeCbs: Array<() => void> = []
  private drainCbs: Array<() => void> = []

  constructor(handle: StreamHandle) {
    this.handle = handle
    handle.onread = ab => this.onRead(ab)
  }

  /** Opens a pipe/FIFO fd (now owned by the Stream). */
  static fromFd(fd: number): Stream {
    const h = new Pipe(PipeConstants.SOCKET)
    const err = h.open(fd)
    if (err) throw errnoError(err, 'open')
    return new Stream(h)
  }

  onData(cb: (chunk: Buffer) => void): void {
    this.dataCb = cb
    this.startReading()
  }

  onEnd(cb: () => void): void {
    if (this.ended) cb()
    else this.endCbs.push(cb)
  }

  onClose(cb: () => void): void {
    this.closeCbs.push(cb)
  }

  onDrain(cb: () => void): void {
    this.drainCbs.push(cb)
  }

  pause(): void {
    this.paused = true
    if (this.reading) {
      this.reading = false
      this.handle.readStop()
    }
  }

  resume(): void {
    this.paused = false
    this.startReading()
  }

  /** false: over the high-water mark, wait for onDrain. */
  write(data: Buffer | string): boolean {
    if (this.destroyed || this.writableEnded) return false
    const buf = typeof data === 'string' ? Buffer.from(data) : data
    if (buf.length === 0) return true
    const req = new WriteWrap()
    req.handle = this.handle
    req.async = false
    req.oncomplete = status => {
      this.writableLength -= buf.length
      if (status < 0) return this.destroy()
      if (this.writableLength === 0) for (const cb of this.drainCbs) cb()
    }
    const err = this.handle.writeBuffer(req, buf)
    if (err) {
      this.destroy()
      return false
    }
    if (streamBaseState[kLastWriteWasAsync]) this.writableLength += buf.length
    return this.writableLength < HIGH_WATER
  }

  /** Writes data (if any), then closes once everything is written. */
  end(data?: Buffer | string): void {
    if (this.destroyed || this.writableEnded) return
    if (data !== undefined) this.write(data)
    this.writableEnded = true
    const req = new ShutdownWrap()
    req.handle = this.handle
    // libuv runs the shutdown after the queued writes; its status does not
    // matter (a FIFO says ENOTSOCK): closing the fd is the end.
    req.oncomplete = status => {
      this.shutDown = true
      if (status < 0 || this.ended) this.destroy()
    }
    if (this.handle.shutdown(req)) this.destroy()
  }

  destroy(): void {
    if (this.destroyed) return
    this.destroyed = true
    this.reading = false
    this.handle.close(() => {
      for (const cb of this.closeCbs) cb()
    })
  }

  private startReading(): void {
    if (this.reading || this.paused || this.destroyed || this.ended || !this.dataCb) return
    if (this.handle.readStart()) return this.destroy()
    this.reading = true
  }

  private onRead(ab: ArrayBuffer | undefined): void {
    const n = streamBaseState[kReadBytesOrError]
    if (n > 0 && ab) {
      this.dataCb?.(Buffer.from(ab, streamBaseState[kArrayBufferOffset], n))
      return
    }
    if (n === 0) return
    // EOF or an error: no more data.
    this.reading = false
    if (this.ended) return
    this.ended = true
    if (n !== UV_EOF) this.destroy()
    for (const cb of this.endCbs.splice(0)) cb()
    if (!this.writableEnded) this.end()
    else if (this.shutDown) this.destroy()
  }
}

export interface Server {
  close(): void
}

/**
 * A unix socket server at path (which must not exist). Calls onConnection
 * for each client; a bind/listen error is thrown.
 */
export function listenUnix(path: string, onConnection: (client: Stream) => void): Server {
  const h = new Pipe(PipeConstants.SERVER)
  let err = h.bind(path)
  if (!err) err = h.listen(511)
  if (err) {
    h.close()
    // As net's: `listen EACCES: permission denied PATH`.
    const e = errnoError(err, 'listen')
    e.message = `listen ${e.code}: ${util.getSystemErrorMap().get(err)?.[1] ?? 'unknown error'} ${path}`
    throw e
  }
  h.onconnection = (e, client) => {
    if (e || !client) return
    onConnection(new Stream(client))
  }
  let closed = false
  return {
    close() {
      if (closed) return
      closed = true
      h.close()
    },
  }
}

/** One fd of the child: not open, this process's fd N, or a new pipe to this process. */
export type Stdio = 'ignore' | number | 'pipe'

export interface SpawnOptions {
  stdio: Stdio[]
  env: NodeJS.ProcessEnv
  /** A new session (setsid), as child_process's detached. */
  detached?: boolean
}

export interface Child {
  pid: number
  /** Per stdio entry: the Stream of a 'pipe', else undefined. */
  stdio: Array<Stream | undefined>
  /** Called once with the exit code, or the signal that ended it (code null then). */
  onExit(cb: (code: number | null, signal: NodeJS.Signals | null) => void): void
  /** Called after onExit's callbacks once every pipe has ended (child_process's 'close'). */
  onClose(cb: () => void): void
  /** The event loop no longer waits for it. */
  unref(): void
}

function envPairs(env: NodeJS.ProcessEnv): string[] {
  const out: string[] = []
  for (const k of Object.keys(env)) if (env[k] !== undefined) out.push(`${k}=${env[k]}`)
  return out
}

function stdioOptions(stdio: Stdio[]): {options: object[]; pipes: Array<ServerHandle | undefined>} {
  const pipes: Array<ServerHandle | undefined> = []
  const options = stdio.map((s, i) => {
    if (s === 'ignore') return (pipes[i] = undefined, {type: 'ignore'})
    if (s === 'pipe') {
      const handle = new Pipe(PipeConstants.SOCKET)
      pipes[i] = handle
      return {type: 'pipe', readable: i === 0, writable: i !== 0, handle}
    }
    pipes[i] = undefined
    return {type: 'fd', fd: s}
  })
  return {options, pipes}
}

/**
 * Starts file (looked up in PATH, as child_process) with args. Throws when it
 * cannot start (e.g. `spawn runc ENOENT`).
 */
export function spawn(file: string, args: string[], opts: SpawnOptions): Child {
  const h = new Process()
  const {options, pipes} = stdioOptions(opts.stdio)
  const exitCbs: Array<(code: number | null, signal: NodeJS.Signals | null) => void> = []
  const closeCbs: Array<() => void> = []
  let exited = false
  let open = 0
  let streams: Array<Stream | undefined> = []
  const maybeClose = (): void => {
    if (exited && open === 0) for (const cb of closeCbs.splice(0)) cb()
  }
  h.onexit = (status, signal) => {
    h.close()
    exited = true
    // As child_process: the child's stdin pipe goes with it.
    streams[0]?.destroy()
    const sig = (signal || null) as NodeJS.Signals | null
    for (const cb of exitCbs) cb(sig ? null : status, sig)
    maybeClose()
  }
  const err = h.spawn({file, args: [file, ...args], envPairs: envPairs(opts.env), stdio: options, detached: Boolean(opts.detached)})
  if (err) {
    h.close()
    for (const p of pipes) p?.close()
    throw errnoError(err, `spawn ${file}`)
  }
  streams = pipes.map((p, i) => {
    if (!p) return undefined
    const s = new Stream(p)
    if (i === 0) return s
    open++
    s.onClose(() => {
      open--
      maybeClose()
    })
    s.onEnd(() => {
      // The child's end is closed: ours goes too (child_process's 'close' waits for it).
      if (!s.writableEnded) s.destroy()
    })
    return s
  })
  return {
    pid: h.pid!,
    stdio: streams,
    onExit: cb => void exitCbs.push(cb),
    onClose: cb => void closeCbs.push(cb),
    unref: () => h.unref(),
  }
}

/**
 * Runs file to its end (child_process.spawnSync): stdio as spawn, with 'pipe'
 * collected into output. Never throws.
 */
export function spawnSync(
  file: string,
  args: string[],
  opts: {stdio: Stdio[]; env: NodeJS.ProcessEnv; timeoutMs?: number},
): {status: number | null; error?: Error; output: Array<Buffer | null>} {
  const stdio = opts.stdio.map(s => (s === 'ignore' ? {type: 'ignore'} : s === 'pipe' ? {type: 'pipe', readable: true, writable: true} : {type: 'fd', fd: s}))
  const r = binding('spawn_sync').spawn({
    file,
    args: [file, ...args],
    envPairs: envPairs(opts.env),
    stdio,
    timeout: opts.timeoutMs ?? 0,
    maxBuffer: 1 << 20,
    killSignal: 15,
  })
  return {status: r.status, error: r.error ? errnoError(r.error, `spawnSync ${file}`) : undefined, output: r.output ?? []}
}
