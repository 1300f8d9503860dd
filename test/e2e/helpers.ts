// End-to-end helpers: run the built `peapod` binary as root or as the
// rootless test user, each test suite with its own --root/--runroot.
import {execFileSync, spawn, spawnSync, type ChildProcessWithoutNullStreams} from 'node:child_process'
import {chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {createServer} from 'node:net'
import {fileURLToPath} from 'node:url'
import {expect} from 'chai'

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const BIN = path.join(REPO, 'bin/run.js')
/** The installed command (package.json `bin`): a sh launcher that runs BIN. */
export const LAUNCHER = path.join(REPO, 'bin/peapod')
export const TEST_USER = process.env.PEAPOD_TEST_USER || 'peapodtest'

export type Mode = 'root' | 'rootless'

export interface Result {
  code: number
  stdout: string
  stderr: string
}

interface TestUser { uid: number; gid: number; home: string }

function lookupUser(name: string): TestUser | undefined {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find(l => l.startsWith(name + ':'))
  if (!line) return undefined
  const f = line.split(':')
  return {uid: Number(f[2]), gid: Number(f[3]), home: f[5]}
}

/** Why a mode can't run here, or undefined when it can. */
export function unavailable(mode: Mode): string | undefined {
  if (process.getuid!() !== 0) return 'the e2e tests run as root (rootless ones through the test user)'
  if (mode === 'rootless') {
    const u = lookupUser(TEST_USER)
    if (!u) return `no test user "${TEST_USER}" (set PEAPOD_TEST_USER; .ci/run creates one)`
    if (!readFileSync('/etc/subuid', 'utf8').split('\n').some(l => l.startsWith(TEST_USER + ':'))) return `no /etc/subuid range for ${TEST_USER}`
  }
  return undefined
}

/** A private store for one suite; removed by cleanup(). */
export class Env {
  readonly dir: string
  readonly root: string
  readonly runroot: string
  private readonly user?: TestUser

  constructor(readonly mode: Mode) {
    this.dir = mkdtempSync(path.join(os.tmpdir(), `peapod-e2e-${mode}-`))
    this.root = path.join(this.dir, 'root')
    this.runroot = path.join(this.dir, 'run')
    if (mode === 'rootless') {
      this.user = lookupUser(TEST_USER)!
      chownSync(this.dir, this.user.uid, this.user.gid)
    }
  }

  command(args: string[], extraEnv: Record<string, string> = {}): {file: string; argv: string[]; env: NodeJS.ProcessEnv} {
    // Through bin/peapod, as a user runs it (it runs `node -- bin/run.cjs`).
    const base = ['--root', this.root, '--runroot', this.runroot, ...args]
    const env: NodeJS.ProcessEnv = {PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8', ...extraEnv}
    if (this.mode === 'root') return {file: LAUNCHER, argv: base, env: {...env, HOME: '/root'}}
    const u = this.user!
    return {
      file: 'setpriv',
      argv: [`--reuid=${u.uid}`, `--regid=${u.gid}`, '--init-groups', '--', LAUNCHER, ...base],
      env: {...env, HOME: u.home, USER: TEST_USER, LOGNAME: TEST_USER, XDG_RUNTIME_DIR: path.join(this.dir, 'xdg')},
    }
  }

  /** Runs peapod to completion. */
  run(args: string[], opts: {input?: string | Buffer; env?: Record<string, string>} = {}): Result {
    const c = this.command(args, opts.env)
    if (this.mode === 'rootless') {
      const xdg = c.env.XDG_RUNTIME_DIR!
      if (!existsSync(xdg)) {
        mkdirSync(xdg, {mode: 0o700})
        chownSync(xdg, this.user!.uid, this.user!.gid)
      }
    }
    const t0 = Date.now()
    const r = spawnSync(c.file, c.argv, {env: c.env, input: opts.input, maxBuffer: 256 * 1024 * 1024, cwd: this.dir})
    if (process.env.PEAPOD_E2E_TRACE && Date.now() - t0 >= Number(process.env.PEAPOD_E2E_TRACE)) console.log(`      [${Date.now() - t0}ms] ${this.mode} ${args.join(' ')}`)
    return {code: r.status ?? 128, stdout: r.stdout.toString(), stderr: r.stderr.toString()}
  }

  /** Runs peapod and returns stdout; throws with stderr when it fails. */
  ok(args: string[], opts: {input?: string | Buffer} = {}): string {
    const r = this.run(args, opts)
    if (r.code !== 0) throw new Error(`peapod ${args.join(' ')} exited ${r.code}: ${r.stderr.trim()}`)
    return r.stdout
  }

  /** Starts peapod without waiting (for kill tests). */
  spawn(args: string[], opts: {stdin?: 'pipe' | 'ignore'; env?: Record<string, string>} = {}) {
    const c = this.command(args, opts.env)
    return spawn(c.file, c.argv, {env: c.env, stdio: [opts.stdin ?? 'ignore', 'pipe', 'pipe'], cwd: this.dir})
  }

  /** A path inside the suite dir that the peapod user can read and write. */
  file(name: string): string {
    return path.join(this.dir, name)
  }

  chown(p: string): void {
    if (this.user) execFileSync('chown', ['-R', `${this.user.uid}:${this.user.gid}`, p])
  }

  /** Removes every pod and container of the store at once (-t 0: no stop timeout to wait out). */
  removeContainers(): void {
    this.run(['pod', 'rm', '-a', '-f', '-t', '0'])
    this.run(['rm', '-a', '-f', '-t', '0'])
  }

  cleanup(): void {
    // The store a suite leaves must be one `system check` finds nothing in
    // (issue 17: after the whole suite). PEAPOD_E2E_SYSTEM_CHECK=0 skips it.
    let findings = ''
    if (process.env.PEAPOD_E2E_SYSTEM_CHECK !== '0' && existsSync(this.root)) {
      const check = this.run(['system', 'check'])
      if (check.code !== 0 || check.stdout.trim()) findings = (check.stdout + check.stderr).trim()
    }
    this.removeAll()
    if (findings) throw new Error(`system check of the ${this.mode} store of this suite: ${findings}`)
  }

  private removeAll(): void {
    // Unmount anything left below the suite dir, then remove it all (as root).
    const mounts = readFileSync('/proc/self/mounts', 'utf8').split('\n').map(l => l.split(' ')[1]).filter(m => m?.startsWith(this.dir))
    for (const m of mounts.reverse()) spawnSync('umount', ['-l', m])
    if (this.mode === 'rootless') {
      // Each suite has its own XDG_RUNTIME_DIR, so its own pause process:
      // stopping it drops its mount namespace and every mount in it.
      this.run(['system', 'migrate'])
    }
    rmSync(this.dir, {recursive: true, force: true})
  }
}

/** Lists every file below `dir` (relative), for "nothing left behind" checks. */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return []
  return execFileSync('find', [dir, '-mindepth', '1'], {encoding: 'utf8'}).split('\n').filter(Boolean).map(f => path.relative(dir, f)).sort()
}

// ---- containers: waiting on states and "nothing left behind" ---------------

/** Polls a state (bounded) until probe() returns something truthy; never a fixed sleep. */
export async function waitUntil<T>(what: string, probe: () => T | undefined | false | null, ms = 20000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = probe()
    if (v) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise(r => setTimeout(r, 25))
  }
}

