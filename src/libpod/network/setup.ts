// The network side of a container's lifecycle, called by start and cleanup:
// setupContainerNetwork creates the network namespace before the OCI runtime
// starts (the spec then joins it by path) and attaches it — slirp4netns or
// pasta rootless, netavark rootful (and rootless inside the shared rootless
// netns) — publishing ports; teardownContainerNetwork undoes all of it.
// What was set up is kept in <runRoot>/networks/containers/ID.json until
// teardown, so that a cleanup from another process (the monitor's exit
// command) can undo it.
import {existsSync, mkdirSync, readFileSync, rmSync} from 'node:fs'
import {networkInterfaces} from 'node:os'
import path from 'node:path'
import {InvalidArgument, NetworkFailure} from '../define/errors.js'
import type {Runtime} from '../runtime.js'
import {sweepDeadTemps, writeJsonAtomic} from '../state/atomic.js'
import {log} from '../util/log.js'
import {findBinary, networkSettings} from './config.js'
import {parseSlirpOptions, slirpForward, slirpGuestIp, slirpUnforward, startPasta, startSlirp, stopHelper, stopStraySlirp} from './helpers.js'
import {failpoint} from '../util/failpoint.js'
import {Ipam} from './ipam.js'
import {netavarkSetup, netavarkTeardown, type NetavarkInput} from './netavark.js'
import {allNetworkStates, readNetworkState, stateDir, stateFile, type FullNetworkState, type NetConfig} from './state.js'
import {createNetns, removeNetns} from './netns.js'
import {expandPorts, portFree} from './ports.js'
import {startPortForwarder} from './portfwd.js'
import {acquireRootlessNetns, releaseRootlessNetns, rootlessNetnsPath} from './rootless-netns.js'
import type {ContainerNetworkOptions, PortMapping} from './types.js'

export {readNetworkState, type FullNetworkState, type NetConfig}

function helperBase(rt: Runtime, id: string): string {
  // Unix socket paths are limited to 108 bytes: short names.
  return path.join(networkSettings(rt).runDir, 'h', id.slice(0, 12))
}

export function netnsFile(rt: Runtime, id: string): string {
  return path.join(rt.config.runRoot, 'netns', `netns-${id}`)
}

/** The host's first non-loopback IPv4 address (host.containers.internal, pasta's container address). */
export function hostIpv4(): string | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address
  }
  return undefined
}

/** Ports published by other containers of this store that are up. */
function portsTaken(rt: Runtime, id: string): PortMapping[] {
  return allNetworkStates(rt).filter(s => s.containerId !== id && rt.containers.read(s.containerId)).flatMap(s => s.ports)
}

async function checkPorts(rt: Runtime, id: string, ports: PortMapping[]): Promise<void> {
  const busy = new Set(expandPorts(portsTaken(rt, id)).map(p => `${p.protocol}:${p.host_port}`))
  for (const p of expandPorts(ports)) {
    for (const proto of p.protocol.split(',')) {
      if (busy.has(`${proto}:${p.host_port}`) || !await portFree({...p, protocol: proto})) {
        throw new InvalidArgument(`${rt.config.rootless ? 'rootlessport ' : ''}listen ${proto} ${p.host_ip || '0.0.0.0'}:${p.host_port}: bind: address already in use`)
      }
    }
  }
}

/** The namespace of a running container whose network another one joins (container:ID). */
function joinedNamespace(rt: Runtime, ref: string): {nsPath?: string; host?: boolean} {
  const other = rt.containers.read(ref)
  if (!other) throw new InvalidArgument(`container ${ref} not found: no such container`)
  if (other.config.network === 'host') return {host: true}
  const st = readNetworkState(rt, other.config.id)
  if (st?.nsPath) return {nsPath: st.nsPath}
  if (other.state.status !== 'running' && other.state.status !== 'paused' || !other.state.pid) {
    throw new InvalidArgument(`cannot join network namespace of container ${other.config.id}: container is not running: container state improper`)
  }
  return {nsPath: `/proc/${other.state.pid}/ns/net`}
}

