// Go text/template, re-implemented for Podman's --format flag.
//
// Lexer, parser and evaluator follow Go's text/template closely so that output
// and error messages match what Podman prints for the same template. JS values
// stand in for Go values: class instances, and plain objects whose keys are all
// capitalised (exported Go fields), behave as structs: unknown fields are errors
// and they print as {v1 v2}. Other plain objects and Maps behave as Go maps:
// missing keys are <no value> and they print as map[k:v] with sorted keys.

import {TemplateError} from '../define/errors.js'


export type TemplateFunc = (...args: any[]) => unknown

export interface TemplateOptions {
  /** Name used in error messages, like Podman's command name ("images"). */
  name?: string
  /** Extra functions, added to (or replacing) the built-in ones. */
  funcs?: Record<string, TemplateFunc>
}

export interface Template {
  readonly name: string
  readonly source: string
  /** Runs the template against data; throws TemplateError on failure. */
  execute(data: unknown): string
}

// ---------------------------------------------------------------- Go values

type Kind = 'nil' | 'string' | 'number' | 'bool' | 'func' | 'list' | 'map' | 'struct'

const forcedMaps = new WeakSet<object>()
const nils = new WeakSet<object>()

/** Marks an object as a Go map, for maps whose keys happen to be capitalised. */
export function goMap<T extends object>(obj: T): T {
  forcedMaps.add(obj)
  return obj
}

/**
 * Marks an empty list or map as Go's nil slice or map: it prints as [] or
 * map[] like an empty one, but the json function writes null, as Go's does.
 */
export function goNil<T extends object>(obj: T): T {
  nils.add(obj)
  return obj
}

const nilPointers = new WeakMap<object, string>()

/**
 * A typed nil pointer (Go's `(*T)(nil)`): prints as <nil> where a missing
 * value prints <no value>, and a field of it is an error, as in Go.
 */
export function goNilPointer(type: string): object {
  const p = Object.freeze({})
  nilPointers.set(p, type)
  return p
}

function kindOf(v: unknown): Kind {
  if (v === null || v === undefined || nilPointers.has(v as object)) return 'nil'
  const t = typeof v
  if (t === 'string' || t === 'number') return t
  if (t === 'boolean') return 'bool'
  if (t !== 'object') return 'func'
  if (Array.isArray(v) || v instanceof Set || ArrayBuffer.isView(v)) return 'list'
  if (v instanceof Map || forcedMaps.has(v as object)) return 'map'
  const proto: unknown = Object.getPrototypeOf(v)
  if (proto !== Object.prototype) return proto === null ? 'map' : 'struct'
  const keys = Object.keys(v as object)
  return keys.length > 0 && keys.every(startsUpper) ? 'struct' : 'map'
}

/**
 * Whether a name starts with an upper-case letter (Go's exported field).
 * ASCII is decided without the Unicode regex: V8 compiles a \p{...} class
 * on first use (~0.2 ms per regex at every start of a listing).
 */
function startsUpper(k: string): boolean {
  const c = k.charCodeAt(0)
  return c < 0x80 ? c >= 65 && c <= 90 : /^\p{Lu}/u.test(k)
}

const listItems = (v: unknown): unknown[] => Array.from(v as Iterable<unknown>)
const cmpKeys = (a: unknown, b: unknown): number =>
  typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0

/** Entries of a map-like value in Go's order (sorted keys). */
function mapEntries(v: unknown): [unknown, unknown][] {
  const entries: [unknown, unknown][] = v instanceof Map ? [...v.entries()] : Object.entries(v as object)
  return entries.sort(([a], [b]) => cmpKeys(a, b))
}

/** Element count of a list or map. */
const size = (v: unknown): number =>
  v instanceof Map || v instanceof Set ? v.size : Array.isArray(v) ? v.length : v instanceof Object ? Object.keys(v).length : 0

/** Go's truth: zero values and empty collections are false, structs are true. */
function truth(v: unknown): boolean {
  const k = kindOf(v)
  if (k === 'nil') return false
  if (k === 'list' || k === 'map') return (ArrayBuffer.isView(v) ? listItems(v).length : size(v)) > 0
  return k === 'struct' || k === 'func' || Boolean(v)
}

/** The Go type name Podman would show for v in error messages. */
function goType(v: unknown): string {
  const elem = (xs: unknown[]): string => {
    const types = new Set(xs.map(goType))
    return types.size === 1 && !types.has('<nil>') ? [...types][0]! : 'interface {}'
  }
  const k = kindOf(v)
  if (k === 'nil') return '<nil>'
  if (k === 'number') return Number.isInteger(v) ? 'int' : 'float64'
  if (k === 'func') return 'func()'
  if (k === 'list') return `[]${elem(listItems(v))}`
  if (k === 'map') return `map[string]${elem(mapEntries(v).map(([, x]) => x))}`
  if (k !== 'struct') return k
  if (v instanceof Date) return 'time.Time'
  const tag = (v as {[Symbol.toStringTag]?: string})[Symbol.toStringTag]
  return tag ?? (Object.getPrototypeOf(v) === Object.prototype ? 'struct' : (v as object).constructor.name)
}

// ---------------------------------------------------------------- fmt verbs

type Flag = 'minus' | 'plus' | 'sharp' | 'space' | 'zero' | 'plusV'
type Spec = {verb: string; width?: number; prec?: number} & Partial<Record<Flag, boolean>>

const hex = (n: number, w: number): string => n.toString(16).padStart(w, '0')
const char = (n: number): string => (n >= 0 && n <= 0x10ffff ? String.fromCodePoint(n) : '\ufffd')

/** Go's %v: what {{.Field}} and print show for a value. */
export const fmtValue = (v: unknown): string => fmtArg(v, {verb: 'v'})

function pad(str: string, s: Spec, zeroOk = true): string {
  const n = (s.width ?? 0) - [...str].length
  if (n <= 0) return str
  return s.minus ? str + ' '.repeat(n) : (s.zero && zeroOk ? '0' : ' ').repeat(n) + str
}

/** Pads a number, putting zero padding between the sign and the digits. */
function signed(sign: string, body: string, s: Spec, zeroOk = true): string {
  if (s.zero && zeroOk && !s.minus && s.width) return sign + body.padStart(s.width - sign.length, '0')
  return pad(sign + body, s, false)
}

const bad = (v: unknown, s: Spec): string => `%!${s.verb}(${goType(v)}=${fmtValue(v)})`

