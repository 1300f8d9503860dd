// `volume ls --filter` (and prune's): values of one key are alternatives,
// different keys must all match, as in Podman.
import {InvalidArgument} from '../define/errors.js'
import type {Runtime} from '../runtime.js'
import type {VolumeDoc} from './types.js'
import {usedVolumes} from './usage.js'
import {labelMatches} from '../util/filters.js'
import {parseTime} from '../util/time.js'

export type VolumeFilters = Map<string, string[]>

const LS_KEYS = ['name', 'driver', 'scope', 'label', 'label!', 'opt', 'dangling', 'until']

export function parseVolumeFilters(filters: readonly string[], allowed: readonly string[] = LS_KEYS): VolumeFilters {
  const out: VolumeFilters = new Map()
  for (const f of filters) {
    const eq = f.indexOf('=')
    if (eq <= 0) throw new InvalidArgument(`filter input must be in the form of filter=value: ${f} is invalid`)
    const key = f.slice(0, eq)
    const value = f.slice(eq + 1)
    if (!allowed.includes(key)) throw new InvalidArgument(`${JSON.stringify(key)} is an invalid volume filter`)
    if (key === 'dangling' && !['true', 'false', '1', '0'].includes(value.toLowerCase())) {
      throw new InvalidArgument(`${JSON.stringify(value)} is not a valid value for the "dangling" filter - must be true or false`)
    }
    if (key === 'until') parseTime(value)
    if (key === 'name') {
      try {
        new RegExp(value)
      } catch {
        throw new InvalidArgument(`invalid name filter ${JSON.stringify(value)}: not a valid regular expression`)
      }
    }
    out.set(key, [...(out.get(key) ?? []), value])
  }
  return out
}

export function matchVolumeFilters(v: VolumeDoc, filters: VolumeFilters, used: Set<string>): boolean {
  for (const [key, values] of filters) {
    const any = (pred: (x: string) => boolean) => values.some(pred)
    let ok: boolean
    switch (key) {
      case 'name': ok = any(x => new RegExp(x).test(v.name)); break
      case 'driver': ok = any(x => x === v.driver); break
      case 'scope': ok = any(x => x === 'local'); break
      case 'label': ok = any(x => labelMatches(v.labels, x)); break
      case 'label!': ok = !any(x => labelMatches(v.labels, x)); break
      case 'opt': ok = any(x => labelMatches(v.options, x)); break
      case 'dangling': ok = any(x => (['true', '1'].includes(x.toLowerCase()) ? !used.has(v.name) : used.has(v.name))); break
      case 'until': ok = any(x => Date.parse(v.createdAt) < parseTime(x)); break
      default: ok = false
    }
    if (!ok) return false
  }
  return true
}

/** Volumes for `volume ls`, filtered, by name. */
export function listVolumes(rt: Runtime, filters: readonly string[] = []): VolumeDoc[] {
  const parsed = parseVolumeFilters(filters)
  const all = rt.volumes.list()
  if (parsed.size === 0) return all
  const used = parsed.has('dangling') ? usedVolumes(rt) : new Set<string>()
  return all.filter(v => matchVolumeFilters(v, parsed, used))
}
