// IP addresses and subnets for IPAM and validation: IPv4 and IPv6 as
// bigints, CIDR parsing, containment and overlap.
import {isIPv4, isIPv6} from 'node:net'
import {InvalidArgument} from '../define/errors.js'

export interface Cidr {
  /** The network address (host bits cleared). */
  addr: bigint
  prefix: number
  v6: boolean
}

export function parseIp(s: string): {addr: bigint; v6: boolean} | undefined {
  if (isIPv4(s)) {
    const n = s.split('.').reduce((a, p) => (a << 8n) | BigInt(Number(p)), 0n)
    return {addr: n, v6: false}
  }
  if (isIPv6(s)) {
    let text = s
    // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two groups.
    const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)
    if (v4) {
      const n = parseIp(v4[1])!.addr
      text = text.slice(0, -v4[1].length) + `${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`
    }
    const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined]
    const h = head ? head.split(':') : []
    const t = tail ? tail.split(':') : []
    const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t]
    return {addr: groups.reduce((a, g) => (a << 16n) | BigInt(parseInt(g || '0', 16)), 0n), v6: true}
  }
  return undefined
}

export function formatIp(addr: bigint, v6: boolean): string {
  if (!v6) return [24n, 16n, 8n, 0n].map(s => String((addr >> s) & 0xffn)).join('.')
  const groups: number[] = []
  for (let i = 7; i >= 0; i--) groups.push(Number((addr >> BigInt(i * 16)) & 0xffffn))
  // The longest run of zero groups (2 or more) becomes '::'.
  let best = -1
  let bestLen = 1
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue }
    let j = i
    while (j < 8 && groups[j] === 0) j++
    if (j - i > bestLen) { best = i; bestLen = j - i }
    i = j
  }
  const hex = groups.map(g => g.toString(16))
  if (best === -1) return hex.join(':')
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`
}

const bits = (v6: boolean) => (v6 ? 128 : 32)

export function mask(prefix: number, v6: boolean): bigint {
  const total = bits(v6)
  return ((1n << BigInt(total)) - 1n) ^ ((1n << BigInt(total - prefix)) - 1n)
}

/** Parses "10.88.0.0/16"; the address is reduced to its network. */
export function parseCidr(s: string): Cidr {
  const slash = s.indexOf('/')
  const ip = slash === -1 ? undefined : parseIp(s.slice(0, slash))
  const prefix = slash === -1 ? NaN : Number(s.slice(slash + 1))
  if (!ip || !/^\d+$/.test(s.slice(slash + 1)) || prefix < 0 || prefix > bits(ip.v6)) throw new InvalidArgument(`invalid CIDR address: ${s}`)
  return {addr: ip.addr & mask(prefix, ip.v6), prefix, v6: ip.v6}
}

export function formatCidr(c: Cidr): string {
  return `${formatIp(c.addr, c.v6)}/${c.prefix}`
}

export function contains(c: Cidr, addr: bigint, v6: boolean): boolean {
  return c.v6 === v6 && (addr & mask(c.prefix, v6)) === c.addr
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  if (a.v6 !== b.v6) return false
  const p = Math.min(a.prefix, b.prefix)
  return (a.addr & mask(p, a.v6)) === (b.addr & mask(p, b.v6))
}

/** The last address of the subnet (its broadcast address for IPv4). */
export function lastAddr(c: Cidr): bigint {
  return c.addr | ((1n << BigInt(bits(c.v6) - c.prefix)) - 1n)
}

/** The addresses of the host's interfaces, as /prefix subnets (for overlap checks). */
export async function hostSubnets(): Promise<Cidr[]> {
  const {networkInterfaces} = await import('node:os')
  const out: Cidr[] = []
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.internal || !a.cidr) continue
      try {
        out.push(parseCidr(a.cidr))
      } catch {
        // scoped IPv6 (fe80::1%eth0/64): not a subnet we could collide with
      }
    }
  }
  return out
}
