import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {renderView, toInspectJson} from '../../cli/output.js'
import {InvalidArgument, NoSuchContainer} from '../../libpod/index.js'

export default class ContainerInspect extends BaseCommand {
  static override userNamespace = false
  static override summary = 'Display the configuration of a container'
  static override strict = false
  static override args = {container: Args.string({description: 'container name or ID', ignoreStdin: true})}
  static override flags = {
    format: Flags.string({char: 'f', description: "Format the output to a Go template or json", default: 'json'}),
    latest: Flags.boolean({char: 'l', description: 'Act on the latest container podman is aware of'}),
    size: Flags.boolean({char: 's', description: 'Display total file size'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ContainerInspect)
    const rt = await this.runtime(flags)
    let refs = argv as string[]
    if (refs.length === 0 && !flags.latest) throw new InvalidArgument('no names or ids specified')
    if (flags.latest) {
      refs = rt.containerRefs({latest: true})
    }
    const out: Record<string, unknown>[] = []
    let missing: string | undefined
    for (const r of refs) {
      const c = rt.containers.find(r)
      if (!c) {
        missing ??= r
        continue
      }
      out.push(await rt.container(c.config.id).inspect({size: flags.size}))
    }
    if (flags.format === 'json') this.log(toInspectJson(out))
    else for (const o of out) this.log(renderView(flags.format, o, 'entities.ContainerInspectReport'))
    if (missing) throw new NoSuchContainer(`inspecting object: no such container ${missing}`)
  }
}
