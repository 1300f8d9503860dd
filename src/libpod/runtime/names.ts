// The names shell completion offers (`peapod __complete`), as Podman's
// completion functions list them: containers and pods by name (an infra
// container described by its pod), IDs once the word typed is an ID prefix
// of 3+ characters, images by full name or the short name without
// "localhost/" or a registry, volumes, networks (the default one too) and
// secrets. Reads state documents only: completion must be fast and change nothing.
import {podStatusOf} from '../define/state.js'
import type {Runtime} from '../runtime.js'

export type NameKind = 'container' | 'pod' | 'image' | 'volume' | 'network' | 'secret'

/** A completion: the word and an optional description. */
export type Candidate = [string, string?]

export interface NameQuery {
  kind: NameKind
  /** The word typed so far. */
  prefix: string
  /** Containers (their status) or pods (the pod's, lowercase: 'running', 'degraded') only in these statuses (e.g. stop: running ones). */
  statuses?: string[]
  /** Short IDs only (whatever was typed: a filter's id=), or names only. */
  match?: 'ids' | 'names'
}

const ID_MIN = 3

function byPrefix(out: Candidate[], prefix: string, name: string, description?: string): void {
  if (name.startsWith(prefix) && !out.some(c => c[0] === name)) out.push(description === undefined ? [name] : [name, description])
}

/** The candidates of one kind starting with `prefix`. */
export function completionNames(rt: Runtime, q: NameQuery): Candidate[] {
  const out: Candidate[] = []
  const ids = q.match === 'ids' || (q.match !== 'names' && q.prefix.length >= ID_MIN && /^[0-9a-f]+$/.test(q.prefix))
  const names = q.match !== 'ids'
  const byName = (prefix: string, name: string, description?: string) => names && byPrefix(out, prefix, name, description)
  switch (q.kind) {
    case 'container': {
      const pods = new Map(rt.pods.list().map(p => [p.id, p.name]))
      for (const c of rt.containers.list()) {
        if (c.state.status === 'removing') continue
        if (q.statuses && !q.statuses.includes(c.state.status)) continue
        const pod = c.config.isInfra && c.config.pod ? pods.get(c.config.pod) : undefined
        byName(q.prefix, c.config.name, pod)
        if (ids) byPrefix(out, q.prefix, c.config.id.slice(0, 12), pod)
      }
      break
    }
    case 'pod': {
      // the pod's status from its members' recorded states (no runtime query)
      const members = new Map<string, string[]>()
      if (q.statuses) for (const c of rt.containers.list()) if (c.config.pod) members.set(c.config.pod, [...members.get(c.config.pod) ?? [], c.state.status])
      for (const p of rt.pods.list()) {
        if (q.statuses && !q.statuses.includes(podStatusOf(members.get(p.id) ?? []).toLowerCase())) continue
        byName(q.prefix, p.name)
        if (ids) byPrefix(out, q.prefix, p.id.slice(0, 12))
      }
      break
    }
    case 'image':
      for (const img of rt.listImages()) {
        for (const n of img.names) {
          if (!q.prefix) byPrefix(out, '', n)
          else {
            byPrefix(out, q.prefix, n)
            // "bb" completes localhost/bb:latest as bb:latest, as Podman does.
            const short = n.slice(n.indexOf('/') + 1)
            if (n.includes('/')) byPrefix(out, q.prefix, short)
          }
        }
        if (ids) byPrefix(out, q.prefix, img.id.slice(0, 12))
      }
      break
    case 'volume':
      for (const v of rt.volumes.list()) byPrefix(out, q.prefix, v.name)
      break
    case 'network':
      for (const n of rt.networks.list()) {
        byName(q.prefix, n.name)
        if (ids) byPrefix(out, q.prefix, n.id.slice(0, 12))
      }
      break
    case 'secret':
      for (const s of rt.secrets.list()) {
        byName(q.prefix, s.name)
        if (ids) byPrefix(out, q.prefix, s.id.slice(0, 12))
      }
      break
  }
  return out
}
