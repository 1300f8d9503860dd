import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {renderOne, toJson} from '../../cli/output.js'
import {InvalidArgument, load, NoSuchSecret, type SecretInspect} from '../../libpod/index.js'

export default class SecretInspectCommand extends BaseCommand {
  static override userNamespace = false
  static override summary = 'Inspect a secret'
  static override usage = 'secret inspect [options] SECRET [SECRET...]'
  static override strict = false
  static override args = {secret: Args.string({description: 'secret name or ID'})}
  static override flags = {
    format: Flags.string({char: 'f', description: 'Format inspect output using Go template'}),
    pretty: Flags.boolean({description: 'Print inspect output in human-readable format'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(SecretInspectCommand)
    const refs = argv as string[]
    if (refs.length === 0) throw new InvalidArgument('requires at least 1 arg(s), only received 0')
    const rt = await this.runtime(flags)
    const {goTimeString} = await load.secretList()
    const found: SecretInspect[] = []
    let missing: Error | undefined
    for (const ref of refs) {
      try {
        found.push(rt.secrets.inspect(ref))
      } catch (e) {
        missing ??= e as Error
      }
    }
    if (flags.pretty) {
      for (const s of found) {
        this.log(`ID:              ${s.ID}\nName:              ${s.Spec.Name}\nDriver:            ${s.Spec.Driver.Name}\nCreated at:        ${goTimeString(s.CreatedAt)}\nUpdated at:        ${goTimeString(s.UpdatedAt)}`)
      }
    } else if (flags.format && flags.format !== 'json' && flags.format !== '{{json .}}') {
      // Templates see Go's time.Time, whose String() they print.
      for (const s of found) this.log(renderOne(flags.format, {...s, CreatedAt: goTimeString(s.CreatedAt), UpdatedAt: goTimeString(s.UpdatedAt)}))
    } else {
      this.log(toJson(found))
    }
    if (missing) throw new NoSuchSecret(`inspecting secret: ${missing.message}`)
  }
}
