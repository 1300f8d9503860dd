import {Args, Flags} from '../cli/oclif.js'
import {BaseCommand} from '../cli/base-command.js'
import {renderOne, renderView, toInspectJson} from '../cli/output.js'
import {InvalidArgument, PeapodError} from '../libpod/index.js'

export default class Inspect extends BaseCommand {
  static override userNamespace = false
  static override summary = 'Display the configuration of object denoted by ID'
  static override strict = false
  static override args = {name: Args.string({description: 'container or image name or ID', ignoreStdin: true})}
  static override flags = {
    format: Flags.string({char: 'f', description: 'Format the output to a Go template or json', default: 'json'}),
    latest: Flags.boolean({char: 'l', description: 'Act on the latest container podman is aware of'}),
    size: Flags.boolean({char: 's', description: 'Display total file size'}),
    type: Flags.string({char: 't', description: 'Specify inspect-object type', options: ['all', 'container', 'image'], default: 'all'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Inspect)
    const rt = await this.runtime(flags)
    if (argv.length === 0 && !flags.latest) throw new InvalidArgument('no names or ids specified')
    const out: unknown[] = []
    const containers = new Set<unknown>()
    let missing: string | undefined
    for (const ref of argv as string[]) {
      const c = flags.type !== 'image' ? rt.containers.find(ref) : undefined
      if (c) {
        const doc = await rt.container(c.config.id).inspect({size: flags.size})
        containers.add(doc)
        out.push(doc)
        continue
      }
      const img = flags.type !== 'container' ? rt.findImage(ref) : undefined
      if (img) out.push(await rt.image(img.id).inspect())
      else missing ??= ref
    }
    if (flags.format === 'json') this.log(toInspectJson(out))
    else for (const o of out) this.log(containers.has(o) ? renderView(flags.format, o, 'entities.ContainerInspectReport') : renderOne(flags.format, o))
    if (missing) throw new PeapodError(`inspecting object: no such object: "${missing}"`)
  }
}
