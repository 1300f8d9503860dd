// Extended attributes of a whole tree in one `getfattr -R` (Node has no
// xattr API): security.capability for archives, the overlay opaque marker
// for commit. Keyed by the path relative to the tree's top.
import {ProcessFailure, run} from '../util/process.js'

/** getfattr escapes unusual bytes in names as \ooo. */
function unescape(s: string): string {
  const bytes: number[] = []
  const raw = Buffer.from(s, 'utf8')
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === 0x5c && i + 3 < raw.length + 0 && /^[0-7]{3}$/.test(raw.toString('latin1', i + 1, i + 4))) {
      bytes.push(parseInt(raw.toString('latin1', i + 1, i + 4), 8))
      i += 3
    } else bytes.push(raw[i])
  }
  return Buffer.from(bytes).toString('utf8')
}

/** Attributes matching `pattern` (a getfattr -m regex) below dir, by relative path ('' = dir itself). */
export async function treeXattrs(dir: string, pattern: string): Promise<Map<string, Map<string, Buffer>>> {
  const out = new Map<string, Map<string, Buffer>>()
  let text: string
  try {
    text = (await run(['getfattr', '-R', '-h', '-d', '-m', pattern, '-e', 'base64', '--absolute-names', dir])).stdout
  } catch (e) {
    if (!(e instanceof ProcessFailure)) throw e
    // No getfattr: no attributes. A file it could not read: the others still count.
    text = e.stdout
  }
  let cur: Map<string, Buffer> | undefined
  for (const line of text.split('\n')) {
    if (line.startsWith('# file: ')) {
      const abs = unescape(line.slice(8))
      const rel = abs === dir ? '' : abs.startsWith(dir + '/') ? abs.slice(dir.length + 1) : undefined
      cur = undefined
      if (rel !== undefined) out.set(rel, (cur = new Map()))
      continue
    }
    const eq = line.indexOf('=')
    if (!cur || eq <= 0) continue
    const v = line.slice(eq + 1)
    cur.set(line.slice(0, eq), v.startsWith('0s') ? Buffer.from(v.slice(2), 'base64') : Buffer.from(v.replace(/^"|"$/g, '')))
  }
  return out
}
