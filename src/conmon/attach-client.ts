// Attach to a running container through its monitor's socket (protocol.ts):
// proxies local stdin/stdout/stderr, terminal size and detach keys. Used by
// `peapod attach`, `run` (not -d) and `start -a`.
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import type {ReadStream as TtyReadStream, WriteStream as TtyWriteStream} from 'node:tty'
import {FRAME, FrameDecoder, encodeFrame, encodeResize} from './wire.cjs'
import type {AttachHello, ExitStatus} from './protocol.js'

export const DEFAULT_DETACH_KEYS = 'ctrl-p,ctrl-q'

export interface AttachOptions {
  socketPath: string
  /** Local input for the container's stdin; absent/null: stdin is not attached. */
  stdin?: NodeJS.ReadableStream | null
  /** Default process.stdout; null drops the container's stdout. */
  stdout?: NodeJS.WritableStream | null
  /** Default process.stderr; null drops the container's stderr. */
  stderr?: NodeJS.WritableStream | null
  /** Podman syntax ("ctrl-p,ctrl-q", "ctrl-a,d", ...); "" disables detaching. */
  detachKeys?: string
  /** Close the container's stdin when the local one ends (default true). */
  closeStdinOnEof?: boolean
  /** Put a TTY stdin in raw mode; default: when the container has a terminal. */
  rawMode?: boolean
  /** Forward the local terminal's size (from stdout, a TTY); default: when the container has a terminal. */
  forwardResize?: boolean
  /**
   * Called when the EXIT frame arrives, before the connection closes: a
   * caller that cleans up itself claims the cleanup here (protocol.ts,
   * CLEANUP CLAIMED), and the monitor, which waits for its clients to close,
   * then starts no exit command.
   */
  onExit?: (status: ExitStatus) => void
}

export interface AttachResult {
  /** True when the user detached (the container keeps running). */
  detached: boolean
  /** The container's exit code (absent when detached). */
  exitCode?: number
  status?: ExitStatus
}

export class DetachKeysError extends Error {}

/**
 * Parses Podman's detach-keys syntax into the byte sequence: comma-separated
 * keys, each a single character or `ctrl-X` with X one of a-z @ [ \ ] ^ _.
 */
export function parseDetachKeys(spec: string): Buffer {
  if (spec === '') return Buffer.alloc(0)
  const out: number[] = []
  for (const key of spec.split(',')) {
    if (key.length === 1) {
      out.push(key.charCodeAt(0))
      continue
    }
    const m = /^ctrl-(.)$/i.exec(key)
    if (!m) throw new DetachKeysError(`invalid detach keys "${spec}": unknown key "${key}"`)
    const c = m[1].toLowerCase()
    if (c >= 'a' && c <= 'z') out.push(c.charCodeAt(0) - 96)
    else if (c === '@') out.push(0)
    else if ('[\\]^_'.includes(c)) out.push(c.charCodeAt(0) - 64)
    else throw new DetachKeysError(`invalid detach keys "${spec}": unknown key "${key}"`)
  }
  return Buffer.from(out)
}

/** Connects to a monitor's attach socket, also when its path is too long for sockaddr_un. */
export function connectSocket(socketPath: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    let dirFd: number | undefined
    let target = socketPath
    if (Buffer.byteLength(socketPath) > 100) {
      dirFd = fs.openSync(path.dirname(socketPath), 'r')
      target = `/proc/self/fd/${dirFd}/${path.basename(socketPath)}`
    }
    const sock = net.connect(target)
    const done = (): void => {
      if (dirFd !== undefined) fs.closeSync(dirFd)
      dirFd = undefined
    }
    const onError = (err: Error): void => {
      done()
      reject(err)
    }
    sock.once('error', onError)
    sock.once('connect', () => {
      done()
      sock.off('error', onError)
      resolve(sock)
    })
  })
}

/** A live attach session. */
export class Attachment {
  /** Resolves when the container exits (with its code) or the user detaches. */
  readonly done: Promise<AttachResult>
  private resolveDone!: (r: AttachResult) => void
  private rejectDone!: (e: Error) => void
  private finished = false
  private gotExit = false
  private cleanups: Array<() => void> = []
  private matched = 0
  private readonly keys: Buffer

  private constructor(
    private readonly sock: net.Socket,
    readonly hello: AttachHello,
    private readonly opts: AttachOptions,
  ) {
    this.keys = parseDetachKeys(opts.detachKeys ?? DEFAULT_DETACH_KEYS)
    this.done = new Promise((resolve, reject) => {
      this.resolveDone = resolve
      this.rejectDone = reject
    })
  }

  /** Connects and waits for the monitor's HELLO; output flows from then on. */
  static async connect(opts: AttachOptions): Promise<Attachment> {
    parseDetachKeys(opts.detachKeys ?? DEFAULT_DETACH_KEYS) // fail before connecting
    const sock = await connectSocket(opts.socketPath)
    const decoder = new FrameDecoder()
    return new Promise((resolve, reject) => {
      let att: Attachment | undefined
      const onData = (chunk: Buffer): void => {
        let frames
        try {
          frames = decoder.push(chunk)
        } catch (e) {
          sock.destroy()
          if (att) att.fail(e as Error)
          else reject(e)
          return
        }
        for (const f of frames) {
          if (!att) {
            if (f.type !== FRAME.HELLO) {
              sock.destroy()
              reject(new Error('attach: unexpected first frame from the container monitor'))
              return
            }
            att = new Attachment(sock, JSON.parse(f.payload.toString()) as AttachHello, opts)
            att.start()
            resolve(att)
          } else att.onFrame(f.type, f.payload)
        }
      }
      sock.on('data', onData)
      sock.on('error', err => (att ? att.fail(err) : reject(err)))
      sock.on('close', () => {
        if (!att) reject(new Error('attach: the container monitor closed the connection'))
        else att.fail(new Error('attach: lost the connection to the container monitor'))
      })
    })
  }

