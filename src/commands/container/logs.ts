import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {colored} from '../../cli/log-colors.js'
import {InvalidArgument, load} from '../../libpod/index.js'

export default class ContainerLogs extends BaseCommand {
  static override summary = 'Fetch the logs of one or more containers'
  static override aliases = ['logs']
  static override userNamespace = false // reads the log files, which the user owns: one Node start, not two
  static override strict = false
  static override args = {container: Args.string({description: 'container name or ID'})}
  static override flags = {
    color: Flags.boolean({description: 'Output the containers with different colors in the log.'}),
    follow: Flags.boolean({char: 'f', description: 'Follow log output.  The default is false'}),
    latest: Flags.boolean({char: 'l', description: 'Act on the latest container podman is aware of'}),
    names: Flags.boolean({char: 'n', description: 'Output the container name in the log'}),
    since: Flags.string({description: 'Show logs since TIMESTAMP'}),
    tail: Flags.integer({description: 'Output the specified number of LINES at the end of the logs.  Defaults to -1, which prints all lines', default: -1}),
    timestamps: Flags.boolean({char: 't', description: 'Output the timestamps in the log'}),
    until: Flags.string({description: 'Show logs until TIMESTAMP'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ContainerLogs)
    const rt = await this.runtime(flags)
    const refs = rt.containerRefs({latest: flags.latest, refs: argv as string[]})
    if (refs.length === 0) throw new InvalidArgument('specify at least one container name or ID to log')
    const containers = refs.map(r => rt.container(r))
    const {goRFC3339Nano, parseTime} = await load.containerLogs()
    const opts = {
      tail: flags.tail,
      since: flags.since ? parseTime(flags.since) : undefined,
      until: flags.until ? parseTime(flags.until) : undefined,
      follow: flags.follow,
    }
    // Podman prefixes lines only when several containers are shown (--names: their names).
    const prefixed = containers.length > 1
    const out = new LineBuffer()
    await Promise.all(containers.map((c, i) => c.logs(opts, l => {
      const who = flags.names ? c.config.name : c.config.id.slice(0, 12)
      // --color: each container's prefix in its own colour (ANSI), cycling.
      const tag = flags.color ? colored(who, i) : who
      const prefix = `${prefixed ? tag + ' ' : ''}${flags.timestamps ? goRFC3339Nano(l.time) + ' ' : ''}`
      out.write(l.stream === 'stderr' ? process.stderr : process.stdout, `${prefix}${l.text}\n`)
    })))
    out.flush()
  }
}

/**
 * Lines gathered into one write per 64 KiB (a write per line cost `logs` of
 * 100k lines a third of its time), in order across stdout and stderr, and
 * flushed once the current batch of lines has been emitted (-f).
 */
class LineBuffer {
  private dest: NodeJS.WriteStream | undefined
  private text = ''
  private scheduled = false

  write(dest: NodeJS.WriteStream, line: string): void {
    if (dest !== this.dest) this.flush()
    this.dest = dest
    this.text += line
    if (this.text.length >= 65536) this.flush()
    else if (!this.scheduled) {
      this.scheduled = true
      setImmediate(() => {
        this.scheduled = false
        this.flush()
      })
    }
  }

  flush(): void {
    if (this.text && this.dest) this.dest.write(this.text)
    this.text = ''
  }
}

