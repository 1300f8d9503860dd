// IPAM for netavark networks (netavark leaves it to the caller, as Podman
// does): addresses are handed out while a container's network is up and
// kept in <runRoot>/networks/ipam.json, under a lock. Like Podman's
// host-local allocator, each network goes on from the last address it gave.
import {mkdirSync} from 'node:fs'
import path from 'node:path'
import {InvalidArgument} from '../define/errors.js'
import {readJson, writeJsonAtomic} from '../state/atomic.js'
import {withLock} from '../state/lock.js'
import {contains, formatIp, lastAddr, parseCidr, parseIp} from './ip.js'
import type {NetworkDoc} from './types.js'

interface IpamDb {
  [network: string]: {last?: Record<string, string>; alloc: Record<string, string>}
}

export class Ipam {
  constructor(readonly runDir: string) {}

  private get file(): string {
    return path.join(this.runDir, 'ipam.json')
  }

  private locked<T>(fn: (db: IpamDb) => T): Promise<T> {
    mkdirSync(this.runDir, {recursive: true})
    return withLock(path.join(this.runDir, 'ipam'), () => {
      const db = readJson<IpamDb>(this.file) ?? {}
      const r = fn(db)
      writeJsonAtomic(this.file, db)
      return r
    })
  }

  /**
   * One address per subnet of the network for the container (or the static
   * ones asked for). Returns CIDR-less addresses in subnet order.
   */
  allocate(net: NetworkDoc, containerId: string, staticIps: string[] = []): Promise<string[]> {
    return this.locked(db => {
      const entry = db[net.name] ??= {alloc: {}}
      entry.last ??= {}
      // A container that has addresses already (setup retried) keeps them.
      const mine = Object.entries(entry.alloc).filter(([, id]) => id === containerId).map(([ip]) => ip)
      if (mine.length) return mine
      const out: string[] = []
      for (const s of net.subnets ?? []) {
        const c = parseCidr(s.subnet)
        const wanted = staticIps.find(ip => {
          const p = parseIp(ip)
          return p && contains(c, p.addr, p.v6)
        })
        const gateway = s.gateway ? parseIp(s.gateway)?.addr : undefined
        if (wanted) {
          const owner = entry.alloc[wanted]
          if (owner && owner !== containerId) throw new InvalidArgument(`IPAM error: requested ip address ${wanted} is already allocated to container ID ${owner}`)
          if (parseIp(wanted)!.addr === gateway) throw new InvalidArgument(`IPAM error: requested ip address ${wanted} is the gateway of network ${net.name}`)
          entry.alloc[wanted] = containerId
          out.push(wanted)
          continue
        }
        let first = c.addr + 1n
        let last = c.v6 ? lastAddr(c) : lastAddr(c) - 1n
        if (s.lease_range?.start_ip) first = parseIp(s.lease_range.start_ip)?.addr ?? first
        if (s.lease_range?.end_ip) last = parseIp(s.lease_range.end_ip)?.addr ?? last
        const size = last - first + 1n
        const prev = entry.last[s.subnet] ? parseIp(entry.last[s.subnet])?.addr : undefined
        let start = prev !== undefined && prev >= first && prev < last ? prev + 1n : first
        let found: string | undefined
        for (let i = 0n; i < size && i < 1_000_000n; i++) {
          const a = start + i > last ? start + i - size : start + i
          if (a === gateway) continue
          const ip = formatIp(a, c.v6)
          if (entry.alloc[ip]) continue
          found = ip
          break
        }
        if (!found) throw new InvalidArgument(`IPAM error: failed to find free IP in range: ${s.subnet}`)
        start = 0n
        entry.alloc[found] = containerId
        entry.last[s.subnet] = found
        out.push(found)
      }
      if (staticIps.length && !staticIps.every(ip => out.includes(ip))) {
        const bad = staticIps.find(ip => !out.includes(ip))!
        for (const ip of out) delete entry.alloc[ip]
        throw new InvalidArgument(`requested static ip ${bad} not in any subnet on network ${net.name}`)
      }
      return out
    })
  }

  /** Frees every address the container holds (on all networks, or one). */
  release(containerId: string, network?: string): Promise<void> {
    return this.locked(db => {
      for (const [name, entry] of Object.entries(db)) {
        if (network && name !== network) continue
        for (const [ip, id] of Object.entries(entry.alloc)) if (id === containerId) delete entry.alloc[ip]
      }
    })
  }
}
