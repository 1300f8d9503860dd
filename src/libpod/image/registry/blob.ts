// A layer blob as a verified stream: bytes are hashed and counted as they
// arrive; a connection that breaks (or ends short) is resumed with a Range
// request from where it stopped; the last chunk is held back until the
// whole blob is known to match its digest and size, so a consumer never
// sees the end of a blob that is not the one the manifest names.
import {createHash} from 'node:crypto'
import {Readable} from 'node:stream'
import {DigestMismatch, RegistryError, Unreachable} from '../../define/errors.js'
import type {Registry} from './client.js'
import {sleep} from './client.js'

export interface BlobStream {
  stream: Readable
  /** Resolves once every byte arrived and matched the digest; rejects otherwise. */
  verified: Promise<void>
  /**
   * After the consumer stopped early (a bad layer): fetches the rest of the
   * blob (from where it stopped) and tells whether the blob itself was corrupt.
   */
  checkRest(): Promise<DigestMismatch | undefined>
}

export interface BlobOptions {
  onBytes?: (n: number) => void
  /** Resume attempts after a broken transfer (5). */
  resumes?: number
  /** Note about a resume, for the log. */
  onResume?: (message: string) => void
}

export function blobStream(reg: Registry, repo: string, digest: string, size: number, opts: BlobOptions = {}): BlobStream {
  const hash = createHash('sha256')
  let got = 0
  let done = false
  let failure: unknown
  let resolveV!: () => void
  let rejectV!: (e: unknown) => void
  const verified = new Promise<void>((res, rej) => {
    resolveV = res
    rejectV = rej
  })
  verified.catch(() => {})
  const maxResumes = opts.resumes ?? 5
  let resumes = 0

  const mismatch = (actual: string) => new DigestMismatch(`reading blob ${digest}: digest did not match, expected ${digest}, got ${actual}`)

  const brokeTooOften = (e: unknown) => new Unreachable(`reading blob ${digest}: the connection broke ${resumes + 1} times (${got} of ${size} bytes): ${(e as Error).message}`)

  /** The blob's bytes from `got` on, hashed and counted, resuming broken transfers. */
  async function* raw(): AsyncGenerator<Buffer> {
    for (;;) {
      let res
      try {
        res = await reg.getBlob(repo, digest, got)
      } catch (e) {
        if (got > 0 && e instanceof RegistryError && e.status === 416) {
          throw new DigestMismatch(`reading blob ${digest}: unexpected EOF: the registry has only ${got} of the ${size} bytes the manifest declares`)
        }
        if (got > 0 && e instanceof Unreachable && e.transient) {
          if (resumes >= maxResumes) throw brokeTooOften(e)
          resumes++
          await sleep(200 * resumes)
          continue
        }
        throw e
      }
      let skip = 0
      if (got > 0) {
        if (res.status === 206) {
          const m = /^bytes (\d+)-/.exec(res.header('content-range') ?? '')
          if (!m || Number(m[1]) !== got) {
            res.discard()
            throw new RegistryError(`fetching blob ${digest}: the registry answered a range request from ${got} with ${res.header('content-range') ?? 'no Content-Range'}`)
          }
        } else {
          skip = got // the whole blob again: drop what we have
        }
      }
      try {
        for await (const c of res.body) {
          let b = c as Buffer
          if (skip > 0) {
            if (b.length <= skip) {
              skip -= b.length
              continue
            }
            b = b.subarray(skip)
            skip = 0
          }
          hash.update(b)
          got += b.length
          if (size >= 0 && got > size) {
            res.body.destroy()
            throw new DigestMismatch(`reading blob ${digest}: more data than the ${size} bytes the manifest declares`)
          }
          opts.onBytes?.(b.length)
          yield b
        }
      } catch (e) {
        if (e instanceof DigestMismatch) throw e
        // A broken connection: resume from `got`.
        if (resumes >= maxResumes) throw brokeTooOften(e)
        resumes++
        opts.onResume?.(`reading blob ${digest}: connection broke at ${got} of ${size} bytes, resuming`)
        await sleep(100 * resumes)
        continue
      }
      if (size >= 0 && got < size) {
        // The body ended cleanly but short (no length framing): resume too.
        if (resumes >= maxResumes) throw new Unreachable(`reading blob ${digest}: unexpected EOF after ${got} of ${size} bytes`)
        resumes++
        opts.onResume?.(`reading blob ${digest}: transfer ended at ${got} of ${size} bytes, resuming`)
        continue
      }
      return
    }
  }

  let markFinished!: () => void
  const finished = new Promise<void>(resolve => {
    markFinished = resolve
  })

  let started = false
  async function* chunks(): AsyncGenerator<Buffer> {
    started = true
    let held: Buffer | undefined
    try {
      for await (const b of raw()) {
        if (held) yield held
        held = b
      }
      const actual = `sha256:${hash.digest('hex')}`
      if (actual !== digest) throw mismatch(actual)
      done = true
      resolveV()
      if (held) yield held
    } catch (e) {
      failure = e
      rejectV(e)
      throw e
    } finally {
      if (!done && failure === undefined) rejectV(new Error('blob stream closed before the end'))
      markFinished()
    }
  }

  const stream = Readable.from(chunks(), {objectMode: false, highWaterMark: 1 << 20})
  return {
    stream,
    verified,
    async checkRest() {
      // Let the consumer's read finish first: the hash must not see two readers.
      stream.destroy()
      if (started && !done) {
        let timer: NodeJS.Timeout | undefined
        await Promise.race([finished, new Promise<void>(resolve => {
          timer = setTimeout(resolve, 5000)
        })])
        clearTimeout(timer)
      }
      if (failure instanceof DigestMismatch) return failure
      if (done || failure !== undefined) return undefined
      try {
        for await (const _ of raw()) void _
      } catch (e) {
        return e instanceof DigestMismatch ? e : undefined
      }
      const actual = `sha256:${hash.digest('hex')}`
      return actual === digest ? undefined : mismatch(actual)
    },
  }
}
