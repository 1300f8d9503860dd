import {Flags} from '../../cli/oclif.js'
import {writeFileSync} from 'node:fs'
import {splitAtPositional, valueFlagNames} from '../../cli/argv.js'
import {BaseCommand} from '../../cli/base-command.js'
import {checkCidfile, createFlags} from '../../cli/container-flags.js'
import {toContainerSpec} from '../../cli/container-spec.js'
import {startAttached} from '../../cli/container-run.js'
import {cleanupContainer, createContainer, ExitCode, InvalidArgument, removeContainer, startContainer} from '../../libpod/index.js'

const runFlags = {
  ...createFlags,
  detach: Flags.boolean({char: 'd', description: 'Run container in background and print container ID'}),
  'detach-keys': Flags.string({description: 'Override the key sequence for detaching a container. Format is a single character [a-Z] or a comma separated sequence of `ctrl-<value>`, where `<value>` is one of: `a-cf`, `@`, `^`, `[`, `\\` or `_`'}),
}

export default class ContainerRun extends BaseCommand {
  static override summary = 'Run a command in a new container'
  static override usage = 'container run [options] IMAGE [COMMAND [ARG...]]'
  static override aliases = ['run']
  static override strict = false
  static override flags = runFlags

  async run(): Promise<void> {
    const {flags: flagArgv, rest} = splitAtPositional(this.argv, valueFlagNames({...BaseCommand.baseFlags, ...runFlags} as never))
    const {flags} = await this.parse(ContainerRun, flagArgv)
    if (rest.length === 0) throw new InvalidArgument('requires at least 1 arg(s), only received 0')
    checkCidfile(flags.cidfile)
    const {spec, newPod} = toContainerSpec(flags, rest[0], rest.slice(1))
    const rt = await this.runtime(flags)
    const c = await createContainer(rt, spec, newPod)
    if (flags.cidfile) writeFileSync(flags.cidfile, c.id)
    if (flags.detach) {
      try {
        await startContainer(rt, c.id)
      } catch (e) {
        if (c.remove) await removeContainer(rt, c.id, {force: true}).catch(() => {})
        throw e
      }
      this.log(c.id)
      return
    }
    let code: number | undefined
    let detached = false
    try {
      const r = await startAttached(rt, c.id, {stdin: Boolean(flags.interactive), detachKeys: flags['detach-keys'], sigProxy: flags['sig-proxy']})
      code = r.exitCode
      detached = r.detached
    } finally {
      // --rm: gone before we return, whoever (we or the monitor) gets there first.
      if (c.remove && !detached) {
        await cleanupContainer(rt, c.id).catch(() => {})
        await removeContainer(rt, c.id, {force: true}).catch(() => {})
      }
    }
    if (code) throw new ExitCode(code)
  }
}
