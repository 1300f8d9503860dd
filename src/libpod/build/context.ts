// The build context: a directory, or a tar archive read from stdin into a
// temporary directory; the Containerfile found in it (Containerfile, then
// Dockerfile, or -f); the ignore file (.containerignore, then .dockerignore,
// or --ignorefile) with Docker's pattern rules (@balena/dockerignore).
import {spawn} from 'node:child_process'
import {createHash} from 'node:crypto'
import {closeSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import type {Readable} from 'node:stream'
import {requireFrom} from '../util/require-from.js'
import {BuildError} from '../define/errors.js'
import {FsRoot, cleanParts, readChunks, walkTree, type FsEntry} from '../container/fsroot.js'

export interface BuildContext {
  dir: string
  /** Removes a temporary context (stdin tar). */
  cleanup: () => void
  /** Whether a context path (relative, '/'-separated) is excluded by the ignore file. */
  ignored: (rel: string) => boolean
}

/** A tar on `input` unpacked into a new directory below `tmpParent`. */
async function untarTo(input: Readable | string, tmpParent: string, what = 'reading the build context from stdin'): Promise<string> {
  const dir = mkdtempSync(path.join(tmpParent, 'peapod-build-context-'))
  await new Promise<void>((resolve, reject) => {
    // from a file GNU tar finds the compression (gzip, bzip2, xz, zstd) itself
    const file = typeof input === 'string'
    const p = spawn('tar', ['-x', '--no-same-owner', '-C', dir, '-f', file ? input : '-'], {stdio: [file ? 'ignore' : 'pipe', 'ignore', 'pipe']})
    let err = ''
    p.stderr!.on('data', d => { err += d })
    if (!file) input.pipe(p.stdin!)
    p.on('error', reject)
    p.on('close', code => code === 0 ? resolve() : reject(new BuildError(`${what}: ${err.trim() || `tar exited ${code}`}`)))
  }).catch(e => {
    rmSync(dir, {recursive: true, force: true})
    throw e
  })
  return dir
}

export function ignoreMatcher(patterns: string[]): (rel: string) => boolean {
  const lines = patterns.map(l => l.trim()).filter(l => l && !l.startsWith('#'))
  if (lines.length === 0) return () => false
  // a CommonJS module whose typings declare an ES default export
  const dockerignore = requireFrom(import.meta.url)('@balena/dockerignore') as typeof import('@balena/dockerignore').default
  const ig = dockerignore({ignorecase: false}).add(lines)
  const hasExceptions = lines.some(l => l.startsWith('!'))
  return rel => {
    if (rel === '') return false
    if (!ig.ignores(rel)) return false
    // a directory with an exception below it must still be walked
    if (hasExceptions && lines.some(l => l.startsWith('!') && l.slice(1).replace(/^\/+/, '').startsWith(rel + '/'))) return false
    return true
  }
}

/** An http(s) URL of a tar archive (compressed or not): fetched and unpacked into a new directory below `tmpParent`. */
export async function fetchContext(url: string, tmpParent: string): Promise<string> {
  let res: Response
  try {
    res = await fetch(url)
  } catch (e) {
    const cause = (e as Error).cause
    throw new BuildError(`getting ${JSON.stringify(url)}: ${cause instanceof Error ? cause.message : (e as Error).message}`)
  }
  if (!res.ok) throw new BuildError(`invalid response status ${res.status} getting ${JSON.stringify(url)}`)
  const file = path.join(mkdtempSync(path.join(tmpParent, 'peapod-build-download-')), 'context')
  try {
    writeFileSync(file, Buffer.from(await res.arrayBuffer()), {mode: 0o600})
    return await untarTo(file, tmpParent, `unpacking ${JSON.stringify(url)}`)
  } finally {
    rmSync(path.dirname(file), {recursive: true, force: true})
  }
}

export async function openContext(arg: string, opts: {stdin?: Readable; ignoreFile?: string; tmpParent: string; containerfileName?: string}): Promise<BuildContext> {
  let dir: string
  let cleanup = () => {}
  if (arg === '-' || /^https?:\/\//.test(arg)) {
    dir = arg === '-' ? await untarTo(opts.stdin ?? process.stdin, opts.tmpParent) : await fetchContext(arg, opts.tmpParent)
    const d = dir
    cleanup = () => rmSync(d, {recursive: true, force: true})
  } else {
    dir = path.resolve(arg)
    let isDir = false
    try {
      isDir = statSync(dir).isDirectory()
    } catch {
      isDir = false
    }
    if (!isDir) throw new BuildError(`context must be a directory: ${JSON.stringify(dir)}`)
  }
  let patterns: string[] = []
  const candidates = opts.ignoreFile ? [path.resolve(opts.ignoreFile)] : [path.join(dir, '.containerignore'), path.join(dir, '.dockerignore')]
  for (const f of candidates) {
    try {
      patterns = readFileSync(f, 'utf8').split('\n')
      break
    } catch (e) {
      if (opts.ignoreFile) {
        cleanup()
        throw new BuildError(`reading ignore file ${JSON.stringify(f)}: ${(e as Error).message}`)
      }
    }
  }
  return {dir, cleanup, ignored: ignoreMatcher(patterns)}
}

/** The Containerfile: -f (relative to the working directory, then to the context), else Containerfile, then Dockerfile. */
export function findContainerfile(ctxDir: string, file?: string): string {
  if (file) {
    if (existsSync(file)) return path.resolve(file)
    const inCtx = path.join(ctxDir, file)
    if (existsSync(inCtx)) return inCtx
    throw new BuildError(`the specified Containerfile or Dockerfile does not exist, ${JSON.stringify(file)}: no such file or directory`)
  }
  for (const n of ['Containerfile', 'Dockerfile']) {
    const p = path.join(ctxDir, n)
    if (existsSync(p)) return p
  }
  throw new BuildError(`no Containerfile or Dockerfile specified or found in context directory, ${ctxDir}: no such file or directory`)
}

// --- sources -------------------------------------------------------------

function globRegex(pat: string): RegExp {
  let re = ''
  for (let i = 0; i < pat.length; i++) {
    const c = pat[i]
    if (c === '*') re += '[^/]*'
    else if (c === '?') re += '[^/]'
    else if (c === '[') {
      const j = pat.indexOf(']', i)
      if (j < 0) re += '\\['
      else {
        re += '[' + pat.slice(i + 1, j).replace(/^!/, '^') + ']'
        i = j
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&')
  }
  return new RegExp(`^${re}$`)
}

/**
 * The real paths (below the root) a source names: its components resolved
 * chroot-style (`..` cannot leave the root), globs matched per component.
 * The last component is not followed: a symlink is copied as a link.
 */
export function resolveSources(root: FsRoot, src: string): string[] {
  const parts = cleanParts(src)
  if (!parts.some(p => /[*?[]/.test(p))) {
    const r = root.resolve(parts, {followLast: false})
    return r.exists ? [r.rel] : []
  }
  let cur: string[] = ['']
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]
    const next: string[] = []
    for (const base of cur) {
      if (!/[*?[]/.test(part)) {
        const r = root.resolve([...cleanParts(base), part], {followLast: i < parts.length - 1})
        if (r.exists) next.push(r.rel)
        continue
      }
      const r = root.resolve(cleanParts(base), {followLast: true})
      if (!r.exists || !r.st?.isDirectory()) continue
      const re = globRegex(part)
      for (const n of readdirSync(root.at(r.rel, '.')).sort()) if (re.test(n)) next.push(r.rel ? `${r.rel}/${n}` : n)
    }
    cur = next
  }
  return cur
}

/** A digest of entries' names, types, modes, link targets and contents (not times): COPY's cache key part. */
export async function digestEntries(entries: AsyncIterable<FsEntry>): Promise<string> {
  const h = createHash('sha256')
  for await (const e of entries) {
    h.update(`${e.name}\0${e.type}\0${e.mode}\0${e.linkname ?? ''}\0${e.size}\0`)
    if (e.type === 'file' && e.open) {
      const fd = e.open()
      try {
        for (const c of readChunks(fd, e.size)) h.update(c)
      } finally {
        closeSync(fd)
      }
    }
  }
  return h.digest('hex')
}

export {walkTree}
