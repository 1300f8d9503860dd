import {Flags} from '../cli/oclif.js'
import {spawn} from 'node:child_process'
import {splitAtPositional, valueFlagNames} from '../cli/argv.js'
import {BaseCommand} from '../cli/base-command.js'
import {ExitCode, InvalidArgument, load} from '../libpod/index.js'

export default class Unshare extends BaseCommand {
  static override summary = 'Run a command in a modified user namespace'
  static override description = 'Runs COMMAND (default: $SHELL) inside the user and mount namespace peapod uses for rootless containers, as root there.'
  static override strict = false
  static override flags = {
    'rootless-netns': Flags.boolean({description: 'Join the rootless network namespace used for netavark networking'}),
  }

  async run(): Promise<void> {
    const all = {...Unshare.baseFlags, ...Unshare.flags}
    const {flags: flagArgv, rest} = splitAtPositional(this.argv, valueFlagNames(all as never))
    const {flags} = await this.parse(Unshare, flagArgv)
    if (!process.env.PEAPOD_ROOTLESS_UID) throw new InvalidArgument('please use unshare with rootless')
    const rt = await this.runtime(flags)
    let cmd = rest.length ? rest : [process.env.SHELL || '/bin/sh']
    // NETWORK: the shared netns of rootless user-defined networks (while a container uses one)
    if (flags['rootless-netns']) {
      const {rootlessNetnsPath} = await load.rootlessNetns()
      const ns = rootlessNetnsPath(rt)
      if (!ns) throw new InvalidArgument('--rootless-netns: no rootless network namespace exists: no container uses a network')
      cmd = ['nsenter', `--net=${ns}`, '--', ...cmd]
    }
    const code = await new Promise<number>(resolve => {
      const child = spawn(cmd[0], cmd.slice(1), {
        stdio: 'inherit',
        env: {...process.env, CONTAINERS_GRAPHROOT: rt.config.graphRoot, CONTAINERS_RUNROOT: rt.config.runRoot},
      })
      child.on('error', e => {
        process.stderr.write(`Error: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? `${cmd[0]}: command not found` : e.message}\n`)
        resolve((e as NodeJS.ErrnoException).code === 'ENOENT' ? 127 : 126)
      })
      child.on('exit', (c, sig) => resolve(c ?? 128 + (sig ? 15 : 0)))
    })
    if (code !== 0) throw new ExitCode(code)
  }
}
