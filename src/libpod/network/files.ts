// /etc/hosts and /etc/resolv.conf of a container as Podman 4.3 writes them:
// hosts = --add-host entries, the host's /etc/hosts, host.containers.internal,
// then the container's address with its hostname and name; resolv.conf =
// the network's DNS servers (slirp4netns's 10.0.2.3, aardvark-dns) before
// the host's, or --dns/--dns-search/--dns-option instead.
import {copyFileSync, existsSync, readFileSync, writeFileSync} from 'node:fs'
import type {ContainerNetworkOptions} from './types.js'
import type {FullNetworkState} from './state.js'

interface Resolv { nameservers: string[]; search: string[]; options: string[] }

function parseResolv(text: string): Resolv {
  const r: Resolv = {nameservers: [], search: [], options: []}
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/)
    if (f[0] === 'nameserver' && f[1]) r.nameservers.push(f[1])
    else if (f[0] === 'search' || f[0] === 'domain') r.search = f.slice(1)
    else if (f[0] === 'options') r.options.push(...f.slice(1))
  }
  return r
}

function hostResolv(): Resolv {
  for (const f of ['/etc/resolv.conf', '/run/systemd/resolve/resolv.conf']) {
    try {
      const r = parseResolv(readFileSync(f, 'utf8'))
      // A loopback resolver (systemd-resolved's stub) is unreachable from another netns.
      const usable = r.nameservers.filter(n => !/^(127\.|::1$)/.test(n))
      if (usable.length || !r.nameservers.length) return {...r, nameservers: usable}
    } catch {
      // try the next one
    }
  }
  return {nameservers: [], search: [], options: []}
}

export function resolvConfText(st: FullNetworkState, o: ContainerNetworkOptions): string {
  const host = hostResolv()
  let nameservers: string[]
  const own = st.dnsServers ?? []
  if (o.dns?.length) nameservers = o.dns[0] === 'none' ? [] : [...(st.mode === 'bridge' ? own : []), ...o.dns]
  else nameservers = [...own, ...host.nameservers]
  // Podman falls back to Google's servers when nothing usable is left.
  if (!nameservers.length && !o.dns?.length) nameservers = ['8.8.8.8', '8.8.4.4']
  let search = [...st.dnsSearch ?? [], ...host.search]
  if (o.dnsSearch?.length) search = o.dnsSearch.includes('.') ? [] : [...st.dnsSearch ?? [], ...o.dnsSearch]
  const options = o.dnsOptions?.length ? o.dnsOptions : host.options
  const lines: string[] = []
  if (search.length) lines.push(`search ${[...new Set(search)].join(' ')}`)
  for (const n of [...new Set(nameservers)]) lines.push(`nameserver ${n}`)
  if (options.length) lines.push(`options ${options.join(' ')}`)
  return lines.join('\n') + '\n'
}

export function hostsText(st: FullNetworkState, o: ContainerNetworkOptions, hostname: string, name: string): string {
  const lines: string[] = []
  for (const h of o.addHosts ?? []) {
    const i = h.indexOf(':')
    lines.push(`${h.slice(i + 1).replace(/^\[|\]$/g, '')}\t${h.slice(0, i)}`)
  }
  let base = ''
  try {
    base = readFileSync('/etc/hosts', 'utf8')
  } catch {
    base = '127.0.0.1\tlocalhost\n::1\tlocalhost\n'
  }
  // Podman rewrites the host's entries with a tab between address and names.
  for (const l of base.split('\n')) {
    const t = l.trim()
    if (!t || t.startsWith('#')) continue
    const [addr, ...names] = t.split(/\s+/)
    lines.push(`${addr}\t${names.join(' ')}`)
  }
  if (st.hostIp && !lines.some(l => /\shost\.containers\.internal(\s|$)/.test(l))) lines.push(`${st.hostIp}\thost.containers.internal`)
  if (!st.host) lines.push(`${st.address ?? '127.0.0.1'}\t${hostname} ${name}`)
  return lines.join('\n') + '\n'
}

/**
 * Writes the container's hosts and resolv.conf for its network (over what
 * the generic writer put there). Returns the files to bind-mount: none for
 * --no-hosts, no resolv.conf for --network none (as Podman).
 */
export function writeNetworkFiles(st: FullNetworkState, o: ContainerNetworkOptions, files: {hosts: string; resolvConf: string},
  hostname: string, name: string, joined?: {hosts: string; resolvConf: string}): {hosts?: string; resolvConf?: string} {
  // container:ID shares the other container's files, as Podman does.
  if (joined && existsSync(joined.hosts)) {
    copyFileSync(joined.hosts, files.hosts)
    if (existsSync(joined.resolvConf)) copyFileSync(joined.resolvConf, files.resolvConf)
    return {hosts: o.noHosts ? undefined : files.hosts, resolvConf: existsSync(joined.resolvConf) ? files.resolvConf : undefined}
  }
  if (!o.noHosts) writeFileSync(files.hosts, hostsText(st, o, hostname, name))
  const none = st.mode === 'none' || st.mode === ''
  if (st.host && !o.dns?.length && !o.dnsSearch?.length && !o.dnsOptions?.length) {
    try {
      copyFileSync('/etc/resolv.conf', files.resolvConf)
    } catch {
      writeFileSync(files.resolvConf, '')
    }
  } else if (!none || o.dns?.length) {
    writeFileSync(files.resolvConf, resolvConfText(st, o))
  }
  return {hosts: o.noHosts ? undefined : files.hosts, resolvConf: none && !o.dns?.length ? undefined : files.resolvConf}
}
