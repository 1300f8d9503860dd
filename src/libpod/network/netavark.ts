// netavark through its documented interface: `netavark [--config DIR]
// [--rootless BOOL] [--aardvark-binary PATH] setup|teardown NETNS_PATH`
// with the network options JSON on stdin; setup prints a StatusBlock per
// network. Rootless, it runs inside the shared rootless netns.
import {existsSync} from 'node:fs'
import path from 'node:path'
import type {Runtime} from '../runtime.js'
import {withLock} from '../state/lock.js'
import {findBinary, networkSettings} from './config.js'
import {NetworkFailure} from './errors.js'
import {run} from './netns.js'
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

function failure(verb: string, e: unknown): NetworkFailure {
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
 */
function netavarkLock(rt: Runtime): string {
  if (rt.config.rootless) return path.join(networkSettings(rt).runDir, 'netavark')
  return existsSync('/run/lock') ? '/run/lock/peapod-netavark' : '/tmp/peapod-netavark'
}

export async function netavarkSetup(rt: Runtime, netns: string, input: NetavarkInput, rootlessNetns?: string): Promise<Record<string, NetworkStatusBlock>> {
  const [file, args] = netavarkCommand(rt, 'setup', netns, rootlessNetns)
  return withLock(netavarkLock(rt), async () => {
    try {
      const {stdout} = await run(file, args, {input: JSON.stringify(input)})
      return JSON.parse(stdout) as Record<string, NetworkStatusBlock>
    } catch (e) {
      throw failure('setup', e)
    }
  })
}

export async function netavarkTeardown(rt: Runtime, netns: string, input: NetavarkInput, rootlessNetns?: string): Promise<void> {
  const [file, args] = netavarkCommand(rt, 'teardown', netns, rootlessNetns)
  await withLock(netavarkLock(rt), async () => {
    try {
      await run(file, args, {input: JSON.stringify(input)})
    } catch (e) {
      throw failure('teardown', e)
    }
  })
}
