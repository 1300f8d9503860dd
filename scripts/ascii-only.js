// Rewrites a built JavaScript file's non-ASCII characters as \uXXXX escapes,
// which mean the same in strings, regular expressions, identifiers and
// comments (esbuild escapes strings itself but not regular expression
// literals). src/cli/code-cache.ts then decodes the file as latin1.
import {isAscii} from 'node:buffer'
import {readFileSync, writeFileSync} from 'node:fs'

export function asciiOnly(file) {
  const buf = readFileSync(file)
  if (isAscii(buf)) return
  const text = buf.toString('utf8')
  if (/`[^`]*[^\x00-\x7f]/.test(text) && /String\.raw`[^`]*[^\x00-\x7f]/.test(text)) throw new Error(`${file}: non-ASCII in a raw template`)
  writeFileSync(file, text.replace(/[^\x00-\x7f]/g, c => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')))
  if (!isAscii(readFileSync(file))) throw new Error(`${file}: still not ASCII`)
}