function fmtArg(v: unknown, s: Spec): string {
  if (s.verb === 'T') return pad(goType(v), s)
  if (v instanceof Error) v = v.message
  else if (v instanceof Date) v = Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString()
  else if (kindOf(v) === 'struct' && (v as object).toString !== Object.prototype.toString && 'vsqxX'.includes(s.verb)) {
    v = String(v) // a Go Stringer
  }
  switch (kindOf(v)) {
    case 'nil': return s.verb === 'v' ? pad('<nil>', s) : `%!${s.verb}(<nil>)`
    case 'string': return fmtString(v as string, s)
    case 'bool': return s.verb === 'v' || s.verb === 't' ? pad(String(v), s) : bad(v, s)
    case 'number': return fmtNumber(v as number, s)
    case 'func': return s.verb === 'v' ? pad('<func>', s) : bad(v, s)
    case 'list': return `[${listItems(v).map(x => fmtArg(x, s)).join(' ')}]`
    case 'map': return `map[${mapEntries(v).map(([k, x]) => `${fmtArg(k, s)}:${fmtArg(x, s)}`).join(' ')}]`
  }
  const named = s.plusV && s.verb === 'v'
  return `{${Object.entries(v as object).map(([k, x]) => (named ? `${k}:` : '') + fmtArg(x, s)).join(' ')}}`
}

const ESCAPES: Record<string, string> = {'\x07': 'a', '\b': 'b', '\f': 'f', '\n': 'n', '\r': 'r', '\t': 't', '\v': 'v', '\\': '\\'}

/** Go's strconv.Quote (q = '"') and QuoteRune (q = "'"). */
function quote(str: string, q: string): string {
  let out = q
  for (const c of str) {
    const cp = c.codePointAt(0)!
    if (c === q || ESCAPES[c]) out += '\\' + (ESCAPES[c] ?? c)
    else if (cp < 0x20 || cp === 0x7f) out += '\\x' + hex(cp, 2)
    else if (c !== ' ' && /[\p{C}\p{Z}]/u.test(c)) out += cp < 0x10000 ? '\\u' + hex(cp, 4) : '\\U' + hex(cp, 8)
    else out += c
  }
  return out + q
}

