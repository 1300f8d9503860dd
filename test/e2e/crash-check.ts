// The crash tests' shared parts (failpoints.test.ts, storm.test.ts): running
// peapod without blocking the event loop (both modes at once), SIGKILLing a
// command's process tree, and the one check of "a consistent store, nothing
// left" that both the failpoint walk and the storm end with.
import {expect} from 'chai'
import {execFileSync} from 'node:child_process'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {Containers, Env, listFiles, processes, waitUntil} from './helpers.js'

export interface Done { code: number; signal?: string; stdout: string; stderr: string }

/** Runs peapod; with killAfterMs, SIGKILLs it (and what it started, rootless: below setpriv) then. */
export function run(env: Env, args: string[], extra: Record<string, string> = {}, killAfterMs?: number): Promise<Done> {
  const p = env.spawn(args, {env: extra})
  let stdout = ''
  let stderr = ''
  p.stdout!.on('data', d => { stdout += d })
  p.stderr!.on('data', d => { stderr += d })
  if (killAfterMs !== undefined) setTimeout(() => killTree(p.pid!), killAfterMs)
  return new Promise(resolve => p.on('close', (code, signal) => resolve({code: code ?? 128, signal: signal ?? undefined, stdout, stderr})))
}

/** Runs peapod and returns stdout; throws with stderr when it fails. */
export async function ok(env: Env, args: string[]): Promise<string> {
  const r = await run(env, args)
  if (r.code !== 0) throw new Error(`${env.mode}: peapod ${args.join(' ')} exited ${r.code}: ${r.stderr.trim()}`)
  return r.stdout
}

/** SIGKILLs pid and its descendants (children first, so none is reparented away). */
export function killTree(pid: number): void {
  for (const child of childrenOf(pid)) killTree(child)
  try {
    process.kill(pid, 'SIGKILL')
  } catch {
    // gone
  }
}

function childrenOf(pid: number): number[] {
  const out: number[] = []
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue
    try {
      if (parentPid(Number(d)) === pid) out.push(Number(d))
    } catch {
      // gone
    }
  }
  return out
}

/** The parent pid, from /proc/PID/stat. */
function parentPid(pid: number): number {
  const s = readFileSync(`/proc/${pid}/stat`, 'utf8')
  return Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[1])
}

/** The monitors (conmon/main.cjs) of this store's containers, from /proc. */
export function monitorsOf(env: Env): number[] {
  return processes().filter(p => p.cmdline.includes(env.runroot + '/') && p.cmdline.includes('conmon/main.cjs')).map(p => p.pid)
}

export type Kind = 'container' | 'pod' | 'image' | 'volume' | 'network'

export const LISTING: Record<Kind, string[]> = {container: ['ps', '-a'], pod: ['pod', 'ps'], image: ['images'], volume: ['volume', 'ls'], network: ['network', 'ls']}

/** The listings of `kinds` answer, each with a JSON document that parses. */
export async function listingsParse(env: Env, kinds: Iterable<Kind>, where: string): Promise<void> {
  for (const kind of kinds) {
    const out = await ok(env, [...LISTING[kind], '--format', 'json'])
    expect(() => JSON.parse(out || '[]'), `${where}: ${kind} listing: ${out}`).not.to.throw()
  }
}

export interface CleanOpts {
  /** What the crashed commands touched: the cleanup commands and checks for these run. */
  kinds: Set<Kind>
  /** Networks the test created (removed with `network rm -f`; all but the default when omitted). */
  networks?: string[]
  /** Root: host bridges and subnets of those networks, which must be gone from links and iptables. */
  bridges?: string[]
  subnets?: string[]
  /** Root: IDs of containers seen during the test, none of which may be left in iptables. */
  ids?: Set<string>
}

/**
 * After crashes: `pod rm -af`, `rm -af`, `volume prune -f`, `network rm -f`
 * (and `image prune -f`) remove everything, and nothing is left: documents,
 * name reservations (containers and pods), mounts, monitors, runtimes, runc
 * state, lock files, run dirs, temp files and staged layers, network
 * namespaces and helpers, the rootless netns, and (root) host bridges and
 * iptables rules. Throws with `where` on the first broken invariant.
 */
