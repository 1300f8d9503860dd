// Podman's --format output (containers/common/pkg/report): the `table`
// keyword, CLI escape sequences, header rows and text/tabwriter alignment.

import {compileTemplate, plainRangeSource, plainRangeTemplate, type Template} from './template.js'
import {TemplateError} from '../define/errors.js'

export interface TabwriterOptions {
  /** Minimal cell width including any padding. */
  minwidth: number
  /** Width of a tab character, used when padchar is '\t'. */
  tabwidth: number
  /** Padding added to a cell before computing its width. */
  padding: number
  padchar: string
  /** Print '|' between columns (tabwriter.Debug). */
  debug?: boolean
}

/** Podman's table writer: tabwriter.NewWriter(w, 12, 2, 2, ' ', 0). */
export const PODMAN_TABWRITER: Readonly<TabwriterOptions> = Object.freeze({minwidth: 12, tabwidth: 2, padding: 2, padchar: ' '})

export interface RenderOptions {
  /** Template name for error messages; Podman uses the command name ("images"). */
  name?: string
  /** Omit the header row of a table format (--noheading). */
  noHeading?: boolean
}

/** Podman renders a format as a table, with headers, when it starts with "table ". */
export const isTableFormat = (format: string): boolean => format.startsWith('table ')

/** Podman's report.IsJSON: `json`, `{{json}}` or `{{json .}}` ask for the whole list as JSON. */
export const isJSONFormat = (format: string): boolean => /^[\t\n\f\r ]*(json|\{\{[\t\n\f\r ]*json *\.?[\t\n\f\r ]*\}\})[\t\n\f\r ]*$/.test(format)

/**
 * Podman's NormalizeFormat: `\t` and `\n` typed on the command line become a
 * tab and a newline and the format ends with a newline. In a table format
 * the "table " keyword goes and every space becomes a column break too.
 */
export function normalizeFormat(format: string): string {
  const table = isTableFormat(format)
  const subst: Record<string, string> = {'table ': '', '\\t': '\t', '\\n': '\n', ' ': '\t'}
  const f = format.replace(table ? /table |\\t|\\n| /g : /\\t|\\n/g, m => subst[m]!)
  return f.endsWith('\n') ? f : f + '\n'
}

/** Podman's EnforceRange: a format without its own {{range .}} is applied to each row. */
export function enforceRange(format: string): string {
  const ws = '[\\t\\n\\f\\r ]*'
  const range = new RegExp(`\\{\\{${ws}range${ws}\\.${ws}\\}\\}[^\\n]*\\{\\{${ws}end${ws}-?${ws}\\}\\}`)
  return range.test(format) ? format : `{{range .}}${format}{{end -}}`
}

/** Go's camelcase.Split as Podman uses it for headers: "RepoDigests" → ["Repo", "Digests"]. */
export function splitCamelCase(s: string): string[] {
  // ASCII without the Unicode regexes (V8 compiles each \p{...} class on first use: ~0.2 ms apiece).
  const cls = (c: string): number => c < '\x80'
    ? (c >= 'a' && c <= 'z' ? 1 : c >= 'A' && c <= 'Z' ? 2 : c >= '0' && c <= '9' ? 3 : 4)
    : (/\p{Ll}/u.test(c) ? 1 : /\p{Lu}/u.test(c) ? 2 : /\p{Nd}/u.test(c) ? 3 : 4)
  const runs: string[][] = []
  let last = 0
  for (const c of s) {
    const k = cls(c)
    if (k === last) runs[runs.length - 1]!.push(c)
    else runs.push([c])
    last = k
  }
  // An upper-case run followed by a lower-case one gives it its last letter: "PDFLoader" → "PDF", "Loader".
  for (let i = 0; i < runs.length - 1; i++) {
    if (cls(runs[i]![0]!) === 2 && cls(runs[i + 1]![0]!) === 1) runs[i + 1]!.unshift(runs[i]!.pop()!)
  }
  return runs.filter(r => r.length > 0).map(r => r.join(''))
}

/**
 * The data a table's header row is rendered from, like Podman's report.Headers:
 * every field of the row (and every field the format names) maps to its
 * upper-cased, word-split name, and overrides replace those (upper-cased too).
 */
export function headerRow(sample: unknown, overrides: Record<string, string> = {}, fields: readonly string[] = []): Map<string, string> {
  const headers = new Map<string, string>()
  const keys = sample !== null && typeof sample === 'object' ? Object.keys(sample) : []
  for (const k of [...fields, ...keys]) headers.set(k, splitCamelCase(k).join(' ').toUpperCase())
  for (const [k, v] of Object.entries(overrides)) headers.set(k, v.toUpperCase())
  return headers
}

/** Names used as `.Name` in a format, so that headers exist even for an empty list. */
export const fieldNames = (format: string): string[] =>
  [...format.matchAll(/^[\x00-\x7f]*$/.test(format) // the same matches; the Unicode form costs ~0.6 ms to compile
    ? /(?<![A-Za-z0-9_$\]).])\.([A-Za-z_][A-Za-z0-9_]*)/g
    : /(?<![\p{L}\p{Nd}_$\]).])\.([\p{L}_][\p{L}\p{Nd}_]*)/gu)].map(m => m[1]!)

/**
 * FORMAT as text, field, text, field, ..., text when every action in it is
 * a plain field (`{{.ID}}`, `{{ .Names }}`) and the text holds no other
 * action: the template prints the text and each field's value in turn.
 */
