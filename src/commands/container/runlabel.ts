import path from 'node:path'
import {Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {authFlags, boolArgv, credsFlag, tlsFlags, tlsVerify} from '../../cli/registry-flags.js'
import {InvalidArgument, load} from '../../libpod/index.js'

export default class ContainerRunlabel extends BaseCommand {
  static override summary = 'Execute the command described by an image label'
  static override description = "Executes a command as described by a container image label.\nThe label's words IMAGE and NAME (also $IMAGE, ${IMAGE}, =IMAGE) become the image's name and the --name; $PWD expands; a leading `podman` runs peapod itself, on the same store. The image is pulled when it is not there."
  static override usage = 'container runlabel [options] LABEL IMAGE [ARG...]'
  static override examples = ['peapod container runlabel run imageID', 'peapod container runlabel install imageID arg1 arg2', 'peapod container runlabel --display run myImage']
  static override strict = false
  static override flags = {
    ...authFlags,
    ...tlsFlags,
    display: Flags.boolean({description: 'Preview the command that the label would run'}),
    name: Flags.string({char: 'n', description: 'Assign a name to the container'}),
    quiet: Flags.boolean({char: 'q', description: 'Suppress output information when installing images'}),
    replace: Flags.boolean({description: 'Replace existing container with a new one from the image'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ContainerRunlabel, boolArgv(this.argv))
    const args = argv as string[]
    if (args.length < 2) throw new InvalidArgument(`requires at least 2 arg(s), only received ${args.length}`)
    const [label, image, ...rest] = args
    const rt = await this.runtime(flags)
    let img = rt.findImage(image)
    if (!img) {
      const [{pullImageIfNeeded}, {reporterFor}] = await Promise.all([load.pull(), load.registryProgress()])
      img = await pullImageIfNeeded(rt, image, 'missing', {
        tlsVerify: tlsVerify(flags), certDir: flags['cert-dir'], creds: await credsFlag(flags.creds), authfile: flags.authfile,
        reporter: reporterFor(process.stderr, flags.quiet), terminal: Boolean(process.stdin.isTTY && process.stdout.isTTY),
      })
    }
    const {execRunlabel, runlabelCommand} = await load.runlabel()
    const self = [process.execPath, '--', path.join(this.config.root, 'bin', 'run.js')]
    const cmd = runlabelCommand(img, label, image, {name: flags.name, args: rest, cwd: process.cwd(), self})
    // Shown as Podman shows it: the program's name in place of the first word.
    const shown = [this.config.bin, ...cmd.argv.slice(cmd.argv[0] === self[0] ? self.length : 1)]
    if (flags.display) {
      this.log(`command: ${shown.join(' ')}`)
      return
    }
    if (flags.replace) {
      if (rt.containers.find(cmd.name)) await rt.container(cmd.name).remove({force: true})
    }
    await execRunlabel(cmd, cmd.argv[0] === self[0] ? shown : cmd.argv)
  }
}
