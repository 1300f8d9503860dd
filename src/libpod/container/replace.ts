// Create-time checks and work of --replace and --cgroups (Podman's messages):
// --replace removes a container of the same name first, as Quadlet and
// `generate systemd --new` units rely on after a crash.
import {statfsSync} from 'node:fs'
import type {Runtime} from '../runtime.js'
import type {ContainerSpec} from '../specgen/container.js'
import {CommandNotInvokable, InvalidArgument, NoSuchContainer} from '../define/errors.js'
import {ociFor} from '../oci/runtime.js'

const CGROUP2_MAGIC = 0x63677270

export async function beforeCreate(rt: Runtime, spec: ContainerSpec): Promise<void> {
  if (spec.cgroupsMode === 'disabled') {
    // runc always makes a cgroup (crun and runsc can go without)
    const oci = ociFor(rt, {runtime: rt.config.runtime})
    if (oci.name === 'runc') throw new InvalidArgument(`requested OCI runtime ${oci.name} is not compatible with NoCgroups: invalid argument`)
  }
  if (spec.cgroupsMode === 'split') {
    // split nests the container under the caller's cgroup, which Podman finds only on a unified hierarchy
    let unified = false
    try {
      unified = statfsSync('/sys/fs/cgroup').type === CGROUP2_MAGIC
    } catch {
      unified = false
    }
    if (!unified) throw new CommandNotInvokable('could not find cgroup mount in "/proc/self/cgroup"')
  }
  if (spec.replace) {
    if (!spec.name) throw new InvalidArgument('cannot replace container without --name being set')
    let old
    try {
      old = rt.container(spec.name)
    } catch (e) {
      if (e instanceof NoSuchContainer) return
      throw e
    }
    try {
      await old.remove({force: true, volumes: false})
    } catch (e) {
      // an --rm container may remove itself (its cleanup) while we stop it
      if (!(e instanceof NoSuchContainer)) throw e
    }
  }
}
