// A Containerfile whose name ends in ".in" goes through the C preprocessor
// first, as buildah does: `cpp -E -iquote CONTEXT -traditional -undef -`,
// then $BUILDAH_CPPFLAGS, then --cpp-flag; #include "x" finds x in the
// context. cpp's complaints are a warning; only no output at all fails.
import {spawn} from 'node:child_process'
import {BuildError} from '../define/errors.js'

/** Splits $BUILDAH_CPPFLAGS as a shell would (quotes, backslashes; no expansions). */
function shellWords(s: string): string[] {
  const out: string[] = []
  let cur = ''
  let has = false
  let q: '"' | "'" | undefined
  for (let i = 0; i < s.length; i++) {
    const c = s[i]
    if (q) {
      if (c === q) q = undefined
      else if (c === '\\' && q === '"' && i + 1 < s.length) cur += s[++i]
      else cur += c
    } else if (c === '"' || c === "'") {
      q = c
      has = true
    } else if (c === '\\' && i + 1 < s.length) {
      cur += s[++i]
      has = true
    } else if (/\s/.test(c)) {
      if (has || cur) out.push(cur)
      cur = ''
      has = false
    } else cur += c
  }
  if (q) throw new BuildError(`parsing BUILDAH_CPPFLAGS ${JSON.stringify(s)}: invalid command line string`)
  if (has || cur) out.push(cur)
  return out
}

export async function preprocessContainerfile(file: string, text: string, ctxDir: string, cppFlags: readonly string[], warn: (m: string) => void): Promise<string> {
  const args = ['-E', '-iquote', ctxDir, '-traditional', '-undef', '-']
  const env = process.env.BUILDAH_CPPFLAGS
  if (env !== undefined) args.push(...shellWords(env))
  args.push(...cppFlags)
  const {stdout, stderr, code, error} = await new Promise<{stdout: string; stderr: string; code: number | null; error?: NodeJS.ErrnoException}>(resolve => {
    const p = spawn('cpp', args, {stdio: ['pipe', 'pipe', 'pipe']})
    let o = ''
    let e = ''
    p.stdout.on('data', d => { o += d })
    p.stderr.on('data', d => { e += d })
    p.on('error', err => resolve({stdout: o, stderr: e, code: null, error: err as NodeJS.ErrnoException}))
    p.on('close', c => resolve({stdout: o, stderr: e, code: c}))
    p.stdin.on('error', () => {}) // cpp may exit before reading it all
    p.stdin.end(text)
  })
  if (error) {
    if (error.code === 'ENOENT') throw new BuildError('exec: "cpp": executable file not found in $PATH: .in support requires cpp to be installed')
    throw new BuildError(`preprocessing ${file}: ${error.message}`)
  }
  if (code !== 0) {
    if (stderr) warn(`Ignoring ${stderr.trimEnd()}`)
    if (!stdout) throw new BuildError(`preprocessing ${file}: preprocessor produced no output: exit status ${code}`)
  }
  return stdout
}
