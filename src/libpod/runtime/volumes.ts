// Removing a volume that containers use: refused unless forced; forced, its
// containers go first (as Podman's runtime_volume.go). The volume package
// itself never removes containers.
import type {Runtime} from '../runtime.js'
import {removeContainer} from '../container/ops.js'
import {removeVolume as removeUnused, volumeInUse} from '../volume/remove.js'
import {volumeUsers} from '../volume/usage.js'

export async function removeVolume(rt: Runtime, nameOrPrefix: string, opts: {force?: boolean; timeout?: number} = {}): Promise<string> {
  const name = rt.volumes.lookup(nameOrPrefix).name
  const users = volumeUsers(rt, name)
  if (users.length) {
    if (!opts.force) throw volumeInUse(name, users)
    for (const id of users) await removeContainer(rt, id, {force: true, timeout: opts.timeout})
  }
  return removeUnused(rt, name)
}
