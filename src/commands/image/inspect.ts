import {Args, Flags} from '../../cli/oclif.js'
import {renderOne, toInspectJson} from '../../cli/output.js'
import {BaseCommand} from '../../cli/base-command.js'
import {NoSuchImage} from '../../libpod/index.js'

export default class ImageInspect extends BaseCommand {
  static override userNamespace = false
  static override summary = 'Display the configuration of an image'
  static override strict = false
  static override args = {image: Args.string({required: true, description: 'image to inspect'})}
  static override flags = {
    format: Flags.string({char: 'f', description: 'Format the output to a Go template or json', default: 'json'}),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(ImageInspect)
    const rt = await this.runtime(flags)
    const found: Record<string, unknown>[] = []
    const missing: string[] = []
    for (const name of argv as string[]) {
      try {
        found.push(await rt.image(name).inspect())
      } catch (e) {
        if (!(e instanceof NoSuchImage)) throw e
        missing.push(name)
      }
    }
    if (flags.format === 'json') this.log(toInspectJson(found))
    else for (const o of found) this.log(renderOne(flags.format, o))
    if (missing.length) throw new NoSuchImage(`${missing[0]}: image not known`)
  }
}
