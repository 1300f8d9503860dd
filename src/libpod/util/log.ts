// The engine's logger. libpod never prints except through this: with
// --log-level=debug it writes Podman-style (logrus text format) lines on
// stderr: time="..." level=debug msg="...". One logger per process: the
// Runtime sets its level, and code without a Runtime at hand (locks, config
// reading) logs through the same object.

export const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'panic'] as const
export type LogLevel = (typeof LEVELS)[number]

const RANK: Record<string, number> = {trace: 0, debug: 1, info: 2, warn: 3, warning: 3, error: 4, fatal: 5, panic: 6}

export class Logger {
  private rank = RANK.warn

  constructor(private write: (line: string) => void = line => process.stderr.write(line)) {}

  /** Case-insensitive, 'warning' too, as logrus.ParseLevel; unknown names leave the level as it is. */
  setLevel(level: string | undefined): void {
    const l = level?.toLowerCase()
    if (l && l in RANK) this.rank = RANK[l]
  }

  enabled(level: LogLevel): boolean {
    return RANK[level] >= this.rank
  }

  trace(msg: string): void { this.log('trace', msg) }
  debug(msg: string): void { this.log('debug', msg) }
  info(msg: string): void { this.log('info', msg) }
  warn(msg: string): void { this.log('warn', msg) }
  error(msg: string): void { this.log('error', msg) }
  /** A bare line, whatever the level: Podman prints create's warnings so (not through logrus). */
  plain(msg: string): void { this.write(`${msg}\n`) }

  log(level: LogLevel, msg: string): void {
    if (!this.enabled(level)) return
    const name = level === 'warn' ? 'warning' : level
    // logrus's text format off a terminal: RFC 3339 to the second, UTC here.
    this.write(`time="${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}" level=${name} msg=${quote(msg)}\n`)
  }
}

/** logrus quotes a value with Go's %q rules; JSON's string escaping is close enough for messages. */
function quote(s: string): string {
  return JSON.stringify(s)
}

/** The process's logger (the Runtime sets its level from --log-level). */
export const log = new Logger()
