// Word splitting and escaping as systemd does it for unit files
// (extract_first_word() and the C unescaper of systemd's escape.c), so that
// `Exec=`, `PodmanArgs=`, `Environment=` split exactly as systemd would, and
// generated `ExecStart=` lines read back to the same words.

export const WHITESPACE = ' \t\n\r'

export interface SplitFlags {
  /** Allow unbalanced quotes; eat a trailing backslash. */
  relax?: boolean
  /** Unescape C sequences (\n, \x41, \u0041, \s, ...). */
  cunescape?: boolean
  /** Remove quotes; separators inside quotes do not split. */
  unquote?: boolean
  /** `\` has no special meaning. */
  retainEscape?: boolean
}

const hex = (c: string | undefined): number => (c !== undefined && /^[0-9a-fA-F]$/.test(c) ? parseInt(c, 16) : -1)
const oct = (c: string | undefined): number => (c !== undefined && /^[0-7]$/.test(c) ? c.charCodeAt(0) - 48 : -1)

/** One C escape after a backslash: [chars consumed, result] or undefined when invalid. */
function cUnescapeOne(p: string): [number, string] | undefined {
  const simple: Record<string, string> = {a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'", s: ' '}
  const c = p[0]
  if (c === undefined) return undefined
  if (c in simple) return [1, simple[c]!]
  if (c === 'x') {
    const a = hex(p[1]), b = hex(p[2])
    if (a < 0 || b < 0 || (a === 0 && b === 0)) return undefined
    return [3, String.fromCharCode((a << 4) | b)]
  }
  if (c === 'u' || c === 'U') {
    const n = c === 'u' ? 4 : 8
    if (p.length < n + 1) return undefined
    let v = 0
    for (let i = 1; i <= n; i++) {
      const d = hex(p[i])
      if (d < 0) return undefined
      v = v * 16 + d
    }
    if (v === 0 || v > 0x10ffff) return undefined
    return [n + 1, String.fromCodePoint(v)]
  }
  if (c >= '0' && c <= '7') {
    const a = oct(p[0]), b = oct(p[1]), d = oct(p[2])
    if (a < 0 || b < 0 || d < 0 || (a === 0 && b === 0 && d === 0)) return undefined
    const m = (a << 6) | (b << 3) | d
    if (m > 255) return undefined
    return [3, String.fromCharCode(m)]
  }
  return undefined
}

/** The first word of `input` and the rest, or undefined when there is none. Throws on bad quoting/escapes. */
export function extractFirstWord(input: string, separators: string, flags: SplitFlags): {word: string; rest: string} | undefined {
  let i = 0
  while (i < input.length && separators.includes(input[i]!)) i++
  if (i >= input.length) return undefined
  let word = ''
  let quote = ''
  for (;;) {
    const c = input[i]
    if (c === undefined) {
      if (quote && !flags.relax) throw new Error('unbalanced quotes')
      // systemd ends the list at an empty word (`a "" b` gives [a])
      return word ? {word, rest: ''} : undefined
    }
    if (c === '\\' && !flags.retainEscape) {
      const next = input.slice(i + 1)
      if (next.length === 0) {
        if (flags.relax) return word ? {word, rest: ''} : undefined
        throw new Error('unbalanced escape')
      }
      if (flags.cunescape) {
        const r = cUnescapeOne(next)
        if (!r) throw new Error('unsupported escape char')
        word += r[1]
        i += 1 + r[0]
      } else {
        word += next[0]
        i += 2
      }
      continue
    }
    if (quote) {
      if (c === quote) {
        quote = ''
        if (!flags.unquote) word += c
      } else word += c
      i++
      continue
    }
    if ((c === '"' || c === "'") && flags.unquote) {
      quote = c
      i++
      continue
    }
    if (separators.includes(c)) {
      while (i < input.length && separators.includes(input[i]!)) i++
      return word ? {word, rest: input.slice(i)} : undefined
    }
    word += c
    i++
  }
}

/** All words of `s` (systemd's strv/exec-line splitting). */
export function splitString(s: string, separators: string, flags: SplitFlags): string[] {
  const words: string[] = []
  let rest = s
  for (;;) {
    const r = extractFirstWord(rest, separators, flags)
    if (!r) return words
    words.push(r.word)
    rest = r.rest
  }
}

function charNeedsEscape(cp: number, isPath: boolean): boolean {
  if (cp > 128) return false
  const c = String.fromCodePoint(cp)
  return /\s/.test(c) || cp < 0x20 || cp === 0x7f || cp === 0x85 || (isPath && (c === '-' || c === '/')) || c === '"' || c === "'" || c === '\\'
}

export function wordNeedsEscape(word: string): boolean {
  for (const ch of word) if (charNeedsEscape(ch.codePointAt(0)!, false)) return true
  return false
}

export function escapeString(word: string, isPath = false): string {
  let out = ''
  let i = 0
  for (const ch of word) {
    const cp = ch.codePointAt(0)!
    if (!charNeedsEscape(cp, isPath)) out += ch
    else {
      switch (ch) {
        case '\x07': out += '\\a'; break
        case '\b': out += '\\b'; break
        case '\n': out += '\\n'; break
        case '\r': out += '\\r'; break
        case '\t': out += '\\t'; break
        case '\v': out += '\\v'; break
        case '\f': out += '\\f'; break
        case '\\': out += '\\\\'; break
        case ' ': out += ' '; break
        case '"': out += '\\"'; break
        case "'": out += "'"; break
        case '/': if (isPath && i !== 0) out += '-'; break
        default: out += `\\x${cp.toString(16).padStart(2, '0')}`
      }
    }
    i += ch.length
  }
  return out
}

/** Words joined into one exec line, each quoted and escaped when it needs it. */
export function escapeWords(words: string[]): string {
  return words.map(w => (wordNeedsEscape(w) ? `"${escapeString(w)}"` : w)).join(' ')
}
