import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {isJsonFormat, renderOne} from '../../cli/output.js'
import {load, noSuchNetwork, type NetworkDoc} from '../../libpod/index.js'

export default class NetworkInspect extends BaseCommand {
  static override userNamespace = false
  static override summary = 'Displays the raw network configuration for one or more networks'
  static override usage = 'network inspect [options] NETWORK [NETWORK...]'
  static override strict = false
  static override args = {network: Args.string({required: true, description: 'network name or ID'})}
  static override flags = {
    format: Flags.string({char: 'f', description: 'Pretty-print network to JSON or using a Go template', default: 'json'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(NetworkInspect)
    const rt = await this.runtime(flags)
    const store = rt.networks
    const [{networkTemplateData}, {networkJson}] = await Promise.all([load.networkInspect(), load.networkStore()])
    const found: NetworkDoc[] = []
    let missing: string | undefined
    for (const n of argv as string[]) {
      const doc = store.find(n)
      if (doc) found.push(doc)
      else missing ??= n
    }
    if (isJsonFormat(flags.format)) this.log(networkJson(found))
    else for (const n of found) this.log(renderOne(flags.format, networkTemplateData(n)))
    if (missing) throw noSuchNetwork(missing)
  }
}
