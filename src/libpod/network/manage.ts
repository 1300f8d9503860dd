// Network commands' engine side: list with filters, remove (the Runtime
// removes the containers using it for -f), prune, connect/disconnect (live for running
// containers through netavark), reload (re-applies netavark's setup).
import {networkEvent} from '../events/log.js'
import {InvalidArgument, NetworkInUse, noSuchNetwork} from '../define/errors.js'
import type {Runtime} from '../runtime.js'
import {writeJsonAtomic} from '../state/atomic.js'
import type {Container} from '../container/types.js'
import {isActive} from '../define/state.js'
import {labelMatches} from '../util/filters.js'
import {parseTime} from '../util/time.js'
import {networkSettings} from './config.js'
import {Ipam} from './ipam.js'
import {netavarkSetup, netavarkTeardown, type NetavarkInput} from './netavark.js'
import {MAC} from './options.js'
import {readNetworkState, type NetConfig} from './state.js'
import type {NetworkDoc, PerNetworkOptions} from './types.js'
import path from 'node:path'
import {failpoint} from '../util/failpoint.js'

/** Containers whose config names the network. */
export function networkUsers(rt: Runtime, name: string, all: Container[] = rt.containers.list()): Container[] {
  return all.filter(c => (c.config as NetConfig).networkOptions?.networks?.[name] !== undefined ||
    // containers from before network options: the bridge mode meant the default network
    (c.config.network === 'bridge' && !(c.config as NetConfig).networkOptions?.networks && name === networkSettings(rt).defaultNetwork))
}

const LS_FILTERS = ['name', 'id', 'driver', 'label', 'label!', 'until', 'dangling']

export function filterNetworks(rt: Runtime, list: NetworkDoc[], filters: readonly string[], allowed = LS_FILTERS): NetworkDoc[] {
  const parsed = new Map<string, string[]>()
  for (const f of filters) {
    const eq = f.indexOf('=')
    if (eq <= 0) throw new InvalidArgument(`filter input must be in the form of filter=value: ${f} is invalid`)
    const key = f.slice(0, eq)
    if (!allowed.includes(key)) throw new InvalidArgument(`invalid filter ${JSON.stringify(key)}`)
    parsed.set(key, [...parsed.get(key) ?? [], f.slice(eq + 1)])
  }
  if (!parsed.size) return list
  const containers = rt.containers.list()
  return list.filter(n => {
    for (const [key, values] of parsed) {
      const ok = (() => {
        switch (key) {
          case 'name': return values.some(v => new RegExp(v).test(n.name))
          case 'id': return values.some(v => n.id.startsWith(v))
          case 'driver': return values.includes(n.driver)
          case 'label': return values.every(v => labelMatches(n.labels, v))
          case 'label!': return values.every(v => !labelMatches(n.labels, v))
          case 'until': return values.every(v => Date.parse(n.created) < parseTime(v))
          case 'dangling': {
            const used = networkUsers(rt, n.name, containers).length > 0
            return values.some(v => (['true', '1'].includes(v.toLowerCase()) ? !used : used))
          }
          default: return true
        }
      })()
      if (!ok) return false
    }
    return true
  })
}

/** Why a network cannot go: the default one, or one that containers use. */
export function checkRemovable(rt: Runtime, doc: NetworkDoc, users = networkUsers(rt, doc.name)): void {
  if (doc.name === networkSettings(rt).defaultNetwork) throw new InvalidArgument(`default network ${doc.name} cannot be removed`)
  if (users.length) {
    throw new NetworkInUse(`${JSON.stringify(doc.name)} has associated containers with it. Use -f to forcibly delete containers and pods: network is being used`)
  }
}

/**
 * `network rm` of a network no container uses. With -f the Runtime removes
 * its containers first (src/libpod/runtime/networks.ts).
 */
export async function removeNetwork(rt: Runtime, nameOrId: string): Promise<string> {
  const store = rt.networks
  const doc = store.get(nameOrId)
  checkRemovable(rt, doc)
  await store.locked(() => {
    if (!store.hasFile(doc.name)) throw noSuchNetwork(nameOrId)
    store.removeFile(doc.name)
  })
  networkEvent(rt.config, {id: doc.id, name: '', network: doc.name, status: 'remove', driver: doc.driver})
  return doc.name
}

