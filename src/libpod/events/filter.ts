// `events --filter` as Podman 4.3.1 (libpod/events/filters.go): filters of
// the same key are ORed, different keys ANDed.
import {InvalidArgument} from '../define/errors.js'
import {labelMatches} from '../util/filters.js'
import type {EngineEvent} from './types.js'

export type EventPredicate = (e: EngineEvent) => boolean

const byIdOrName = (type: string, v: string): EventPredicate => e =>
  e.Type === type && (e.Name === v || Boolean(e.ID?.startsWith(v)))

/** One filter's predicate (key case-insensitive, as Podman's). */
function predicate(key: string, value: string): EventPredicate {
  switch (key.toUpperCase()) {
    case 'CONTAINER': return byIdOrName('container', value)
    case 'EVENT':
    case 'STATUS': return e => e.Status === value || (value === 'die' && e.Status === 'died')
    case 'IMAGE': return e => e.Type === 'image' ? e.Name === value || Boolean(e.ID?.startsWith(value)) : e.Image === value
    case 'POD': return byIdOrName('pod', value)
    case 'VOLUME': return e => e.Type === 'volume' && e.Name.startsWith(value)
    case 'NETWORK': return e => e.Type === 'network' && (e.Network === value || Boolean(e.ID?.startsWith(value)))
    case 'TYPE': return e => e.Type === value
    case 'LABEL': return e => labelMatches(e.Attributes ?? undefined, value)
    default: throw new InvalidArgument(`${key.toLowerCase()} is an invalid filter`)
  }
}

/** Parses `key=value` filters into one predicate. */
export function eventFilter(filters: readonly string[]): EventPredicate {
  const groups = new Map<string, EventPredicate[]>()
  for (const f of filters) {
    const eq = f.indexOf('=')
    if (eq <= 0) throw new InvalidArgument(`${f} is an invalid filter`)
    const key = f.slice(0, eq).toUpperCase()
    const list = groups.get(key) ?? []
    list.push(predicate(key, f.slice(eq + 1)))
    groups.set(key, list)
  }
  return e => [...groups.values()].every(ps => ps.some(p => p(e)))
}