function fmtString(str: string, s: Spec): string {
  if (s.verb === 'v' || s.verb === 's') return pad(s.prec === undefined ? str : [...str].slice(0, s.prec).join(''), s)
  if (s.verb === 'q') return pad(s.sharp && !/[`\p{C}]/u.test(str) ? `\`${str}\`` : quote(str, '"'), s)
  if (s.verb !== 'x' && s.verb !== 'X') return bad(str, s)
  const bytes = [...Buffer.from(str, 'utf8')].map(b => hex(b, 2))
  const pre = s.sharp ? '0x' : ''
  const out = s.space ? bytes.map(b => pre + b).join(' ') : (bytes.length ? pre : '') + bytes.join('')
  return pad(s.verb === 'X' ? out.toUpperCase() : out, s)
}

function fmtNumber(x: number, s: Spec): string {
  const v = s.verb
  if (!Number.isInteger(x) || 'eEfFgG'.includes(v)) return fmtFloat(x, s)
  if (v === 'c') return pad(char(x), s)
  if (v === 'q') return pad(quote(char(x), "'"), s)
  if (v === 'U') return pad(`U+${hex(x, 4).toUpperCase()}${s.sharp ? ` '${char(x)}'` : ''}`, s)
  const radix = ({d: 10, v: 10, b: 2, o: 8, O: 8, x: 16, X: 16} as Record<string, number>)[v]
  if (!radix) return bad(x, s)
  let digits = Math.abs(x).toString(radix)
  if (v === 'X') digits = digits.toUpperCase()
  if (s.prec !== undefined) digits = s.prec === 0 && x === 0 ? '' : digits.padStart(s.prec, '0')
  const prefix = v === 'O' ? '0o' : s.sharp ? (({x: '0x', X: '0X', o: '0', b: '0b'} as Record<string, string>)[v] ?? '') : ''
  return signed((x < 0 ? '-' : s.plus ? '+' : s.space ? ' ' : '') + prefix, digits, s, s.prec === undefined)
}

/**
 * JS rounds exact decimal ties up (2.5 → 3) where Go's strconv rounds them to
 * even (2.5 → 2). ext is x printed with 30 more digits; returns Go's result
 * when x is an exact tie that Go rounds down, else undefined.
 */
function evenTie(ext: string, prec: number): string | undefined {
  const [mant, exp] = ext.split('e') as [string, string | undefined]
  const dot = mant.indexOf('.')
  if (dot < 0 || !/^50*$/.test(mant.slice(dot + 1 + prec))) return undefined
  const kept = mant.slice(0, prec > 0 ? dot + 1 + prec : dot)
  return Number(kept.slice(-1)) % 2 === 0 ? kept + (exp === undefined ? '' : 'e' + exp) : undefined
}

const fixed = (x: number, prec: number): string => evenTie(x.toFixed(Math.min(100, prec + 30)), prec) ?? x.toFixed(prec)

function expo(x: number, prec: number): string {
  const s = prec < 0 ? x.toExponential() : (evenTie(x.toExponential(Math.min(100, prec + 30)), prec) ?? x.toExponential(prec))
  return s.replace(/e([+-])(\d)$/, 'e$10$2')
}

/** Go's %g: shortest (prec < 0) or prec significant digits; %e form for large or tiny exponents. */
function general(x: number, prec: number): string {
  if (x === 0) return '0'
  const shortest = prec < 0
  const p = prec === 0 ? 1 : prec
  const [mant, e] = expo(x, shortest ? -1 : p - 1).split('e') as [string, string]
  const digits = mant.replace('.', '').replace(/0+$/, '') || '0'
  const [nd, exp] = [digits.length, Number(e)]
  const eprec = shortest ? 6 : p > nd && nd >= exp + 1 ? nd : p
  if (exp < -4 || exp >= eprec) {
    const n = shortest ? nd : Math.min(p, nd)
    return `${digits[0]}${n > 1 ? '.' + digits.slice(1, n) : ''}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`
  }
  const dp = exp + 1
  const decimals = Math.max((shortest || p > dp ? nd : p) - dp, 0)
  const int = dp <= 0 ? '0' : digits.slice(0, dp).padEnd(dp, '0')
  const frac = (dp < 0 ? '0'.repeat(-dp) + digits : digits.slice(dp)).padEnd(decimals, '0').slice(0, decimals)
  return decimals > 0 ? `${int}.${frac}` : int
}

function fmtFloat(x: number, s: Spec): string {
  const verb = s.verb === 'v' ? 'g' : s.verb
  if (!'eEfFgG'.includes(verb)) return bad(x, s)
  if (Number.isNaN(x)) return pad(s.plus ? '+NaN' : 'NaN', s, false)
  if (!Number.isFinite(x)) return pad(x > 0 ? '+Inf' : '-Inf', s, false)
  const sign = x < 0 || Object.is(x, -0) ? '-' : s.plus ? '+' : s.space ? ' ' : ''
  const low = verb.toLowerCase()
  const body = low === 'f' ? fixed(Math.abs(x), s.prec ?? 6) : low === 'e' ? expo(Math.abs(x), s.prec ?? 6) : general(Math.abs(x), s.prec ?? -1)
  return signed(sign, verb === 'E' || verb === 'G' ? body.toUpperCase() : body, s)
}

const FLAGS: Record<string, Flag> = {'-': 'minus', '+': 'plus', '#': 'sharp', ' ': 'space', '0': 'zero'}

/** Go's fmt.Sprintf, including its in-band error reports (%!d(string=x), MISSING, EXTRA). */
function sprintf(format: string, args: unknown[]): string {
  let [out, argi, i] = ['', 0, 0]
  const num = (): number | undefined => {
    if (format[i] === '*') return i++, Number.isInteger(args[argi]) ? (args[argi++] as number) : (argi++, undefined)
    const m = /^\d+/.exec(format.slice(i))
    return m ? ((i += m[0].length), Number(m[0])) : undefined
  }
  for (; i < format.length; i++) {
    if (format[i] !== '%') {
      out += format[i]
      continue
    }
    const s: Spec = {verb: ''}
    for (i++; FLAGS[format[i] ?? '']; i++) s[FLAGS[format[i]!]!] = true
    s.width = num()
    if (s.width !== undefined && s.width < 0) [s.minus, s.width] = [true, -s.width]
    if (format[i] === '.') i++, (s.prec = num() ?? 0)
    const verb = format[i]
    if (verb === undefined) out += '%!(NOVERB)'
    else if (verb === '%') out += '%'
    else if (argi >= args.length) out += `%!${verb}(MISSING)`
    // %+v names struct fields rather than signing numbers.
    else out += fmtArg(args[argi++], verb === 'v' ? {...s, verb, plus: false, plusV: s.plus} : {...s, verb})
  }
  if (argi >= args.length) return out
  const extra = args.slice(argi).map(a => (a === null || a === undefined ? '<nil>' : `${goType(a)}=${fmtValue(a)}`))
  return `${out}%!(EXTRA ${extra.join(', ')})`
}

/** encoding/json with SetEscapeHTML(false), as Podman's json function: compact, map keys sorted. */
export function goJSON(v: unknown): string {
  const toJSON = (v as {toJSON?: unknown} | null)?.toJSON
  if (typeof toJSON === 'function') v = toJSON.call(v)
  const k = kindOf(v)
  if (k === 'nil' || k === 'func' || nils.has(v as object)) return 'null'
  if (k === 'string') return JSON.stringify(v).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')
  if (k === 'number' && !Number.isFinite(v)) throw new Error(`json: unsupported value: ${fmtValue(v)}`)
  if (k === 'number' || k === 'bool') return String(v)
  if (k === 'list') return `[${listItems(v).map(goJSON).join(',')}]`
  const fields = (k === 'map' ? mapEntries(v) : Object.entries(v as object)).filter(([, x]) => x !== undefined && typeof x !== 'function')
  return `{${fields.map(([key, x]) => `${goJSON(String(key))}:${goJSON(x)}`).join(',')}}`
}

// ---------------------------------------------------------------- lexer

type Tok =
  | 'text' | 'left' | 'right' | 'space' | 'field' | 'var' | 'ident' | 'keyword' | 'string' | 'raw' | 'char'
  | 'number' | 'bool' | 'nil' | 'dot' | 'pipe' | 'lparen' | 'rparen' | 'declare' | 'assign' | 'comma' | 'eof' | 'error'

interface Token {t: Tok; v: string; pos: number}

const KEYWORDS = new Set(['block', 'break', 'continue', 'define', 'else', 'end', 'if', 'range', 'template', 'with'])
const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n'
const isAlnum = (c: string | undefined): boolean =>
  c !== undefined && (c < '\x80' ? /^[A-Za-z0-9_]$/.test(c) : /^[\p{L}\p{Nd}_]$/u.test(c))
const fmtU = (c: string): string => `U+${hex(c.codePointAt(0)!, 4).toUpperCase()} '${c}'`

// One item inside an action; the group name is the token type. Order matters:
// numbers before fields (".5"), fields before the lone dot. LETTER and DIGIT:
// Unicode classes, or their ASCII subsets for a template that is all ASCII
// (the same tokens; Irregexp compiles the Unicode form in ~0.6 ms).
const itemRegExp = (letter: string, digit: string, flags: string): RegExp => new RegExp(
  [
    String.raw`(?<space>[ \t\r\n]+)`, '(?<declare>:=)', '(?<assign>=)', String.raw`(?<pipe>\|)`, '(?<comma>,)',
    String.raw`(?<lparen>\()`, String.raw`(?<rparen>\))`, String.raw`(?<string>"(?:[^"\\\n]|\\[^\n])*")`,
    '(?<raw>`[^`]*`)', String.raw`(?<char>'(?:[^'\\\n]|\\[^\n])*')`,
    String.raw`(?<number>[+-]?(?:0[xXoObB][\da-fA-F_]*|\d[\d_]*\.?[\d_]*(?:[eE][+-]?[\d_]+)?|\.\d[\d_]*(?:[eE][+-]?[\d_]+)?)i?)`,
    `(?<field>\\.[${letter}${digit}_]+)`, `(?<var>\\$[${letter}${digit}_]*)`, String.raw`(?<dot>\.)`,
    `(?<ident>[${letter}_][${letter}${digit}_]*)`,
  ].join('|'),
  flags,
)
let itemUnicode: RegExp | undefined
let itemAscii: RegExp | undefined
const itemFor = (src: string): RegExp =>
  /^[\x00-\x7f]*$/.test(src) ? itemAscii ??= itemRegExp('A-Za-z', '0-9', 'y') : itemUnicode ??= itemRegExp('\\p{L}', '\\p{Nd}', 'uy')

const UNTERMINATED: Record<string, string> = {'"': 'quoted string', "'": 'character constant', '`': 'raw quoted string'}

function wordType(t: Tok, w: string): Tok {
  if (t !== 'ident') return t
  if (KEYWORDS.has(w)) return 'keyword'
  return w === 'true' || w === 'false' ? 'bool' : w === 'nil' ? 'nil' : 'ident'
}

/** Splits a template into tokens; a lexing error becomes a final 'error' token. */
function lex(src: string): Token[] {
  const toks: Token[] = []
  const ITEM = itemFor(src)
  const emit = (t: Tok, v: string, pos: number): void => void toks.push({t, v, pos})
  const fail = (msg: string, pos: number): number => (emit('error', msg, pos), -1)
  const rightDelim = (p: number): number =>
    src.startsWith('}}', p) ? p + 2 : isSpace(src[p]) && src.startsWith('-}}', p + 1) ? p + 4 : -1
  const atTerminator = (p: number): boolean =>
    p >= src.length || isSpace(src[p]) || '.,|:()'.includes(src[p]!) || src.startsWith('}}', p)

  const lexAction = (p: number): number => {
    for (let depth = 0; ; ) {
      const end = rightDelim(p)
      if (end >= 0) return depth > 0 ? fail('unclosed left paren', p) : (emit('right', '}}', end - 2), end)
      if (p >= src.length) return fail('unclosed action', p)
      ITEM.lastIndex = p
      const m = ITEM.exec(src)
      if (!m && src[p] === ':') return fail('expected :=', p)
      if (!m) return fail(UNTERMINATED[src[p]!] ? `unterminated ${UNTERMINATED[src[p]!]}` : `bad character ${fmtU([...src.slice(p)][0]!)}`, p)
      const [type, text] = Object.entries(m.groups!).find(([, x]) => x !== undefined) as [Tok, string]
      const after = p + text.length
      if (type === 'number' && isAlnum(src[after])) return fail(`bad number syntax: ${JSON.stringify(src.slice(p, after + 1))}`, p)
      if ((type === 'field' || type === 'var' || type === 'ident') && !atTerminator(after)) {
        return fail(`bad character ${fmtU(src[after]!)}`, after)
      }
      // A space run ending in " -}}" leaves its last space to the trim marker.
      const value = type === 'space' && src.startsWith('-}}', after) ? text.slice(0, -1) : text
      if (value) emit(wordType(type, value), value, p)
      p += value.length
      if (type === 'lparen') depth++
      if (type === 'rparen' && --depth < 0) return fail(`unexpected right paren ${fmtU(')')}`, p - 1)
    }
  }

  for (let pos = 0; pos < src.length; ) {
    const open = src.indexOf('{{', pos)
    let text = src.slice(pos, open < 0 ? undefined : open)
    const trimLeft = open >= 0 && src[open + 2] === '-' && isSpace(src[open + 3])
    if (trimLeft) text = text.replace(/[ \t\r\n]+$/, '')
    if (text) emit('text', text, pos)
    if (open < 0) break
    let p = open + (trimLeft ? 4 : 2)
    if (src.startsWith('/*', p)) {
      const close = src.indexOf('*/', p + 2)
      if (close < 0) return fail('unclosed comment', p), toks
      p = rightDelim(close + 2)
      if (p < 0) return fail('comment ends before closing delimiter', close), toks
    } else {
      emit('left', '{{', open)
      p = lexAction(p)
      if (p < 0) return toks
    }
    pos = src.startsWith('-}}', p - 3) ? p + /^[ \t\r\n]*/.exec(src.slice(p))![0].length : p
  }
  emit('eof', '', src.length)
  return toks
}

/** Go's strconv.Unquote for "..." and '...' literals; undefined when malformed. */
function unquote(lit: string): string | undefined {
  const q = lit[0]!
  const esc: Record<string, string> = {a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', [q]: q}
  let ok = true
  const out = lit.slice(1, -1).replace(/\\(?:([xuU])([0-9a-fA-F]*)|([0-7]{3})|(.))/g, (m, x: string, h: string, o: string, c: string) => {
    const want = x && {x: 2, u: 4, U: 8}[x as 'x']
    if (want && h.length >= want) return String.fromCodePoint(parseInt(h.slice(0, want), 16)) + h.slice(want)
    if (o) return String.fromCharCode(parseInt(o, 8))
    ok &&= Boolean(c && esc[c])
    return c ? (esc[c] ?? m) : m
  })
  return ok && (q !== "'" || [...out].length === 1) ? out : undefined
}

function parseNumber(text: string): number | undefined {
  const re = /^([+-]?)(?:0([xX][\da-fA-F]+|[oO][0-7]+|[bB][01]+)|0([0-7]+)|(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?))$/
  const m = re.exec(text.replace(/_/g, ''))
  if (!m) return undefined
  const sign = m[1] === '-' ? -1 : 1
  if (m[2]) return sign * parseInt(m[2].slice(1), {x: 16, o: 8, b: 2}[m[2][0]!.toLowerCase() as 'x'])
  return sign * (m[3] ? parseInt(m[3], 8) : Number(m[4]))
}

// ---------------------------------------------------------------- parse tree

type Arg =
  | {k: 'field'; pos: number; idents: string[]}
  | {k: 'var'; pos: number; idents: string[]}
  | {k: 'chain'; pos: number; node: Arg; fields: string[]}
  | {k: 'ident'; pos: number; name: string}
  | {k: 'pipe'; pos: number; pipe: Pipe}
  | {k: 'dot' | 'nil' | 'bool' | 'number' | 'string'; pos: number; value: unknown; text: string}

type ArgOf<K> = Extract<Arg, {k: K}>

interface Cmd {k: 'cmd'; pos: number; args: Arg[]}
interface Pipe {k: 'pipeline'; pos: number; decl: string[]; assign: boolean; cmds: Cmd[]}

type Node =
  | {k: 'text'; text: string}
  | {k: 'action'; pipe: Pipe}
  | {k: 'if' | 'with' | 'range'; pipe: Pipe; list: Node[]; else?: Node[]}
  | {k: 'break' | 'continue'}

type Marker = {k: 'end'} | {k: 'else'; chain?: string}
type Located = Arg | Cmd | Pipe

function argString(a: Arg): string {
  switch (a.k) {
    case 'field': return '.' + a.idents.join('.')
    case 'var': return a.idents.join('.')
    case 'chain': return `${argString(a.node)}.${a.fields.join('.')}`
    case 'ident': return a.name
    case 'pipe': return `(${pipeString(a.pipe)})`
    default: return a.text
  }
}

const cmdString = (c: Cmd): string => c.args.map(argString).join(' ')
const pipeString = (p: Pipe): string =>
  (p.decl.length ? `${p.decl.join(', ')} ${p.assign ? '=' : ':='} ` : '') + p.cmds.map(cmdString).join(' | ')
const nodeString = (n: Located): string => (n.k === 'cmd' ? cmdString(n) : n.k === 'pipeline' ? pipeString(n) : argString(n))

/** Go's item.String(), as used in "unexpected X in Y". */
function tokString(t: Token): string {
  if (t.t === 'eof') return 'EOF'
  if (t.t === 'keyword' || t.t === 'dot') return `<${t.v}>`
  const cps = [...t.v]
  return cps.length > 10 ? `${JSON.stringify(cps.slice(0, 10).join(''))}...` : JSON.stringify(t.v)
}

/** 1-based line and 0-based column of pos, as Go's ErrorContext reports them. */
function lineCol(src: string, pos: number): [number, number] {
  const before = src.slice(0, pos)
  return [before.split('\n').length, pos - (before.lastIndexOf('\n') + 1)]
}

const OPERAND = new Set<Tok>(['bool', 'char', 'dot', 'field', 'ident', 'number', 'nil', 'raw', 'string', 'var', 'lparen'])
const LITERAL = new Set(['bool', 'dot', 'nil', 'number', 'string'])

/** Recursive-descent parser mirroring text/template/parse. */
class Parser {
  private i = 0
  private readonly vars = ['$']
  private rangeDepth = 0

  constructor(private readonly toks: Token[], private readonly src: string, private readonly name: string,
    private readonly funcs: Map<string, FuncSpec>) {}

  private fail(msg: string, pos = this.toks[Math.max(0, this.i - 1)]!.pos): never {
    throw new TemplateError(`template: ${this.name}:${lineCol(this.src, pos)[0]}: ${msg}`)
  }

  // Token access; an error token from the lexer surfaces when reached, as in Go.
  private peek(): Token {
    const t = this.toks[this.i]!
    return t.t === 'error' ? this.fail(t.v, t.pos) : t
  }
  private next = (): Token => this.toks[(this.peek(), this.i++)]!
  private nextNonSpace = (): Token => (this.peekNonSpace(), this.next())
  private peekNonSpace(): Token {
    while (this.peek().t === 'space') this.i++
    return this.peek()
  }
  private unexpected = (t: Token, context: string): never => this.fail(`unexpected ${tokString(t)} in ${context}`, t.pos)
  private expect(t: Tok, context: string): void {
    const tok = this.nextNonSpace()
    if (tok.t !== t) this.unexpected(tok, context)
  }

  parse = (): Node[] => this.itemList(true)[0]

  /** Nodes up to the {{end}} or {{else}} that closes them (at top level: up to EOF). */
  private itemList(top = false): [Node[], Marker] {
    const list: Node[] = []
    while (this.peekNonSpace().t !== 'eof') {
      const n = this.textOrAction()
      if ((n.k === 'end' || n.k === 'else') && top) this.fail(`unexpected {{${n.k}}}`)
      if (n.k === 'end' || n.k === 'else') return [list, n]
      list.push(n)
    }
    return top ? [list, {k: 'end'}] : this.fail('unexpected EOF')
  }

  private textOrAction(): Node | Marker {
    const t = this.nextNonSpace()
    if (t.t === 'text') return {k: 'text', text: t.v}
    return t.t === 'left' ? this.action() : this.unexpected(t, 'input')
  }

  private action(): Node | Marker {
    const t = this.nextNonSpace()
    switch (t.t === 'keyword' ? t.v : '') {
      case 'end':
        this.expect('right', 'end')
        return {k: 'end'}
      case 'else': {
        const p = this.peekNonSpace()
        if (p.t === 'keyword' && (p.v === 'if' || p.v === 'with')) return this.next(), {k: 'else', chain: p.v}
        this.expect('right', 'else')
        return {k: 'else'}
      }
      case 'if': case 'with': case 'range':
        return this.control(t.v as 'if')
      case 'break': case 'continue':
        this.expect('right', t.v)
        if (this.rangeDepth === 0) this.fail(`{{${t.v}}} outside {{range}}`)
        return {k: t.v as 'break'}
      case 'block': case 'define': case 'template':
        return this.fail(`{{${t.v}}} is not supported`, t.pos)
    }
    this.i--
    return {k: 'action', pipe: this.pipeline('command', 'right')}
  }

  private control(kind: 'if' | 'with' | 'range'): Node {
    const mark = this.vars.length
    const pipe = this.pipeline(kind, 'right')
    if (kind === 'range') this.rangeDepth++
    const [list, end] = this.itemList()
    if (kind === 'range') this.rangeDepth--
    let elseList: Node[] | undefined
    if (end.k === 'else' && end.chain) {
      // {{else if x}} means {{else}}{{if x}}...{{end}}, sharing the outer {{end}}.
      if (end.chain !== kind) this.fail(`unexpected <${end.chain}> in input`)
      elseList = [this.control(kind)]
    } else if (end.k === 'else') {
      const [l, e] = this.itemList()
      if (e.k !== 'end') this.fail('expected end; found {{else}}')
      elseList = l
    }
    this.vars.length = mark
    return {k: kind, pipe, list, else: elseList}
  }

  private pipeline(context: string, end: Tok): Pipe {
    const pipe: Pipe = {k: 'pipeline', pos: this.peekNonSpace().pos, decl: [], assign: false, cmds: []}
    for (let save = this.i; this.peekNonSpace().t === 'var'; save = this.i) {
      const v = this.next()
      const nx = this.peekNonSpace()
      if (nx.t !== 'declare' && nx.t !== 'assign' && nx.t !== 'comma') {
        this.i = save
        break
      }
      this.next()
      pipe.decl.push(v.v)
      this.vars.push(v.v)
      if (nx.t !== 'comma') {
        pipe.assign = nx.t === 'assign'
        break
      }
      if (context !== 'range' || pipe.decl.length >= 2) this.fail(`too many declarations in ${context}`)
      if (!['var', 'right', 'rparen'].includes(this.peekNonSpace().t)) this.fail('range can only initialize variables')
    }
    for (;;) {
      const t = this.nextNonSpace()
      if (t.t === end) break
      if (!OPERAND.has(t.t)) this.unexpected(t, context)
      this.i--
      pipe.cmds.push(this.command())
    }
    if (pipe.cmds.length === 0) this.fail(`missing value for ${context}`)
    pipe.cmds.forEach((c, i) => {
      if (i > 0 && LITERAL.has(c.args[0]!.k)) this.fail(`non executable command in pipeline stage ${i + 1}`)
    })
    return pipe
  }

  private command(): Cmd {
    const cmd: Cmd = {k: 'cmd', pos: this.peekNonSpace().pos, args: []}
    for (;;) {
      this.peekNonSpace()
      const op = this.operand()
      if (op) cmd.args.push(op)
      const t = this.next()
      if (t.t === 'space') continue
      if (t.t === 'right' || t.t === 'rparen') this.i--
      else if (t.t !== 'pipe') this.unexpected(t, 'operand')
      break
    }
    return cmd.args.length ? cmd : this.fail('empty command')
  }

  private operand(): Arg | undefined {
    const node = this.term()
    if (!node || this.peek().t !== 'field') return node
    const pos = this.peek().pos
    const fields: string[] = []
    while (this.peek().t === 'field') fields.push(this.next().v.slice(1))
    if (node.k === 'field' || node.k === 'var') return {k: node.k, pos, idents: [...node.idents, ...fields]}
    if (LITERAL.has(node.k)) this.fail(`unexpected . after term ${JSON.stringify(argString(node))}`)
    return {k: 'chain', pos, node, fields}
  }

  private term(): Arg | undefined {
    const t = this.nextNonSpace()
    const pos = t.pos
    switch (t.t) {
      case 'ident':
        if (!this.funcs.has(t.v)) this.fail(`function ${JSON.stringify(t.v)} not defined`)
        return {k: 'ident', pos, name: t.v}
      case 'var':
        if (!this.vars.includes(t.v)) this.fail(`undefined variable ${JSON.stringify(t.v)}`)
        return {k: 'var', pos, idents: [t.v]}
      case 'dot': case 'nil': case 'bool': return {k: t.t, pos, value: t.t === 'nil' ? null : t.v === 'true', text: t.v}
      case 'field': return {k: 'field', pos, idents: [t.v.slice(1)]}
      case 'lparen': return {k: 'pipe', pos, pipe: this.pipeline('parenthesized pipeline', 'rparen')}
      case 'char': case 'number': {
        const value = t.t === 'char' ? unquote(t.v)?.codePointAt(0) : parseNumber(t.v)
        if (value !== undefined) return {k: 'number', pos, value, text: t.v}
        return this.fail(t.t === 'char' ? `malformed character constant: ${t.v}` : `illegal number syntax: ${JSON.stringify(t.v)}`)
      }
      case 'string': case 'raw': {
        const value = t.t === 'raw' ? t.v.slice(1, -1).replace(/\r/g, '') : unquote(t.v)
        return value === undefined ? this.fail('invalid syntax') : {k: 'string', pos, value, text: t.v}
      }
    }
    this.i--
    return undefined
  }
}

// ---------------------------------------------------------------- functions

/** Parameter types Go checks before calling a function. */
type Param = 'any' | 'string' | 'int' | '[]string'

/** A function and the types of its parameters (rest: the variadic one). */
interface FuncSpec {fn: TemplateFunc; params: Param[]; rest?: Param}

const spec = (fn: TemplateFunc, params: Param[], rest?: Param): FuncSpec => ({fn, params, rest})
const bytes = (s: string): Buffer => Buffer.from(s, 'utf8')

function checkIndex(i: unknown, cap: number): number {
  if (i === null || i === undefined) throw new Error('cannot index slice/array with nil')
  if (typeof i !== 'number' || !Number.isInteger(i)) throw new Error(`cannot index slice/array with type ${goType(i)}`)
  if (i < 0 || i > cap) throw new Error(`index out of range: ${i}`)
  return i
}

function length(v: unknown): number {
  const k = kindOf(v)
  if (k === 'nil') return 0
  if (k === 'string') return bytes(v as string).length
  if (k === 'list' || k === 'map') return ArrayBuffer.isView(v) ? listItems(v).length : size(v)
  throw new Error(`len of type ${goType(v)}`)
}

function index(item: unknown, ...indexes: unknown[]): unknown {
  if (item === null || item === undefined) throw new Error('index of untyped nil')
  for (const i of indexes) {
    const k = kindOf(item)
    if (k === 'string' || k === 'list') {
      const seq = k === 'string' ? [...bytes(item as string)] : listItems(item)
      const x = checkIndex(i, seq.length)
      if (x === seq.length) throw new Error(`index out of range: ${x}`)
      item = seq[x]
    } else if (k === 'map') {
      const entries = mapEntries(item)
      const hit = entries.find(([key]) => key === i)
      // A missing key yields the zero value; Podman's maps are map[string]string.
      item = hit ? hit[1] : entries.every(([, v]) => typeof v === 'string') ? '' : undefined
    } else {
      throw new Error(k === 'nil' ? 'index of nil pointer' : `can't index item of type ${goType(item)}`)
    }
  }
  return item
}

function slice(item: unknown, ...indexes: unknown[]): unknown {
  const k = kindOf(item)
  if (k === 'nil') throw new Error('slice of untyped nil')
  if (indexes.length > 3) throw new Error(`too many slice indexes: ${indexes.length}`)
  if (k === 'string' && indexes.length === 3) throw new Error('cannot 3-index slice a string')
  if (k !== 'string' && k !== 'list') throw new Error(`can't slice item of type ${goType(item)}`)
  const seq = k === 'string' ? bytes(item as string) : listItems(item)
  const idx = [0, seq.length, seq.length]
  indexes.forEach((x, n) => (idx[n] = checkIndex(x, seq.length)))
  const [lo, hi, max] = idx as [number, number, number]
  if (lo > hi || hi > max) throw new Error(`invalid slice index: ${lo > hi ? `${lo} > ${hi}` : `${hi} > ${max}`}`)
  return k === 'string' ? (seq as Buffer).subarray(lo, hi).toString('utf8') : (seq as unknown[]).slice(lo, hi)
}

function basicKind(v: unknown): Kind | 'other' {
  const k = kindOf(v)
  return ['nil', 'bool', 'number', 'string'].includes(k) ? k : 'other'
}

function eq(a: unknown, ...rest: unknown[]): boolean {
  if (rest.length === 0) throw new Error('missing argument for comparison')
  const ka = basicKind(a)
  return rest.some(b => {
    const kb = basicKind(b)
    if (ka !== kb && ka !== 'nil' && kb !== 'nil') throw new Error('incompatible types for comparison')
    if (ka !== kb) return false
    if (['list', 'map', 'func'].includes(kindOf(b))) throw new Error(`non-comparable type ${fmtValue(b)}: ${goType(b)}`)
    return ka === 'nil' || a === b
  })
}

function lt(a: unknown, b: unknown): boolean {
  const [ka, kb] = [basicKind(a), basicKind(b)]
  if ([ka, kb].some(k => k === 'nil' || k === 'other' || k === 'bool')) throw new Error('invalid type for comparison')
  if (ka !== kb) throw new Error('incompatible types for comparison')
  return (a as number | string) < (b as number | string)
}

/** fmt.Sprint (spaces only between non-string operands) and fmt.Sprintln. */
function sprint(args: unknown[], ln: boolean): string {
  const sep = (i: number): boolean => ln || (typeof args[i] !== 'string' && typeof args[i - 1] !== 'string')
  return args.map((a, i) => (i > 0 && sep(i) ? ' ' : '') + fmtValue(a)).join('') + (ln ? '\n' : '')
}

/** Go's strings.Title: upper-cases every letter that follows a separator. */
function title(s: string): string {
  let [prev, out] = [' ', '']
  for (const c of s) {
    const sep = prev <= '\x7f' ? !/[0-9A-Za-z_]/.test(prev) : !/[\p{L}\p{Nd}]/u.test(prev) && /\s/u.test(prev)
    ;[out, prev] = [out + (sep ? c.toUpperCase() : c), c]
  }
  return out
}

function repeat(s: string, n: number): string {
  if (n < 0) throw new Error('strings: negative Repeat count')
  return s.repeat(n)
}

const BUILTINS: Record<string, FuncSpec> = {
  and: spec(() => undefined, ['any'], 'any'), // short-circuits: Exec evaluates and/or itself
  or: spec(() => undefined, ['any'], 'any'),
  not: spec(a => !truth(a), ['any']),
  len: spec(length, ['any']),
  index: spec(index, ['any'], 'any'),
  slice: spec(slice, ['any'], 'any'),
  printf: spec((f: string, ...a: unknown[]) => sprintf(f, a), ['string'], 'any'),
  print: spec((...a: unknown[]) => sprint(a, false), [], 'any'),
  println: spec((...a: unknown[]) => sprint(a, true), [], 'any'),
  eq: spec(eq, ['any'], 'any'),
  ne: spec((a, b) => !eq(a, b), ['any', 'any']),
  lt: spec(lt, ['any', 'any']),
  le: spec((a, b) => lt(a, b) || eq(a, b), ['any', 'any']),
  gt: spec((a, b) => !lt(a, b) && !eq(a, b), ['any', 'any']),
  ge: spec((a, b) => !lt(a, b), ['any', 'any']),
  // Podman's additions (containers/common/pkg/report DefaultFuncs).
  join: spec((l: string[], sep: string) => l.join(sep), ['[]string', 'string']),
  json: spec(goJSON, ['any']),
  lower: spec((s: string) => s.toLowerCase(), ['string']),
  upper: spec((s: string) => s.toUpperCase(), ['string']),
  title: spec(title, ['string']),
  pad: spec((s: string, pre: number, post: number) => (s ? repeat(' ', pre) + s + repeat(' ', post) : s), ['string', 'int', 'int']),
  split: spec((s: string, sep: string) => (sep ? s.split(sep) : [...s]), ['string', 'string']),
  truncate: spec((s: string, n: number) => {
    if (n < 0) throw new Error(`slice bounds out of range [:${n}]`)
    return [...s].length < n ? s : [...s].slice(0, n).join('')
  }, ['string', 'int']),
}

/** Go's evalArg/validateType checks; returns the error message, if any. */
function checkParam(p: Param, v: unknown, node: Arg | undefined): string | undefined {
  if (p === 'any') return undefined
  if (node && LITERAL.has(node.k) && node.k !== 'dot') {
    if (p === '[]string') return `can't handle ${argString(node)} for arg of type []string`
    const ok = p === 'string' ? node.k === 'string' : node.k === 'number' && Number.isInteger(v)
    return ok ? undefined : `expected ${p === 'int' ? 'integer' : p}; found ${argString(node)}`
  }
  if (v === undefined || v === null) return p === '[]string' ? undefined : `invalid value; expected ${p}`
  const ok = p === 'string' ? typeof v === 'string' : p === 'int' ? Number.isInteger(v) : goType(v) === '[]string'
  return ok ? undefined : `wrong type for value; expected ${p}; got ${goType(v)}`
}

// ---------------------------------------------------------------- execution

const NONE = Symbol('none')
type Signal = 'break' | 'continue' | undefined

const hasField = (obj: object, name: string): boolean => Object.hasOwn(obj, name) || (name in obj && !(name in Object.prototype))
const errText = (e: unknown): string => (e instanceof Error ? e.message : String(e))

/** One execution: Go's exec.go state (variable stack, current node for errors). */
class Exec {
  private readonly vars: {name: string; value: unknown}[]
  private node: Located | undefined
  readonly out: string[] = []

  constructor(private readonly src: string, private readonly name: string, private readonly funcs: Map<string, FuncSpec>,
    data: unknown) {
    this.vars = [{name: '$', value: data}]
  }

  private fail(msg: string): never {
    if (!this.node) throw new TemplateError(`template: ${this.name}: ${msg}`)
    const [line, col] = lineCol(this.src, this.node.pos)
    const at = `executing ${JSON.stringify(this.name)} at <${nodeString(this.node)}>`
    throw new TemplateError(`template: ${this.name}:${line}:${col}: ${at}: ${msg}`)
  }

  walkList(dot: unknown, list: Node[]): Signal {
    let sig: Signal
    for (let i = 0; i < list.length && !sig; i++) sig = this.walk(dot, list[i]!)
    return sig
  }

  private walk(dot: unknown, n: Node): Signal {
    if (n.k === 'text') this.out.push(n.text)
    else if (n.k === 'action') {
      const v = this.evalPipeline(dot, n.pipe)
      if (n.pipe.decl.length === 0) this.out.push(v === undefined || v === null ? '<no value>' : fmtValue(v))
    } else if (n.k === 'if' || n.k === 'with') {
      const mark = this.vars.length
      const v = this.evalPipeline(dot, n.pipe)
      const sig = truth(v) ? this.walkList(n.k === 'with' ? v : dot, n.list) : n.else && this.walkList(dot, n.else)
      this.vars.length = mark
      return sig
    } else return n.k === 'range' ? this.walkRange(dot, n) : n.k
    return undefined
  }

  private walkRange(dot: unknown, n: {pipe: Pipe; list: Node[]; else?: Node[]}): Signal {
    const mark = this.vars.length
    const items = this.rangeItems(this.evalPipeline(dot, n.pipe))
    const inner = this.vars.length
    const decl = n.pipe.decl
    for (const [key, elem] of items) {
      if (n.pipe.assign) decl.forEach((name, i) => (this.lookup(name).value = decl.length > 1 && i === 0 ? key : elem))
      else if (decl.length > 0) {
        // The element goes to the last declared variable, the key to the first.
        this.vars[inner - 1]!.value = elem
        if (decl.length > 1) this.vars[inner - 2]!.value = key
      }
      const sig = this.walkList(elem, n.list)
      this.vars.length = inner
      if (sig === 'break') break
    }
    const sig = items.length === 0 && n.else ? this.walkList(dot, n.else) : undefined
    this.vars.length = mark
    return sig
  }

  private rangeItems(v: unknown): [unknown, unknown][] {
    const k = kindOf(v)
    if (k === 'nil') return []
    if (k === 'list') return listItems(v).map((x, i) => [i, x])
    if (k === 'map') return mapEntries(v)
    if (k === 'number' && Number.isInteger(v)) return Array.from({length: Math.max(0, v as number)}, (_, i) => [i, i])
    return this.fail(`range can't iterate over ${fmtValue(v)}`)
  }

  private lookup(name: string): {value: unknown} {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]!.name === name) return this.vars[i]!
    return this.fail(`undefined variable: ${name}`)
  }

  private evalPipeline(dot: unknown, pipe: Pipe): unknown {
    this.node = pipe
    let value: unknown = NONE
    for (const cmd of pipe.cmds) value = this.evalCommand(dot, cmd, value)
    for (const name of pipe.decl) {
      if (pipe.assign) this.lookup(name).value = value
      else this.vars.push({name, value})
    }
    return value
  }

  private notAFunction(args: Arg[], final: unknown): void {
    if (args.length > 1 || final !== NONE) this.fail(`can't give argument to non-function ${argString(args[0]!)}`)
  }

  private evalCommand(dot: unknown, cmd: Cmd, final: unknown): unknown {
    const first = cmd.args[0]!
    switch (first.k) {
      case 'field':
        this.node = first
        return this.evalFieldChain(dot, dot, first, first.idents, cmd.args, final)
      case 'chain': return this.evalChain(dot, first, cmd.args, final)
      case 'ident': return this.evalFunction(dot, first, cmd, cmd.args, final)
      case 'var': return this.evalVariable(dot, first, cmd.args, final)
      case 'pipe':
        this.notAFunction(cmd.args, final)
        return this.evalPipeline(dot, first.pipe)
    }
    this.node = first
    this.notAFunction(cmd.args, final)
    if (first.k === 'nil') this.fail('nil is not a command')
    return first.k === 'dot' ? dot : first.value
  }

  private evalArg(dot: unknown, a: Arg): unknown {
    this.node = a
    switch (a.k) {
      case 'dot': return dot
      case 'nil': return null
      case 'field': return this.evalFieldChain(dot, dot, a, a.idents, [a], NONE)
      case 'var': return this.evalVariable(dot, a, [a], NONE)
      case 'chain': return this.evalChain(dot, a, [a], NONE)
      case 'pipe': return this.evalPipeline(dot, a.pipe)
      case 'ident': return this.evalFunction(dot, a, a, [a], NONE)
      default: return a.value
    }
  }

  private evalChain(dot: unknown, chain: ArgOf<'chain'>, args: Arg[], final: unknown): unknown {
    this.node = chain
    if (chain.node.k === 'nil') this.fail(`indirection through explicit nil in ${argString(chain)}`)
    const receiver = this.evalArg(dot, chain.node)
    return this.evalFieldChain(dot, receiver, chain, chain.fields, args, final)
  }

  private evalVariable(dot: unknown, v: ArgOf<'var'>, args: Arg[], final: unknown): unknown {
    this.node = v
    const {value} = this.lookup(v.idents[0]!)
    if (v.idents.length > 1) return this.evalFieldChain(dot, value, v, v.idents.slice(1), args, final)
    this.notAFunction(args, final)
    return value
  }

  private evalFieldChain(dot: unknown, receiver: unknown, node: Arg, idents: string[], args: Arg[], final: unknown): unknown {
    for (const name of idents.slice(0, -1)) receiver = this.evalField(dot, name, node, [node], NONE, receiver)
    return this.evalField(dot, idents[idents.length - 1]!, node, args, final, receiver)
  }

  private evalField(dot: unknown, name: string, node: Arg, args: Arg[], final: unknown, receiver: unknown): unknown {
    const hasArgs = args.length > 1 || final !== NONE
    const kind = kindOf(receiver)
    const nilType = nilPointers.get(receiver as object)
    if (nilType !== undefined) return this.fail(`nil pointer evaluating *${nilType}.${name}`)
    if (kind === 'nil') return undefined // a nil interface: Go yields an invalid value (<no value>)
    if (kind !== 'map' && kind !== 'struct') return this.fail(`can't evaluate field ${name} in type ${goType(receiver)}`)
    const map = receiver instanceof Map ? receiver : undefined
    const obj = receiver as Record<string, unknown>
    const found = map ? map.has(name) : hasField(obj, name)
    const value = map ? map.get(name) : found ? obj[name] : undefined
    if (found && !map && typeof value === 'function') return this.callMethod(dot, name, node, value.bind(obj), args, final)
    if (!found && kind === 'struct') return this.fail(`can't evaluate field ${name} in type ${goType(receiver)}`)
    if (hasArgs) this.fail(`${name} ${kind === 'map' ? 'is not a method but has arguments' : 'has arguments but cannot be invoked as function'}`)
    return value
  }

  private callMethod(dot: unknown, name: string, node: Arg, f: TemplateFunc, args: Arg[], final: unknown): unknown {
    const argv = args.slice(1).map(a => this.evalArg(dot, a))
    if (final !== NONE) argv.push(final)
    this.node = node
    try {
      return f(...argv)
    } catch (e) {
      return this.fail(`error calling ${name}: ${errText(e)}`)
    }
  }

  private evalFunction(dot: unknown, id: ArgOf<'ident'>, cmd: Located, cmdArgs: Arg[], final: unknown): unknown {
    this.node = id
    const fn = this.funcs.get(id.name)!
    const args = cmdArgs.slice(1)
    const n = args.length + (final === NONE ? 0 : 1)
    if (fn.rest ? n < fn.params.length : n !== fn.params.length) {
      this.fail(`wrong number of args for ${id.name}: want ${fn.rest ? 'at least ' : ''}${fn.params.length} got ${n}`)
    }
    if (fn === BUILTINS.and || fn === BUILTINS.or) return this.andOr(dot, fn === BUILTINS.or, args, final)
    const param = (i: number): Param => fn.params[i] ?? fn.rest!
    const argv = args.map((a, i) => this.typed(param(i), this.evalArg(dot, a), a))
    if (final !== NONE) argv.push(this.typed(param(args.length), final, undefined))
    try {
      return fn.fn(...argv)
    } catch (e) {
      this.node = cmd
      return this.fail(`error calling ${id.name}: ${errText(e)}`)
    }
  }

  private typed(p: Param, v: unknown, node: Arg | undefined): unknown {
    const err = checkParam(p, v, node)
    if (err) this.fail(err)
    return p === '[]string' && (v === undefined || v === null) ? [] : v
  }

  private andOr(dot: unknown, or: boolean, args: Arg[], final: unknown): unknown {
    let v: unknown
    for (const a of args) {
      v = this.evalArg(dot, a)
      if (truth(v) === or) return v
    }
    return final === NONE ? v : final
  }
}