/**
 * Sets up the container's network before its runtime starts. Returns the
 * namespace the spec must join (`ns:PATH`), or host. On failure nothing is
 * left behind (no netns, helper, rule or address).
 */
export async function setupContainerNetwork(rt: Runtime, c: NetConfig, opts: {userns?: string} = {}): Promise<FullNetworkState> {
  const mode = c.network
  const o = c.networkOptions ?? {}
  const st: FullNetworkState = {containerId: c.id, mode, ports: [], hostIp: hostIpv4()}
  if (mode === 'host') return {...st, host: true}
  if (mode === 'none' || mode === '' || mode === 'private') return {...st, address: '127.0.0.1'}
  if (mode.startsWith('ns:')) return {...st, nsPath: mode.slice(3)}
  if (mode.startsWith('container:')) return {...st, ...joinedNamespace(rt, mode.slice('container:'.length))}
  if (!['slirp4netns', 'pasta', 'bridge'].includes(mode)) throw new InvalidArgument(`unknown network mode ${mode}`)
  log.debug(`Setting up ${mode} network for container ${c.id}`)

  // Leftovers of a setup that never got torn down (a crash): undo them first.
  if (existsSync(stateFile(rt, c.id))) await teardownContainerNetwork(rt, c.id).catch(e => log.debug(`teardown of leftovers of ${c.id}: ${(e as Error).message}`))
  const ports = o.ports ?? []
  await checkPorts(rt, c.id, ports)
  mkdirSync(stateDir(rt), {recursive: true})
  const netns = netnsFile(rt, c.id)
  st.netns = netns
  st.nsPath = netns
  st.ports = ports
  // Written before anything is set up, so that teardown finds whatever gets done.
  writeJsonAtomic(stateFile(rt, c.id), st)
  try {
    // a container with its own user namespace gets a netns it owns (exec joins both)
    await createNetns(netns, opts.userns)
    log.debug(`Made network namespace at ${netns} for container ${c.id}`)
    if (mode === 'slirp4netns') await setupSlirp(rt, c, st, o)
    else if (mode === 'pasta') await setupPasta(rt, c, st, o)
    else await setupBridge(rt, c, st, o)
    writeJsonAtomic(stateFile(rt, c.id), st)
    return st
  } catch (e) {
    writeJsonAtomic(stateFile(rt, c.id), st)
    await teardownContainerNetwork(rt, c.id).catch(() => {})
    throw e
  }
}

async function setupSlirp(rt: Runtime, c: NetConfig, st: FullNetworkState, o: ContainerNetworkOptions): Promise<void> {
  const bin = findBinary(rt, 'slirp4netns')
  if (!bin) throw new NetworkFailure('could not find slirp4netns, the network namespace can\'t be configured: no such file or directory')
  const opts = parseSlirpOptions(o.modeOptions ?? [])
  const base = helperBase(rt, c.id)
  mkdirSync(path.dirname(base), {recursive: true})
  st.helperApiSocket = `${base}.sock`
  st.helperPid = await startSlirp(bin, st.netns!, st.helperApiSocket, `${base}.log`, opts, `${base}.pid`)
  writeJsonAtomic(stateFile(rt, c.id), st)
  st.address = slirpGuestIp(opts)
  if (st.ports.length) {
    // TCP through the forwarder (as Podman's rootlessport), unless port_handler=slirp4netns; UDP through slirp4netns.
    const viaSlirp = opts.portHandler === 'slirp4netns' ? st.ports : st.ports.filter(p => p.protocol !== 'tcp')
    if (viaSlirp.length) await slirpForward(st.helperApiSocket, viaSlirp)
    if (opts.portHandler === 'rootlessport') {
      st.forwarderPid = await startPortForwarder(st.netns!, c.id, st.ports, st.address, `${base}.log`)
      writeJsonAtomic(stateFile(rt, c.id), st)
    }
  }
  st.dnsServers = [opts.cidr ? `${opts.cidr.split('/')[0].replace(/\.\d+$/, '.3')}` : '10.0.2.3']
  if (opts.allowHostLoopback) st.hostIp = opts.cidr ? opts.cidr.split('/')[0].replace(/\.\d+$/, '.2') : '10.0.2.2'
}

