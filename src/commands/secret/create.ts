import {readFileSync} from 'node:fs'
import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {parseKeyValues} from '../../cli/container-spec.js'
import {InvalidArgument, load} from '../../libpod/index.js'

export default class SecretCreate extends BaseCommand {
  static override userNamespace = false
  static override summary = 'Create a new secret'
  static override description = 'Stores the content of FILE (`-` for stdin), or with --env of the environment variable FILE names, as a secret (file driver: mode 0600 under the store). Containers get it with --secret.'
  static override usage = 'secret create [options] NAME FILE|-'
  static override examples = ['printf hunter2 | peapod secret create mysecret -', 'peapod secret create --env mysecret MYVAR']
  static override strict = false
  static override args = {name: Args.string({description: 'secret name'}), file: Args.string({description: 'file with the secret data, - for stdin'})}
  static override flags = {
    driver: Flags.string({char: 'd', description: 'Specify secret driver', default: 'file'}),
    'driver-opts': Flags.string({multiple: true, multipleNonGreedy: true, description: 'Specify driver specific options (key=value)'}),
    env: Flags.boolean({description: 'Read secret data from environment variable'}),
    label: Flags.string({char: 'l', multiple: true, multipleNonGreedy: true, description: 'Specify labels on the secret'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(SecretCreate)
    const args = argv as string[]
    if (args.length !== 2) throw new InvalidArgument(`accepts 2 arg(s), received ${args.length}`)
    const [name, source] = args
    const rt = await this.runtime(flags)
    const {validateSecretName} = await load.secrets()
    validateSecretName(name)
    let data: Buffer
    if (flags.env) {
      const v = process.env[source]
      if (v === undefined) throw new InvalidArgument(`cannot create store secret data: environment variable ${source} is not set`)
      data = Buffer.from(v)
    } else {
      try {
        data = readFileSync(source === '-' ? 0 : source)
      } catch {
        throw new InvalidArgument(`open ${source}: no such file or directory`)
      }
    }
    const doc = await rt.secrets.create(name, data, {
      driver: flags.driver,
      driverOptions: parseKeyValues(flags['driver-opts'], 'driver option'),
      labels: parseKeyValues(flags.label, 'label'),
    })
    this.log(doc.id)
  }
}
