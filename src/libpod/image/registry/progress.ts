// Copy progress the way Podman shows it on stderr: on a terminal one bar per
// blob ("Copying blob 1a2b3c4d5e6f [====>-----] 1.2MiB / 3.4MiB"), redrawn
// in place and ending in "done" or "skipped: already exists"; without a
// terminal one plain line per blob ("Copying blob sha256:<digest>"); nothing
// with --quiet. libpod reports through this interface and never prints.

export interface BlobProgress {
  advance(bytes: number): void
  /** Finished: 'done', or a note such as 'skipped: already exists'. */
  done(note?: string): void
}

export interface Reporter {
  /** A line of its own ("Trying to pull ...", "Writing manifest to image destination"). */
  line(text: string): void
  /** A warning (retries, resumes). */
  warn(text: string): void
  blob(kind: 'blob' | 'config', digest: string, size: number): BlobProgress
}

const NOOP_BLOB: BlobProgress = {advance() {}, done() {}}

/** Reports nothing (-q, library use). Warnings still go to the given sink. */
export function quietReporter(warn?: (text: string) => void): Reporter {
  return {line() {}, warn: warn ?? (() => {}), blob: () => NOOP_BLOB}
}

function warnLine(text: string): string {
  return `time="${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}" level=warning msg=${JSON.stringify(text)}\n`
}

/** Plain lines, for a pipe or a file. */
export function lineReporter(out: NodeJS.WritableStream): Reporter {
  return {
    line: text => void out.write(text + '\n'),
    warn: text => void out.write(warnLine(text)),
    blob(kind, digest) {
      out.write(`Copying ${kind} ${digest}\n`)
      return NOOP_BLOB
    },
  }
}

function mib(n: number): string {
  if (n < 1024) return `${n}b`
  if (n < 1 << 20) return `${(n / 1024).toFixed(1)}KiB`
  if (n < 1 << 30) return `${(n / (1 << 20)).toFixed(1)}MiB`
  return `${(n / (1 << 30)).toFixed(1)}GiB`
}

interface Bar {
  label: string
  size: number
  current: number
  note?: string
}

/** Bars redrawn in place on a terminal. */
export class TtyReporter implements Reporter {
  private readonly bars: Bar[] = []
  private drawn = 0
  private timer?: NodeJS.Timeout

  constructor(private readonly out: NodeJS.WriteStream) {}

  private width(): number {
    return Math.max(40, Math.min(this.out.columns || 80, 120))
  }

  private render(bar: Bar): string {
    const head = `Copying ${bar.label}`
    if (bar.note) return `${head} ${bar.note}`
    const tail = bar.size > 0 ? ` ${mib(bar.current)} / ${mib(bar.size)}` : ` ${mib(bar.current)}`
    const room = this.width() - head.length - tail.length - 4
    if (room < 10) return head + tail
    const frac = bar.size > 0 ? Math.min(1, bar.current / bar.size) : 0
    const fill = Math.floor(frac * room)
    const body = fill >= room ? '='.repeat(room) : '='.repeat(Math.max(0, fill - 1)) + (fill > 0 ? '>' : '') + '-'.repeat(room - fill)
    return `${head} [${body}]${tail}`
  }

  private draw(): void {
    let s = this.drawn > 0 ? `\x1b[${this.drawn}A` : ''
    for (const b of this.bars) s += `\r\x1b[2K${this.render(b)}\n`
    this.drawn = this.bars.length
    this.out.write(s)
  }

  private schedule(): void {
    if (this.timer) return
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.draw()
    }, 100)
    this.timer.unref()
  }

  /** Freezes the bars drawn so far (they stay on screen above later lines). */
  private settle(): void {
    if (this.timer) {
      clearTimeout(this.timer)
      this.timer = undefined
    }
    if (this.bars.length) this.draw()
    if (this.bars.every(b => b.note)) {
      this.bars.length = 0
      this.drawn = 0
    }
  }

  line(text: string): void {
    this.settle()
    if (this.bars.length) {
      // Bars still running: print above them.
      let s = `\x1b[${this.drawn}A\r\x1b[2K${text}\n`
      for (const b of this.bars) s += `\r\x1b[2K${this.render(b)}\n`
      this.out.write(s)
      return
    }
    this.out.write(text + '\n')
  }

  warn(text: string): void {
    this.line(warnLine(text).trimEnd())
  }

  blob(kind: 'blob' | 'config', digest: string, size: number): BlobProgress {
    const short = digest.replace(/^sha256:/, '').slice(0, kind === 'config' ? 10 : 12)
    const bar: Bar = {label: `${kind} ${short}`, size, current: 0}
    this.bars.push(bar)
    this.draw()
    return {
      advance: n => {
        bar.current += n
        this.schedule()
      },
      done: note => {
        bar.note = note ?? 'done'
        bar.current = bar.size
        this.schedule()
      },
    }
  }
}

/** The reporter for a command: bars on a terminal, lines otherwise, nothing when quiet. */
export function reporterFor(out: NodeJS.WriteStream, quiet: boolean): Reporter {
  const warn = (t: string) => void out.write(warnLine(t))
  if (quiet) return quietReporter(warn)
  return out.isTTY ? new TtyReporter(out) : lineReporter(out)
}
