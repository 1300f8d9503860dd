import {Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {unescapeFormat} from '../../cli/output.js'
import {compileTemplate, isJSONFormat, load} from '../../libpod/index.js'

export default class SystemEvents extends BaseCommand {
  static override userNamespace = false
  static override summary = 'Show podman events'
  static override description = 'Monitor podman events.\n\nBy default, streaming mode is used, printing new events as they occur. Previous events can be listed via --since and --until.'
  static override aliases = ['events']
  static override examples = ['peapod events', 'peapod events --filter event=create', 'peapod events --format {{.Image}}', 'peapod events --since 1h30s']
  static override flags = {
    filter: Flags.string({char: 'f', multiple: true, multipleNonGreedy: true, description: 'filter output (container, event, image, label, network, pod, type, volume)'}),
    format: Flags.string({description: 'format the output using a Go template, or json'}),
    'no-trunc': Flags.boolean({allowNo: true, default: true, description: 'do not truncate the output (default true)'}),
    since: Flags.string({description: 'show all events created since timestamp'}),
    until: Flags.string({description: 'show all events until timestamp'}),
    stream: Flags.boolean({allowNo: true, default: true, description: 'stream new events (default true); --stream=false prints the past events and exits'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(SystemEvents)
    const rt = await this.runtime(flags)
    const ev = await load.events()
    const truncate = !flags['no-trunc']
    const json = flags.format !== undefined && isJSONFormat(flags.format)
    const tmpl = flags.format !== undefined && !json ? compileTemplate(unescapeFormat(flags.format), {name: 'events'}) : undefined
    const abort = new AbortController()
    process.once('SIGINT', () => abort.abort())
    process.once('SIGTERM', () => abort.abort())
    await ev.readEvents(rt.config, {filters: flags.filter, since: flags.since, until: flags.until, stream: flags.stream, signal: abort.signal}, e => {
      const line = json ? JSON.stringify(e) : tmpl ? tmpl.execute(ev.templateData(e, truncate)) : ev.humanReadable(e, truncate)
      process.stdout.write(line.endsWith('\n') ? line : line + '\n')
    })
  }
}
