import {Flags} from '../../cli/oclif.js'
import {readFileSync} from 'node:fs'
import {splitAtPositional, valueFlagNames} from '../../cli/argv.js'
import {BaseCommand} from '../../cli/base-command.js'
import {ExitCode, InvalidArgument, load} from '../../libpod/index.js'

const execFlags = {
  detach: Flags.boolean({char: 'd', description: 'Run the exec session in detached mode (backgrounded)'}),
  'detach-keys': Flags.string({description: 'Select the key sequence for detaching a container. Format is a single character [a-Z] or ctrl-<value> where <value> is one of: a-z, @, ^, [, , or _', default: 'ctrl-p,ctrl-q'}),
  env: Flags.string({char: 'e', multiple: true, multipleNonGreedy: true, description: 'Set environment variables'}),
  'env-file': Flags.string({multiple: true, multipleNonGreedy: true, description: 'Read in a file of environment variables'}),
  interactive: Flags.boolean({char: 'i', description: 'Keep STDIN open even if not attached'}),
  latest: Flags.boolean({char: 'l', description: 'Act on the latest container podman is aware of'}),
  'preserve-fds': Flags.integer({description: 'Pass N additional file descriptors to the container', min: 0}),
  privileged: Flags.boolean({description: 'Give the process extended Linux capabilities inside the container.  The default is false'}),
  tty: Flags.boolean({char: 't', description: 'Allocate a pseudo-TTY. The default is false'}),
  user: Flags.string({char: 'u', description: 'Sets the username or UID used and optionally the groupname or GID for the specified command'}),
  workdir: Flags.string({char: 'w', description: 'Working directory inside the container'}),
}

export default class ContainerExec extends BaseCommand {
  static override userNamespace = false // enters the namespace itself, for the runtime only: one Node start, not two
  static override summary = 'Run a process in a running container'
  static override description = 'Execute the specified command inside a running container.'
  static override usage = 'container exec [options] CONTAINER [COMMAND [ARG...]]'
  static override aliases = ['exec']
  static override strict = false
  static override flags = execFlags

  async run(): Promise<void> {
    // As Podman, flags end at the container (or, with --latest, at the command).
    const {flags: flagArgv, rest: positionals} = splitAtPositional(this.argv, valueFlagNames({...BaseCommand.baseFlags, ...execFlags} as never), 0)
    const {flags} = await this.parse(ContainerExec, flagArgv)
    const rt = await this.runtime(flags)
    let ref: string
    let rest: string[]
    if (flags.latest) {
      const newest = rt.containers.list().filter(c => c.state.status !== 'removing').sort((a, b) => b.config.created.localeCompare(a.config.created))[0]
      if (!newest) throw new InvalidArgument('no containers to exec into: no such container')
      ref = newest.config.id
      rest = positionals
    } else {
      if (positionals.length === 0) throw new InvalidArgument('exec requires the name or ID of a container or the --latest flag')
      ref = positionals[0]
      rest = positionals.slice(1)
    }
    const envFiles = (flags['env-file'] ?? []).map(f => {
      try {
        return readFileSync(f, 'utf8')
      } catch (e) {
        throw new InvalidArgument(`parsing env file "${f}": open ${f}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`)
      }
    })
    const exec = await load.exec()
    const c = await exec.execTarget(rt, ref)
    const preserveFds = exec.checkPreserveFds(flags['preserve-fds'] ?? 0)
    const execId = exec.newExecId()
    const opts = {
      command: rest,
      env: flags.env,
      envFiles,
      user: flags.user,
      workdir: flags.workdir,
      privileged: flags.privileged,
      preserveFds,
    }

    if (flags.tty) {
      const {parseDetachKeys, DetachKeysError} = await load.attach()
      try {
        parseDetachKeys(flags['detach-keys'])
      } catch (e) {
        if (e instanceof DetachKeysError) throw new InvalidArgument(e.message)
        throw e
      }
      const {execWithTerminal} = await import('../../cli/exec-terminal.js')
      const code = await execWithTerminal(rt, c, execId, {...opts, interactive: flags.interactive, detach: flags.detach, detachKeys: flags['detach-keys']})
      if (flags.detach) this.log(execId)
      else if (code) throw new ExitCode(code)
      return
    }
    if (flags.detach) {
      await exec.execDetached(rt, c, execId, opts)
      this.log(execId)
      return
    }
    const r = await exec.execForeground(rt, c, execId, {...opts, stdin: flags.interactive})
    if (r.exitCode) throw new ExitCode(r.exitCode)
  }
}
