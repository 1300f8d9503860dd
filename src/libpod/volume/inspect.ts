// A volume as Podman shows it: `volume inspect` JSON (define.InspectVolumeData,
// empty optional fields left out) and the object --format templates see
// (CreatedAt as Go prints a time.Time, maps as Go maps).
import {goView} from '../format/go-view.js'
import {PODMAN_TYPES} from '../format/podman-types.js'
import type {VolumeStore} from './store.js'
import type {VolumeDoc} from './types.js'

export {goTimeString} from '../format/go-view.js'

function ownerUid(v: VolumeDoc): number {
  return v.uid ?? v.uidChowned ?? 0
}

function ownerGid(v: VolumeDoc): number {
  return v.gid ?? v.gidChowned ?? 0
}

/** `volume inspect` JSON for one volume, keys in Podman's order. */
export function inspectVolume(store: VolumeStore, v: VolumeDoc): Record<string, unknown> {
  const out: Record<string, unknown> = {
    Name: v.name,
    Driver: v.driver,
    Mountpoint: store.dataDir(v.name),
    CreatedAt: v.createdAt,
    Labels: v.labels,
    Scope: 'local',
    Options: sortKeys(v.options),
  }
  if (ownerUid(v)) out.UID = ownerUid(v)
  if (ownerGid(v)) out.GID = ownerGid(v)
  if (v.anonymous) out.Anonymous = true
  out.MountCount = v.mountedBy.length
  if (v.needsCopyUp) out.NeedsCopyUp = true
  if (v.needsChown) out.NeedsChown = true
  return out
}

/**
 * What `{{.Field}}` sees for a volume: Podman's VolumeInspectReport (inspect)
 * or VolumeListReport (ls), both over define.InspectVolumeData.
 */
export function volumeTemplateData(store: VolumeStore, v: VolumeDoc, type: 'entities.VolumeInspectReport' | 'entities.VolumeListReport' = 'entities.VolumeInspectReport'): Record<string, unknown> {
  return goView(PODMAN_TYPES, type, inspectVolume(store, v))
}

function sortKeys(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

/**
 * `volume ls --format json`: Podman's two-space indent, where an empty map
 * prints as an open brace, a line of spaces and a close brace.
 */
export function volumeListJson(rows: unknown[]): string {
  return JSON.stringify(rows, null, 2)
    .split('\n')
    .map(line => {
      const m = /^(\s*)(.*)\{\}(,?)$/.exec(line)
      return m ? `${m[1]}${m[2]}{\n${m[1]}  \n${m[1]}}${m[3]}` : line
    })
    .join('\n')
}
