// `history`: one row per config history entry, newest first, with the
// layer sizes of the entries that made a layer (Podman's layout).
import type {Runtime} from '../runtime.js'
import {humanSize, timeAgo} from '../util/human.js'
import type {ImageDoc} from './images.js'
import {parseConfig} from './inspect.js'
import {goReporter, goTimeString, goView} from '../format/go-view.js'
import {PODMAN_TYPES} from '../format/podman-types.js'

export interface HistoryRow {
  ID: string
  Created: string
  /** Podman's other name for Created. */
  CreatedSince: string
  CreatedAt: string
  CreatedBy: string
  Size: string
  Comment: string
  Tags: string[]
  json: Record<string, unknown>
}

export function historyRows(rt: Runtime, doc: ImageDoc, opts: {human?: boolean; noTrunc?: boolean}): HistoryRow[] {
  const cfg = parseConfig(doc)
  const history = cfg.history?.length ? cfg.history : doc.layers.map(() => ({created: cfg.created} as NonNullable<typeof cfg.history>[number]))
  const layers = [...doc.layers]
  const rows: HistoryRow[] = []
  history.forEach((h, i) => {
    const layerId = h.empty_layer ? undefined : layers.shift()
    const size = layerId && rt.store.layers.exists(layerId) ? rt.store.layers.get(layerId).size : 0
    const isTop = i === history.length - 1
    const created = new Date(h.created ?? cfg.created ?? doc.added)
    const rfc3339 = created.toISOString().replace(/\.\d+Z$/, 'Z')
    // --human=false: Podman's RFC 3339 time, in whole seconds.
    const shown = opts.human === false ? rfc3339 : timeAgo(created)
    let createdBy = h.created_by ?? ''
    if (!opts.noTrunc && createdBy.length > 45) createdBy = createdBy.slice(0, 42) + '...'
    rows.push({
      ID: isTop ? (opts.noTrunc ? doc.id : doc.id.slice(0, 12)) : '<missing>',
      Created: shown,
      CreatedSince: shown,
      CreatedAt: rfc3339,
      CreatedBy: createdBy,
      Size: opts.human === false ? String(size) : humanSize(size),
      Comment: h.comment ?? '',
      Tags: isTop ? doc.names : [],
      json: {
        id: isTop ? doc.id : '<missing>',
        created: h.created ?? '',
        CreatedBy: h.created_by ?? '',
        size,
        comment: h.comment ?? '',
        ...(isTop && doc.names.length ? {tags: doc.names} : {}),
        Created: created.toISOString().replace(/\.\d+Z$/, 'Z'),
      },
    })
  })
  return rows.reverse()
}

/**
 * What history's templates see for a row: Podman's historyReporter, whose
 * methods (ID, Created, CreatedAt as time.Time prints, CreatedBy, Size) sit
 * over an embedded entities.ImageHistoryLayer (Tags and Comment promoted,
 * `.ImageHistoryLayer.X` the raw layer: full ID, time, size in bytes).
 */
export function historyTemplateRow(row: HistoryRow): Record<string, unknown> {
  const layer = goView(PODMAN_TYPES, 'entities.ImageHistoryLayer', {...row.json, tags: row.Tags})
  const {ID, Created, CreatedSince, CreatedBy, Size, json} = row
  return goReporter('images.historyReporter', {ImageHistoryLayer: layer}, 'ImageHistoryLayer', {ID, Created, CreatedAt: goTimeString(row.CreatedAt), CreatedSince, CreatedBy, Size, json})
}
