import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {isJsonFormat, renderView, toInspectJson} from '../../cli/output.js'
import {InvalidArgument, NoSuchPod} from '../../libpod/index.js'

export default class PodInspect extends BaseCommand {
  static override userNamespace = false
  static override summary = 'Displays a pod configuration'
  static override strict = false
  static override args = {pod: Args.string({description: 'pod name or ID'})}
  static override flags = {
    format: Flags.string({char: 'f', description: 'Format the output to a Go template or json', default: 'json'}),
    latest: Flags.boolean({char: 'l', description: 'Act on the latest pod podman is aware of'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(PodInspect)
    const rt = await this.runtime(flags)
    let refs = argv as string[]
    if (flags.latest) refs = rt.podRefs({latest: true})
    if (refs.length === 0) throw new InvalidArgument('you must provide the name or id of a running pod')
    for (const ref of refs) {
      let data
      try {
        data = await rt.pod(ref).inspect()
      } catch (e) {
        if (e instanceof NoSuchPod) throw new NoSuchPod(`inspecting object: no such pod ${ref}`)
        throw e
      }
      this.log(isJsonFormat(flags.format) ? toInspectJson(data) : renderView(flags.format, data, 'entities.PodInspectReport'))
    }
  }
}
