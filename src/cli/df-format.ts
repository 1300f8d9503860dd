// Sizes as `system df` and `system prune` print them (go-units HumanSize:
// four significant digits, no space: 2.7MB, 702.6kB, 0B).
const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB']

export function dfSize(bytes: number): string {
  let size = bytes
  let i = 0
  while (size >= 1000 && i < UNITS.length - 1) {
    size /= 1000
    i++
  }
  return `${Number(size.toPrecision(4))}${UNITS[i]}`
}

/** `2.7MB (100%)`: reclaimable bytes and their share of the total. */
export function reclaimable(bytes: number, total: number): string {
  const pct = total > 0 ? Math.round(bytes / total * 100) : 0
  return `${dfSize(bytes)} (${pct}%)`
}
