// `mount`/`unmount`: the container's merged rootfs for the user. Rootless
// the mounts live in peapod's mount namespace, so, as Podman, `mount` only
// works inside `peapod unshare`. User mounts are counted (state.mountCount):
// a running container's rootfs is never unmounted under it.
import {imageOf} from './rootfs-dir.js'
import {containerEvent} from '../events/log.js'
import {containerBeingRemoved, ContainerStateImproper, InvalidArgument, UnmountFailed} from '../define/errors.js'
import type {Runtime} from '../runtime.js'
import {isMounted, mountRootfs, rootfsDirs, unmountRootfs} from '../storage/mount.js'
import {syncContainer} from './sync.js'
import {containerPaths} from './paths.js'
import type {Container} from './types.js'
import {isActive} from '../define/state.js'
import {collate} from '../util/collate.js'


/** Podman's ParentNSRequired check: rootless, mount needs `unshare`. */
export function checkMountNamespace(rt: Runtime, commandPath: string): void {
  if (rt.config.rootless && !process.env.PEAPOD_ROOTLESS_UID) {
    throw new InvalidArgument(`cannot run command "peapod ${commandPath}" in rootless mode, must execute \`peapod unshare\` first`)
  }
}

/** Mounts the container's rootfs (idempotent) and returns the merged path. */
export async function mountContainer(rt: Runtime, nameOrId: string): Promise<string> {
  const c = await syncContainer(rt, rt.containers.lookup(nameOrId))
  const id = c.config.id
  const p = containerPaths(rt, id)
  return rt.containers.locked(id, async () => {
    const cur = rt.containers.read(id)
    if (!cur || cur.state.status === 'removing') throw containerBeingRemoved(id)
    const image = imageOf(rt, cur.config)
    const merged = await mountRootfs(rt.store, p.dir, image.layers, cur.config.rootfs)
    rt.containers.updateHeld(id, s => ({...s, mountPoint: merged, mountCount: (s.mountCount ?? 0) + 1}))
    containerEvent(rt.config, cur.config, 'mount')
    return merged
  })
}

export function isContainerMounted(rt: Runtime, c: Container): boolean {
  if (isActive(c.state.status) && c.state.mountPoint) return true
  if ((c.state.mountCount ?? 0) > 0) return true
  const merged = rootfsDirs(containerPaths(rt, c.config.id).dir).merged
  return rt.store.driver.name !== 'vfs' && isMounted(merged)
}

export interface MountedContainer {
  id: string
  name: string
  path: string
}

/** `mount` without arguments: every container whose rootfs is mounted, by ID. */
export function mountedContainers(rt: Runtime): MountedContainer[] {
  return rt.containers.list()
    .filter(c => c.state.status !== 'removing' && isContainerMounted(rt, c))
    .sort((a, b) => collate(a.config.id, b.config.id))
    .map(c => ({id: c.config.id, name: c.config.name, path: c.state.mountPoint ?? rootfsDirs(containerPaths(rt, c.config.id).dir).merged}))
}


/**
 * Drops one user mount (all with force); the rootfs is unmounted once no
 * user mount is left and the container does not run. Unmounting a running
 * container without user mounts is Podman's error.
 */
export async function unmountContainer(rt: Runtime, nameOrId: string, force = false): Promise<void> {
  const c = await syncContainer(rt, rt.containers.lookup(nameOrId))
  const id = c.config.id
  const p = containerPaths(rt, id)
  await rt.containers.locked(id, async () => {
    const cur = rt.containers.read(id)
    if (!cur) return
    const running = isActive(cur.state.status)
    let count = cur.state.mountCount ?? 0
    if (force) count = 0
    else if (count > 0) count--
    else if (running) throw ContainerStateImproper.because(`cannot unmount storage for container ${id} as it is running or paused`)
    if (!running && count === 0) {
      try {
        await unmountRootfs(rt.store, p.dir)
      } catch (e) {
        throw new UnmountFailed(`unmounting container ${id}: ${(e as Error).message}`)
      }
    }
    rt.containers.updateHeld(id, s => ({...s, mountCount: count || undefined, ...(!running && count === 0 ? {mountPoint: undefined} : {})}))
    containerEvent(rt.config, cur.config, 'unmount')
  })
}
