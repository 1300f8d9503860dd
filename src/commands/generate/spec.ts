import {writeFileSync} from 'node:fs'
import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {InvalidArgument, load} from '../../libpod/index.js'

export default class GenerateSpec extends BaseCommand {
  static override userNamespace = false
  static override summary = 'Generate Specgen JSON based on containers or pods'
  static override description = "Generate Specgen JSON based on containers or pods: the container's (or pod's) create options as Podman's SpecGenerator JSON."
  static override usage = 'generate spec [options] {CONTAINER|POD}'
  static override examples = ['peapod generate spec ctrID', 'peapod generate spec --compact --name=false podID']
  static override strict = false
  static override args = {target: Args.string({description: 'container or pod name or ID'})}
  static override flags = {
    compact: Flags.boolean({char: 'c', description: 'Print the json in a compact format for consumption'}),
    filename: Flags.string({char: 'f', description: 'Write output to the specified path'}),
    name: Flags.boolean({char: 'n', default: true, allowNo: true, description: 'Specify a new name for the generated spec (NAME-clone); --name=false keeps the name'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(GenerateSpec)
    const args = argv as string[]
    if (args.length !== 1) throw new InvalidArgument(`accepts 1 arg(s), received ${args.length}`)
    const rt = await this.runtime(flags)
    const {generateSpec} = await load.generateSpec()
    const spec = generateSpec(rt, args[0], !flags.name)
    const text = flags.compact ? JSON.stringify(spec) : JSON.stringify(spec, null, 1)
    if (flags.filename === undefined) {
      this.log(text)
      return
    }
    try {
      writeFileSync(flags.filename, text + '\n')
    } catch (e) {
      throw new InvalidArgument(`open ${flags.filename}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`)
    }
    this.log(flags.filename)
  }
}
