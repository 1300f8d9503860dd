// Image references with containers-transports(5) prefixes, as Podman names
// them: docker://NAME, oci:DIR[:REF], oci-archive:FILE[:REF],
// docker-archive:FILE[:REF], dir:DIR, containers-storage:NAME. A name with
// no known transport is a registry (docker) reference.
import {InvalidArgument} from '../define/errors.js'

export type TransportRef =
  | {transport: 'docker'; name: string}
  | {transport: 'oci' | 'oci-archive' | 'docker-archive'; path: string; ref?: string}
  | {transport: 'dir'; path: string}
  | {transport: 'containers-storage'; name: string}

const KNOWN = ['docker', 'oci', 'oci-archive', 'docker-archive', 'dir', 'containers-storage', 'docker-daemon', 'sif', 'tarball', 'ostree']

/** The transport prefix of s, if it has a known one. */
export function transportOf(s: string): string | undefined {
  const m = /^([a-z-]+):/.exec(s)
  return m && KNOWN.includes(m[1]) ? m[1] : undefined
}

export function parseTransport(s: string): TransportRef {
  const t = transportOf(s)
  if (!t) return {transport: 'docker', name: s}
  const rest = s.slice(t.length + 1)
  switch (t) {
    case 'docker':
      if (!rest.startsWith('//')) throw new InvalidArgument(`invalid image reference "${s}": docker: image reference ${rest} does not start with "//"`)
      return {transport: 'docker', name: rest.slice(2)}
    case 'oci': case 'oci-archive': case 'docker-archive': {
      // path[:reference]; the path may not contain a colon (as containers/image splits it).
      const colon = rest.indexOf(':')
      const p = colon < 0 ? rest : rest.slice(0, colon)
      const ref = colon < 0 ? undefined : rest.slice(colon + 1)
      if (!p) throw new InvalidArgument(`invalid image reference "${s}": no path given`)
      return {transport: t, path: p, ref: ref || undefined}
    }
    case 'dir':
      if (!rest) throw new InvalidArgument(`invalid image reference "${s}": no path given`)
      return {transport: 'dir', path: rest}
    case 'containers-storage':
      return {transport: 'containers-storage', name: rest.replace(/^\[[^\]]*\]/, '')}
    default:
      throw new InvalidArgument(`invalid image reference "${s}": the ${t} transport is not supported by peapod`)
  }
}

export function transportString(r: TransportRef): string {
  switch (r.transport) {
    case 'docker': return `docker://${r.name}`
    case 'dir': return `dir:${r.path}`
    case 'containers-storage': return `containers-storage:${r.name}`
    default: return `${r.transport}:${r.path}${r.ref ? ':' + r.ref : ''}`
  }
}
