// pod create's flags that have a syntax of their own (--share, --exit-policy).
import {InvalidArgument} from '../libpod/define/errors.js'
import {DEFAULT_SHARE} from '../libpod/specgen/pod.js'
import {SHAREABLE, type ExitPolicy, type SharedNamespace} from '../libpod/pod/types.js'

/** --share as Podman reads it: a list, `+list` (added to the default), or none/''; absent: undefined (the default). */
export function parseShare(v: string | undefined): SharedNamespace[] | undefined {
  if (v === undefined) return undefined
  const add = v.startsWith('+')
  const out = new Set<SharedNamespace>(add ? DEFAULT_SHARE : [])
  for (const ns of (add ? v.slice(1) : v).split(',').map(s => s.trim()).filter(Boolean)) {
    if (ns === 'none') continue
    if (!(SHAREABLE as readonly string[]).includes(ns)) throw new InvalidArgument(`invalid kernel namespace to share: ${ns}. Options are: cgroup, ipc, net, pid, uts or none`)
    out.add(ns as SharedNamespace)
  }
  return SHAREABLE.filter(ns => out.has(ns))
}

export function parseExitPolicy(v: string | undefined): ExitPolicy {
  if (v === undefined || v === 'continue') return 'continue'
  if (v === 'stop') return 'stop'
  throw new InvalidArgument(`invalid pod exit policy: "${v}"`)
}
