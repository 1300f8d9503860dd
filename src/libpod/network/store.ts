// The network config store: one JSON file per network in Podman's netavark
// format (<graphRoot>/networks/NAME.json, as rootless Podman keeps them), so
// that Podman could read the same files. The default network `podman`
// exists without a file, as in Podman (a file of that name overrides it).
import {networkEvent} from '../events/log.js'
import {crypto} from '../util/builtins.js'
import {existsSync, mkdirSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import path from 'node:path'
import {InvalidArgument, NetworkExists, noSuchNetwork} from '../define/errors.js'
import {goNow} from '../image/archive/gojson.js'
import type {Runtime} from '../runtime.js'
import {writeFileAtomic} from '../state/atomic.js'
import {withLock} from '../state/lock.js'
import {networkSettings} from './config.js'
import {contains, formatCidr, formatIp, hostSubnets, lastAddr, overlaps, parseCidr, parseIp, type Cidr} from './ip.js'
import type {NetworkDoc, NetworkSubnet} from './types.js'
import {failpoint} from '../util/failpoint.js'

export const NETWORK_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/

/** Go's json.MarshalIndent(v, "", "     "): Podman writes (and inspects) networks with 5 spaces. */
export function networkJson(v: unknown): string {
  return JSON.stringify(v, null, 5)
}

/** Keys in Podman's order, empty optional ones left out. */
function canonical(d: NetworkDoc): NetworkDoc {
  const out: NetworkDoc = {name: d.name, id: d.id, driver: d.driver} as NetworkDoc
  if (d.network_interface) out.network_interface = d.network_interface
  out.created = d.created
  if (d.subnets?.length) out.subnets = d.subnets
  out.ipv6_enabled = d.ipv6_enabled
  out.internal = d.internal
  out.dns_enabled = d.dns_enabled
  if (d.labels && Object.keys(d.labels).length) out.labels = d.labels
  if (d.options && Object.keys(d.options).length) out.options = d.options
  if (d.ipam_options && Object.keys(d.ipam_options).length) out.ipam_options = d.ipam_options
  return out
}

export interface NetworkCreateOptions {
  name?: string
  driver?: string
  subnets?: string[]
  gateways?: string[]
  ipRanges?: string[]
  internal?: boolean
  disableDns?: boolean
  ipv6?: boolean
  labels?: Record<string, string>
  options?: string[]
  ipamDriver?: string
  /** Podman's --interface-name: the bridge's name. */
  interfaceName?: string
  ignore?: boolean
}

export class NetworkStore {
  readonly dir: string

  constructor(readonly rt: Runtime) {
    this.dir = networkSettings(rt).configDir
  }

  private file(name: string): string {
    return path.join(this.dir, `${name}.json`)
  }

  /** The default network as Podman synthesizes it (ID: sha256 of its name). */
  defaultNetwork(): NetworkDoc {
    const s = networkSettings(this.rt)
    const subnet = parseCidr(s.defaultSubnet)
    return {
      name: s.defaultNetwork,
      id: crypto().createHash('sha256').update(s.defaultNetwork).digest('hex'),
      driver: 'bridge',
      network_interface: 'podman0',
      created: goNow(),
      subnets: [{subnet: formatCidr(subnet), gateway: formatIp(subnet.addr + 1n, subnet.v6)}],
      ipv6_enabled: false,
      internal: false,
      dns_enabled: false,
      ipam_options: {driver: 'host-local'},
    }
  }

  /** All networks, sorted by name (as `network ls`). */
  list(): NetworkDoc[] {
    const out: NetworkDoc[] = []
    let files: string[] = []
    try {
      files = readdirSync(this.dir).filter(f => f.endsWith('.json'))
    } catch {
      // no networks created yet
    }
    for (const f of files) {
      try {
        const doc = JSON.parse(readFileSync(path.join(this.dir, f), 'utf8')) as NetworkDoc
        if (doc && typeof doc.name === 'string') out.push(doc)
      } catch {
        // a broken file is skipped, as Podman warns and goes on
      }
    }
    const def = networkSettings(this.rt).defaultNetwork
    if (!out.some(n => n.name === def)) out.push(this.defaultNetwork())
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  }

  /** By name, full ID or unique ID prefix. */
  find(nameOrId: string): NetworkDoc | undefined {
    const all = this.list()
    const byName = all.find(n => n.name === nameOrId)
    if (byName) return byName
    if (!/^[0-9a-f]+$/.test(nameOrId)) return undefined
    const byId = all.filter(n => n.id.startsWith(nameOrId))
    if (byId.length > 1) throw new InvalidArgument(`more than one result for network ID ${nameOrId}`)
    return byId[0]
  }

  get(nameOrId: string): NetworkDoc {
    const n = this.find(nameOrId)
    if (!n) throw noSuchNetwork(nameOrId)
    return n
  }

  exists(nameOrId: string): boolean {
    try {
      return this.find(nameOrId) !== undefined
    } catch {
      return false
    }
  }

  /** Network config changes (create/rm) happen under this lock. */
  locked<T>(fn: () => Promise<T> | T): Promise<T> {
    mkdirSync(this.dir, {recursive: true})
    return withLock(path.join(this.dir, 'networks'), fn)
  }

  write(doc: NetworkDoc): void {
    mkdirSync(this.dir, {recursive: true})
    writeFileAtomic(this.file(doc.name), networkJson(canonical(doc)) + '\n')
  }

  removeFile(name: string): void {
    rmSync(this.file(name), {force: true})
  }

  hasFile(name: string): boolean {
    return existsSync(this.file(name))
  }

  async create(opts: NetworkCreateOptions): Promise<{doc: NetworkDoc; existed: boolean}> {
    const driver = opts.driver ?? 'bridge'
    if (!['bridge', 'macvlan', 'ipvlan'].includes(driver)) throw new InvalidArgument(`unsupported driver ${driver}: invalid argument`)
    if (opts.name !== undefined && !NETWORK_NAME.test(opts.name)) {
      throw new InvalidArgument(`network name ${opts.name} invalid: names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*: invalid argument`)
    }
    const options = parseNetworkOptions(driver, opts.options ?? [])
    return this.locked(async () => {
      const all = this.list()
      if (opts.name) {
        const existing = all.find(n => n.name === opts.name)
        if (existing) {
          if (opts.ignore) return {doc: existing, existed: true}
          throw new NetworkExists(`network name ${opts.name} already used: network already exists`)
        }
      }
      const name = opts.name ?? nextName(all)
      const doc: NetworkDoc = {
        name,
        id: crypto().randomBytes(32).toString('hex'),
        driver,
        created: goNow(),
        ipv6_enabled: Boolean(opts.ipv6),
        internal: Boolean(opts.internal),
        // Podman: DNS on for bridge networks unless --disable-dns; macvlan never.
        dns_enabled: driver === 'bridge' && !opts.disableDns,
        labels: opts.labels,
        options: options.options,
        ipam_options: {driver: opts.ipamDriver ?? 'host-local'},
      }
      if (driver === 'bridge') {
        doc.network_interface = opts.interfaceName ?? nextBridgeName(all)
        if (all.some(n => n.network_interface === doc.network_interface && n.driver === 'bridge')) {
          throw new InvalidArgument(`bridge name ${doc.network_interface} already in use: invalid argument`)
        }
      } else {
        doc.network_interface = options.parent ?? ''
        if (!doc.network_interface) delete doc.network_interface
      }
      doc.subnets = await subnetsFor(this.rt, opts, all, driver)
      if (doc.subnets.some(s => parseCidr(s.subnet).v6)) doc.ipv6_enabled = true
      if (!doc.subnets.length && driver !== 'bridge' && opts.ipamDriver !== 'none') doc.ipam_options = {driver: 'dhcp'}
      this.write(doc)
      networkEvent(this.rt.config, {id: doc.id, name: '', network: doc.name, status: 'create', driver: doc.driver})
      failpoint('network.create.after-document')
      return {doc: canonical(doc), existed: false}
    })
  }
}

/** -o/--opt for a network: mtu, vlan, parent (macvlan), mode, isolate, metric. */
function parseNetworkOptions(driver: string, list: string[]): {options: Record<string, string>; parent?: string} {
  const options: Record<string, string> = {}
  let parent: string | undefined
  for (const o of list) {
    const eq = o.indexOf('=')
    const k = eq === -1 ? o : o.slice(0, eq)
    const v = eq === -1 ? '' : o.slice(eq + 1)
    switch (k) {
      case 'mtu': case 'vlan': case 'metric':
        if (!/^\d+$/.test(v)) throw new InvalidArgument(`${k} ${JSON.stringify(v)} must be a number: invalid argument`)
        options[k] = v
        break
      case 'isolate':
        if (driver !== 'bridge') throw new InvalidArgument(`unsupported ${driver} network option ${k}`)
        options[k] = v || 'true'
        break
      case 'mode':
        if (driver === 'bridge') throw new InvalidArgument(`unsupported bridge network option ${k}`)
        options[k] = v
        break
      case 'parent':
        if (driver === 'bridge') throw new InvalidArgument(`unsupported bridge network option ${k}`)
        parent = v
        break
      default:
        throw new InvalidArgument(`unsupported ${driver} network option ${k}`)
    }
  }
  return {options, parent}
}

function nextName(all: NetworkDoc[]): string {
  for (let i = 1; ; i++) {
    const n = `podman${i}`
    if (!all.some(d => d.name === n)) return n
  }
}

/** podmanN: not used by another network, nor by an interface on the host. */
function nextBridgeName(all: NetworkDoc[]): string {
  for (let i = 1; ; i++) {
    const n = `podman${i}`
    if (all.some(d => d.network_interface === n)) continue
    if (existsSync(`/sys/class/net/${n}`)) continue
    return n
  }
}

/** The subnets of a new network: checked (--subnet) or picked from the pools. */
async function subnetsFor(rt: Runtime, opts: NetworkCreateOptions, all: NetworkDoc[], driver: string): Promise<NetworkSubnet[]> {
  const used: Cidr[] = []
  for (const n of all) for (const s of n.subnets ?? []) used.push(parseCidr(s.subnet))
  const host = await hostSubnets()
  const gateways = opts.gateways ?? []
  const ranges = opts.ipRanges ?? []
  if (gateways.length > (opts.subnets?.length ?? 0)) throw new InvalidArgument('cannot set more gateways than subnets')
  if (ranges.length > (opts.subnets?.length ?? 0)) throw new InvalidArgument('cannot set more ranges than subnets')
  const out: NetworkSubnet[] = []
  for (const [i, s] of (opts.subnets ?? []).entries()) {
    const c = parseCidr(s)
    if ([...used, ...host].some(u => overlaps(u, c))) throw new InvalidArgument(`subnet ${formatCidr(c)} is already used on the host or by another config`)
    used.push(c)
    const sub: NetworkSubnet = {subnet: formatCidr(c)}
    if (gateways[i]) {
      const g = parseIp(gateways[i])
      if (!g) throw new InvalidArgument(`invalid gateway ${gateways[i]}`)
      if (!contains(c, g.addr, g.v6)) throw new InvalidArgument(`gateway ${gateways[i]} not in subnet ${formatCidr(c)}`)
      sub.gateway = gateways[i]
    } else if (driver === 'bridge') {
      sub.gateway = formatIp(c.addr + 1n, c.v6)
    }
    if (ranges[i]) {
      const r = parseCidr(ranges[i])
      if (!overlaps(r, c) || r.prefix < c.prefix) throw new InvalidArgument(`lease range ${ranges[i]} is not in subnet ${formatCidr(c)}`)
      const start = r.addr === c.addr ? r.addr + 1n : r.addr
      const end = lastAddr(r) === lastAddr(c) && !c.v6 ? lastAddr(r) - 1n : lastAddr(r)
      sub.lease_range = {start_ip: formatIp(start, c.v6), end_ip: formatIp(end, c.v6)}
    }
    out.push(sub)
  }
  const v6 = out.some(s => parseCidr(s.subnet).v6)
  if (!out.filter(s => !parseCidr(s.subnet).v6).length && driver === 'bridge' && !(v6 && opts.subnets?.length)) out.unshift(poolSubnet(rt, used, host))
  // --ipv6 without an IPv6 subnet: a random unique local /64, as Podman does.
  if (opts.ipv6 && !v6) {
    for (let i = 0; i < 100; i++) {
      const c: Cidr = {addr: BigInt('0x' + 'fd' + crypto().randomBytes(7).toString('hex')) << 64n, prefix: 64, v6: true}
      if ([...used, ...host].some(u => overlaps(u, c))) continue
      out.push({subnet: formatCidr(c), gateway: formatIp(c.addr + 1n, true)})
      break
    }
  }
  return out
}

/** No --subnet: the first free /24 of the pools, as Podman picks them. */
function poolSubnet(rt: Runtime, used: Cidr[], host: Cidr[]): NetworkSubnet {
  for (const pool of networkSettings(rt).subnetPools) {
    const base = parseCidr(pool.base)
    const step = 1n << BigInt(32 - pool.size)
    for (let a = base.addr; a + step - 1n <= lastAddr(base); a += step) {
      const c: Cidr = {addr: a, prefix: pool.size, v6: false}
      if ([...used, ...host].some(u => overlaps(u, c))) continue
      return {subnet: formatCidr(c), gateway: formatIp(a + 1n, false)}
    }
  }
  throw new InvalidArgument('could not find free subnet from subnet pools')
}
