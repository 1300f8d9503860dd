// Atomic document writes: a crash leaves the old document or the new one,
// never half of one (write a temp file, fsync, rename over).
// {durable: false} skips the fsync (~4 ms of wall time each here) for a
// document that replaces one of its own kind and only records what is true
// while the machine runs (a container's state, a health log): against a
// killed process the rename alone is atomic; after a power loss no container
// runs and the state is taken from the runtime dir being gone, and ext4
// (auto_da_alloc) writes a file renamed over another before the rename.
import {closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync} from 'node:fs'
import path from 'node:path'
import {pidAlive} from '../util/liveness.js'

export interface WriteOptions {
  /** fsync before the rename (default); false: see the file comment. */
  durable?: boolean
}

export function writeFileAtomic(file: string, data: string | Buffer, mode = 0o644, opts: WriteOptions = {}): void {
  const dir = path.dirname(file)
  mkdirSync(dir, {recursive: true})
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`)
  const fd = openSync(tmp, 'w', mode)
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data)
    if (opts.durable !== false) fsyncSync(fd)
  } catch (e) {
    closeSync(fd)
    rmSync(tmp, {force: true})
    throw e
  }
  closeSync(fd)
  renameSync(tmp, file)
}

/**
 * Removes the temp files of writes whose process is gone (killed between
 * write and rename), in a directory that outlives its documents' writers
 * (network state, IPAM); `name` limits it to one document's.
 */
export function sweepDeadTemps(dir: string, name?: string): void {
  let files: string[]
  try {
    files = readdirSync(dir)
  } catch {
    return
  }
  for (const f of files) {
    const m = /^\.(.+)\.(\d+)\.\d+\.tmp$/.exec(f)
    if (m && (name === undefined || m[1] === name) && !pidAlive(Number(m[2]))) rmSync(path.join(dir, f), {force: true})
  }
}

export function writeJsonAtomic(file: string, doc: unknown, opts?: WriteOptions): void {
  writeFileAtomic(file, JSON.stringify(doc, null, 1) + '\n', 0o644, opts)
}

/** Reads a JSON document; undefined when it does not exist. */
export function readJson<T>(file: string): T | undefined {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw e
  }
  return JSON.parse(text) as T
}
