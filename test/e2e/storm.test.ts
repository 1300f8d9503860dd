// The random storm (issue 17): mixed commands, 8 at a time per mode, root and
// rootless at once, with random SIGKILLs of the commands and of the monitors
// of running containers. Afterwards: every listing answers with JSON that
// parses, the cleanup commands remove everything, nothing is left (processes,
// mounts, runc state, netns, bridges and iptables rules, locks, names, temp
// files) and `system check` finds nothing (crash-check.ts, shared with the
// failpoint walk).
// By hand: PEAPOD_STORM_SEED=N PEAPOD_STORM_OPS=N (CI: seed 17, 200 ops).
import {expect} from 'chai'
import {existsSync, readdirSync} from 'node:fs'
import path from 'node:path'
import {type Env} from './helpers.js'
import {busyboxEnvs} from './fixtures.js'
import {expectClean, listingsParse, monitorsOf, ok, run, systemCheckClean, type Kind} from './crash-check.js'

const SEED = Number(process.env.PEAPOD_STORM_SEED ?? 17)
const OPS = Number(process.env.PEAPOD_STORM_OPS ?? 200)
const AT_ONCE = 8

/** mulberry32: a small seeded generator; rand(n) is in [0, n). */
function generator(seed: number): (n: number) => number {
  let a = seed >>> 0
  return n => {
    a = (a + 0x6D2B79F5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n)
  }
}

// A stop signal the container answers at once (busybox sh as PID 1 ignores SIGTERM otherwise):
// a graceful `stop` ends in well under its timeout.
const MAIN = ['sh', '-c', "trap 'exit 0' TERM; sleep 1000 & wait"]
const NETS = 2

/** The storm's networks: their own bridge names and subnets (root: host-wide, so unique to this run). */
function netArgs(env: Env, k: number): string[] {
  const tag = process.pid % 10000
  return ['--interface-name', `st${tag}${env.mode === 'root' ? 'r' : 'u'}${k}`, '--subnet', `10.${240 + k}.${tag % 250}.0/24`]
}

type Op = {args: string[]} | {monitorKill: true}

/** One random operation; names come from small pools so that commands collide. `up`: names last seen started. */
function pick(env: Env, rand: (n: number) => number, up: string[]): Op {
  const c = `c${rand(8)}`
  // exec, stop and rm aim at a container last seen started, when there is one
  const live = up.length ? up[rand(up.length)] : c
  const p = `p${rand(3)}`
  const v = `v${rand(3)}`
  const k = rand(NETS)
  const opts = (): string[] => [[], [], ['--network', `n${k}`], ['-v', `${v}:/data`], ['--pod', p]][rand(5)]
  const table: Array<[number, () => Op]> = [
    [6, () => ({args: ['run', '-d', '--name', c, ...opts(), 'bb', ...MAIN]})],
    [2, () => ({args: ['create', '--name', c, ...opts(), 'bb', ...MAIN]})],
    [3, () => ({args: ['start', c]})],
    [2, () => ({args: ['stop', '-t', '2', live]})],
    [2, () => ({args: ['rm', '-f', '-t', '0', live]})],
    [1, () => ({args: ['rm', c]})],
    [5, () => ({args: ['exec', live, 'sh', '-c', 'echo x > /tmp/x; cat /tmp/x']})],
    [1, () => ({args: ['pod', 'create', '--name', p]})],
    [1, () => ({args: ['pod', 'rm', '-f', '-t', '0', p]})],
    [1, () => ({args: ['volume', 'create', v]})],
    [1, () => ({args: ['volume', 'rm', '-f', v]})],
    [1, () => ({args: ['network', 'create', ...netArgs(env, k), `n${k}`]})],
    [1, () => ({args: ['network', 'rm', '-f', `n${k}`]})],
    [1, () => ({args: ['ps', '-a', '--format', 'json']})],
    [1, () => ({args: ['rm', '-af', '-t', '0']})],
    [2, () => ({monitorKill: true})],
  ]
  let r = rand(table.reduce((n, [w]) => n + w, 0))
  for (const [w, f] of table) {
    if (r < w) return f()
    r -= w
  }
  throw new Error('unreachable')
}

interface Tally { ops: number; cliKills: number; monitorKills: number; failed: number; execs: number }

