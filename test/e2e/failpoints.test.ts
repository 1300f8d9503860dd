// Every failpoint (src/libpod/util/failpoint.ts), root and rootless (the two
// walks run at once): the command is SIGKILLed there; then the listings
// answer with JSON, repeating the command works or gives Podman's error for
// an object that exists (or is gone), the cleanup commands remove
// everything and nothing is left (documents, names, mounts, monitors,
// runtimes, locks, run dirs), and `system check` finds nothing.
// The storm (random kills of concurrent commands and monitors) is storm.test.ts.
import {expect} from 'chai'
import {mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {Containers, Env} from './helpers.js'
import {expectClean, listingsParse, ok, run, systemCheckClean, type Kind} from './crash-check.js'
import {busyboxEnvs} from './fixtures.js'
import {RegistryServer} from './registry-server.js'
import {FAILPOINTS} from '../../src/libpod/util/failpoint.js'

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
  // a host port per run and mode (both walks run at once)
  const port = 30000 + (process.pid % 10000) * 2 + (env?.mode === 'rootless' ? 1 : 0)
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
    // (network-crash.test.ts: these with the host's iptables rules and bridges, and the rootless netns)
    {point: 'network.setup.before-netavark', kind: 'network', setup: [['network', 'create', 'fpn'], ['create', '--name', 'fp', '--network', 'fpn', 'bb', 'sleep', '1000']], cmd: ['start', 'fp']},
    {point: 'network.teardown.after-netavark', kind: 'network', setup: [['network', 'create', 'fpn'], ['run', '-d', '--name', 'fp', '--network', 'fpn', 'bb', 'sleep', '1000']], cmd: ['rm', '-f', '-t', '0', 'fp']},
    {point: 'network.slirp.after-spawn', kind: 'container', setup: [['create', '--name', 'fp', '--network', 'slirp4netns', 'bb', 'sleep', '1000']], cmd: ['start', 'fp']},
    {point: 'network.portfwd.after-listen', kind: 'container', setup: [['create', '--name', 'fp', '--network', 'slirp4netns', '-p', `${port}:80`, 'bb', 'sleep', '1000']], cmd: ['start', 'fp']},
    {point: 'build.run.after-start', kind: 'image', cmd: ['build', '-q', '-t', 'fpb', ctx]},
    {point: 'build.run.after-layer', kind: 'image', cmd: ['build', '-q', '--no-cache', '-t', 'fpb', ctx]},
    {point: 'build.step.after-commit', kind: 'image', cmd: ['build', '-q', '--no-cache', '-t', 'fpb', ctx]},
  ]
}

/** One failpoint: crash, invariants, cleanup (throws on the first broken invariant). */
async function walkOne(env: Env, ct: Containers, c: Case): Promise<void> {
  const where = `${env.mode} ${c.point}`
  for (const s of c.setup ?? []) await ok(env, s)
  const r = await run(env, c.cmd, {PEAPOD_FAILPOINT: c.point})
  expect(r.signal === 'SIGKILL' || r.code === 137 || r.code === 128, `${where}: not killed there (exit ${r.code}): ${r.stderr}`).to.equal(true)
  await listingsParse(env, new Set<Kind>(['container', c.kind]), where)
  const again = await run(env, c.cmd)
  if (again.code !== 0) {
    expect(again.code, `${where}: repeated: ${again.stderr}`).to.be.oneOf([1, 125])
    expect(again.stderr.trim(), `${where}: repeated`).to.match(/^Error: .*(already|in use|not known|no such|exists)/)
  }
  await expectClean(env, ct, where, {kinds: new Set(['container', c.kind]), networks: c.kind === 'network' ? ['fpn', 'fpn2'] : undefined})
}

describe('failpoints', function () {
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
})
