// A command's output written to fd 1 directly. process.stdout is a stream:
// creating it loads and compiles Node's stream modules, ~4.5 M instructions
// (~1 ms) of the ~20 M a quick command like `ps` spends over Node's own
// start. On Linux process.stdout writes files, pipes and terminals
// synchronously, so writing with writeSync keeps the order of everything
// written either way; once something has created process.stdout, output
// goes through it, after what was written before.
import {writeSync} from 'node:fs'
import {format} from 'node:util'

let stream: NodeJS.WriteStream | undefined
// The reader went away (EPIPE: `peapod ps | head -1`): the rest is dropped.
let gone = false

const isEpipe = (err: unknown): boolean => (err as NodeJS.ErrnoException | undefined)?.code === 'EPIPE'

// process.stdout, when something creates it, swallows EPIPE as oclif's
// lib/command.js does (registering that handler would create the stream).
const own = Object.getOwnPropertyDescriptor(process, 'stdout')
if (own?.get && own.configurable) {
  Object.defineProperty(process, 'stdout', {
    configurable: true,
    enumerable: own.enumerable,
    get() {
      Object.defineProperty(process, 'stdout', own)
      const s = process.stdout
      s.on('error', (err: NodeJS.ErrnoException) => {
        if (isEpipe(err)) return
        throw err
      })
      stream = s
      return s
    },
  })
}

/** Whether process.stdout exists (only then is there anything to flush). */
export function stdoutCreated(): boolean {
  return stream !== undefined
}

/** Writes TEXT to standard output. */
export function writeOut(text: string): void {
  if (gone || text === '') return
  if (stream) {
    stream.write(text)
    return
  }
  const buf = Buffer.from(text)
  let off = 0
  while (off < buf.length) {
    try {
      off += writeSync(1, buf, off)
    } catch (err) {
      if (isEpipe(err)) {
        gone = true
        return
      }
      // A non-blocking descriptor that is full: the stream waits for it.
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') {
        process.stdout.write(buf.subarray(off))
        return
      }
      throw err
    }
  }
}

/** --noout: nothing more is written to standard output, either way. */
export function silenceStdout(): void {
  gone = true
  process.stdout.write = (() => true) as typeof process.stdout.write
}

/** console.log's line: ARGS formatted as util.format does, and a newline. */
export function writeLine(...args: unknown[]): void {
  writeOut(format(...args) + '\n')
}
