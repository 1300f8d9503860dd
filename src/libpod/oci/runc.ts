// runc (and runtimes installed under a runc* name).
import {OciCliRuntime} from './cli.js'
import {existsSync} from 'node:fs'
import path from 'node:path'
import type {OciRunOptions} from './types.js'

export class Runc extends OciCliRuntime {
  protected override runtimeArgs(): string[] {
    // In our user namespace runc must not insist on cgroups it cannot create.
    return this.opts.rootless ? ['--rootless', 'true'] : []
  }

  /** runc --debug logs `process exited` with the status (the foreground exec reads it). */
  protected override canDebug(): boolean {
    return true
  }

  /** runc keeps a container's state in ROOT/ID until `delete`. */
  hasState(id: string): boolean {
    return existsSync(path.join(this.opts.root, id))
  }

  /** create + start: runc exits once the container runs (checked with runc 1.1.5). */
  runDetached(id: string, o: OciRunOptions): {create: string[]; start: string[]} {
    return {
      create: this.argv(['create', '--bundle', o.bundle, '--pid-file', o.pidFile, ...(o.noPivot ? ['--no-pivot'] : []), ...(o.extra ?? []), id], o),
      start: this.argv(['start', id]),
    }
  }
}
