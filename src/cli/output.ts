// Output the way Podman prints it: default tables, `--format json`, Go
// templates (with the `table` prefix adding a header row).

/** Go's json.MarshalIndent(v, "", "    ") as Podman prints lists (images). */
export function toJson(v: unknown, indent = 4): string {
  return JSON.stringify(v, null, indent)
}

/** `inspect` output: Podman indents it by 5 spaces. */
export function toInspectJson(v: unknown): string {
  return toJson(v, 5)
}

/** Whether the format asks for JSON of the whole list (Podman: `json` or `{{json .}}`). */
export function isJsonFormat(format: string | undefined): boolean {
  return format !== undefined && isJSONFormat(format)
}

export interface ListOptions<R> {
  /** The format used without --format, e.g. 'table {{.ID}}\t{{.Names}}'. */
  defaultFormat: string
  /** Header text per field (field → header), e.g. {ID: 'IMAGE ID'}. */
  headers: Record<string, string>
  /** The JSON form of a row for --format json (Podman's JSON keys differ from template fields). */
  json?: (row: R) => unknown
  /** Suppress the header (--noheading). */
  noHeading?: boolean
  /** Indent of --format json (Podman: 4 for images, 2 for ps). */
  jsonIndent?: number
}

/** Renders rows for a list command (images, ps, history, ...). */
export function renderList<R extends object>(format: string | undefined, rows: R[], opts: ListOptions<R>): string {
  if (isJsonFormat(format)) return toJson(rows.map(r => (opts.json ? opts.json(r) : r)), opts.jsonIndent) + '\n'
  return renderRows(format ?? opts.defaultFormat, rows, opts.headers, {noHeading: opts.noHeading})
}

/** Renders one object (inspect, version): JSON by default, else a template. */
export function renderOne(format: string, obj: unknown): string {
  if (isJsonFormat(format)) return toJson(obj)
  return compileTemplate(unescapeFormat(format)).execute(withGoAliases(obj)).replace(/\n$/, '')
}

/**
 * Renders one inspect document through the Go struct Podman's templates see
 * (`type`, a key of PODMAN_TYPES): every field, Go's names and zero values.
 */
export function renderView(format: string, doc: unknown, type: string): string {
  if (isJsonFormat(format)) return toJson(doc)
  return renderOne(format, goView(PODMAN_TYPES, type, doc))
}

/**
 * Podman's templates see Go field names: `ID` where the JSON key is `Id`
 * (inspect of containers, images, pods), and Podman accepts `.Id` too. The
 * alias is a non-enumerable copy, so JSON output is unchanged.
 */
export function withGoAliases<T>(obj: T): T {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return obj
  const o = obj as Record<string, unknown>
  for (const [a, b] of [['Id', 'ID'], ['ID', 'Id']]) {
    if (Object.hasOwn(o, a) && !Object.hasOwn(o, b)) Object.defineProperty(o, b, {value: o[a], enumerable: false, configurable: true})
  }
  return obj
}

/** Podman turns literal `\t` and `\n` typed on the command line into tabs and newlines. */
export function unescapeFormat(f: string): string {
  return f.replace(/\\t/g, '\t').replace(/\\n/g, '\n')
}

import {compileTemplate, goView, isJSONFormat, PODMAN_TYPES, renderRows} from '../libpod/index.js'