// runsc (gVisor): runc's command line plus the sandbox's own global flags,
// which live here and nowhere else.
import {OciCliRuntime} from './cli.js'

export class Runsc extends OciCliRuntime {
  protected override runtimeArgs(): string[] {
    const args: string[] = []
    // --network none gets a sandbox with loopback only. Otherwise runsc's own
    // network stack would copy the interfaces of the netns we prepared, but
    // this runsc (2022) takes every netns for the host's on kernels that give
    // each netns /proc/sys/net/core/rmem_default (6.x): "cannot run with
    // network enabled in root network namespace". So it uses the stack of the
    // netns it joins (--network=host: the container's own netns from the
    // spec, or the host's with --network host).
    args.push(`--network=${this.opts.network === 'none' ? 'none' : 'host'}`)
    // In our user namespace there is no cgroup runsc may create (cgroup v1).
    if (this.opts.rootless) args.push('--ignore-cgroups')
    return args
  }
}
