// A systemd unit file in memory: read, changed and written back essentially
// as it was (comments, group and key order kept; repeated groups merged).
// The syntax is systemd's: `[Group]` headers, `Key=Value` lines, `#`/`;`
// comments, `\` continuation lines; an empty assignment resets a list key.
// Lookups split words and unescape as systemd does (split.ts).
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {splitString, WHITESPACE, escapeWords, escapeString, wordNeedsEscape} from './split.js'

interface Line {
  key: string
  value: string
  isComment: boolean
}

interface Group {
  name: string
  /** Comments before the group's header. */
  comments: Line[]
  lines: Line[]
}

const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/.test(c)

function newGroup(name: string): Group {
  return {name, comments: [], lines: []}
}

function findLast(g: Group, key: string): Line | undefined {
  for (let i = g.lines.length - 1; i >= 0; i--) {
    const l = g.lines[i]!
    if (!l.isComment && l.key === key) return l
  }
  return undefined
}

const dup = (l: Line): Line => ({...l})

export class UnitFileError extends Error {}

export class UnitFile {
  private groups: Group[] = []
  private byName = new Map<string, Group>()
  /** The base name, e.g. `web.container`. */
  filename = ''
  /** Where it was read from ('' when built in memory). */
  path = ''

  /** Read a unit file from disk (throws the parser's error). */
  static load(pathName: string): UnitFile {
    const f = new UnitFile()
    f.path = pathName
    f.filename = path.basename(pathName)
    f.parse(readFileSync(pathName, 'utf8'))
    return f
  }

  static parse(text: string, filename = ''): UnitFile {
    const f = new UnitFile()
    f.filename = filename
    f.parse(text)
    return f
  }

  private ensureGroup(name: string): Group {
    let g = this.byName.get(name)
    if (!g) {
      g = newGroup(name)
      this.groups.push(g)
      this.byName.set(name, g)
    }
    return g
  }

  parse(data: string): void {
    let current: Group | undefined
    let pending: Line[] | undefined
    const flush = (toComment: boolean): void => {
      if (!pending) return
      for (const l of pending) (toComment ? current!.comments : current!.lines).push(l)
      pending = undefined
    }
    const isComment = (l: string): boolean => l.length === 0 || l[0] === '#' || l[0] === ';'
    const isGroup = (l: string): boolean => {
      if (l[0] !== '[') return false
      const end = l.indexOf(']')
      return end !== -1 && /^[ \t]*$/.test(l.slice(end + 1))
    }
    const parseLine = (line: string, nr: number): void => {
      if (isComment(line)) {
        ;(pending ??= []).push({key: '', value: line, isComment: true})
      } else if (isGroup(line)) {
        const name = line.slice(1, line.indexOf(']'))
        // eslint-disable-next-line no-control-regex
        if (name.length === 0 || /[[\]\x00-\x1f\x7f-\x9f]/.test(name)) throw new UnitFileError(`invalid group name: ${name}`)
        current = this.ensureGroup(name)
        if (pending) {
          // One blank line between groups is re-added when writing.
          if (pending[0]!.value.length === 0) pending = pending.slice(1)
          flush(true)
        }
      } else if (line.indexOf('=') > 0) {
        if (!current) throw new UnitFileError('key file does not start with a group')
        let keyEnd = line.indexOf('=')
        let valueStart = keyEnd + 1
        while (keyEnd > 0 && isSpace(line[keyEnd - 1])) keyEnd--
        const key = line.slice(0, keyEnd)
        if (key.length === 0 || key.includes('=') || key[0] === ' ' || key[key.length - 1] === ' ') throw new UnitFileError(`invalid key name: ${key}`)
        while (valueStart < line.length && isSpace(line[valueStart])) valueStart++
        flush(false)
        current.lines.push({key, value: line.slice(valueStart), isComment: false})
      } else {
        throw new UnitFileError(`file contains line ${nr}: “${line}” which is not a key-value pair, group, or comment`)
      }
    }

    const lines = (data.endsWith('\n') ? data.slice(0, -1) : data).split('\n')
    let remaining = ''
    lines.forEach((raw, i) => {
      let line = raw.trim()
      if (isComment(line)) {
        // A comment inside a continuation is dropped.
        if (remaining !== '') return
      } else {
        if (line.endsWith('\\')) {
          line = line.slice(0, -1)
          if (i !== lines.length - 1) {
            remaining += line
            return
          }
        }
        if (remaining !== '') {
          line = remaining + line
          remaining = ''
        }
      }
      parseLine(line, i + 1)
    })
    // A file without groups keeps its comments in a nameless group.
    current ??= this.ensureGroup('')
    flush(false)
  }

  toString(): string {
    let out = ''
    this.groups.forEach((g, i) => {
      if (i !== 0) out += '\n'
      for (const c of g.comments) out += `${c.value}\n`
      if (g.name === '') return
      out += `[${g.name}]\n`
      for (const l of g.lines) out += l.isComment ? `${l.value}\n` : `${l.key}=${l.value}\n`
    })
    return out
  }

