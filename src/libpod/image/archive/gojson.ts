// JSON and time text byte-for-byte as Go's encoding/json and time produce
// them, so that configs and manifests we generate hash to the same digests
// as Podman's. Objects are written in insertion order (build them in Go's
// struct field order); Go maps are written with sorted keys (use sortedMap).

/** Go's json.Marshal of a value: no spaces, HTML-safe escapes. */
export function goMarshal(value: unknown): string {
  return goEscape(JSON.stringify(value))
}

/** A copy of a map-like object with its keys in Go's (byte-wise) order. */
export function sortedMap<T>(m: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {}
  for (const k of Object.keys(m).sort(byteOrder)) out[k] = m[k]
  return out
}

export function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b))
}

/** Turns JSON.stringify output into Go's: <, >, &, U+2028/9 escaped; \b and \f as \u00XX. */
function goEscape(json: string): string {
  return json
    .replace(/\\(u[0-9a-fA-F]{4}|.)/g, m => (m === '\\b' ? '\\u0008' : m === '\\f' ? '\\u000c' : m))
    .replace(/[<>&\u2028\u2029]/g, c => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'))
}

/** Go's json.Compact with HTML escaping (what json.Marshal does to a RawMessage). */
export function goCompact(raw: string): string {
  let out = ''
  let inString = false
  let escaped = false
  for (const c of raw) {
    if (inString) {
      if (escaped) escaped = false
      else if (c === '\\') escaped = true
      else if (c === '"') inString = false
      if (c === '<' || c === '>' || c === '&' || c === '\u2028' || c === '\u2029') {
        out += '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')
        continue
      }
      out += c
      continue
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') continue
    if (c === '"') inString = true
    out += c
  }
  return out
}

/**
 * The raw text of each top-level member of a JSON object (as Go's
 * map[string]*json.RawMessage sees it; a repeated key keeps the last value).
 * The input must be valid JSON (check with JSON.parse first).
 */
export function rawMembers(json: string): Map<string, string> {
  const out = new Map<string, string>()
  let i = 0
  const ws = () => {
    while (i < json.length && ' \t\n\r'.includes(json[i])) i++
  }
  const skipString = () => {
    i++ // opening quote
    while (i < json.length && json[i] !== '"') i += json[i] === '\\' ? 2 : 1
    i++
  }
  const skipValue = () => {
    if (json[i] === '"') return skipString()
    if (json[i] === '{' || json[i] === '[') {
      let depth = 0
      do {
        const c = json[i]
        if (c === '"') {
          skipString()
          continue
        }
        if (c === '{' || c === '[') depth++
        else if (c === '}' || c === ']') depth--
        i++
      } while (depth > 0 && i < json.length)
      return
    }
    while (i < json.length && !',}] \t\n\r'.includes(json[i])) i++
  }
  ws()
  if (json[i] !== '{') return out
  i++
  for (;;) {
    ws()
    if (json[i] !== '"') break
    const ks = i
    skipString()
    const key = JSON.parse(json.slice(ks, i)) as string
    ws()
    i++ // ':'
    ws()
    const vs = i
    skipValue()
    out.set(key, json.slice(vs, i))
    ws()
    if (json[i] === ',') i++
    else break
  }
  return out
}

/**
 * Go's time.Time JSON text (RFC 3339 with nanoseconds, trailing zeros
 * trimmed) in the local time zone, from nanoseconds since the epoch.
 */
export function goTime(ns: bigint): string {
  const secs = ns / 1_000_000_000n
  let nanos = ns % 1_000_000_000n
  let s = secs
  if (nanos < 0n) {
    nanos += 1_000_000_000n
    s -= 1n
  }
  const ms = Number(s) * 1000
  const offMin = -new Date(ms).getTimezoneOffset()
  const local = new Date(ms + offMin * 60_000).toISOString().slice(0, 19)
  const frac = nanos === 0n ? '' : '.' + nanos.toString().padStart(9, '0').replace(/0+$/, '')
  let zone = 'Z'
  if (offMin !== 0) {
    const a = Math.abs(offMin)
    zone = `${offMin < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`
  }
  return local + frac + zone
}

/** Now, as goTime. Date.now() has milliseconds only: the high-resolution
 * clock adds a sub-millisecond part, so two imports in a row differ, as Go's do. */
export function goNow(): string {
  return goTime(BigInt(Date.now()) * 1_000_000n + process.hrtime.bigint() % 1_000_000n)
}
