import {Args, Flags} from '../../cli/oclif.js'
import {BaseCommand} from '../../cli/base-command.js'
import {startAttached} from '../../cli/container-run.js'
import {ExitCode, InvalidArgument} from '../../libpod/index.js'

export default class ContainerStart extends BaseCommand {
  static override summary = 'Start one or more containers'
  static override aliases = ['start']
  static override strict = false
  static override args = {container: Args.string({description: 'container name or ID'})}
  static override flags = {
    attach: Flags.boolean({char: 'a', description: "Attach container's STDOUT and STDERR"}),
    'detach-keys': Flags.string({description: 'Select the key sequence for detaching a container'}),
    interactive: Flags.boolean({char: 'i', description: "Keep STDIN open even if not attached"}),
    'sig-proxy': Flags.boolean({description: 'Proxy received signals to the process (default true if attaching, false otherwise)'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ContainerStart)
    const names = argv as string[]
    if (names.length === 0) throw new InvalidArgument('start requires at least one argument')
    const rt = await this.runtime(flags)
    if (flags.attach) {
      if (names.length > 1) throw new InvalidArgument('you cannot start and attach multiple containers at once')
      const c = rt.container(names[0])
      const r = await startAttached(rt, c.id, {stdin: flags.interactive, detachKeys: flags['detach-keys'], sigProxy: flags['sig-proxy'] ?? true})
      if (r.exitCode) throw new ExitCode(r.exitCode)
      return
    }
    let failed: Error | undefined
    for (const n of names) {
      try {
        await rt.container(n).start()
        this.log(n)
      } catch (e) {
        if (failed) process.stderr.write(`Error: ${(failed as Error).message}\n`)
        failed = e as Error
      }
    }
    if (failed) throw failed
  }
}