// ---------------------------------------------------------------- API

/** Parses a Go template once; the result can be executed any number of times. */
export function compileTemplate(src: string, opts: TemplateOptions = {}): Template {
  const name = opts.name ?? 'template'
  const funcs = templateFuncs(opts)
  return template(src, new Parser(lex(src), src, name, funcs).parse(), name, funcs)
}

/** The source of a plain range template (plainRangeTemplate). */
export const plainRangeSource = (parts: readonly string[]): string =>
  `{{range .}}${parts.map((p, i) => (i % 2 ? `{{.${p}}}` : p)).join('')}{{end -}}`

/**
 * compileTemplate(plainRangeSource(PARTS)): PARTS alternate text (without
 * `{{`) and field names, `{{range .}}TEXT{{.F}}TEXT...{{end -}}`, the form
 * of every list command's default table format (format/table.ts). Its tree
 * is built as the parser builds it, without lexing and parsing the source
 * on every listing (a unit test compares the two trees).
 */
export function plainRangeTemplate(parts: readonly string[], opts: TemplateOptions = {}): Template {
  return template(plainRangeSource(parts), rangeTree(parts), opts.name ?? 'template', templateFuncs(opts))
}

/** plainRangeTemplate's tree (tests compare it with parseTree(plainRangeSource(PARTS))). */
export const plainRangeTree = (parts: readonly string[]): unknown => rangeTree(parts)

