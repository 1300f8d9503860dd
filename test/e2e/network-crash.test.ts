// Network setups and teardowns killed mid-way (what the storm, storm.test.ts,
// leaked): the container's later rm -f / rm -af undoes whatever was made —
// root: no iptables rule naming the network's subnet or the container, no
// bridge; rootless: no slirp4netns, no rootless netns — and `system check`
// finds nothing.
import {expect} from 'chai'
import {execFileSync} from 'node:child_process'
import {existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {Env, freePort, processes, waitUntil, type Mode, type Result} from './helpers.js'
import {busyboxEnvs} from './fixtures.js'

/** SIGKILL shows as no status (128) from spawnSync, or 137 through a parent. */
function crash(env: Env, point: string, args: string[]): void {
  const r: Result = env.run(args, {env: {PEAPOD_FAILPOINT: point}})
  expect(r.code === 128 || r.code === 137, `${point}: ${args.join(' ')} was not killed there (exit ${r.code}): ${r.stderr}`).to.equal(true)
}

/** This run's own network (root: bridge names and subnets are host-wide). */
function netArgs(k: number): {name: string; bridge: string; subnet: string; args: string[]} {
  const tag = process.pid % 10000
  const bridge = `nc${tag}x${k}`
  const subnet = `10.238.${(tag * 4 + k) % 250}.0/24`
  return {name: `ncn${k}`, bridge, subnet, args: ['network', 'create', '--interface-name', bridge, '--subnet', subnet, `ncn${k}`]}
}

/** Root: iptables lines naming `words`, and whether `bridge` is still a link. */
function hostLeft(words: string[], bridge: string): {rules: string[]; bridge: boolean} {
  const rules = execFileSync('iptables-save', {encoding: 'utf8'}).split('\n').filter(l => words.some(w => l.includes(w)))
  const links = execFileSync('ip', ['-o', 'link'], {encoding: 'utf8'}).split('\n').map(l => l.split(':')[1]?.trim().split('@')[0])
  return {rules, bridge: links.includes(bridge)}
}

/** slirp4netns processes of this store. */
function slirps(env: Env): string[] {
  return processes().filter(p => p.cmdline.includes(env.dir) && /slirp4netns/.test(p.cmdline)).map(p => p.cmdline)
}

function ls(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : []
}

/** Nothing of the network left in the store's run dir; `system check` clean. */
function storeClean(env: Env): void {
  const nets = path.join(env.runroot, 'networks')
  expect(ls(path.join(nets, 'containers')), 'network states').to.deep.equal([])
  expect(ls(path.join(env.runroot, 'netns')), 'netns').to.deep.equal([])
  expect(existsSync(path.join(nets, 'rootless-netns', 'netns')), 'rootless netns').to.equal(false)
  const check = env.run(['system', 'check'])
  expect(check.stdout + check.stderr, 'system check').to.equal('')
}

describe('network setup and teardown killed mid-way', function () {
  this.timeout(300_000)
  const envs = busyboxEnvs()

  it('root: a teardown killed inside netavark (the interface gone, the network\'s rules and bridge kept): rm -f removes them', async function () {
    const e = envs.get('root')
    if (!e) this.skip()
    const {env} = e!
    const n = netArgs(0)
    env.ok(n.args)
    const id = env.ok(['run', '-d', '--name', 'half', '--network', n.name, 'bb', 'sleep', '1000']).trim()
    expect(hostLeft([n.subnet], n.bridge).rules, 'rules while it runs').not.to.deep.equal([])
    // netavark 1.4 removes the container's interface first, the firewall rules after: killed in
    // between, this is what it leaves (and a later teardown failed on the missing interface).
    execFileSync('nsenter', [`--net=${path.join(env.runroot, 'netns', `netns-${id}`)}`, 'ip', 'link', 'del', 'eth0'])
    env.ok(['rm', '-f', '-t', '0', 'half'])
    expect(hostLeft([n.subnet, id], n.bridge)).to.deep.equal({rules: [], bridge: false})
    env.ok(['network', 'rm', n.name])
    storeClean(env)
  })

  it('root: a network state kept by a failed teardown, its container gone since: system check reports it, --repair tears it down', async function () {
    const e = envs.get('root')
    if (!e) this.skip()
    const {env} = e!
    const id = 'e'.repeat(64)
    const netns = path.join(env.runroot, 'netns', `netns-${id}`)
    const state = path.join(env.runroot, 'networks', 'containers', `${id}.json`)
    mkdirSync(path.dirname(netns), {recursive: true})
    mkdirSync(path.dirname(state), {recursive: true})
    writeFileSync(netns, '')
    execFileSync('unshare', [`--net=${netns}`, 'true'])
    writeFileSync(state, JSON.stringify({containerId: id, mode: 'slirp4netns', ports: [], netns, nsPath: netns}))
    const check = env.run(['system', 'check'])
    expect(check.code).to.equal(125)
    expect(check.stdout).to.equal(`network set up for a container that is gone: ${id}\n`)
    expect(env.ok(['system', 'check', '--repair'])).to.equal(`Repaired network set up for a container that is gone: ${id}\n`)
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.to.include(netns)
    storeClean(env)
  })

  for (const mode of ['root', 'rootless'] as Mode[]) {
    it(`${mode}: a start killed before netavark ran, an rm killed after it: the next rm -f leaves no rule, bridge or state`, async function () {
      const e = envs.get(mode)
      if (!e) this.skip()
      const {env} = e!
      const n = netArgs(mode === 'root' ? 1 : 2)
      env.ok(n.args)
      const a = env.ok(['create', '--name', 'nb', '--network', n.name, 'bb', 'sleep', '1000']).trim()
      crash(env, 'network.setup.before-netavark', ['start', 'nb'])
      env.ok(['rm', '-f', '-t', '0', 'nb'])
      const b = env.ok(['run', '-d', '--name', 'na', '--network', n.name, 'bb', 'sleep', '1000']).trim()
      crash(env, 'network.teardown.after-netavark', ['rm', '-f', '-t', '0', 'na'])
      // the state outlives the killed rm: the next one finishes the teardown
      expect(ls(path.join(env.runroot, 'networks', 'containers'))).to.deep.equal([`${b}.json`])
      env.ok(['rm', '-f', '-t', '0', 'na'])
      if (mode === 'root') expect(hostLeft([n.subnet, a, b], n.bridge)).to.deep.equal({rules: [], bridge: false})
      env.ok(['network', 'rm', n.name])
      storeClean(env)
    })

    it(`${mode}: a start killed right after spawning slirp4netns (its pid written nowhere): rm -af stops it`, async function () {
      const e = envs.get(mode)
      if (!e) this.skip()
      const {env} = e!
      env.ok(['create', '--name', 'sl', '--network', 'slirp4netns', 'bb', 'sleep', '1000'])
      crash(env, 'network.slirp.after-spawn', ['start', 'sl'])
      expect(slirps(env), 'the slirp4netns the killed start left').to.have.length(1)
      env.ok(['rm', '-af', '-t', '0'])
      expect(slirps(env), 'slirp4netns left once rm returned').to.deep.equal([])
      storeClean(env)
    })
  }

  for (const mode of ['root', 'rootless'] as Mode[]) {
    it(`${mode}: a start killed once the port forwarder holds its ports: the forwarder ends, the port is free again`, async function () {
      const e = envs.get(mode)
      if (!e) this.skip()
      const {env} = e!
      const port = await freePort()
      env.ok(['create', '--name', 'pf', '--network', 'slirp4netns', '-p', `${port}:80`, 'bb', 'sleep', '1000'])
      crash(env, 'network.portfwd.after-listen', ['start', 'pf'])
      // nothing recorded its pid: it must end by itself once its parent is gone
      await waitUntil('the forwarder gone', () => !processes().some(p => p.cmdline.includes(env.dir) && p.cmdline.includes('portfwd-child')), 10_000)
      env.ok(['rm', '-af', '-t', '0'])
      env.ok(['run', '-d', '--name', 'pf2', '--network', 'slirp4netns', '-p', `${port}:80`, 'bb', 'sleep', '1000'])
      env.ok(['rm', '-af', '-t', '0'])
      expect(slirps(env)).to.deep.equal([])
      storeClean(env)
    })
  }

  it('rootless: a start killed while the rootless netns\'s slirp4netns starts: rm -af stops it and removes the netns', async function () {
    const e = envs.get('rootless')
    if (!e) this.skip()
    const {env} = e!
    const n = netArgs(3)
    env.ok(n.args)
    env.ok(['create', '--name', 'rl', '--network', n.name, 'bb', 'sleep', '1000'])
    crash(env, 'network.slirp.after-spawn', ['start', 'rl'])
    expect(slirps(env), 'the rootless netns\'s slirp4netns the killed start left').to.have.length(1)
    env.ok(['rm', '-af', '-t', '0'])
    expect(slirps(env), 'slirp4netns left once rm returned').to.deep.equal([])
    env.ok(['network', 'rm', n.name])
    storeClean(env)
  })
})
