// A volume as Podman shows it: `volume inspect` JSON (define.InspectVolumeData,
// empty optional fields left out) and the object --format templates see
// (CreatedAt as Go prints a time.Time, maps as Go maps).
import {goMap} from '../format/template.js'
import type {VolumeStore} from './store.js'
import type {VolumeDoc} from './types.js'

/** Go's time.Time.String() of an RFC 3339 time: `2006-01-02 15:04:05.999999999 -0700 MST`. */
export function goTimeString(rfc3339: string): string {
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$/.exec(rfc3339)
  if (!m) return rfc3339
  const zone = m[4] === 'Z' ? '+0000 UTC' : `${m[4].replace(':', '')} ${m[4].replace(':', '')}`
  return `${m[1]} ${m[2]}${m[3] ?? ''} ${zone}`
}

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

/** What `{{.Field}}` sees for a volume (inspect and ls). */
export function volumeTemplateData(store: VolumeStore, v: VolumeDoc): Record<string, unknown> {
  return {
    Name: v.name,
    Driver: v.driver,
    Mountpoint: store.dataDir(v.name),
    CreatedAt: goTimeString(v.createdAt),
    Status: goMap({}),
    Labels: goMap({...v.labels}),
    Scope: 'local',
    Options: goMap(sortKeys(v.options)),
    UID: ownerUid(v),
    GID: ownerGid(v),
    Anonymous: v.anonymous,
    MountCount: v.mountedBy.length,
    NeedsCopyUp: v.needsCopyUp,
    NeedsChown: v.needsChown,
    Timeout: 0,
  }
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