function plainParts(format: string): string[] | undefined {
  const parts = format.split(/\{\{[\t\n\r ]*\.([A-Za-z_][A-Za-z0-9_]*)[\t\n\r ]*\}\}/)
  return parts.some((p, i) => i % 2 === 0 && p.includes('{{')) ? undefined : parts
}

const cache = new Map<string, Template>()

/** Compiles a --format string the way Podman's report.Formatter.Parse does, cached. */
export function compileFormat(format: string, name = 'template'): Template {
  const key = `${name}\0${format}`
  let tmpl = cache.get(key)
  if (tmpl) return tmpl
  const table = isTableFormat(format)
  const wrap = (body: string): string => (table ? `{{range .}}${body}{{end -}}` : enforceRange(body))
  const body = normalizeFormat(format)
  const src = wrap(body)
  // A table of text and `{{.Field}}` actions (every list's default): its
  // tree without parsing it.
  const plain = table ? plainParts(body) : undefined
  try {
    tmpl = plain && plainRangeSource(plain) === src ? plainRangeTemplate(plain, {name}) : compileTemplate(src, {name})
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e
    // Podman retries without the escape substitution, so that escapes inside
    // string literals ({{printf "\n"}}) still work.
    const raw = table ? format.slice('table '.length) : format
    tmpl = compileTemplate(wrap(table && !raw.endsWith('\n') ? raw + '\n' : raw), {name})
  }
  if (cache.size >= 64) cache.delete(cache.keys().next().value!)
  cache.set(key, tmpl)
  return tmpl
}

/**
 * Renders rows with a --format string as Podman does: a table format gets a
 * header row (rendered from headerRow(rows[0], headers)) and tabwriter
 * alignment; any other format is applied to each row with no alignment.
 */
export function renderRows(format: string, rows: readonly unknown[], headers: Record<string, string> = {}, opts: RenderOptions = {}): string {
  // An empty table is its header row alone. A format of text and plain
  // `{{.Field}}` actions (every list command's default) is filled in from
  // the header row without compiling it: what the template gives, and ~1 ms
  // less for an empty `ps`, `images`, `pod ps` or `volume ls`.
  const plain = rows.length === 0 && isTableFormat(format) ? plainParts(normalizeFormat(format)) : undefined
  if (plain) {
    const header = opts.noHeading ? undefined : headerRow(undefined, headers, fieldNames(format))
    return tabwriteText(header ? plain.map((p, i) => (i % 2 ? header.get(p)! : p)).join('') : '')
  }
  const tmpl = compileFormat(format, opts.name)
  if (!isTableFormat(format)) return tmpl.execute(rows)
  const head = opts.noHeading ? '' : tmpl.execute([headerRow(rows[0], headers, fieldNames(format))])
  return tabwriteText(head + tmpl.execute(rows))
}

interface Cell {
  text: string
  /** Width in code points, as Go counts runes. */
  width: number
}

/**
 * Go's text/tabwriter over a whole text. Cells are tab-terminated: the text
 * after a line's last tab is not part of any column. A column's width is set
 * by the block of consecutive lines that have a cell in it:
 * max(minwidth, widest cell + padding).
 */
export function tabwriteText(text: string, opts: Partial<TabwriterOptions> = {}): string {
  const o = {...PODMAN_TABWRITER, ...opts}
  // A form feed flushes the writer: each section is aligned on its own.
  return text.split('\f').map(section => formatSection(section, o)).join('\n')
}

/** tabwriteText for a list of lines (without newlines); returns the aligned lines. */
export function tabwrite(lines: readonly string[], opts: Partial<TabwriterOptions> = {}): string[] {
  return tabwriteText(lines.map(l => l + '\n').join(''), opts).split('\n').slice(0, -1)
}

function formatSection(text: string, o: TabwriterOptions): string {
  const lines: Cell[][] = text.split('\n').map(l => l.split('\t').map(c => ({text: c, width: [...c].length})))
  // Go only keeps a trailing unterminated cell if it holds text.
  const last = lines[lines.length - 1]!
  if (last[last.length - 1]!.text === '') last.pop()
  const widths: number[] = []
  let out = ''

  const padding = (textw: number, cellw: number): string => {
    if (o.padchar !== '\t') return o.padchar.repeat(cellw - textw)
    if (o.tabwidth === 0) return ''
    const w = Math.ceil(cellw / o.tabwidth) * o.tabwidth
    return '\t'.repeat(Math.ceil((w - textw) / o.tabwidth))
  }
  const writeLines = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      const cells = lines[i]!.map((c, j) => c.text + (j < widths.length ? padding(c.width, widths[j]!) : ''))
      out += cells.join(o.debug ? '|' : '') + (i + 1 < lines.length ? '\n' : '')
    }
  }
  // Go's Writer.format: find each block of lines sharing column `widths.length`,
  // size the column, then recurse into the columns to its right.
  const format = (line0: number, line1: number): void => {
    const column = widths.length
    for (let row = line0; row < line1; row++) {
      if (column >= lines[row]!.length - 1) continue
      writeLines(line0, row)
      line0 = row
      let width = o.minwidth
      for (; row < line1 && column < lines[row]!.length - 1; row++) width = Math.max(width, lines[row]![column]!.width + o.padding)
      widths.push(width)
      format(line0, row)
      widths.pop()
      line0 = row
    }
    writeLines(line0, line1)
  }
  format(0, lines.length)
  return out
}
