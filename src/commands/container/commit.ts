import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {boolValue, goBool, goBoolArgv} from '../../cli/go-bool.js'
import {InvalidArgument, load} from '../../libpod/index.js'

export default class ContainerCommit extends BaseCommand {
  static override summary = 'Create new image based on the changed container'
  static override description = "Creates an image from a container's changes. Optionally tags the image created, set the author with the --author flag, set the commit message with the --message flag, and make changes to the instructions with the --change flag."
  static override usage = 'commit [options] CONTAINER [IMAGE]'
  static override aliases = ['commit']
  static override strict = false
  static override args = {container: Args.string({description: 'container name or ID'}), image: Args.string({description: 'name of the new image'})}
  static override flags = {
    author: Flags.string({char: 'a', description: 'Set the author for the image committed'}),
    change: Flags.string({char: 'c', multiple: true, multipleNonGreedy: true, description: 'Apply the following possible instructions to the created image (default []): CMD | ENTRYPOINT | ENV | EXPOSE | LABEL | ONBUILD | STOPSIGNAL | USER | VOLUME | WORKDIR'}),
    format: Flags.string({char: 'f', description: 'Format of the image manifest and metadata (default "oci")', default: 'oci'}),
    iidfile: Flags.string({description: 'file to write the image ID to'}),
    'include-volumes': goBool('Include container volumes as image volumes'),
    message: Flags.string({char: 'm', description: 'Set commit message for imported image'}),
    pause: goBool('Pause container during commit', 'p'),
    quiet: goBool('Suppress output', 'q'),
    squash: goBool('squash newly built layers into a single new layer', 's'),
  }

  async run(): Promise<void> {
    const argv0 = goBoolArgv(this.argv, {'include-volumes': undefined, pause: 'p', quiet: 'q', squash: 's'})
    const {argv, flags} = await this.parse(ContainerCommit, argv0)
    const args = argv as string[]
    if (args.length < 1 || args.length > 2) throw new InvalidArgument(`accepts between 1 and 2 arg(s), received ${args.length}`)
    const quiet = boolValue(flags.quiet, false)
    const rt = await this.runtime(flags)
    const {commitContainer, writeIidFile} = await load.commit()
    const id = await commitContainer(rt, args[0], {
      reference: args[1],
      changes: flags.change,
      message: flags.message,
      author: flags.author,
      pause: boolValue(flags.pause, false),
      squash: boolValue(flags.squash, false),
      includeVolumes: boolValue(flags['include-volumes'], false),
      format: flags.format,
      progress: quiet ? undefined : line => process.stderr.write(line + '\n'),
    })
    if (flags.iidfile) writeIidFile(flags.iidfile, id)
    this.log(id)
  }
}
