// String order for sorting listings: localeCompare's, which is what Podman's
// output order was matched against, without paying for it where the answer
// is known. The first localeCompare builds ICU's collator, ~6 ms of CPU on
// every `ps`, `images`, `pod ps` of two or more rows. In the root collation
// (the default locale C/POSIX/en), strings of [0-9a-z./-] order by primary
// weights that rise with their code units, and two strings of one shape
// (timestamps, which differ only in digits) differ first at a digit: both
// order as plain `<` does. Anything else, or another locale, asks ICU.

/** Whether Node's default locale (ICU reads LC_ALL, LC_MESSAGES, LANG) collates as root does. */
function rootLocale(): boolean {
  for (const k of ['LC_ALL', 'LC_MESSAGES', 'LANG']) {
    const v = process.env[k]
    if (v) return /^(C|POSIX|en)([._@-]|$)/.test(v)
  }
  return true
}

let root: boolean | undefined
const SIMPLE = /^[0-9a-z./-]*$/

/** Same shape: equal length, equal at every position where either is not a digit (ASCII only). */
function sameShape(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) {
    const x = a.charCodeAt(i), y = b.charCodeAt(i)
    if (x > 127 || y > 127) return false
    if (x !== y && !(x >= 48 && x <= 57 && y >= 48 && y <= 57)) return false
  }
  return true
}

/** a.localeCompare(b)'s sign, cheaply where that is sure to be the same. */
export function collate(a: string, b: string): number {
  root ??= rootLocale()
  if (root && ((SIMPLE.test(a) && SIMPLE.test(b)) || sameShape(a, b))) return a < b ? -1 : a > b ? 1 : 0
  return a.localeCompare(b)
}