  /** Append another file's groups (drop-ins). */
  merge(source: UnitFile): void {
    for (const sg of source.groups) {
      const g = this.ensureGroup(sg.name)
      g.comments.push(...sg.comments.map(dup))
      g.lines.push(...sg.lines.map(dup))
    }
  }

  /** A copy with the same filename and no path. */
  dup(): UnitFile {
    const c = new UnitFile()
    c.merge(this)
    c.filename = this.filename
    return c
  }

  hasGroup(name: string): boolean {
    return this.byName.has(name)
  }

  listGroups(): string[] {
    return this.groups.map(g => g.name)
  }

  removeGroup(name: string): void {
    const g = this.byName.get(name)
    if (!g) return
    this.byName.delete(name)
    this.groups = this.groups.filter(x => x !== g)
  }

  renameGroup(name: string, newName: string): void {
    const g = this.byName.get(name)
    if (!g) return
    const target = this.byName.get(newName)
    if (!target) {
      this.byName.delete(name)
      g.name = newName
      this.byName.set(newName, g)
    } else if (target !== g) {
      target.comments.push(...g.comments.map(dup))
      target.lines.push(...g.lines.map(dup))
      this.removeGroup(name)
    }
  }

  /** The distinct keys of a group, in order of first appearance. */
  listKeys(group: string): string[] {
    const g = this.byName.get(group)
    if (!g) return []
    return [...new Set(g.lines.filter(l => !l.isComment).map(l => l.key))]
  }

  /** The last value, raw (continuations already joined by the parser). */
  lookupLast(group: string, key: string): string | undefined {
    const g = this.byName.get(group)
    return g ? findLast(g, key)?.value : undefined
  }

  hasKey(group: string, key: string): boolean {
    return this.lookupLast(group, key) !== undefined
  }

  /** The last value, trailing space trimmed and one pair of surrounding double quotes removed. */
  lookup(group: string, key: string): string | undefined {
    let v = this.lookupLast(group, key)
    if (v === undefined) return undefined
    v = v.replace(/\s+$/, '')
    if (v.length >= 2 && v[0] === '"' && v[v.length - 1] === '"') v = v.slice(1, -1)
    return v
  }

  lookupBoolean(group: string, key: string): boolean | undefined {
    const v = this.lookup(group, key)
    if (v === undefined) return undefined
    return ['1', 'yes', 'true', 'on'].includes(v.toLowerCase())
  }

  lookupBooleanWithDefault(group: string, key: string, def: boolean): boolean {
    return this.lookupBoolean(group, key) ?? def
  }

  /** strtol-like (0x hex, leading-0 octal); `def` when absent or not a number. */
  lookupInt(group: string, key: string, def: number): number {
    const v = this.lookup(group, key)
    if (v === undefined) return def
    const n = convertNumber(v)
    return n === undefined ? def : n
  }

  lookupUint32(group: string, key: string, def: number): number {
    const v = this.lookupInt(group, key, def)
    return v < 0 || v > 0xffffffff ? def : v
  }

  /** Every value; an empty assignment clears those before it. */
  lookupAll(group: string, key: string): string[] {
    const g = this.byName.get(group)
    if (!g) return []
    let values: string[] = []
    for (const l of g.lines) {
      if (l.isComment || l.key !== key) continue
      if (l.value.length === 0) values = []
      else values.push(l.value)
    }
    return values
  }

  /** Every value split into words like systemd's strv keys (`After=a b`). */
  lookupAllStrv(group: string, key: string): string[] {
    const res: string[] = []
    for (const v of this.lookupAll(group, key)) {
      try {
        res.push(...splitString(v, WHITESPACE, {retainEscape: true, unquote: true}))
      } catch {
        // systemd keeps what split before the error; Quadlet drops the value
      }
    }
    return res
  }

  /** Every value split like an exec line (quotes removed, C escapes applied). */
  lookupAllArgs(group: string, key: string): string[] {
    const res: string[] = []
    for (const v of this.lookupAll(group, key)) {
      try {
        res.push(...splitString(v, WHITESPACE, {relax: true, unquote: true, cunescape: true}))
      } catch {
        // an unparsable value is skipped, as Quadlet does
      }
    }
    return res
  }

  /** The last value split like an exec line; undefined when absent. Throws on a bad escape. */
  lookupLastArgs(group: string, key: string): string[] | undefined {
    const v = this.lookupLast(group, key)
    if (v === undefined) return undefined
    return splitString(v, WHITESPACE, {relax: true, unquote: true, cunescape: true})
  }

