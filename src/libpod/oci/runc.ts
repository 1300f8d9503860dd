// runc (and runtimes installed under a runc* name).
import {OciCliRuntime} from './cli.js'

export class Runc extends OciCliRuntime {
  protected override runtimeArgs(): string[] {
    // In our user namespace runc must not insist on cgroups it cannot create.
    return this.opts.rootless ? ['--rootless', 'true'] : []
  }

  /** runc --debug logs `process exited` with the status (the foreground exec reads it). */
  protected override canDebug(): boolean {
    return true
  }
}
