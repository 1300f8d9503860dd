// `secret ls`: Podman's filters (name, id: regular expressions, as its
// util.StringMatchRegexSlice) and the rows its templates see.
import {InvalidArgument} from '../define/errors.js'
import {timeAgo} from '../util/human.js'
import type {SecretDoc, Secrets} from './secrets.js'

/** A row of `secret ls` (Podman's ListSecretReport fields). */
export interface SecretRow {
  ID: string
  Name: string
  Driver: string
  CreatedAt: string
  UpdatedAt: string
}

function matcher(values: string[]): (s: string) => boolean {
  const res = values.map(v => {
    try {
      return new RegExp(v)
    } catch {
      return new RegExp(v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    }
  })
  return s => res.some(r => r.test(s))
}

/** The secrets that pass every filter (`key=value`; the same key given twice: either value). */
export function filterSecrets(list: SecretDoc[], filters: readonly string[] = []): SecretDoc[] {
  const byKey = new Map<string, string[]>()
  for (const f of filters) {
    const eq = f.indexOf('=')
    const key = eq === -1 ? f : f.slice(0, eq)
    if (eq === -1 || !['name', 'id'].includes(key)) throw new InvalidArgument(`invalid filter ${JSON.stringify(key)}`)
    byKey.set(key, [...byKey.get(key) ?? [], f.slice(eq + 1)])
  }
  const preds = [...byKey].map(([k, v]) => {
    const m = matcher(v)
    return (s: SecretDoc) => m(k === 'name' ? s.name : s.id)
  })
  return list.filter(s => preds.every(p => p(s)))
}

export function secretRows(secrets: Secrets, filters: readonly string[] = [], now = Date.now()): SecretRow[] {
  return filterSecrets(secrets.list(), filters).map(s => ({
    ID: s.id, Name: s.name, Driver: s.driver, CreatedAt: timeAgo(s.createdAt, now), UpdatedAt: timeAgo(s.createdAt, now),
  }))
}

export {goTimeString} from '../format/go-view.js'