function rangeTree(parts: readonly string[]): Node[] {
  const pipe = (pos: number, arg: Arg): Pipe => ({k: 'pipeline', pos, decl: [], assign: false, cmds: [{k: 'cmd', pos, args: [arg]}]})
  const list: Node[] = []
  let at = '{{range .}}'.length
  parts.forEach((p, i) => {
    if (i % 2 === 0) {
      if (p) list.push({k: 'text', text: p})
      at += p.length
    } else {
      list.push({k: 'action', pipe: pipe(at + 2, {k: 'field', pos: at + 2, idents: [p]})})
      at += `{{.${p}}}`.length
    }
  })
  const dot = '{{range '.length
  return [{k: 'range', pipe: pipe(dot, {k: 'dot', pos: dot, value: false, text: '.'}), list, else: undefined}]
}

/** The parse tree of SRC (tests compare plainRangeTree's with it). */
export const parseTree = (src: string): unknown => new Parser(lex(src), src, 'template', templateFuncs({})).parse()

function templateFuncs(opts: TemplateOptions): Map<string, FuncSpec> {
  const funcs = new Map(Object.entries(BUILTINS))
  for (const [k, f] of Object.entries(opts.funcs ?? {})) funcs.set(k, spec(f, [], 'any'))
  return funcs
}

function template(src: string, root: Node[], name: string, funcs: Map<string, FuncSpec>): Template {
  return {
    name,
    source: src,
    execute(data: unknown): string {
      const exec = new Exec(src, name, funcs, data)
      exec.walkList(data, root)
      return exec.out.join('')
    },
  }
}
