// `logs --color` / `pod logs --color`: each container's prefix in its own
// ANSI colour, cycling yellow, green, blue, magenta, cyan, red.
const COLORS = ['\u001b[33m', '\u001b[32m', '\u001b[34m', '\u001b[35m', '\u001b[36m', '\u001b[31m']

export function colored(text: string, index: number): string {
  return `${COLORS[index % COLORS.length]}${text}\u001b[0m`
}
