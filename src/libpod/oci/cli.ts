// The runc-compatible command line (runc, crun and runsc share it): the
// global arguments are computed here once, and each verb is one short call
// through the process runner (util/process.ts).
import {RuntimeFailure} from '../define/errors.js'
import {lastLine, ProcessFailure, run} from '../util/process.js'
import type {OciCreateOptions, OciExecOptions, OciFeatures, OciLog, OciRunOptions, OciRuntime, OciRuntimeOptions, OciState} from './types.js'

/** A runtime verb failed; the message ends with the runtime's own complaint. */
export class OciRuntimeError extends RuntimeFailure {
  constructor(message: string, readonly verb: string, readonly stderr: string) {
    super(message)
  }
}

export class OciCliRuntime implements OciRuntime {
  constructor(readonly name: string, readonly path: string, protected readonly opts: OciRuntimeOptions) {}

  globalArgs(log: OciLog = {}): string[] {
    return [
      '--root', this.opts.root,
      ...this.runtimeArgs(),
      ...this.opts.extraFlags ?? [],
      ...(this.opts.systemdCgroup ? ['--systemd-cgroup'] : []),
      ...(log.debug && this.canDebug() ? ['--debug'] : []),
      ...(log.log ? ['--log', log.log] : []),
      ...(log.log && log.logFormat ? ['--log-format', log.logFormat] : []),
    ]
  }

  /** This runtime's own global arguments (rootless, sandbox flags). */
  protected runtimeArgs(): string[] {
    return []
  }

  /** Whether --debug gives what the engine reads from the log (runc's `process exited`). */
  protected canDebug(): boolean {
    return false
  }

  /** The full argv of a verb: binary, global args, verb and its args. */
  argv(verb: string[], log?: OciLog): string[] {
    return [this.path, ...this.globalArgs(log), ...verb]
  }

  /** Runs a short verb; a failure becomes an OciRuntimeError (`PATH VERB: last stderr line`). */
  protected async call(verb: string[], log?: OciLog): Promise<string> {
    try {
      return (await run(this.argv(verb, log))).stdout
    } catch (e) {
      if (!(e instanceof ProcessFailure)) throw e
      const why = lastLine(e.stderr) || e.detail
      throw new OciRuntimeError(`${this.path} ${verb[0]}: ${why}`, verb[0], e.stderr)
    }
  }

  async create(id: string, o: OciCreateOptions): Promise<void> {
    await this.call(['create', '--bundle', o.bundle, '--pid-file', o.pidFile,
      ...(o.consoleSocket ? ['--console-socket', o.consoleSocket] : []), ...(o.noPivot ? ['--no-pivot'] : []), id], o)
  }

  async start(id: string): Promise<void> {
    await this.call(['start', id])
  }

  run(id: string, o: OciRunOptions): string[] {
    return this.argv(['run', '--bundle', o.bundle, '--pid-file', o.pidFile, ...(o.noPivot ? ['--no-pivot'] : []), ...(o.extra ?? []), id], o)
  }

  async kill(id: string, signal: string, o: {all?: boolean} = {}): Promise<void> {
    await this.call(['kill', ...(o.all ? ['--all'] : []), id, signal])
  }

  async delete(id: string, o: {force?: boolean} = {}): Promise<void> {
    await this.call(['delete', ...(o.force ? ['--force'] : []), id])
  }

  async pause(id: string): Promise<void> {
    await this.call(['pause', id])
  }

  async resume(id: string): Promise<void> {
    await this.call(['resume', id])
  }

  async update(id: string, resourcesFile: string): Promise<void> {
    await this.call(['update', '--resources', resourcesFile, id])
  }

  exec(id: string, o: OciExecOptions): string[] {
    return this.argv(['exec', ...(o.detach ? ['-d'] : []), '--process', o.process, '--pid-file', o.pidFile,
      ...(o.preserveFds ? ['--preserve-fds', String(o.preserveFds)] : []), id], o)
  }

  async state(id: string): Promise<OciState> {
    const out = await this.call(['state', id])
    try {
      return JSON.parse(out) as OciState
    } catch {
      throw new OciRuntimeError(`${this.path} state: unreadable output ${JSON.stringify(out.slice(0, 200))}`, 'state', '')
    }
  }

  async features(): Promise<OciFeatures> {
    try {
      return JSON.parse(await this.call(['features'])) as OciFeatures
    } catch (e) {
      // runc < 1.1.0 and runsc know no `features`: nothing is promised then.
      if (e instanceof OciRuntimeError || e instanceof SyntaxError) return {}
      throw e
    }
  }
}