  /** Sends a terminal size to the container. */
  resize(rows: number, cols: number): void {
    if (!this.sock.destroyed) this.sock.write(encodeResize(rows, cols))
  }

  /** Sends bytes to the container's stdin. */
  write(data: Buffer | string): void {
    if (!this.sock.destroyed) this.sock.write(encodeFrame(FRAME.STDIN, data))
  }

  /** Ends the container's stdin. */
  closeStdin(): void {
    if (!this.sock.destroyed) this.sock.write(encodeFrame(FRAME.CLOSE_STDIN))
  }

  /** Leaves the container running. */
  detach(): void {
    this.finish({detached: true})
  }

  private start(): void {
    const {stdin, stdout} = this.opts
    const terminal = this.hello.terminal
    if (stdin) {
      const tty = stdin as TtyReadStream
      if (tty.isTTY && typeof tty.setRawMode === 'function' && (this.opts.rawMode ?? terminal)) {
        const wasRaw = tty.isRaw
        tty.setRawMode(true)
        this.cleanups.push(() => tty.setRawMode(wasRaw))
      }
      const onData = (chunk: Buffer | string): void => this.onInput(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)
      const onEnd = (): void => {
        if (this.matched > 0) this.flushMatched()
        if (this.opts.closeStdinOnEof ?? true) this.closeStdin()
      }
      stdin.on('data', onData)
      stdin.on('end', onEnd)
      this.cleanups.push(() => {
        stdin.off('data', onData)
        stdin.off('end', onEnd)
        stdin.pause()
      })
      stdin.resume()
    }
    const out = (stdout === undefined ? process.stdout : stdout) as TtyWriteStream | null
    if (out?.isTTY && (this.opts.forwardResize ?? terminal)) {
      const onResize = (): void => {
        if (out.rows && out.columns) this.resize(out.rows, out.columns)
      }
      onResize()
      out.on('resize', onResize)
      this.cleanups.push(() => out.off('resize', onResize))
    }
  }

  private onInput(chunk: Buffer): void {
    if (this.finished) return
    const keys = this.keys
    if (keys.length === 0) {
      this.write(chunk)
      return
    }
    // Detach keys: hold back a partial match; send it when the sequence breaks.
    let start = 0
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]
      if (b !== keys[this.matched] && this.matched > 0) {
        this.flushMatched()
        start = i
      }
      if (b === keys[this.matched]) {
        if (this.matched === 0 && i > start) this.write(chunk.subarray(start, i))
        this.matched++
        start = i + 1
        if (this.matched === keys.length) {
          this.matched = 0
          this.detach()
          return
        }
      }
    }
    if (this.matched === 0 && start < chunk.length) this.write(chunk.subarray(start))
  }

  private flushMatched(): void {
    this.write(this.keys.subarray(0, this.matched))
    this.matched = 0
  }

  private onFrame(type: number, payload: Buffer): void {
    switch (type) {
      case FRAME.STDOUT:
      case FRAME.STDERR: {
        const dest = type === FRAME.STDOUT ? this.opts.stdout : this.opts.stderr
        const w: NodeJS.WritableStream | null = dest === undefined ? (type === FRAME.STDOUT ? process.stdout : process.stderr) : dest
        if (w && !w.write(payload)) {
          this.sock.pause()
          w.once('drain', () => this.sock.resume())
        }
        return
      }
      case FRAME.EXIT: {
        const status = JSON.parse(payload.toString()) as ExitStatus
        this.gotExit = true
        try {
          this.opts.onExit?.(status)
        } catch {}
        // Let the last output reach the local streams before reporting the exit.
        void this.flushed().then(() => this.finish({detached: false, exitCode: status.exitCode, status}))
        return
      }
      default:
        return
    }
  }

  private async flushed(): Promise<void> {
    const outs = [this.opts.stdout === undefined ? process.stdout : this.opts.stdout, this.opts.stderr === undefined ? process.stderr : this.opts.stderr]
    await Promise.all(
      outs.map(w => {
        const ws = w as (NodeJS.WritableStream & {writableNeedDrain?: boolean}) | null
        if (!ws?.writableNeedDrain) return undefined
        return new Promise<void>(resolve => {
          ws.once('drain', resolve)
          ws.once('close', resolve)
          ws.once('error', resolve)
        })
      }),
    )
  }

  private fail(err: Error): void {
    if (this.finished || this.gotExit) return
    this.finished = true
    this.cleanup()
    this.rejectDone(err)
  }

  private finish(r: AttachResult): void {
    if (this.finished) return
    this.finished = true
    this.cleanup()
    this.sock.destroy()
    this.resolveDone(r)
  }

  private cleanup(): void {
    for (const c of this.cleanups.splice(0).reverse()) {
      try {
        c()
      } catch {}
    }
  }
}

/** Connects, proxies until the container exits or the user detaches. */
export async function attach(opts: AttachOptions): Promise<AttachResult> {
  const a = await Attachment.connect(opts)
  return a.done
}
