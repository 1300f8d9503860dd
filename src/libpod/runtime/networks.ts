// Removing a network that containers use: refused unless forced; forced,
// its containers go first (as Podman's `network rm -f`). The network package
// itself never removes containers.
import type {Runtime} from '../runtime.js'
import {removeContainer} from '../container/ops.js'
import {NoSuchContainer} from '../define/errors.js'
import {checkRemovable, networkUsers, removeNetwork as removeUnused} from '../network/manage.js'

export async function removeNetwork(rt: Runtime, nameOrId: string, opts: {force?: boolean; timeout?: number} = {}): Promise<string> {
  const doc = rt.networks.get(nameOrId)
  const users = networkUsers(rt, doc.name)
  checkRemovable(rt, doc, opts.force ? [] : users)
  for (const c of users) {
    await removeContainer(rt, c.config.id, {force: true, timeout: opts.timeout ?? 0}).catch(e => {
      if (!(e instanceof NoSuchContainer) && !/no such container/.test((e as Error).message)) throw e
    })
  }
  return removeUnused(rt, nameOrId)
}
