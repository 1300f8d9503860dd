// The monitor's wire helpers, shared by the monitor (CommonJS, see main.cts)
// and the engine side (ESM, through protocol.ts, which re-exports all of this).
// CommonJS so the monitor can load it without Node's ESM loader; no imports.
// The protocol itself is documented in protocol.ts.

/** Frame types on the attach socket. */
export const FRAME = {
  /** client → monitor: bytes for the container's stdin. */
  STDIN: 1,
  /** monitor → client: bytes the container wrote to stdout (everything, with a terminal). */
  STDOUT: 2,
  /** monitor → client: bytes the container wrote to stderr. */
  STDERR: 3,
  /** client → monitor: terminal size, 4 bytes: rows u16 BE, cols u16 BE. */
  RESIZE: 4,
  /** client → monitor: no more stdin (empty payload). */
  CLOSE_STDIN: 5,
  /** monitor → client: the container exited; payload: ExitStatus JSON. The last frame. */
  EXIT: 6,
  /** monitor → client: first frame on every connection; payload: AttachHello JSON. */
  HELLO: 7,
} as const

/** Frame header: type (u8) + payload length (u32 BE). */
export const FRAME_HEADER = 5
/** Largest payload either side accepts; a bigger one closes the connection. */
export const MAX_FRAME = 1 << 20

export function encodeFrame(type: number, payload?: Buffer | string): Buffer {
  const body = payload === undefined ? undefined : typeof payload === 'string' ? Buffer.from(payload) : payload
  const len = body ? body.length : 0
  const out = Buffer.allocUnsafe(FRAME_HEADER + len)
  out.writeUInt8(type, 0)
  out.writeUInt32BE(len, 1)
  if (body) body.copy(out, FRAME_HEADER)
  return out
}

export function encodeResize(rows: number, cols: number): Buffer {
  const b = Buffer.alloc(4)
  b.writeUInt16BE(Math.max(0, Math.min(0xffff, rows | 0)), 0)
  b.writeUInt16BE(Math.max(0, Math.min(0xffff, cols | 0)), 2)
  return encodeFrame(FRAME.RESIZE, b)
}

export function decodeResize(payload: Buffer): {rows: number; cols: number} | undefined {
  if (payload.length !== 4) return undefined
  return {rows: payload.readUInt16BE(0), cols: payload.readUInt16BE(2)}
}

/** Reassembles frames from a byte stream. push() returns the complete frames so far. */
export class FrameDecoder {
  private buf: Buffer = Buffer.alloc(0)

  push(chunk: Buffer): Array<{type: number; payload: Buffer}> {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk])
    const frames: Array<{type: number; payload: Buffer}> = []
    let off = 0
    while (this.buf.length - off >= FRAME_HEADER) {
      const type = this.buf.readUInt8(off)
      const len = this.buf.readUInt32BE(off + 1)
      if (len > MAX_FRAME) throw new Error(`attach frame too large (${len} bytes)`)
      if (this.buf.length - off - FRAME_HEADER < len) break
      frames.push({type, payload: this.buf.subarray(off + FRAME_HEADER, off + FRAME_HEADER + len)})
      off += FRAME_HEADER + len
    }
    this.buf = off === this.buf.length ? Buffer.alloc(0) : this.buf.subarray(off)
    return frames
  }
}

/**
 * The message of a failed runtime start, from the runtime's stderr. runc logs
 * `time="…" level=error msg="runc run failed: …"` (logfmt); crun and others
 * print plain lines. Returns the error messages, or the trimmed text.
 */
export function runtimeErrorMessage(stderr: string): string {
  const msgs: string[] = []
  for (const line of stderr.split('\n')) {
    const m = /\blevel=(error|fatal)\b.*?\bmsg="((?:[^"\\]|\\.)*)"/.exec(line)
    if (m) msgs.push(m[2].replace(/\\(.)/g, (_s, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c)))
  }
  if (msgs.length > 0) return msgs.join('\n')
  return stderr.trim()
}

/**
 * The exit code of a container whose runtime failed to start it, like Podman:
 * 127 when the command was not found ("executable file not found",
 * "no such file or directory"), 126 when it could not be invoked
 * ("permission denied"), otherwise 125 (an engine/runtime error).
 */
export function classifyStartError(message: string): 125 | 126 | 127 {
  const m = message.toLowerCase()
  if (m.includes('executable file not found') || m.includes('no such file or directory') || /not found in \$path/.test(m)) return 127
  if (m.includes('permission denied')) return 126
  return 125
}

// Wall clock with nanoseconds: Date.now() calibrated against the monotonic
// clock; recalibrated when they drift apart (NTP steps, suspend).
let base = BigInt(Date.now()) * 1000000n - process.hrtime.bigint()

/** Nanoseconds since the epoch. */
export function nowNs(): bigint {
  let ns = base + process.hrtime.bigint()
  const ms = Date.now()
  const diff = Number(ns / 1000000n) - ms
  if (diff > 5 || diff < -5) {
    base = BigInt(ms) * 1000000n - process.hrtime.bigint()
    ns = base + process.hrtime.bigint()
  }
  return ns
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0')
}

/**
 * conmon's k8s-file timestamp: local time, always 9 fractional digits and a
 * numeric offset, e.g. `2024-05-01T10:20:30.123456789+02:00`.
 */
export function k8sTimestamp(ns: bigint = nowNs()): string {
  const d = new Date(Number(ns / 1000000n))
  const frac = String(ns % 1000000000n).padStart(9, '0')
  const off = -d.getTimezoneOffset()
  const sign = off < 0 ? '-' : '+'
  const a = Math.abs(off)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${frac}${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`
}

/** Go's time.RFC3339Nano in UTC: trailing zeros of the fraction dropped, `Z`. */
export function rfc3339Nano(ns: bigint = nowNs()): string {
  const d = new Date(Number(ns / 1000000n))
  let frac = String(ns % 1000000000n).padStart(9, '0').replace(/0+$/, '')
  if (frac) frac = '.' + frac
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${frac}Z`
}

const NL = Buffer.from('\n')

/**
 * Formats one chunk of container output as k8s-file log lines, exactly like
 * conmon: one line per `\n`-terminated piece (`F`), and a trailing piece
 * without a newline as a partial line (`P`), all with the same timestamp.
 */
export function k8sLogLines(stream: 'stdout' | 'stderr', chunk: Buffer, timestamp: string = k8sTimestamp()): Buffer[] {
  const out: Buffer[] = []
  const full = Buffer.from(`${timestamp} ${stream} F `)
  let start = 0
  while (start < chunk.length) {
    const nl = chunk.indexOf(10, start)
    if (nl === -1) {
      out.push(Buffer.concat([Buffer.from(`${timestamp} ${stream} P `), chunk.subarray(start), NL]))
      break
    }
    out.push(Buffer.concat([full, chunk.subarray(start, nl + 1)]))
    start = nl + 1
  }
  return out
}