/** The storm on one store: OPS operations, AT_ONCE at a time; a third of the commands are SIGKILLed at a random moment. */
async function storm(env: Env, seed: number, ids: Set<string>): Promise<Tally> {
  const rand = generator(seed)
  const t: Tally = {ops: 0, cliKills: 0, monitorKills: 0, failed: 0, execs: 0}
  // Containers seen in the store (root: none may be left in iptables), polled while the storm runs.
  const dir = path.join(env.root, 'containers')
  const poll = setInterval(() => {
    for (const id of existsSync(dir) ? readdirSync(dir) : []) if (/^[0-9a-f]{64}$/.test(id)) ids.add(id)
  }, 50)
  let next = 0
  const up = new Set<string>()
  try {
    await Promise.all(Array.from({length: AT_ONCE}, async () => {
      for (let i = next++; i < OPS; i = next++) {
        const op = pick(env, rand, [...up])
        t.ops++
        if ('monitorKill' in op) {
          // A monitor of a running container, SIGKILLed (the container's runtime is left behind it)
          const mons = monitorsOf(env)
          if (!mons.length) continue
          try {
            process.kill(mons[rand(mons.length)], 'SIGKILL')
            t.monitorKills++
          } catch {
            // exited meanwhile
          }
          continue
        }
        const kill = rand(3) === 0
        if (kill) t.cliKills++
        const started = Date.now()
        const r = await run(env, op.args, {}, kill ? 50 + rand(1200) : undefined)
        if (r.code !== 0 && !r.signal) t.failed++
        if (r.code === 0 && !r.signal) {
          if (op.args[0] === 'exec') t.execs++
          if (op.args[0] === 'start' || (op.args[0] === 'run' && op.args[1] === '-d')) up.add(op.args[op.args[0] === 'start' ? 1 : 3])
          if (op.args[0] === 'stop' || op.args[0] === 'rm') up.delete(op.args[op.args.length - 1])
          if (op.args[1] === '-af') up.clear()
        }
        // (a container found gone or stopped leaves the started set)
        if (/no such container|state improper/.test(r.stderr) && ['exec', 'stop'].includes(op.args[0])) up.delete(op.args[op.args[0] === 'exec' ? 1 : 3])
        if (process.env.PEAPOD_STORM_VERBOSE) console.log(`      ${env.mode} ${op.args.join(' ')} -> ${r.signal ?? r.code} (${Date.now() - started} ms) ${r.stderr.trim().split('\n')[0] ?? ''}`)
        // A command that ran to the end answers as Podman would: 0, or one `Error:` line (125, or exec's 126/127, rm's 1/2)
        if (!r.signal && r.code !== 0 && r.code !== 137) {
          expect(r.stderr, `${env.mode} ${op.args.join(' ')}`).to.match(/^Error: /m)
        }
        if (op.args[0] === 'ps' && r.code === 0 && !r.signal) expect(() => JSON.parse(r.stdout || '[]'), `${env.mode} ps: ${r.stdout}`).not.to.throw()
      }
    }))
  } finally {
    clearInterval(poll)
  }
  return t
}

describe('storm', function () {
  this.timeout(900_000)
  const envs = busyboxEnvs()

  it(`${OPS} mixed operations, ${AT_ONCE} at a time per mode, with random SIGKILLs of commands and monitors: the store is consistent, nothing left, system check clean`, async function () {
    const t0 = Date.now()
    const kinds = new Set<Kind>(['container', 'pod', 'image', 'volume', 'network'])
    const report: string[] = []
    await Promise.all([...envs.values()].map(async ({env, ct}, i) => {
      const ids = new Set<string>()
      const seed = SEED * 2 + i
      const t = await storm(env, seed, ids)
      const where = `${env.mode} storm (seed ${SEED})`
      await listingsParse(env, kinds, where)
      await expectClean(env, ct, where, {
        kinds: new Set(['container', 'pod', 'volume', 'network']),
        bridges: Array.from({length: NETS}, (_, k) => netArgs(env, k)[1]),
        subnets: Array.from({length: NETS}, (_, k) => netArgs(env, k)[3]),
        ids,
      })
      await systemCheckClean(env, where)
      report.push(`${env.mode}: ${t.ops} ops, ${t.cliKills} command kills, ${t.monitorKills} monitor kills, ${t.failed} refused, ${t.execs} execs, ${ids.size} containers`)
    }))
    for (const line of report) console.log(`      ${line}`)
    console.log(`      storm seed ${SEED}: ${OPS} ops x ${envs.size} modes, ${AT_ONCE} at a time: ${Date.now() - t0} ms`)
    // (the monitors that died are noticed: nothing keeps running without one)
    for (const {env} of envs.values()) expect(monitorsOf(env)).to.deep.equal([])
  })
})
