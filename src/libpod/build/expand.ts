// Docker's word processing (moby/buildkit frontend/dockerfile/shell/lex.go):
// quotes are removed, `$VAR`, `${VAR}`, `${VAR:-word}`, `${VAR-word}`,
// `${VAR:+word}`, `${VAR+word}`, `${VAR:?msg}` are expanded (never inside
// single quotes), the escape character (`\` or the `# escape=` one) takes
// the next character literally. Used by the instructions that expand
// variables (FROM, ADD, COPY, ENV, EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME,
// WORKDIR, ARG, ONBUILD's kept text is not expanded).
import {InvalidArgument} from '../define/errors.js'

export type Vars = Map<string, string>

class Lexer {
  private i = 0
  /** Names looked up (build args used by a step count towards its cache key). */
  readonly used = new Set<string>()
  constructor(private readonly s: string, private readonly vars: Vars, private readonly esc: string) {}

  private peek(): string {
    return this.s[this.i] ?? ''
  }

  private next(): string {
    return this.s[this.i++] ?? ''
  }

  /** The words of the string: split on unquoted white space (an empty quoted word counts). */
  words(split: boolean): string[] {
    const out: string[] = []
    let cur = ''
    let inWord = false
    while (this.i < this.s.length) {
      const ch = this.peek()
      if (split && /\s/.test(ch)) {
        this.next()
        if (inWord) out.push(cur)
        cur = ''
        inWord = false
        continue
      }
      inWord = true
      if (ch === "'") {
        this.next()
        cur += this.single()
      } else if (ch === '"') {
        this.next()
        cur += this.double()
      } else if (ch === '$') {
        cur += this.dollar()
      } else if (ch === this.esc) {
        this.next()
        if (this.i < this.s.length) cur += this.next()
        else cur += ch
      } else {
        cur += this.next()
      }
    }
    if (inWord) out.push(cur)
    return out
  }

  private single(): string {
    let out = ''
    while (this.i < this.s.length) {
      const ch = this.next()
      if (ch === "'") return out
      out += ch
    }
    throw new InvalidArgument('unexpected end of statement while looking for matching single-quote')
  }

  private double(): string {
    let out = ''
    while (this.i < this.s.length) {
      const ch = this.peek()
      if (ch === '"') {
        this.next()
        return out
      }
      if (ch === '$') {
        out += this.dollar()
        continue
      }
      this.next()
      if (ch === this.esc && ['"', '$', this.esc].includes(this.peek())) out += this.next()
      else out += ch
    }
    throw new InvalidArgument('unexpected end of statement while looking for matching double-quote')
  }

  private name(): string {
    let n = ''
    while (/[A-Za-z0-9_]/.test(this.peek()) && this.i < this.s.length) n += this.next()
    return n
  }

  private lookup(n: string): string | undefined {
    this.used.add(n)
    return this.vars.get(n)
  }

  private dollar(): string {
    this.next() // $
    if (this.peek() !== '{') {
      const n = this.name()
      if (n === '') return '$'
      return this.lookup(n) ?? ''
    }
    this.next() // {
    const n = this.name()
    if (n === '') throw new InvalidArgument(`bad substitution: missing variable name`)
    const ch = this.next()
    if (ch === '}') return this.lookup(n) ?? ''
    let op = ch
    if (ch === ':') op += this.next()
    if (!['-', '+', '?', ':-', ':+', ':?'].includes(op)) throw new InvalidArgument(`unsupported modifier (${op}) in substitution`)
    const word = this.until('}')
    const v = this.lookup(n)
    const set = v !== undefined
    const nonEmpty = set && v !== ''
    switch (op) {
      case '-': return set ? v : word
      case ':-': return nonEmpty ? v : word
      case '+': return set ? word : ''
      case ':+': return nonEmpty ? word : ''
      case '?': if (!set) throw new InvalidArgument(`${n}: ${word || 'is not allowed to be unset'}`); return v
      default: if (!nonEmpty) throw new InvalidArgument(`${n}: ${word || 'is not allowed to be empty'}`); return v as string
    }
  }

  /** The word of a ${VAR:-word} modifier, itself expanded, up to the closing brace. */
  private until(end: string): string {
    let out = ''
    while (this.i < this.s.length) {
      const ch = this.peek()
      if (ch === end) {
        this.next()
        return out
      }
      if (ch === '$') out += this.dollar()
      else if (ch === "'") { this.next(); out += this.single() }
      else if (ch === '"') { this.next(); out += this.double() }
      else if (ch === this.esc) { this.next(); out += this.next() }
      else out += this.next()
    }
    throw new InvalidArgument('syntax error: missing \'}\'')
  }
}

/** One word: quotes removed, variables expanded. */
export function expandWord(s: string, vars: Vars, esc = '\\', used?: Set<string>): string {
  const lx = new Lexer(s, vars, esc)
  const out = lx.words(false).join('')
  for (const n of lx.used) used?.add(n)
  return out
}

/** Words split on unquoted white space, quotes removed, variables expanded. */
export function expandWords(s: string, vars: Vars, esc = '\\', used?: Set<string>): string[] {
  const lx = new Lexer(s, vars, esc)
  const out = lx.words(true)
  for (const n of lx.used) used?.add(n)
  return out
}

/**
 * Splits `K=V K2="v 2"` pairs (ENV, LABEL, ARG) on unquoted white space
 * without expanding; each word is then split at its first '='.
 */
export function rawWords(s: string, esc = '\\'): string[] {
  const out: string[] = []
  let cur = ''
  let inWord = false
  let quote = ''
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]
    if (quote) {
      cur += ch
      if (ch === esc && quote === '"' && i + 1 < s.length) cur += s[++i]
      else if (ch === quote) quote = ''
      continue
    }
    if (/\s/.test(ch)) {
      if (inWord) out.push(cur)
      cur = ''
      inWord = false
      continue
    }
    inWord = true
    cur += ch
    if (ch === esc && i + 1 < s.length) cur += s[++i]
    else if (ch === '"' || ch === "'") quote = ch
  }
  if (quote) throw new InvalidArgument(`unexpected end of statement while looking for matching ${quote === '"' ? 'double' : 'single'}-quote`)
  if (inWord) out.push(cur)
  return out
}

/**
 * `K=V ...` pairs (or the old `K V` form when there is no '=' in the first
 * word) with values expanded; `allowBare` lets ARG have `NAME` alone.
 */
export function keyValues(s: string, vars: Vars, esc: string, what: string, used?: Set<string>, allowBare = false): Array<[string, string | undefined]> {
  const words = rawWords(s, esc)
  if (words.length === 0) throw new InvalidArgument(`${what} requires at least one argument`)
  if (!words[0].includes('=') && !allowBare) {
    // ENV K V / LABEL K V: the rest of the line is the value
    const key = words[0]
    const rest = s.trim().slice(key.length).trim()
    if (rest === '') throw new InvalidArgument(`${what} names can not be blank`)
    return [[expandWord(key, vars, esc, used), expandWord(rest, vars, esc, used)]]
  }
  return words.map(w => {
    const eq = w.indexOf('=')
    if (eq < 0) {
      if (!allowBare) throw new InvalidArgument(`${what}: syntax error - can't find = in "${w}". Must be of the form: name=value`)
      return [expandWord(w, vars, esc, used), undefined]
    }
    const key = expandWord(w.slice(0, eq), vars, esc, used)
    if (key === '') throw new InvalidArgument(`${what} names can not be blank`)
    return [key, expandWord(w.slice(eq + 1), vars, esc, used)]
  })
}
