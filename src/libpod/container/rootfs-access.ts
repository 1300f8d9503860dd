// A container's filesystem as `cp`, `export` and friends see it. A running
// container is entered through /proc/PID/root: its own mount namespace, so
// volumes, binds and tmpfs mounts are there as the container sees them. A
// stopped one has its rootfs mounted for the operation (unmounted after if
// it was not mounted before), its binds and volumes honoured as mounts, all
// under the container's lock so that a `start` waits for us.
import {imageOf} from './rootfs-dir.js'
import {closeSync, constants, openSync, readFileSync} from 'node:fs'
import {containerBeingRemoved, NoSuchContainer, PeapodError} from '../define/errors.js'
import {parseConfig} from '../image/inspect.js'
import type {Runtime} from '../runtime.js'
import {getExecUser} from '../spec/user.js'
import {isMounted, mountRootfs, rootfsDirs, unmountRootfs} from '../storage/mount.js'
import {FsRoot, type RootMount, fdPath, split} from './fsroot.js'
import {syncContainer} from './sync.js'
import {containerPaths} from './paths.js'
import type {Container} from './types.js'
import {isActive} from '../define/state.js'


export interface ContainerFs {
  container: Container
  root: FsRoot
  /** Entered through /proc/PID/root (the container runs). */
  live: boolean
}

/** The host directories a stopped container's binds and volumes show. */
async function stoppedMounts(rt: Runtime, c: Container): Promise<RootMount[]> {
  const out: RootMount[] = []
  for (const m of c.config.mounts ?? []) {
    if (m.type === 'bind') out.push({destination: m.destination, source: m.source})
    else if (m.type === 'volume') out.push({destination: m.destination, source: rt.volumes.dataDir(m.source)})
  }
  return out
}

function liveRoot(c: Container): FsRoot | undefined {
  const pid = c.state.pid
  if (!pid) return undefined
  try {
    return new FsRoot(`/proc/${pid}/root`)
  } catch {
    return undefined // exited meanwhile, or not ours to enter: fall back to the rootfs
  }
}

/**
 * Runs fn with the container's filesystem. `notFound` makes the error for
 * an unknown container (Podman's wording differs per command).
 */
export async function withContainerFs<T>(rt: Runtime, ref: string, notFound: (ref: string) => PeapodError, fn: (cfs: ContainerFs) => Promise<T>, opts: {rootfsOnly?: boolean} = {}): Promise<T> {
  const found = rt.containers.find(ref)
  if (!found) throw notFound(ref)
  const c0 = await syncContainer(rt, found)
  const id = c0.config.id
  if (isActive(c0.state.status)) {
    // rootfsOnly (export): the mounted rootfs of the running container, without its mounts
    const merged = rootfsDirs(containerPaths(rt, id).dir).merged
    const root = opts.rootfsOnly ? (rt.store.driver.name === 'vfs' || isMounted(merged) ? new FsRoot(merged) : undefined) : liveRoot(c0)
    if (root) {
      try {
        return await fn({container: c0, root, live: true})
      } finally {
        root.close()
      }
    }
  }
  const p = containerPaths(rt, id)
  return rt.containers.locked(id, async () => {
    const c = rt.containers.read(id)
    if (!c) throw notFound(ref)
    if (c.state.status === 'removing') throw containerBeingRemoved(id)
    const own = c.config.rootfs
    const merged = own && !own.overlay ? own.path : rootfsDirs(p.dir).merged
    const wasMounted = rt.store.driver.name === 'vfs' || isMounted(merged) || merged === own?.path
    const image = imageOf(rt, c.config)
    if (!wasMounted) await mountRootfs(rt.store, p.dir, image.layers, own)
    let root: FsRoot | undefined
    try {
      root = new FsRoot(merged, opts.rootfsOnly ? [] : await stoppedMounts(rt, c))
      return await fn({container: c, root, live: false})
    } finally {
      root?.close()
      // A start that raced us waits on the lock, so nothing else uses the mount now.
      if (!wasMounted) await unmountRootfs(rt.store, p.dir).catch(() => {})
    }
  })
}

/** A small file of the container (e.g. /etc/passwd) read inside its root; undefined when missing. */
export function readInRoot(root: FsRoot, file: string): string | undefined {
  try {
    const r = root.resolve(file, {followLast: true})
    if (!r.exists || !r.st?.isFile()) return undefined
    const {parent, base} = split(r.rel)
    const fd = openSync(root.at(parent, base), constants.O_RDONLY | constants.O_NOFOLLOW)
    try {
      return readFileSync(fdPath(fd), 'utf8')
    } finally {
      closeSync(fd)
    }
  } catch {
    return undefined
  }
}

/** The container's primary uid/gid (its --user, else the image's USER), as Podman's cp chowns to. */
export function containerUser(rt: Runtime, cfs: ContainerFs): {uid: number; gid: number} {
  const c = cfs.container
  let spec = c.config.user
  if (spec === undefined || spec === '') {
    try {
      spec = parseConfig(rt.store.images.get(c.config.imageId)).config?.User ?? ''
    } catch {
      spec = ''
    }
  }
  if (!spec) return {uid: 0, gid: 0}
  const u = getExecUser(spec, readInRoot(cfs.root, '/etc/passwd'), readInRoot(cfs.root, '/etc/group'))
  return {uid: u.uid, gid: u.gid}
}

export function notFoundError(message: string): (ref: string) => PeapodError {
  return ref => new NoSuchContainer(message.replace('%s', ref))
}
