// Every failpoint (src/libpod/util/failpoint.ts), root and rootless (the two
// walks run at once): the command is SIGKILLed there; then the listings
// answer with JSON, repeating the command works or gives Podman's error for
// an object that exists (or is gone), the cleanup commands remove
// everything and nothing is left (documents, names, mounts, monitors,
// runtimes, locks, run dirs), and `system check` finds nothing.
// Then a storm: concurrent commands SIGKILLed at random moments.
import {expect} from 'chai'
import {mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {Containers, Env, waitUntil, type Mode} from './helpers.js'
import {busyboxEnvs} from './fixtures.js'
import {RegistryServer} from './registry-server.js'
import {FAILPOINTS} from '../../src/libpod/util/failpoint.js'

interface Done { code: number; signal?: string; stdout: string; stderr: string }

/** Runs peapod without blocking the event loop (the two modes walk at once). */
function run(env: Env, args: string[], extra: Record<string, string> = {}, killAfterMs?: number): Promise<Done> {
  const p = env.spawn(args, {env: extra})
  let stdout = ''
  let stderr = ''
  p.stdout!.on('data', d => { stdout += d })
  p.stderr!.on('data', d => { stderr += d })
  // The fault of the storm: SIGKILL of the peapod process (rootless: below setpriv) at a random moment.
  if (killAfterMs !== undefined) setTimeout(() => killTree(p.pid!), killAfterMs)
  return new Promise(resolve => p.on('close', (code, signal) => resolve({code: code ?? 128, signal: signal ?? undefined, stdout, stderr})))
}

function killTree(pid: number): void {
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

async function ok(env: Env, args: string[]): Promise<string> {
  const r = await run(env, args)
  if (r.code !== 0) throw new Error(`${env.mode}: peapod ${args.join(' ')} exited ${r.code}: ${r.stderr.trim()}`)
  return r.stdout
}

type Kind = 'container' | 'pod' | 'image' | 'volume' | 'network'

interface Case {
  point: typeof FAILPOINTS[number]
  kind: Kind
  setup?: string[][]
  cmd: string[]
}

/** Every failpoint's case; `host` is a local registry (pull), `ctx` a build context (FROM bb, two RUN steps). */
function cases(env: Env | undefined, host: string): Case[] {
  const archive = env?.file('fp.tar') ?? ''
  const ctx = env?.file('fpctx') ?? ''
  const remote = `${host}/${env?.mode}/fppull:1`
  const TLS = '--tls-verify=false'
  return [
    {point: 'container.create.after-reserve', kind: 'container', cmd: ['create', '--name', 'fp', 'bb', 'true']},
    {point: 'container.create.after-rootfs', kind: 'container', cmd: ['create', '--name', 'fp', 'bb', 'true']},
    {point: 'container.create.after-document', kind: 'container', cmd: ['create', '--name', 'fp', 'bb', 'true']},
    {point: 'container.start.after-mount', kind: 'container', setup: [['create', '--name', 'fp', 'bb', 'sleep', '1000']], cmd: ['start', 'fp']},
    {point: 'container.start.after-monitor', kind: 'container', setup: [['create', '--name', 'fp', 'bb', 'sleep', '1000']], cmd: ['start', 'fp']},
    {point: 'container.start.after-record', kind: 'container', setup: [['create', '--name', 'fp', 'bb', 'sleep', '1000']], cmd: ['start', 'fp']},
    {point: 'container.stop.after-signal', kind: 'container', setup: [['run', '-d', '--name', 'fp', 'bb', 'sleep', '1000']], cmd: ['stop', '-t', '3', 'fp']},
    {point: 'container.rm.after-release', kind: 'container', setup: [['run', '-d', '--name', 'fp', 'bb', 'sleep', '1000']], cmd: ['rm', '-f', '-t', '0', 'fp']},
    {point: 'container.rm.after-mark', kind: 'container', setup: [['create', '--name', 'fp', 'bb', 'true']], cmd: ['rm', 'fp']},
    {point: 'container.rm.after-remove', kind: 'container', setup: [['create', '--name', 'fp', 'bb', 'true']], cmd: ['rm', 'fp']},
    {point: 'pod.create.after-reserve', kind: 'pod', cmd: ['pod', 'create', '--name', 'fpp']},
    {point: 'pod.create.after-infra', kind: 'pod', cmd: ['pod', 'create', '--name', 'fpp']},
    {point: 'pod.rm.after-members', kind: 'pod', setup: [['pod', 'create', '--name', 'fpp'], ['create', '--pod', 'fpp', '--name', 'fp', 'bb', 'true']], cmd: ['pod', 'rm', '-f', 'fpp']},
    {point: 'pod.rm.after-document', kind: 'pod', setup: [['pod', 'create', '--name', 'fpp']], cmd: ['pod', 'rm', '-f', 'fpp']},
    {point: 'image.commit.after-layer', kind: 'image', setup: [['create', '--name', 'fp', 'bb', 'true']], cmd: ['commit', '-q', 'fp', 'fpimg']},
    {point: 'image.load.after-layers', kind: 'image', setup: [['save', '-o', archive, 'fpimg'], ['rmi', 'fpimg']], cmd: ['load', '-q', '-i', archive]},
    {point: 'image.pull.after-layers', kind: 'image', setup: [['run', '--name', 'fpc', 'bb', 'touch', '/pulled'], ['commit', '-q', 'fpc', 'fppull'],
      ['push', '-q', TLS, 'fppull', remote], ['rm', 'fpc'], ['rmi', 'fppull']], cmd: ['pull', '-q', TLS, remote]},
    {point: 'image.rm.after-untag', kind: 'image', cmd: ['rmi', 'fpimg']},
    {point: 'volume.create.after-dir', kind: 'volume', cmd: ['volume', 'create', 'fpv']},
    {point: 'volume.rm.after-document', kind: 'volume', setup: [['volume', 'create', 'fpv']], cmd: ['volume', 'rm', 'fpv']},
    {point: 'network.create.after-document', kind: 'network', cmd: ['network', 'create', 'fpn']},
    // (rootless: connect needs a container on a bridge network already, not slirp4netns)
    {point: 'network.connect.after-setup', kind: 'network', setup: [['network', 'create', 'fpn'], ['network', 'create', 'fpn2'], ['create', '--name', 'fp', '--network', 'fpn', 'bb', 'true']], cmd: ['network', 'connect', 'fpn2', 'fp']},
    {point: 'build.run.after-start', kind: 'image', cmd: ['build', '-q', '-t', 'fpb', ctx]},
    {point: 'build.run.after-layer', kind: 'image', cmd: ['build', '-q', '--no-cache', '-t', 'fpb', ctx]},
    {point: 'build.step.after-commit', kind: 'image', cmd: ['build', '-q', '--no-cache', '-t', 'fpb', ctx]},
  ]
}

const LISTING: Record<Kind, string[]> = {container: ['ps', '-a'], pod: ['pod', 'ps'], image: ['images'], volume: ['volume', 'ls'], network: ['network', 'ls']}

/** One failpoint: crash, invariants, cleanup (throws on the first broken invariant). */
async function walkOne(env: Env, ct: Containers, c: Case): Promise<void> {
  const where = `${env.mode} ${c.point}`
  for (const s of c.setup ?? []) await ok(env, s)
  const r = await run(env, c.cmd, {PEAPOD_FAILPOINT: c.point})
  expect(r.signal === 'SIGKILL' || r.code === 137 || r.code === 128, `${where}: not killed there (exit ${r.code}): ${r.stderr}`).to.equal(true)
  for (const kind of new Set<Kind>(['container', c.kind])) {
    const out = await ok(env, [...LISTING[kind], '--format', 'json'])
    expect(() => JSON.parse(out || '[]'), `${where}: ${kind} listing: ${out}`).not.to.throw()
  }
  const again = await run(env, c.cmd)
  if (again.code !== 0) {
    expect(again.code, `${where}: repeated: ${again.stderr}`).to.be.oneOf([1, 125])
    expect(again.stderr.trim(), `${where}: repeated`).to.match(/^Error: .*(already|in use|not known|no such|exists)/)
  }
  if (c.kind === 'pod') await ok(env, ['pod', 'rm', '-af'])
  await ok(env, ['rm', '-af', '-t', '0'])
  if (c.kind === 'volume') await ok(env, ['volume', 'prune', '-f'])
  if (c.kind === 'network') await run(env, ['network', 'rm', '-f', 'fpn', 'fpn2'])
  if (c.kind === 'image') await ok(env, ['image', 'prune', '-f'])
  const ls = (d: string) => {
    try {
      return readdirSync(path.join(env.root, d))
    } catch {
      return []
    }
  }
  expect(ls('pod-names'), `${where}: pod names`).to.deep.equal([])
  expect(ls('tmp').filter(f => f.startsWith('layer-')), `${where}: staged layers and spool files`).to.deep.equal([])
  expect(ls('pods'), `${where}: pods`).to.deep.equal([])
  if (c.kind === 'volume') expect(ls('volumes'), `${where}: volumes`).to.deep.equal([])
  try {
    await ct.settled(15_000)
  } catch (e) {
    throw new Error(`${where}: ${(e as Error).message}`)
  }
}

async function systemCheckClean(env: Env): Promise<void> {
  const check = await run(env, ['system', 'check'])
  expect(check.stdout + check.stderr, `${env.mode}: system check`).to.equal('')
  expect(check.code).to.equal(0)
}


describe('failpoints and storms', function () {
  this.timeout(900_000)
  const envs = busyboxEnvs()

  it('walks every failpoint (root and rootless at once): the invariants hold after each', async function () {
    const t0 = Date.now()
    const all = cases(undefined, '')
    expect(all.map(c => c.point).sort(), 'every failpoint has a case').to.deep.equal([...FAILPOINTS].sort())
    const reg = await RegistryServer.start()
    try {
      await Promise.all([...envs.values()].map(async ({env, ct}) => {
        const ctx = env.file('fpctx')
        mkdirSync(ctx)
        writeFileSync(path.join(ctx, 'Containerfile'), 'FROM bb\nRUN touch /a\nRUN touch /b\n')
        env.chown(ctx)
        for (const c of cases(env, reg.host)) await walkOne(env, ct, c)
        await systemCheckClean(env)
      }))
    } finally {
      await reg.stop()
    }
    console.log(`      ${FAILPOINTS.length} failpoints x ${envs.size} modes: ${Date.now() - t0} ms`)
  })

  it('a storm of concurrent commands killed at random: the store is consistent, system check clean', async function () {
    const t0 = Date.now()
    let seed = 17
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      return (seed >> 16) % n
    }
    const ops = (i: number): string[] => {
      const n = `s${i % 6}`
      switch (rand(7)) {
        case 0: return ['run', '-d', '--name', n, 'bb', 'sleep', '1000']
        case 1: return ['create', '--name', n, 'bb', 'true']
        case 2: return ['run', '--rm', 'bb', 'true']
        case 3: return ['pod', 'create', '--name', `p${i % 3}`]
        case 4: return ['rm', '-af', '-t', '0']
        case 5: return ['pod', 'rm', '-af']
        default: return ['ps', '-a']
      }
    }
    let killed = 0
    const OPS = 60
    await Promise.all([...envs.values()].map(async ({env}) => {
      let next = 0
      // 4 at a time per mode; every other command is killed after a random delay
      await Promise.all(Array.from({length: 4}, async () => {
        for (let i = next++; i < OPS; i = next++) {
          const kill = rand(2) === 0
          if (kill) killed++
          await run(env, ops(i), {}, kill ? 100 + rand(900) : undefined)
        }
      }))
    }))
    for (const {env, ct} of envs.values()) {
      const ps = await ok(env, ['ps', '-a', '--format', 'json'])
      expect(() => JSON.parse(ps || '[]')).not.to.throw()
      await ok(env, ['pod', 'rm', '-af'])
      await ok(env, ['rm', '-af', '-t', '0'])
      expect(await ok(env, ['ps', '-aq'])).to.equal('')
      await waitUntil('pod names released', () => {
        try {
          return readdirSync(path.join(env.root, 'pod-names')).length === 0
        } catch {
          return true
        }
      }, 1000).catch(() => {
        throw new Error(`${env.mode}: pod names left: ${readdirSync(path.join(env.root, 'pod-names')).join(' ')}`)
      })
      await ct.settled(20_000)
      await systemCheckClean(env)
    }
    console.log(`      storm: ${OPS} operations x ${envs.size} modes, ${killed} SIGKILLs: ${Date.now() - t0} ms`)
  })
})