async function setupPasta(rt: Runtime, c: NetConfig, st: FullNetworkState, o: ContainerNetworkOptions): Promise<void> {
  const bin = findBinary(rt, 'pasta')
  if (!bin) throw new NetworkFailure('could not find pasta, the network namespace can\'t be configured: no such file or directory')
  const base = helperBase(rt, c.id)
  mkdirSync(path.dirname(base), {recursive: true})
  st.helperPid = await startPasta(bin, st.netns!, `${base}.pid`, `${base}.log`, st.ports, o.modeOptions ?? [])
  rmSync(`${base}.pid`, {force: true})
  // pasta gives the namespace the host's own address.
  st.address = hostIpv4()
}

async function setupBridge(rt: Runtime, c: NetConfig, st: FullNetworkState, o: ContainerNetworkOptions): Promise<void> {
  const store = rt.networks
  const ipam = new Ipam(networkSettings(rt).runDir)
  const input: NetavarkInput = {container_id: c.id, container_name: c.name, networks: {}, network_info: {}}
  // Recorded before IPAM allocates: teardown releases this container's addresses whatever was allocated.
  st.ips = {}
  writeJsonAtomic(stateFile(rt, c.id), st)
  const wanted = o.networks ?? {[networkSettings(rt).defaultNetwork]: {interface_name: 'eth0'}}
  for (const [name, per] of Object.entries(wanted)) {
    const doc = store.get(name)
    // Static addresses must be inside the network; otherwise IPAM picks.
    const ips = doc.subnets?.length ? await ipam.allocate(doc, c.id, per.static_ips ?? []) : []
    st.ips[doc.name] = ips
    writeJsonAtomic(stateFile(rt, c.id), st)
    input.networks[doc.name] = {
      ...per,
      // Resolvable by its name (netavark adds it), its aliases and its short ID, as in Podman.
      aliases: [...new Set([...per.aliases ?? [], c.id.slice(0, 12)])],
      ...(ips.length ? {static_ips: ips} : {}),
    }
    input.network_info[doc.name] = doc
  }
  if (st.ports.length) {
    // Rootless: TCP goes through the forwarder straight to the container; UDP is brought by
    // slirp4netns to the same port in the rootless netns, where netavark's DNAT does the rest.
    const mapped = rt.config.rootless ? st.ports.filter(p => p.protocol !== 'tcp').map(p => ({...p, host_ip: ''})) : st.ports
    if (mapped.length) input.port_mappings = mapped
  }
  if (o.dns?.length && o.dns[0] !== 'none') input.dns_servers = o.dns
  if (rt.config.rootless) {
    // Recorded before it is joined: a start killed while the rootless netns and its slirp4netns were
    // being made leaves their release to this container's teardown (the last user out removes them).
    st.rootlessNetns = true
    writeJsonAtomic(stateFile(rt, c.id), st)
    const rl = await acquireRootlessNetns(rt, c.id)
    st.rootlessNs = rl.netns
    writeJsonAtomic(stateFile(rt, c.id), st)
    const udp = st.ports.filter(p => p.protocol !== 'tcp')
    if (udp.length) {
      st.hostfwdIds = []
      writeJsonAtomic(stateFile(rt, c.id), st)
      st.hostfwdIds = await slirpForward(rl.apiSocket, udp, undefined, true)
    }
  }
  log.debug(`netavark setup ${st.netns} for networks ${Object.keys(input.networks).join(', ')}${st.rootlessNs ? ` (in the rootless netns ${st.rootlessNs})` : ''}: ${JSON.stringify(input)}`)
  // The input, before netavark runs: teardown runs netavark for a setup killed mid-way (and only then).
  st.netavark = input
  writeJsonAtomic(stateFile(rt, c.id), st)
  failpoint('network.setup.before-netavark')
  st.status = await netavarkSetup(rt, st.netns!, input, st.rootlessNs)
  writeJsonAtomic(stateFile(rt, c.id), st)
  const first = Object.values(st.status)[0]
  const iface = first && Object.values(first.interfaces ?? {})[0]
  st.address = iface?.subnets?.[0]?.ipnet.split('/')[0]
  if (st.rootlessNs && st.address && st.ports.length) {
    st.forwarderPid = await startPortForwarder(st.rootlessNs, c.id, st.ports, st.address, `${helperBase(rt, c.id)}.log`)
    writeJsonAtomic(stateFile(rt, c.id), st)
  }
  st.dnsServers = Object.values(st.status).flatMap(s => s.dns_server_ips ?? [])
  st.dnsSearch = [...new Set(Object.values(st.status).flatMap(s => s.dns_search_domains ?? []))]
  // Rootful, the host is reachable at the bridge's gateway.
  if (!rt.config.rootless && iface?.subnets?.[0]?.gateway) st.hostIp = iface.subnets[0].gateway
}