  /** `Environment=`-style KEY=VALUE words of every value; a bare word maps to null. */
  lookupAllKeyVal(group: string, key: string): {values: Map<string, string | null>; warnings: string[]} {
    const values = new Map<string, string | null>()
    const warnings: string[] = []
    for (const line of this.lookupAll(group, key)) {
      let words: string[]
      try {
        words = splitString(line, WHITESPACE, {relax: true, unquote: true, cunescape: true})
      } catch (e) {
        warnings.push((e as Error).message)
        continue
      }
      let sawAssignment = false
      for (const w of words) {
        const eq = w.indexOf('=')
        if (eq >= 0) {
          values.set(w.slice(0, eq), w.slice(eq + 1))
          sawAssignment = true
          continue
        }
        if (sawAssignment) {
          warnings.push(`${key}=: token ${JSON.stringify(w)} has no '=' and follows a KEY=VALUE on the same line; ` +
            `this usually means an earlier value contained unquoted whitespace and was truncated. ` +
            `Wrap values containing spaces in double quotes, e.g. ${key}="KEY=value with spaces"`)
        }
        values.set(w, null)
      }
    }
    return {values, warnings}
  }

  /** Replace the last value of the key, or add it. */
  set(group: string, key: string, value: string): void {
    const g = this.ensureGroup(group)
    const l = findLast(g, key)
    if (l) l.value = value
    else g.lines.push({key, value, isComment: false})
  }

  /** set() for each key/value pair in order. */
  setv(group: string, ...kv: string[]): void {
    for (let i = 0; i + 1 < kv.length; i += 2) this.set(group, kv[i]!, kv[i + 1]!)
  }

  add(group: string, key: string, value: string): void {
    this.ensureGroup(group).lines.push({key, value, isComment: false})
  }

  addEscaped(group: string, key: string, value: string): void {
    this.add(group, key, wordNeedsEscape(value) ? `"${escapeString(value)}"` : value)
  }

  /** An exec line (`ExecStart=`) of words, quoted where needed. */
  addCmdline(group: string, key: string, args: string[]): void {
    this.add(group, key, escapeWords(args))
  }

  unset(group: string, key: string): void {
    const g = this.byName.get(group)
    if (g) g.lines = g.lines.filter(l => l.isComment || l.key !== key)
  }

  private groupOrFirst(name: string): Group {
    return name === '' && this.groups.length > 0 ? this.groups[0]! : this.ensureGroup(name)
  }

  /** Comments (each prefixed `# `) at the top of a group ('' = the first group). */
  prependComment(group: string, ...comments: string[]): void {
    const g = this.groupOrFirst(group)
    g.comments.unshift(...comments.map(c => ({key: '', value: `# ${c}`, isComment: true})))
  }

  addComment(group: string, ...comments: string[]): void {
    const g = this.groupOrFirst(group)
    g.comments.push(...comments.map(c => ({key: '', value: `# ${c}`, isComment: true})))
  }

  prependUnitLine(group: string, key: string, value: string): void {
    this.groupOrFirst(group).lines.unshift({key, value, isComment: false})
  }

  /** `base@instance.ext` → [base, instance, isTemplate]. */
  templateParts(): [string, string, boolean] {
    const ext = path.extname(this.filename)
    const base = ext ? this.filename.slice(0, -ext.length) : this.filename
    const at = base.indexOf('@')
    if (at < 0) return [base, '', false]
    return [base.slice(0, at), base.slice(at + 1), true]
  }

  /**
   * The drop-in directory names of this unit, most specific first:
   * `web@1.container.d`, `web@.container.d`, `we-b-.container.d`..., `container.d`.
   */
  dropinDirNames(): string[] {
    const [unit, instance, isTemplate] = this.templateParts()
    const ext = path.extname(this.filename)
    const dropinExt = `${ext}.d`
    const dirs = [dropinExt.slice(1)]
    const parts = unit.split('-')
    if (parts.length > 1) {
      for (let i = 0; i < parts.length - 1; i++) {
        const truncated = parts.slice(0, i + 1).join('-') + '-'
        dirs.push(truncated + dropinExt)
        if (isTemplate) dirs.push(`${truncated}@${dropinExt}`)
      }
    }
    if (instance !== '') dirs.push(`${unit}@${dropinExt}`)
    dirs.push(`${this.filename}.d`)
    return dirs.reverse()
  }
}

function convertNumber(v: string): number | undefined {
  let mult = 1
  if (v.startsWith('+')) v = v.slice(1)
  else if (v.startsWith('-')) {
    v = v.slice(1)
    mult = -1
  }
  let n: number
  if (/^0[xX][0-9a-fA-F]+$/.test(v)) n = parseInt(v.slice(2), 16)
  else if (/^0[0-7]*$/.test(v)) n = parseInt(v, 8)
  else if (/^[0-9]+$/.test(v)) n = parseInt(v, 10)
  else return undefined
  return n * mult
}

/** A path escaped as systemd-escape --path does for unit names. */
export function pathEscape(p: string): string {
  return escapeString(p, true)
}