export async function expectClean(env: Env, ct: Containers, where: string, o: CleanOpts): Promise<void> {
  if (o.kinds.has('pod')) await ok(env, ['pod', 'rm', '-af', '-t', '0'])
  await ok(env, ['rm', '-af', '-t', '0'])
  if (o.kinds.has('volume')) await ok(env, ['volume', 'prune', '-f'])
  if (o.kinds.has('network')) {
    const nets = o.networks ?? (JSON.parse(await ok(env, ['network', 'ls', '--format', 'json']) || '[]') as Array<{name: string}>).map(n => n.name).filter(n => n !== 'podman')
    if (nets.length) await run(env, ['network', 'rm', '-f', ...nets])
  }
  if (o.kinds.has('image')) await ok(env, ['image', 'prune', '-f'])
  expect(await ok(env, ['ps', '-aq']), `${where}: containers`).to.equal('')
  if (o.kinds.has('pod')) expect(await ok(env, ['pod', 'ps', '-q']), `${where}: pods`).to.equal('')
  if (o.kinds.has('volume')) expect(await ok(env, ['volume', 'ls', '-q']), `${where}: volumes`).to.equal('')
  if (o.kinds.has('network') && !o.networks) expect(await ok(env, ['network', 'ls', '-q']), `${where}: networks`).to.equal('podman\n')
  const ls = (d: string) => (existsSync(d) ? readdirSync(d) : [])
  const root = (d: string) => ls(path.join(env.root, d))
  expect(root('pod-names'), `${where}: pod names`).to.deep.equal([])
  expect(root('pods'), `${where}: pods`).to.deep.equal([])
  expect(root('tmp').filter(f => f.startsWith('layer-')), `${where}: staged layers and spool files`).to.deep.equal([])
  if (o.kinds.has('volume')) expect(root('volumes'), `${where}: volumes`).to.deep.equal([])
  // Monitors finish their exit command after the command returns: wait, bounded.
  let last: unknown
  await waitUntil('nothing left', () => {
    const nets = path.join(env.runroot, 'networks')
    const l = {
      ...ct.leftovers(),
      runc: ls(path.join(env.runroot, 'runc')),
      netns: ls(path.join(env.runroot, 'netns')),
      netState: ls(path.join(nets, 'containers')),
      rootlessNetns: existsSync(path.join(nets, 'rootless-netns', 'netns')) ? ['rootless-netns'] : [],
      helpers: processes().filter(p => p.cmdline.includes(env.dir) && /slirp4netns|pasta|aardvark-dns|portfwd-child/.test(p.cmdline)).map(p => p.cmdline),
      // atomic writes' temp files (.NAME.PID.TIME.tmp), broken locks (.lock.PID.dead)
      temp: [...listFiles(env.root), ...listFiles(env.runroot)].filter(f => /\.tmp$|\.dead$/.test(f)),
      ...hostNetwork(env, o),
    }
    last = l
    return Object.values(l).every(v => v.length === 0)
  }, 15_000).catch(() => {
    throw new Error(`${where}: left behind: ${JSON.stringify(last)}`)
  })
}

/** Root: the test's bridges still on the host, and iptables lines naming its subnets or containers. */
function hostNetwork(env: Env, o: CleanOpts): {bridges: string[]; iptables: string[]} {
  if (env.mode !== 'root' || !o.kinds.has('network')) return {bridges: [], iptables: []}
  const links = execFileSync('ip', ['-o', 'link'], {encoding: 'utf8'}).split('\n').map(l => l.split(':')[1]?.trim().split('@')[0])
  const names = [...o.subnets ?? [], ...o.ids ?? []]
  const rules = names.length ? execFileSync('iptables-save', {encoding: 'utf8'}).split('\n').filter(l => names.some(n => l.includes(n))) : []
  return {bridges: (o.bridges ?? []).filter(b => links.includes(b)), iptables: rules}
}

/** `system check` finds nothing. */
export async function systemCheckClean(env: Env, where: string = env.mode): Promise<void> {
  const check = await run(env, ['system', 'check'])
  expect(check.stdout + check.stderr, `${where}: system check`).to.equal('')
  expect(check.code).to.equal(0)
}
