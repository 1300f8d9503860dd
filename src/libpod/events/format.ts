// How `events` prints an event: Podman's human-readable line
// (Event.ToHumanReadable) and the value its --format templates see.
import {goMap} from '../format/template.js'
import type {EngineEvent} from './types.js'

/** Go's time.Time String() of an RFC 3339 UTC time: 2006-01-02 15:04:05.999999999 +0000 UTC. */
export function goTimeOf(t: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d+)?Z$/.exec(t)
  if (!m) return t
  const frac = (m[3] ?? '').replace(/0+$/, '')
  return `${m[1]} ${m[2]}${frac === '.' ? '' : frac} +0000 UTC`
}

/** The line `podman events` prints by default. */
export function humanReadable(e: EngineEvent, truncate: boolean): string {
  const id = truncate && e.ID ? e.ID.slice(0, 12) : e.ID ?? ''
  const time = goTimeOf(e.Time)
  switch (e.Type) {
    case 'container':
    case 'pod': {
      let s = `${time} ${e.Type} ${e.Status} ${id} (image=${e.Image ?? ''}, name=${e.Name}`
      if (e.PodID) s += `, pod_id=${e.PodID}`
      if (e.HealthStatus) s += `, health_status=${e.HealthStatus}`
      for (const [k, v] of Object.entries(e.Attributes ?? {})) s += `, ${k}=${v}`
      return s + ')'
    }
    case 'network': return `${time} ${e.Type} ${e.Status} ${id} (container=${id}, name=${e.Network ?? ''})`
    case 'image': return `${time} ${e.Type} ${e.Status} ${id} ${e.Name}`
    case 'system': return e.Name ? `${time} ${e.Type} ${e.Status} ${e.Name}` : `${time} ${e.Type} ${e.Status}`
    default: return `${time} ${e.Type} ${e.Status} ${e.Name}`
  }
}

/** The struct a --format template sees: every field of Podman's Event, Time as Go prints it. */
export function templateData(e: EngineEvent, truncate: boolean): Record<string, unknown> {
  return {
    ContainerExitCode: e.ContainerExitCode ?? 0,
    ID: truncate && e.ID ? e.ID.slice(0, 12) : e.ID ?? '',
    Image: e.Image ?? '',
    Name: e.Name,
    Network: e.Network ?? '',
    Status: e.Status,
    Time: goTimeOf(e.Time),
    Type: e.Type,
    HealthStatus: e.HealthStatus ?? '',
    PodID: e.PodID ?? '',
    Attributes: goMap({...e.Attributes ?? {}}),
    Details: {PodID: e.PodID ?? '', Attributes: goMap({...e.Attributes ?? {}})},
  }
}