/** Every process's pid and command line (NUL → space). */
export function processes(): Array<{pid: number; cmdline: string}> {
  const out: Array<{pid: number; cmdline: string}> = []
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue
    try {
      out.push({pid: Number(d), cmdline: readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ').trim()})
    } catch {
      // gone meanwhile
    }
  }
  return out
}

/** Resolves when `pid` has exited (bounded poll of /proc). */
export function pidGone(pid: number, ms = 20000): Promise<true> {
  return waitUntil(`process ${pid} to exit`, () => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')
    } catch {
      return true
    }
  }, ms)
}

export interface Leftovers {
  containers: string[]
  names: string[]
  mounts: string[]
  monitors: number[]
  runtimes: number[]
  locks: string[]
  runDirs: string[]
}

/** True when nothing is left. */
export function emptyLeftovers(l: Leftovers): boolean {
  return Object.values(l).every(v => v.length === 0)
}

/** Container helpers on an Env (kept apart from Env so that existing suites are untouched). */
export class Containers {
  constructor(readonly env: Env) {}

  /** The rootless pause process's pid (it holds the mounts), from the suite's runtime dir. */
  pausePid(): number | undefined {
    for (const f of [path.join(this.env.dir, 'xdg', 'peapod', 'pause.pid')]) {
      try {
        return Number(readFileSync(f, 'utf8').trim()) || undefined
      } catch {
        // not started
      }
    }
    return undefined
  }