function pidFromFile(file: string): number | undefined {
  try {
    return Number(readFileSync(file, 'utf8').trim()) || undefined
  } catch {
    return undefined
  }
}

/**
 * Undoes setupContainerNetwork: stops the helper, tears netavark's setup
 * down, frees addresses and forwarded ports, removes the netns, then the
 * state. Idempotent, from whatever state a setup or teardown killed mid-way
 * wrote; each step is tried even when one fails, but a failed netavark
 * teardown keeps the netns and the state (and throws) so that it is retried.
 */
export async function teardownContainerNetwork(rt: Runtime, id: string): Promise<void> {
  const file = stateFile(rt, id)
  sweepDeadTemps(path.dirname(file), path.basename(file))
  const st = readNetworkState(rt, id)
  if (!st) return
  log.debug(`Tearing down ${st.mode} network of container ${id}`)
  // Best effort, step by step: one failing step must not keep the others from running.
  const step = (fn: () => Promise<unknown>) => fn().catch(() => {})
  if (st.forwarderPid) await step(() => stopHelper(st.forwarderPid, id))
  // a helper started by a command killed before it recorded the pid: its pid file, else its command line
  const base = helperBase(rt, id)
  const helper = st.helperPid ?? pidFromFile(`${base}.pid`)
  if (helper) await step(() => stopHelper(helper, st.netns ?? ''))
  else if (st.mode === 'slirp4netns' && st.netns) await step(() => stopStraySlirp(st.netns!))
  // Without a status too: a setup killed mid-way may have made the bridge and its firewall rules
  // already, a teardown killed mid-way may have left them (the storm did both); netavarkTeardown
  // repairs and undoes them. Should it fail still, the state and the netns stay for a later teardown
  // (rm, cleanup, start, `rm -a`'s sweep of states whose container is gone): they are the only record.
  if (st.netavark && st.netns) {
    const rlns = st.rootlessNs
    if (!rlns || rootlessNetnsPath(rt) === rlns) await netavarkTeardown(rt, st.netns, st.netavark, rlns, {repair: true})
    failpoint('network.teardown.after-netavark')
  }
  if (st.hostfwdIds?.length) {
    const sock = path.join(networkSettings(rt).runDir, 'rootless-netns', 'slirp.sock')
    await step(() => slirpUnforward(sock, st.hostfwdIds!))
  }
  if (st.ips) await step(() => new Ipam(networkSettings(rt).runDir).release(id))
  if (st.rootlessNetns) await step(() => releaseRootlessNetns(rt, id))
  if (st.netns) await step(() => removeNetns(st.netns!))
  for (const ext of ['.sock', '.log', '.pid']) rmSync(base + ext, {force: true})
  rmSync(file, {force: true})
}

/**
 * The network states of containers that are gone (a teardown that failed
 * keeps its state for a retry), torn down again with `repair` (`rm -a`,
 * `system check --repair`); each with whether it is gone now.
 */
export async function teardownOrphanStates(rt: Runtime, repair = true): Promise<Array<{id: string; repaired: boolean}>> {
  const gone = allNetworkStates(rt).map(s => s.containerId).filter(id => !rt.containers.read(id))
  const out = []
  for (const id of gone) {
    if (repair) await teardownContainerNetwork(rt, id).catch(e => log.debug(`teardown of ${id}: ${(e as Error).message}`))
    out.push({id, repaired: repair && !existsSync(stateFile(rt, id))})
  }
  return out
}
