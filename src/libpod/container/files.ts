// The per-container files bind-mounted into it: /etc/hosts, /etc/hostname,
// /etc/resolv.conf and /run/.containerenv, written as Podman writes them.
import {readFileSync, writeFileSync} from 'node:fs'
import type {ContainerConfig} from './types.js'
import type {ContainerPaths} from './paths.js'

/** The container's hostname: --hostname, else the short ID (host network: the host's). */
export function containerHostname(c: ContainerConfig, hostHostname: string): string {
  if (c.hostname) return c.hostname
  if (c.network === 'host') return hostHostname
  return c.id.slice(0, 12)
}

function hostResolvConf(): string {
  try {
    const text = readFileSync('/etc/resolv.conf', 'utf8')
    // A loopback resolver (systemd-resolved's stub) is unreachable from another netns.
    return text.split('\n').filter(l => !/^\s*nameserver\s+(127\.|::1)/.test(l)).join('\n')
  } catch {
    return ''
  }
}

export function writeContainerFiles(c: ContainerConfig, p: ContainerPaths, hostname: string, rootless: boolean): void {
  const hosts = c.network === 'host'
    ? readFileSync('/etc/hosts', 'utf8')
    : `127.0.0.1\tlocalhost localhost.localdomain localhost4 localhost4.localdomain4\n::1\tlocalhost localhost.localdomain localhost6 localhost6.localdomain6\n`
  writeFileSync(p.hosts, `${hosts}${hosts.endsWith('\n') ? '' : '\n'}127.0.1.1\t${hostname} ${c.name}\n`)
  writeFileSync(p.hostname, `${hostname}\n`)
  writeFileSync(p.resolvConf, hostResolvConf().replace(/\n*$/, '\n'))
  writeFileSync(p.containerEnv, [
    'engine="peapod"',
    `name="${c.name}"`,
    `id="${c.id}"`,
    `image="${c.imageName}"`,
    `imageid="${c.imageId}"`,
    `rootless=${rootless ? 1 : 0}`,
    '',
  ].join('\n'))
}
