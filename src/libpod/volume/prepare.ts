// A container's volumes at start (Podman's mountNamedVolume and
// fixVolumePermissions) and at cleanup: mount volumes that have mount
// options, copy the image's content up into a new volume, give a new volume
// its first container's ownership, chown `:U` mounts to the container's user,
// mount --mount type=image sources; and release all that when the container
// stops. Rootless, this runs as root inside our user namespace, so the
// volume's files belong to IDs mapped from the user's subordinate ranges.
import {chmodSync, existsSync, lchownSync, lstatSync, mkdirSync, readdirSync, rmdirSync, type Stats} from 'node:fs'
import path from 'node:path'
import type {ContainerConfig, MountSpec, TmpfsSpec} from '../container/types.js'
import {StorageError} from '../define/errors.js'
import type {Runtime} from '../runtime.js'
import type {BindMount} from '../spec/mounts.js'
import {secureJoin} from '../spec/paths.js'
import {processUser, readUserFiles} from '../spec/user.js'
import {isMounted} from '../storage/mount.js'
import {run} from '../util/process.js'
import {needsMount, volumeMountArgs} from './store.js'
import type {VolumeDoc} from './types.js'

export interface PreparedMounts {
  /** Host paths bound into the container: bind mounts, volumes' _data, image mounts. */
  binds: BindMount[]
  /** --mount type=tmpfs mounts. */
  tmpfs: TmpfsSpec[]
}

async function sh(cmd: string, args: string[], what: string): Promise<void> {
  try {
    await run([cmd, ...args])
  } catch (e) {
    const msg = ((e as {stderr?: string}).stderr || (e as Error).message).trim().split('\n').pop()
    throw new StorageError(`${what}: ${msg}`)
  }
}

/** chown -R unless the top already has that owner (Podman's check after the first start). */
async function chownTree(dir: string, uid: number, gid: number): Promise<void> {
  const st = lstatSync(dir)
  if (st.uid === uid && st.gid === gid) {
    // the top may have been chowned by a previous start; the content too then
    const entries = readdirSync(dir)
    if (entries.length === 0) return
    const first = lstatSync(path.join(dir, entries[0]))
    if (first.uid === uid && first.gid === gid) return
  }
  await sh('chown', ['-R', '-h', `${uid}:${gid}`, dir], `chowning ${dir}`)
}

function isEmptyDir(dir: string): boolean {
  try {
    return readdirSync(dir).length === 0
  } catch {
    return true
  }
}

export async function mountVolume(doc: VolumeDoc, data: string, ctrId: string): Promise<void> {
  await sh('mount', volumeMountArgs(doc, data), `mounting volume ${doc.name} for container ${ctrId}`)
}

export async function unmount(dir: string): Promise<void> {
  if (!isMounted(dir)) return
  try {
    await run(['umount', dir])
  } catch {
    await run(['umount', '-l', dir]).catch(() => {})
  }
}

interface User { uid: number; gid: number }

/** Mounts, copies up and chowns one volume for a starting container; returns its _data. */
async function prepareVolume(rt: Runtime, c: ContainerConfig, m: MountSpec, rootfs: string, user: () => User): Promise<string> {
  const store = rt.volumes
  const name = m.source
  // Removed between create and start (or by hand): made again, as on first use.
  if (!store.exists(name)) await store.create({name, anonymous: /^[0-9a-f]{64}$/.test(name), ignoreExisting: true})
  const data = store.dataDir(name)
  await store.locked(name, async () => {
    let doc = store.read(name)
    if (!doc) throw new StorageError(`volume ${name} was removed while container ${c.id} was starting`)
    if (needsMount(doc)) {
      if (!isMounted(data)) {
        await mountVolume(doc, data, c.id)
        doc = store.updateHeld(name, d => ({...d, mountedBy: [c.id]}))
      } else if (!doc.mountedBy.includes(c.id)) {
        doc = store.updateHeld(name, d => ({...d, mountedBy: [...d.mountedBy, c.id]}))
      }
    }
    const src = secureJoin(rootfs, m.destination)
    let srcStat: Stats | undefined
    try {
      srcStat = lstatSync(src)
    } catch {
      // nothing in the image there
    }
    const nocopy = m.options.includes('nocopy') || 'nocopy' in doc.options
    // Copy-up: once, from a non-empty directory of the image, into an empty volume.
    if (doc.needsCopyUp && !nocopy && srcStat?.isDirectory() && !isEmptyDir(src) && isEmptyDir(data)) {
      doc = store.updateHeld(name, d => ({...d, needsCopyUp: false}))
      // the entries, not `src/.`: the volume's own directory keeps its owner and mode (a tmpfs's uid=, say)
      await sh('cp', ['-a', '--reflink=auto', '-t', data, '--', ...readdirSync(src).map(e => path.join(src, e))], `copying up into volume ${name}`)
    }
    // First use: the container's user owns the volume, then the image's directory's owner and mode win.
    if (doc.needsChown) {
      const u = user()
      lchownSync(data, u.uid, u.gid)
      if (srcStat) {
        lchownSync(data, srcStat.uid, srcStat.gid)
        chmodSync(data, srcStat.mode & 0o7777)
      }
      // what inspect shows as UID/GID (Podman records the container's user, whoever ends up owning it)
      store.updateHeld(name, d => ({...d, needsChown: false, uidChowned: u.uid, gidChowned: u.gid}))
    }
  })
  return data
}

