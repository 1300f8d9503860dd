// Which containers use a volume, and removing volumes nobody uses any more
// (a container's anonymous volumes on `rm -v` / `--rm`). Container removal
// calls in here; removing a volume's containers (volume rm -f) is the
// Runtime's (src/libpod/runtime/volumes.ts).
import {volumeEvent} from '../events/log.js'
import type {ContainerConfig} from '../container/types.js'
import {StorageError} from '../define/errors.js'
import type {Runtime} from '../runtime.js'
import {isMounted} from '../storage/mount.js'
import {runSync} from '../util/process.js'
import {needsMount} from './store.js'

/** IDs of the containers (in any state) whose mounts name the volume. */
export function volumeUsers(rt: Runtime, name: string, except?: string): string[] {
  return rt.containers.list()
    .filter(c => c.config.id !== except && (c.config.mounts ?? []).some(m => m.type === 'volume' && m.source === name))
    .map(c => c.config.id)
}

/** Names of all volumes some container uses. */
export function usedVolumes(rt: Runtime): Set<string> {
  const out = new Set<string>()
  for (const c of rt.containers.list()) for (const m of c.config.mounts ?? []) if (m.type === 'volume') out.add(m.source)
  return out
}

/**
 * Removes one volume if nobody uses it (checked under the store lock, where
 * containers are created). Returns false when it is in use or gone.
 */
export async function removeUnusedVolume(rt: Runtime, name: string, except?: string): Promise<boolean> {
  const store = rt.volumes
  return rt.store.locked(() => store.locked(name, () => {
    const doc = store.read(name)
    if (!doc) return false
    if (volumeUsers(rt, name, except).length) return false
    const data = store.dataDir(name)
    if (needsMount(doc) && isMounted(data)) {
      try {
        // Synchronous: inside the store's and the volume's locks.
        runSync(['umount', data])
      } catch {
        runSync(['umount', '-l', data])
      }
      // never delete through a mount into what it shows (a bind's source, say)
      if (isMounted(data)) throw new StorageError(`volume ${name} is still mounted at ${data}`)
    }
    store.deleteHeld(name)
    volumeEvent(rt.config, name, 'remove')
    return true
  }))
}

/** `rm -v` and `--rm`: the container's anonymous volumes go with it, unless another container uses them. */
export async function removeAnonymousVolumes(rt: Runtime, c: ContainerConfig): Promise<void> {
  const store = rt.volumes
  for (const m of c.mounts ?? []) {
    if (m.type !== 'volume') continue
    const doc = store.read(m.source)
    if (!doc?.anonymous) continue
    await removeUnusedVolume(rt, m.source, c.id).catch(() => {})
  }
}
