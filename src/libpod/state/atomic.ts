// Atomic document writes: a crash leaves the old document or the new one,
// never half of one (write a temp file, fsync, rename over).
import {closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync} from 'node:fs'
import path from 'node:path'

export function writeFileAtomic(file: string, data: string | Buffer, mode = 0o644): void {
  const dir = path.dirname(file)
  mkdirSync(dir, {recursive: true})
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`)
  const fd = openSync(tmp, 'w', mode)
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data)
    fsyncSync(fd)
  } catch (e) {
    closeSync(fd)
    rmSync(tmp, {force: true})
    throw e
  }
  closeSync(fd)
  renameSync(tmp, file)
}

export function writeJsonAtomic(file: string, doc: unknown): void {
  writeFileAtomic(file, JSON.stringify(doc, null, 1) + '\n')
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