/** `network prune`: every network no container uses, but the default one. */
export async function pruneNetworks(rt: Runtime, filters: readonly string[] = []): Promise<string[]> {
  const store = rt.networks
  const def = networkSettings(rt).defaultNetwork
  const containers = rt.containers.list()
  const candidates = filterNetworks(rt, store.list(), filters, ['label', 'label!', 'until'])
    .filter(n => n.name !== def && networkUsers(rt, n.name, containers).length === 0)
  const removed: string[] = []
  for (const n of candidates) {
    await store.locked(() => {
      if (!store.hasFile(n.name)) return
      store.removeFile(n.name)
      networkEvent(rt.config, {id: n.id, name: '', network: n.name, status: 'remove', driver: n.driver})
      removed.push(n.name)
    })
  }
  return removed
}

function stateFile(rt: Runtime, id: string): string {
  return path.join(networkSettings(rt).runDir, 'containers', `${id}.json`)
}

/** Brings one more network up in a running container's netns (netavark takes a subset). */
async function attachLive(rt: Runtime, c: NetConfig, doc: NetworkDoc, per: PerNetworkOptions): Promise<void> {
  const st = readNetworkState(rt, c.id)
  if (!st?.netns || !st.netavark) return
  const ipam = new Ipam(networkSettings(rt).runDir)
  const ips = doc.subnets?.length ? await ipam.allocate(doc, c.id, per.static_ips ?? []) : []
  const input: NetavarkInput = {
    container_id: c.id, container_name: c.name,
    networks: {[doc.name]: {...per, aliases: [...new Set([...per.aliases ?? [], c.id.slice(0, 12)])], ...(ips.length ? {static_ips: ips} : {})}},
    network_info: {[doc.name]: doc},
  }
  // Recorded before netavark runs: the container's teardown undoes a setup killed mid-way.
  st.netavark.networks[doc.name] = input.networks[doc.name]
  st.netavark.network_info[doc.name] = doc
  st.ips = {...st.ips, [doc.name]: ips}
  writeJsonAtomic(stateFile(rt, c.id), st)
  let status
  try {
    status = await netavarkSetup(rt, st.netns, input, st.rootlessNs)
  } catch (e) {
    await netavarkTeardown(rt, st.netns, input, st.rootlessNs).catch(() => {})
    await ipam.release(c.id, doc.name)
    delete st.netavark.networks[doc.name]
    delete st.netavark.network_info[doc.name]
    delete st.ips[doc.name]
    writeJsonAtomic(stateFile(rt, c.id), st)
    throw e
  }
  st.status = {...st.status, ...status}
  writeJsonAtomic(stateFile(rt, c.id), st)
}

async function detachLive(rt: Runtime, c: NetConfig, name: string): Promise<void> {
  const st = readNetworkState(rt, c.id)
  if (!st?.netns || !st.netavark?.networks[name]) return
  const input: NetavarkInput = {
    container_id: c.id, container_name: c.name,
    networks: {[name]: st.netavark.networks[name]}, network_info: {[name]: st.netavark.network_info[name]},
  }
  await netavarkTeardown(rt, st.netns, input, st.rootlessNs, {repair: true})
  await new Ipam(networkSettings(rt).runDir).release(c.id, name)
  delete st.netavark.networks[name]
  delete st.netavark.network_info[name]
  if (st.status) delete st.status[name]
  if (st.ips) delete st.ips[name]
  writeJsonAtomic(stateFile(rt, c.id), st)
}

function bridgeOnly(c: NetConfig): void {
  if (c.network !== 'bridge') throw new InvalidArgument(`${JSON.stringify(c.network.split(':')[0])} is not supported: invalid network mode`)
}

export interface ConnectOptions { aliases?: string[]; ip?: string; ip6?: string; mac?: string }

