// Human-readable sizes and durations exactly as Podman prints them
// (docker/go-units HumanSizeWithPrecision and HumanDuration).

const DECIMAL = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB']

export function humanSize(bytes: number, precision = 3): string {
  let size = bytes
  let i = 0
  while (size >= 1000 && i < DECIMAL.length - 1) {
    size /= 1000
    i++
  }
  return `${Number(size.toPrecision(precision))} ${DECIMAL[i]}`
}

export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000)
  if (seconds < 1) return 'Less than a second'
  if (seconds === 1) return '1 second'
  if (seconds < 60) return `${seconds} seconds`
  const minutes = Math.floor(seconds / 60)
  if (minutes === 1) return 'About a minute'
  if (minutes < 60) return `${minutes} minutes`
  const hours = Math.round(ms / 3_600_000)
  if (hours === 1) return 'About an hour'
  if (hours < 48) return `${hours} hours`
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`
  return `${Math.floor(ms / 3_600_000 / 24 / 365)} years`
}

/** "3 seconds ago" as Podman's CREATED columns. */
export function timeAgo(date: Date | string, now = Date.now()): string {
  return `${humanDuration(now - new Date(date).getTime())} ago`
}
