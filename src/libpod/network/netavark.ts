// netavark through its documented interface: `netavark [--config DIR]
// [--rootless BOOL] [--aardvark-binary PATH] setup|teardown NETNS_PATH`
// with the network options JSON on stdin; setup prints a StatusBlock per
// network. Rootless, it runs inside the shared rootless netns.
import {existsSync, mkdirSync} from 'node:fs'
import path from 'node:path'
import type {Runtime} from '../runtime.js'
import {findBinary, networkSettings} from './config.js'
import {NetworkFailure} from '../define/errors.js'
import {run} from '../util/process.js'
import {HELPER_TIMEOUT, isNsMount} from './netns.js'
import {log} from '../util/log.js'
import type {NetworkDoc, NetworkStatusBlock, PerNetworkOptions, PortMapping} from './types.js'

export interface NetavarkInput {
  container_id: string
  container_name: string
  networks: Record<string, PerNetworkOptions>
  network_info: Record<string, NetworkDoc>
  port_mappings?: PortMapping[]
  dns_servers?: string[]
}

function netavarkCommand(rt: Runtime, verb: 'setup' | 'teardown', netns: string, rootlessNetns?: string): [string, string[]] {
  const netavark = findBinary(rt, 'netavark')
  if (!netavark) throw new NetworkFailure('could not find "netavark" in one of [/usr/local/libexec/podman /usr/local/lib/podman /usr/libexec/podman /usr/lib/podman]: no such file or directory')
  const aardvark = findBinary(rt, 'aardvark-dns')
  const s = networkSettings(rt)
  const args = ['--config', s.runDir, '--rootless', String(rt.config.rootless), ...(aardvark ? ['--aardvark-binary', aardvark] : []), verb, netns]
  if (rootlessNetns) return ['nsenter', [`--net=${rootlessNetns}`, '--', netavark, ...args]]
  return [netavark, args]
}

function failure(e: unknown): NetworkFailure {
  const err = e as {stdout?: string; stderr?: string; message: string}
  let msg = ''
  for (const text of [err.stdout, err.stderr]) {
    if (msg || !text) continue
    try {
      msg = (JSON.parse(text.trim()) as {error?: string}).error ?? ''
    } catch {
      msg = text.split('\n').filter(l => l.trim() && !/syslog/.test(l)).pop() ?? ''
    }
  }
  return new NetworkFailure(`netavark (exit code 1): ${msg || err.message}`.replace(/^netavark \(exit code 1\): netavark/, 'netavark'))
}

/**
 * netavark does not lock the firewall: two at once race on iptables chains
 * ("Chain already exists"). Podman serializes them with a lock in
 * /etc/containers/networks; peapod's stores each have their own network
 * dir, so rootful calls take one lock for the whole host (its firewall is
 * shared), rootless ones a lock per rootless netns (its firewall is its own).
 * flock(1): blocking, woken at once, released by the kernel if we die.
 */
function netavarkLock(rt: Runtime): string {
  if (rt.config.rootless) return path.join(networkSettings(rt).runDir, 'netavark.lock')
  return existsSync('/run/lock') ? '/run/lock/peapod-netavark.flock' : '/tmp/peapod-netavark.flock'
}

async function netavark(rt: Runtime, verb: 'setup' | 'teardown', netns: string, input: NetavarkInput, rootlessNetns?: string): Promise<string> {
  const [file, args] = netavarkCommand(rt, verb, netns, rootlessNetns)
  const lock = netavarkLock(rt)
  mkdirSync(path.dirname(lock), {recursive: true})
  try {
    const {stdout} = await run(['flock', '-o', lock, file, ...args], {input: JSON.stringify(input), timeout: HELPER_TIMEOUT})
    return stdout
  } catch (e) {
    throw failure(e)
  }
}

export async function netavarkSetup(rt: Runtime, netns: string, input: NetavarkInput, rootlessNetns?: string): Promise<Record<string, NetworkStatusBlock>> {
  return JSON.parse(await netavark(rt, 'setup', netns, input, rootlessNetns)) as Record<string, NetworkStatusBlock>
}

/**
 * netavark teardown. With `repair`, also of a setup (or teardown) killed
 * mid-way: netavark 1.4 removes a network's firewall rules and bridge only
 * once it has removed the container's interface, so when that interface was
 * never made (setup killed before it) or is gone already (teardown killed
 * after it), teardown fails and leaves NETAVARK_FORWARD, the NAT chain and
 * the bridge for good (checked here). Then, the netns being still there, a
 * setup completes what was made and a second teardown undoes it whole.
 */
export async function netavarkTeardown(rt: Runtime, netns: string, input: NetavarkInput, rootlessNetns?: string, opts: {repair?: boolean} = {}): Promise<void> {
  try {
    await netavark(rt, 'teardown', netns, input, rootlessNetns)
  } catch (e) {
    if (!opts.repair) throw e
    // no netns (a teardown killed after removing it): nothing of the container's is left to undo
    if (!isNsMount(netns)) return
    log.debug(`netavark teardown of ${input.container_id} failed (${(e as Error).message}): setting up again to tear down whole`)
    await netavark(rt, 'setup', netns, input, rootlessNetns).catch(() => {})
    await netavark(rt, 'teardown', netns, input, rootlessNetns)
  }
}