/** `network connect`: kept in the container's config; live when it runs. */
export async function connectNetwork(rt: Runtime, network: string, container: string, opts: ConnectOptions = {}): Promise<void> {
  const doc = rt.networks.get(network)
  const id = rt.containers.lookup(container).config.id
  if (opts.mac && !MAC.test(opts.mac)) throw new InvalidArgument(`address ${opts.mac}: invalid MAC address`)
  await rt.containers.locked(id, async () => {
    const cur = rt.containers.read(id)
    if (!cur) throw new InvalidArgument(`no container with name or ID "${container}" found: no such container`)
    const cfg = cur.config as NetConfig
    bridgeOnly(cfg)
    const networks = {...cfg.networkOptions?.networks ?? {}}
    if (networks[doc.name]) throw new InvalidArgument(`container ${id} is already connected to network ${JSON.stringify(doc.name)}: network is already connected`)
    const used = new Set(Object.values(networks).map(n => n.interface_name))
    let i = 0
    while (used.has(`eth${i}`)) i++
    const per: PerNetworkOptions = {interface_name: `eth${i}`}
    if (opts.aliases?.length) per.aliases = opts.aliases
    const ips = [opts.ip, opts.ip6].filter((x): x is string => Boolean(x))
    if (ips.length) per.static_ips = ips
    if (opts.mac) per.static_mac = opts.mac.toLowerCase()
    if (isActive(cur.state.status)) await attachLive(rt, cfg, doc, per)
    failpoint('network.connect.after-setup')
    networks[doc.name] = per
    rt.containers.writeConfig({...cfg, networkOptions: {...cfg.networkOptions, networks}} as NetConfig)
    networkEvent(rt.config, {id, name: cfg.name, network: doc.name, status: 'connect'})
  })
}

/** `network disconnect`. */
export async function disconnectNetwork(rt: Runtime, network: string, container: string): Promise<void> {
  const doc = rt.networks.get(network)
  const id = rt.containers.lookup(container).config.id
  await rt.containers.locked(id, async () => {
    const cur = rt.containers.read(id)
    if (!cur) throw new InvalidArgument(`no container with name or ID "${container}" found: no such container`)
    const cfg = cur.config as NetConfig
    bridgeOnly(cfg)
    const networks = {...cfg.networkOptions?.networks ?? {}}
    if (!networks[doc.name]) throw new InvalidArgument(`container ${id} is not connected to network ${doc.name}: network is not connected`)
    if (isActive(cur.state.status)) await detachLive(rt, cfg, doc.name)
    delete networks[doc.name]
    rt.containers.writeConfig({...cfg, networkOptions: {...cfg.networkOptions, networks}} as NetConfig)
    networkEvent(rt.config, {id, name: cfg.name, network: doc.name, status: 'disconnect'})
  })
}

/**
 * `network reload`: re-applies netavark's setup (firewall rules lost to an
 * iptables flush) for running containers, keeping their addresses and MACs.
 */
export async function reloadNetworks(rt: Runtime, containers: string[], all: boolean): Promise<{reloaded: string[]; errors: Error[]}> {
  const targets = all ? rt.containers.list().map(c => c.config.id) : containers.map(n => rt.containers.lookup(n).config.id)
  const reloaded: string[] = []
  const errors: Error[] = []
  for (const id of targets) {
    try {
      await rt.containers.locked(id, async () => {
        const cur = rt.containers.read(id)
        if (!cur) return
        if (!isActive(cur.state.status)) {
          if (all) return
          throw new InvalidArgument(`container ${id} is not running: container state improper`)
        }
        const st = readNetworkState(rt, id)
        if (st?.netavark && st.netns && st.status) {
          const input: NetavarkInput = JSON.parse(JSON.stringify(st.netavark))
          for (const [name, per] of Object.entries(input.networks)) {
            const mac = Object.values(st.status[name]?.interfaces ?? {})[0]?.mac_address
            if (mac) per.static_mac = mac
          }
          await netavarkTeardown(rt, st.netns, input, st.rootlessNs).catch(() => {})
          st.status = await netavarkSetup(rt, st.netns, input, st.rootlessNs)
          writeJsonAtomic(stateFile(rt, id), st)
        }
        reloaded.push(id)
      })
    } catch (e) {
      errors.push(e as Error)
    }
  }
  return {reloaded, errors}
}