/** Where --mount type=image sources are mounted (runtime dir: gone with a reboot, like the mounts). */
function imageMountPoint(rt: Runtime, ctrId: string, index: number): string {
  return path.join(rt.config.runRoot, 'image-mounts', `${ctrId}-${index}`)
}

/** A read-only view of an image: its one layer's dir, or an overlay of its layers. */
async function prepareImageMount(rt: Runtime, c: ContainerConfig, m: MountSpec, index: number): Promise<string> {
  const image = rt.store.images.get(m.source)
  const driver = rt.store.driver
  if (image.layers.length === 0) throw new StorageError(`image ${m.source} has no layers to mount`)
  if (driver.name === 'vfs' || image.layers.length === 1) return driver.dir(image.layers[image.layers.length - 1])
  const target = imageMountPoint(rt, c.id, index)
  if (isMounted(target)) return target
  mkdirSync(target, {recursive: true})
  const lower = [...image.layers].reverse().map(l => driver.dir(l)).join(':')
  const opts = `lowerdir=${lower}${rt.config.rootless ? ',userxattr' : ''}`
  await sh('mount', ['-t', 'overlay', 'overlay', '-o', opts, target], `mounting image ${m.source}`)
  return target
}

/**
 * Everything a container's mounts need before its spec is generated;
 * returns the binds and tmpfs mounts the spec takes.
 */
export async function prepareMounts(rt: Runtime, c: ContainerConfig, rootfs: string, image: {User?: string} = {}): Promise<PreparedMounts> {
  let u: User | undefined
  const user = (): User => (u ??= processUser(c.user ?? image.User ?? '', readUserFiles(rootfs)))
  const binds: BindMount[] = []
  const tmpfs: TmpfsSpec[] = []
  let i = 0
  for (const m of c.mounts) {
    switch (m.type) {
      case 'bind':
        if (m.options.includes('U')) await chownTree(m.source, user().uid, user().gid)
        binds.push({source: m.source, destination: m.destination, options: m.options})
        break
      case 'volume': {
        const data = await prepareVolume(rt, c, m, rootfs, user)
        if (m.options.includes('U')) await chownTree(data, user().uid, user().gid)
        // Podman's defaults for volumes (a bind's come from its source's host mount): nosuid, nodev
        const options = [...m.options]
        if (!options.some(o => o === 'suid' || o === 'nosuid')) options.push('nosuid')
        if (!options.some(o => o === 'dev' || o === 'nodev')) options.push('nodev')
        binds.push({source: data, destination: m.destination, options})
        break
      }
      case 'tmpfs':
        tmpfs.push({destination: m.destination, options: m.options})
        break
      case 'image':
        binds.push({source: await prepareImageMount(rt, c, m, i), destination: m.destination, options: m.options})
        break
    }
    i++
  }
  return {binds, tmpfs}
}

/** Unmounts what prepareMounts mounted for this container (idempotent: cleanup and rm both call it). */
export async function releaseMounts(rt: Runtime, c: ContainerConfig): Promise<void> {
  const store = rt.volumes
  let i = 0
  for (const m of c.mounts ?? []) {
    if (m.type === 'volume') {
      const doc = store.read(m.source)
      if (doc && (needsMount(doc) || doc.mountedBy.length)) {
        await store.locked(m.source, async () => {
          const cur = store.read(m.source)
          if (!cur) return
          const left = cur.mountedBy.filter(id => id !== c.id && rt.containers.exists(id))
          if (left.length !== cur.mountedBy.length) store.updateHeld(m.source, d => ({...d, mountedBy: left}))
          if (left.length === 0) await unmount(store.dataDir(m.source))
        })
      }
    } else if (m.type === 'image') {
      const target = imageMountPoint(rt, c.id, i)
      if (existsSync(target)) {
        await unmount(target)
        try {
          rmdirSync(target)
        } catch {
          // still busy: left for the next cleanup
        }
      }
    }
    i++
  }
}
