// A container's mounts at create, as Podman works them out
// (pkg/specgen/generate/storage.go finalizeMounts, specgenutil/volumes.go):
// the user's -v, --mount and --tmpfs (a destination given twice is an
// error) supersede the "base" mounts: the image's VOLUMEs (anonymous
// volumes) and --volumes-from (which supersede the image's).
// Nothing is created here; createVolumes() makes the volumes once the rest
// of the container's options have been checked.
import {statSync} from 'node:fs'
import path from 'node:path'
import type {MountSpec, TmpfsSpec} from '../container/types.js'
import {InvalidArgument, NoSuchContainer, PeapodError} from '../define/errors.js'
import type {ImageDoc} from '../image/images.js'
import {parseConfig} from '../image/inspect.js'
import type {Runtime} from '../runtime.js'
import {cleanPath, processMountOptions} from '../spec/mounts.js'
import type {ContainerStorageConfig} from '../specgen/container.js'
import {mountOptions} from '../specgen/mounts.js'
import {parseDriverOptions, validateVolumeName, VolumeStore} from './store.js'

/** A volume the container needs that is not there yet. */
export interface VolumeToCreate {
  name: string
  anonymous: boolean
  /** Driver options (--mount ...,volume-opt=K=V). */
  options: string[]
}

export interface ResolvedMounts {
  mounts: MountSpec[]
  /** --tmpfs mounts (config.tmpfs). */
  tmpfs: TmpfsSpec[]
  create: VolumeToCreate[]
}

/** `statfs SRC: no such file or directory`, as Podman says of a missing bind source. */
function checkBindSource(source: string): void {
  try {
    statSync(source)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : code === 'ENOTDIR' ? 'not a directory' : (e as Error).message
    throw new InvalidArgument(`statfs ${source}: ${why}`)
  }
}

/** Checks options the way the spec will process them at start, so errors show at create. */
function checkOptions(m: MountSpec): void {
  if (m.type === 'bind' || m.type === 'volume') {
    processMountOptions(m.options, {tmpfs: false})
  } else if (m.type === 'tmpfs') processMountOptions(m.options.filter(o => o !== 'U'), {tmpfs: true})
}

function volumesFrom(rt: Runtime, from: {container: string; readonly?: boolean; relabel?: boolean}): MountSpec[] {
  const given = from.readonly !== undefined || from.relabel
  const options = [...from.relabel ? ['z'] : [], ...from.readonly === undefined ? [] : [from.readonly ? 'ro' : 'rw']]
  let c
  try {
    c = rt.containers.lookup(from.container)
  } catch (e) {
    if (e instanceof NoSuchContainer || e instanceof PeapodError) throw new InvalidArgument(`looking up container ${JSON.stringify(from.container)} for volumes-from: ${(e as Error).message}`)
    throw e
  }
  return c.config.mounts
    .filter(m => m.type === 'bind' || m.type === 'volume')
    .map(m => ({...m, options: given ? [...options] : [...m.options]}))
}

/**
 * The container's mounts (config.mounts) and --tmpfs mounts from the spec's
 * mounts, volumes-from and the image's VOLUMEs; throws on bad input before
 * anything is created.
 */
export function resolveMounts(rt: Runtime, spec: Pick<ContainerStorageConfig, 'mounts' | 'tmpfs' | 'volumesFrom'>, image: ImageDoc): ResolvedMounts {
  const store = rt.volumes
  const user = new Map<string, MountSpec>()
  const create: VolumeToCreate[] = []
  const wanted = new Set<string>()
  const add = (m: MountSpec) => {
    if (user.has(m.destination)) throw new InvalidArgument(`${m.destination}: duplicate mount destination`)
    user.set(m.destination, m)
  }
  const named = (name: string, options: string[]) => {
    try {
      validateVolumeName(name)
      parseDriverOptions(options)
    } catch (e) {
      throw new InvalidArgument(`creating named volume ${JSON.stringify(name)}: ${(e as Error).message}`)
    }
    if (!wanted.has(name) && !store.exists(name)) create.push({name, anonymous: false, options})
    wanted.add(name)
  }
  const anonymous = (m: MountSpec, options: string[] = []) => {
    m.source = VolumeStore.newName()
    create.push({name: m.source, anonymous: true, options})
  }

  for (const input of spec.mounts ?? []) {
    const destination = cleanPath(input.destination)
    if (input.type === 'image') {
      add({type: 'image', source: rt.lookupImage(input.source).id, destination, options: mountOptions(input)})
      continue
    }
    const m: MountSpec = {type: input.type, source: input.type === 'bind' ? input.source : input.type === 'tmpfs' ? 'tmpfs' : input.name ?? '', destination, options: mountOptions(input)}
    checkOptions(m)
    if (input.type === 'bind') checkBindSource(input.source)
    if (input.type === 'volume') {
      if (input.name === undefined) anonymous(m, input.driverOptions)
      else named(input.name, input.driverOptions ?? [])
    }
    add(m)
  }
  const tmpfs: TmpfsSpec[] = (spec.tmpfs ?? []).map(t => ({destination: cleanPath(t.destination), options: mountOptions(t)}))
  const tmpfsDests = new Set(tmpfs.map(t => t.destination))
  for (const d of tmpfsDests) if (user.has(d)) throw new InvalidArgument(`${d}: duplicate mount destination`)

  // Base mounts: the image's VOLUMEs, superseded by --volumes-from.
  const base = new Map<string, MountSpec>()
  const imageVolumes = Object.keys(parseConfig(image).config?.Volumes ?? {}).sort()
  // --image-volume: anonymous volumes (bind, the default), tmpfs mounts, or nothing
  const imageVolume = (spec as {imageVolume?: string}).imageVolume ?? 'bind'
  for (const v of imageVolume === 'ignore' ? [] : imageVolumes) {
    const dest = cleanPath(v)
    if (imageVolume === 'tmpfs') {
      if (!user.has(dest) && !tmpfsDests.has(dest)) tmpfs.push({destination: dest, options: []})
      continue
    }
    base.set(dest, {type: 'volume', source: '', destination: dest, options: ['rprivate', 'rw', 'nodev', 'exec']})
  }
  for (const from of spec.volumesFrom ?? []) {
    for (const m of volumesFrom(rt, from)) base.set(m.destination, m)
  }
  const out: MountSpec[] = []
  for (const [dest, m] of base) {
    if (user.has(dest) || tmpfsDests.has(dest)) continue
    if (m.type === 'volume' && m.source === '') anonymous(m)
    out.push(m)
  }
  out.push(...user.values())
  return {mounts: out, tmpfs, create}
}

/**
 * Creates the volumes a new container needs: named ones on first use and
 * its anonymous ones. Called once the container's other options are checked.
 */
export async function createVolumes(rt: Runtime, resolved: ResolvedMounts): Promise<void> {
  const store = rt.volumes
  for (const v of resolved.create) {
    try {
      await store.create({name: v.name, anonymous: v.anonymous, options: v.options, ignoreExisting: true})
    } catch (e) {
      if (v.anonymous) throw e
      throw new InvalidArgument(`creating named volume ${JSON.stringify(v.name)}: ${(e as Error).message}`)
    }
  }
}
