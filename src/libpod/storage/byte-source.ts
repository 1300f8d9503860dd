// Pull-based byte reader over a stream: reads exactly the bytes asked for,
// hashing and counting everything that passes, so the layer's diffID covers
// the whole uncompressed stream (trailing garbage included). Pulling chunk by
// chunk through the async iterator gives natural backpressure.
import {createHash, type Hash} from 'node:crypto'

export class ByteSource {
  readonly hash: Hash = createHash('sha256')
  /** Bytes pulled from the stream so far. */
  total = 0
  private readonly it: AsyncIterator<unknown>
  private chunks: Buffer[] = []
  private head = 0 // read offset into chunks[0]
  private avail = 0
  private done = false

  constructor(stream: AsyncIterable<unknown>) {
    this.it = stream[Symbol.asyncIterator]()
  }

  /** Offset of the next unread byte in the stream. */
  get position(): number {
    return this.total - this.avail
  }

  private async pull(): Promise<boolean> {
    if (this.done) return false
    const r = await this.it.next()
    if (r.done) {
      this.done = true
      return false
    }
    const b = Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value as Uint8Array)
    if (b.length > 0) {
      this.hash.update(b)
      this.total += b.length
      this.chunks.push(b)
      this.avail += b.length
    }
    return true
  }

  /** Exactly n bytes, or fewer only when the stream ended. */
  async read(n: number): Promise<Buffer> {
    while (this.avail < n && (await this.pull()));
    return this.take(Math.min(n, this.avail))
  }

  /**
   * Passes the next n bytes to fn as they become available (slices of the
   * input chunks, no copies). Returns how many were delivered: less than n
   * only at end of stream.
   */
  async forEach(n: number, fn: (b: Buffer) => void): Promise<number> {
    let left = n
    while (left > 0) {
      if (this.avail === 0 && !(await this.pull())) break
      if (this.avail === 0) continue
      const b = this.take(Math.min(left, this.chunks[0].length - this.head))
      left -= b.length
      fn(b)
    }
    return n - left
  }

  /** Stops reading: releases (destroys) the underlying stream. */
  async close(): Promise<void> {
    this.done = true
    this.chunks = []
    this.avail = 0
    await this.it.return?.()
  }

  private take(n: number): Buffer {
    if (n === 0) return Buffer.alloc(0)
    const first = this.chunks[0]
    if (first.length - this.head >= n) {
      const b = first.subarray(this.head, this.head + n)
      this.advance(n)
      return b
    }
    const out = Buffer.allocUnsafe(n)
    let off = 0
    while (off < n) {
      const c = this.chunks[0]
      const k = Math.min(n - off, c.length - this.head)
      c.copy(out, off, this.head, this.head + k)
      off += k
      this.advance(k)
    }
    return out
  }

  private advance(k: number): void {
    this.head += k
    this.avail -= k
    if (this.head === this.chunks[0].length) {
      this.chunks.shift()
      this.head = 0
    }
  }
}
