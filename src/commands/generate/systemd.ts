import {writeFileSync, realpathSync} from 'node:fs'
import path from 'node:path'
import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {InvalidArgument, load} from '../../libpod/index.js'
import {writeOut} from '../../cli/stdout.js'

export default class GenerateSystemd extends BaseCommand {
  static override userNamespace = false
  static override summary = 'Generate systemd units'
  static override description = 'Generate systemd units for a container or pod: one unit per container, plus the pod\'s unit for a pod. With --new the units create the container or pod when they start and remove it when they stop.'
  static override usage = 'generate systemd [options] {CONTAINER|POD}'
  static override args = {ref: Args.string({description: 'container or pod name or ID'})}
  static override strict = false
  static override flags = {
    after: Flags.string({multiple: true, multipleNonGreedy: true, description: 'Add dependencies order to the generated unit file'}),
    'container-prefix': Flags.string({default: 'container', description: 'Systemd unit name prefix for containers'}),
    env: Flags.string({char: 'e', multiple: true, multipleNonGreedy: true, description: 'Set environment variables to the systemd unit files'}),
    files: Flags.boolean({char: 'f', description: 'Generate .service files instead of printing to stdout'}),
    format: Flags.string({description: 'Print the created units in specified format (json)'}),
    name: Flags.boolean({char: 'n', description: 'Use container/pod names instead of IDs'}),
    new: Flags.boolean({description: 'Create a new container or pod instead of starting an existing one'}),
    'no-header': Flags.boolean({description: 'Skip header generation'}),
    'pod-prefix': Flags.string({default: 'pod', description: 'Systemd unit name prefix for pods'}),
    requires: Flags.string({multiple: true, multipleNonGreedy: true, description: 'Similar to wants, but declares stronger requirement dependencies'}),
    'restart-policy': Flags.string({default: 'on-failure', description: 'Systemd restart-policy'}),
    'restart-sec': Flags.integer({min: 0, description: 'Systemd restart-sec'}),
    separator: Flags.string({default: '-', description: 'Systemd unit name separator between name/id and prefix'}),
    'start-timeout': Flags.integer({min: 0, description: 'Start timeout override'}),
    'stop-timeout': Flags.integer({min: 0, description: 'Stop timeout override (default 10)'}),
    template: Flags.boolean({description: 'Make it a template file and use %i and %I specifiers. Working only for containers'}),
    wants: Flags.string({multiple: true, multipleNonGreedy: true, description: 'Add (weak) requirement dependencies to the generated unit file'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(GenerateSystemd)
    if (argv.length !== 1) throw new InvalidArgument(`accepts 1 arg(s), received ${argv.length}`)
    if (flags.format !== undefined && flags.format !== 'json') throw new InvalidArgument(`unknown --format argument: ${flags.format}`)
    const rt = await this.runtime(flags)
    const {generateSystemd} = await load.systemdGenerate()
    const ref = argv[0] as string
    const units = await generateSystemd(rt, ref, {
      name: flags.name, new: flags.new, noHeader: flags['no-header'],
      // only a policy the user gave overrides the container's own --restart
      restartPolicy: this.argv.some(a => a.startsWith('--restart-policy')) ? flags['restart-policy'] : undefined,
      restartSec: flags['restart-sec'], startTimeout: flags['start-timeout'], stopTimeout: flags['stop-timeout'],
      containerPrefix: flags['container-prefix'], podPrefix: flags['pod-prefix'], separator: flags.separator,
      template: flags.template, wants: flags.wants, after: flags.after, requires: flags.requires, env: flags.env,
      // the launcher, as a user's shell runs peapod (and Quadlet's units do):
      // rootless, it starts Node once, inside the user namespace
      executable: path.join(realpathSync(this.config.root), 'bin', 'peapod'),
    })
    if (flags.files) {
      const written: Record<string, string> = {}
      for (const [name, text] of units) {
        const file = path.join(process.cwd(), `${name}.service`)
        writeFileSync(file, text)
        written[name] = file
      }
      if (flags.format === 'json') this.log(JSON.stringify(written, null, 1))
      else this.log(Object.values(written).join('\n'))
      return
    }
    if (flags.format === 'json') {
      this.log(JSON.stringify(Object.fromEntries([...units].sort(([a], [b]) => a.localeCompare(b))), null, 1))
      return
    }
    writeOut([...units.values()].join(''))
  }
}