  /** Mount points below the suite dir, in the mount namespace that holds them. */
  mounts(): string[] {
    const pid = this.env.mode === 'rootless' ? this.pausePid() : undefined
    const file = pid ? `/proc/${pid}/mountinfo` : '/proc/self/mountinfo'
    let text = ''
    try {
      text = readFileSync(file, 'utf8')
    } catch {
      return []
    }
    return text.split('\n').map(l => l.split(' ')[4]).filter(m => m?.startsWith(this.env.dir))
  }

  /** What the suite's containers can leave behind: documents, names, mounts, monitors, runtimes, locks, runtime dirs. */
  leftovers(): Leftovers {
    const all = processes()
    const mine = (p: {cmdline: string}) => p.cmdline.includes(this.env.runroot + '/')
    const ls = (d: string) => (existsSync(d) ? readdirSync(d) : [])
    return {
      containers: ls(path.join(this.env.root, 'containers')),
      names: ls(path.join(this.env.root, 'names')),
      mounts: this.mounts(),
      monitors: all.filter(p => mine(p) && p.cmdline.includes('conmon/main.cjs')).map(p => p.pid),
      runtimes: all.filter(p => mine(p) && / (run|delete|kill|state) /.test(p.cmdline) && !p.cmdline.includes('conmon/main.cjs') && !p.cmdline.includes('bin/run.')).map(p => p.pid),
      locks: listFiles(this.env.root).filter(f => f.endsWith('.lock')),
      runDirs: ls(path.join(this.env.runroot, 'containers')),
    }
  }

  /** Waits until the suite's containers have left nothing behind (monitors finish their exit command after `run` returns). */
  async settled(ms = 20000): Promise<void> {
    let last: Leftovers | undefined
    try {
      await waitUntil('nothing left behind', () => emptyLeftovers(last = this.leftovers()), ms)
    } catch {
      throw new Error(`left behind: ${JSON.stringify(last)}`)
    }
  }

  /** A shell command line running peapod as this suite's user (for tmux). */
  shellCommand(args: string[]): string {
    const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`
    const base = [process.execPath, '--', BIN, '--root', this.env.root, '--runroot', this.env.runroot, ...args]
    const vars = {PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8', TERM: 'xterm'}
    if (this.env.mode === 'root') return ['env', '-i', ...Object.entries({...vars, HOME: '/root'}).map(([k, v]) => q(`${k}=${v}`)), ...base.map(q)].join(' ')
    const u = lookupUser(TEST_USER)!
    const xdg = path.join(this.env.dir, 'xdg')
    const env = {...vars, HOME: u.home, USER: TEST_USER, LOGNAME: TEST_USER, XDG_RUNTIME_DIR: xdg}
    return ['env', '-i', ...Object.entries(env).map(([k, v]) => q(`${k}=${v}`)), 'setpriv', `--reuid=${u.uid}`, `--regid=${u.gid}`, '--init-groups', '--', ...base.map(q)].join(' ')
  }

  /** Starts peapod with a stdin pipe (attach, start -i, logs -f). */
  spawnIo(args: string[]): ChildProcessWithoutNullStreams {
    return this.env.spawn(args, {stdin: 'pipe'}) as ChildProcessWithoutNullStreams
  }
}

/** A failure Podman's way: its exit code and one line `Error: ...` matching `message`. */
export function expectError(r: Result, code: number, message: RegExp): void {
  expect(r.code, r.stderr).to.equal(code)
  const lines = r.stderr.trim().split('\n')
  expect(lines, r.stderr).to.have.length(1)
  expect(lines[0]).to.match(/^Error: /)
  expect(lines[0]).to.match(message)
}

/** A port the kernel says is free now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as {port: number}).port
      s.close(() => resolve(port))
    })
  })
}

/** GETs a URL until it answers 200 (the server in the container needs a moment), bounded. */
export async function fetchUntil(url: string, ms = 20000): Promise<string> {
  const end = Date.now() + ms
  let last = ''
  for (;;) {
    try {
      const r = await fetch(url, {signal: AbortSignal.timeout(2000)})
      if (r.ok) return await r.text()
      last = `HTTP ${r.status}`
    } catch (e) {
      last = (e as Error).message
    }
    if (Date.now() > end) throw new Error(`${url} did not answer: ${last}`)
    await new Promise(r => setTimeout(r, 50))
  }
}
