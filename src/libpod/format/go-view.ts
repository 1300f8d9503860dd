// What Podman's --format templates see is its Go structs, not its JSON: every
// field is there (JSON leaves `omitempty` ones out), named as in Go (JSON
// sometimes spells them otherwise), with Go's zero value when unset: "" 0
// false, nil slices and maps that print as [] and map[], nil pointers as
// <nil>, times as time.Time prints. A view builds that struct from the JSON
// document peapod makes for `inspect` (or from a list row), by a table of the
// structs' fields and Go types (Podman 4.3.1's, read with {{printf "%T" .F}}).
//
// A table entry is "Field=type" per field in declaration order. `Field@key`
// reads the JSON key `key`; `Field()` is a method (found by templates but not
// printed as part of the struct). A field named like its struct type is an
// embedded struct: it reads the same document, and its fields are promoted.
// The json function on a view writes the JSON it was made from.
import {goMap, goNil, goNilPointer} from './template.js'

export type GoTypes = Readonly<Record<string, string>>

interface Field {name: string; key: string; type: string; method: boolean}

/** A time.Time: prints as Go's String() does, and as RFC 3339 in the json function. */
class GoTime {
  constructor(private readonly rfc3339: string) {}
  get [Symbol.toStringTag](): string {
    return 'time.Time'
  }
  toString(): string {
    return goTimeString(this.rfc3339)
  }
  toJSON(): string {
    return this.rfc3339
  }
}

/** Go's time.Time String() of an RFC 3339 time: `2006-01-02 15:04:05.999999999 -0700 MST`. */
export function goTimeString(rfc3339: string): string {
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$/.exec(rfc3339)
  if (!m) return rfc3339
  const zone = m[4] === 'Z' ? '+0000 UTC' : `${m[4].replace(':', '')} ${m[4].replace(':', '')}`
  return `${m[1]} ${m[2]}${m[3] ?? ''} ${zone}`
}

const parsed = new WeakMap<GoTypes, Map<string, Field[]>>()

function fieldsOf(types: GoTypes, type: string): Field[] | undefined {
  let cache = parsed.get(types)
  if (!cache) parsed.set(types, (cache = new Map()))
  let fields = cache.get(type)
  if (!fields && types[type] !== undefined) {
    fields = types[type]!.split(' ').filter(Boolean).map(entry => {
      const eq = entry.indexOf('=')
      const m = /^(\w+)(\(\))?(?:@(\w+))?$/.exec(entry.slice(0, eq))!
      return {name: m[1]!, method: Boolean(m[2]), key: m[3] ?? m[1]!, type: entry.slice(eq + 1)}
    })
    cache.set(type, fields)
  }
  return fields
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)

/** The value a template sees for a JSON value `v` of Go type `type`. */
function view(types: GoTypes, v: unknown, type: string): unknown {
  if (type.startsWith('*')) {
    const elem = type.slice(1)
    return v === undefined || v === null ? goNilPointer(elem) : view(types, v, elem)
  }
  if (type.startsWith('[]')) {
    if (!Array.isArray(v)) return goNil([])
    const elem = type.slice(2)
    return fieldsOf(types, elem.replace(/^\*/, '')) ? v.map(x => view(types, x, elem)) : v
  }
  if (type.startsWith('map[')) return isRecord(v) ? goMap({...v}) : goNil(goMap({}))
  if (type === 'string') return v === undefined || v === null ? '' : v
  if (type === 'bool') return v ?? false
  if (/^u?int\d*$/.test(type)) return v ?? 0
  if (type === 'time.Time') return new GoTime(typeof v === 'string' ? v : '0001-01-01T00:00:00Z')
  if (type === 'net.IP') return v || goNilPointer(type) // a nil slice, printed <nil> by its String()
  if (fieldsOf(types, type)) return struct(types, isRecord(v) ? v : {}, type)
  return v ?? null
}

/** The struct `type` over the JSON object doc; embedded structs read doc too. */
function struct(types: GoTypes, doc: Record<string, unknown>, type: string): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  const promoted: [string, unknown][] = []
  Object.defineProperty(out, Symbol.toStringTag, {value: type.replace(/^\*/, ''), enumerable: false})
  // The json function writes what Podman's does: the JSON document, not the Go view.
  Object.defineProperty(out, 'toJSON', {value: () => doc, enumerable: false})
  for (const f of fieldsOf(types, type)!) {
    const embedded = f.name === f.type.replace(/^\*?\w+\./, '') && fieldsOf(types, f.type.replace(/^\*/, '')) !== undefined
    const value = embedded ? view(types, doc, f.type) : view(types, doc[f.key] ?? (f.key === 'ID' ? doc.Id : undefined), f.type)
    if (f.method) Object.defineProperty(out, f.name, {value, enumerable: false, configurable: true})
    else out[f.name] = value
    if (embedded && isRecord(value)) for (const k of Object.getOwnPropertyNames(value)) promoted.push([k, value[k]])
  }
  for (const [k, value] of promoted) if (!Object.hasOwn(out, k)) Object.defineProperty(out, k, {value, enumerable: false, configurable: true})
  return out
}

/**
 * The Go struct `type` (a key of `types`) a template sees for the JSON
 * document `doc`. Podman's templates accept `.Id` for `.ID`: so does the view.
 */
export function goView(types: GoTypes, type: string, doc: unknown): Record<string, unknown> {
  const out = struct(types, isRecord(doc) ? doc : {}, type)
  if (Object.hasOwn(out, 'ID') && !('Id' in out)) Object.defineProperty(out, 'Id', {value: out.ID, enumerable: false})
  return out
}

/**
 * A Podman list reporter as its templates see it: a struct `type` with its
 * own `fields`, one of them (`embedded`) an embedded struct whose fields are
 * promoted, and `methods` that shadow them. Promoted fields and methods are
 * not enumerable, so printing the reporter prints only its own fields.
 */
export function goReporter(type: string, fields: Record<string, unknown>, embedded: string, methods: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {...fields}
  const hidden = (k: string, value: unknown): void => void Object.defineProperty(out, k, {value, enumerable: false, configurable: true})
  const inner = fields[embedded] as Record<string, unknown>
  for (const k of Object.getOwnPropertyNames(inner)) if (!Object.hasOwn(out, k)) hidden(k, inner[k])
  for (const [k, v] of Object.entries(methods)) hidden(k, v)
  Object.defineProperty(out, Symbol.toStringTag, {value: type, enumerable: false})
  return out
}
