// `volume mount`/`volume unmount`: a volume's _data for the user. A local
// volume with mount options (type/device/o) is mounted there, as when a
// container uses it; a plain one is already its directory. Rootless, as
// Podman, only inside `peapod unshare` (the mounts live in peapod's namespace).
import type {Runtime} from '../runtime.js'
import {isMounted} from '../storage/mount.js'
import {mountVolume, unmount} from './prepare.js'
import {needsMount} from './store.js'

/** Mounts the volume if it needs a mount; returns its mount point. */
export async function mountVolumeForUser(rt: Runtime, name: string): Promise<string> {
  const store = rt.volumes
  const doc = store.lookup(name)
  const data = store.dataDir(doc.name)
  await store.locked(doc.name, async () => {
    const cur = store.lookup(doc.name)
    if (needsMount(cur) && !isMounted(data)) await mountVolume(cur, data, 'user')
  })
  return data
}

/** Unmounts the volume unless a container still uses its mount; returns its name. */
export async function unmountVolumeForUser(rt: Runtime, name: string): Promise<string> {
  const store = rt.volumes
  const doc = store.lookup(name)
  await store.locked(doc.name, async () => {
    const cur = store.lookup(doc.name)
    const users = cur.mountedBy.filter(id => rt.containers.exists(id))
    if (needsMount(cur) && users.length === 0) await unmount(store.dataDir(doc.name))
  })
  return doc.name
}
