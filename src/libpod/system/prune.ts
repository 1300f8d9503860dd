// `system prune`, `system reset` and `system renumber`: work over the whole
// store, built from the objects' own prune and remove operations.
import {readFileSync, rmSync} from 'node:fs'
import type {Runtime} from '../runtime.js'
import {InvalidArgument, NoSuchContainer, NoSuchPod} from '../define/errors.js'
import {labelMatches} from '../util/filters.js'
import {parseTime} from '../util/time.js'
import {createdOf, imageSize, parseConfig} from '../image/inspect.js'
import {pruneImages, removeImages} from '../image/manage.js'
import {containerSize} from '../container/ps-row.js'
import {isActive} from '../define/state.js'
import {hostUid} from '../config/paths.js'
import {systemEvent} from '../events/log.js'
import {dirBytes} from './df.js'
import type {ImageDoc} from '../image/images.js'

export interface SystemPruneOptions {
  /** -a: every image no container uses, not only dangling ones. */
  all?: boolean
  /** --volumes: unused volumes too. */
  volumes?: boolean
  /** label=, label!=, until= */
  filters?: string[]
}

export interface SystemPruneReport {
  pods: string[]
  containers: string[]
  networks: string[]
  volumes: string[]
  images: string[]
  errors: Error[]
  /** Bytes given back (containers' writable layers, volumes, images). */
  reclaimed: number
}

/** Checks the filters up front (Podman: label and until only). */
function checkFilters(filters: string[]): void {
  for (const f of filters) {
    const key = f.split('=')[0].replace(/!$/, '')
    if (!f.includes('=') || !['label', 'until'].includes(key)) throw new InvalidArgument(`${key} is an invalid filter`)
  }
}

function imageFilter(filters: string[]): (d: ImageDoc) => boolean {
  const preds = filters.map(f => {
    const eq = f.indexOf('=')
    const key = f.slice(0, eq)
    const value = f.slice(eq + 1)
    if (key === 'until') {
      const t = parseTime(value)
      return (d: ImageDoc) => createdOf(d).getTime() < t
    }
    const neg = key === 'label!'
    return (d: ImageDoc) => labelMatches(parseConfig(d).config?.Labels ?? {}, value) !== neg
  })
  return d => preds.every(p => p(d))
}

/** Removes what nothing uses; repeats while a round freed something (a pod's removal frees its image). */
export async function systemPrune(rt: Runtime, opts: SystemPruneOptions = {}): Promise<SystemPruneReport> {
  const filters = opts.filters ?? []
  checkFilters(filters)
  const rep: SystemPruneReport = {pods: [], containers: [], networks: [], volumes: [], images: [], errors: [], reclaimed: 0}
  for (let round = 0; round < 5; round++) {
    const before = rep.pods.length + rep.containers.length + rep.networks.length + rep.volumes.length + rep.images.length
    const pods = await rt.prunePods()
    rep.pods.push(...pods.removed)
    rep.errors.push(...pods.errors)
    const sizes = new Map(rt.listContainers().filter(c => !isActive(c.status)).map(c => [c.id, containerSize(rt, c.data).rwSize]))
    const ctrs = await rt.pruneContainers(filters.filter(f => !f.startsWith('label!')))
    rep.containers.push(...ctrs.removed)
    rep.errors.push(...ctrs.errors)
    for (const id of ctrs.removed) rep.reclaimed += sizes.get(id) ?? 0
    rep.networks.push(...await rt.pruneNetworks(filters))
    if (opts.volumes) {
      const vsizes = new Map(rt.volumes.list().map(v => [v.name, dirBytes(rt.volumes.dataDir(v.name))]))
      const vols = await rt.pruneVolumes(filters)
      rep.volumes.push(...vols)
      for (const v of vols) rep.reclaimed += vsizes.get(v) ?? 0
    }
    const isizes = new Map(rt.listImages().map(d => [d.id, imageSize(rt.store, d)]))
    const imgs = await pruneImages(rt.store, {all: opts.all, inUse: id => rt.imageUsers(id), filter: imageFilter(filters)})
    rep.images.push(...imgs)
    for (const id of imgs) rep.reclaimed += isizes.get(id) ?? 0
    const after = rep.pods.length + rep.containers.length + rep.networks.length + rep.volumes.length + rep.images.length
    if (after === before) break
  }
  return rep
}

/**
 * `system reset`: every pod, container, volume, network and image removed,
 * then the store and run directories, and (rootless) the pause process
 * that holds the user namespace.
 */
export async function systemReset(rt: Runtime): Promise<Error[]> {
  const errors: Error[] = []
  const keep = (e: unknown) => {
    if (!(e instanceof NoSuchContainer) && !(e instanceof NoSuchPod)) errors.push(e as Error)
  }
  for (const p of rt.listPods()) await p.remove({force: true, timeout: 0}).catch(keep)
  for (const c of rt.listContainers()) await c.remove({force: true, timeout: 0, volumes: true, depend: true}).catch(keep)
  for (const v of rt.volumes.list()) await rt.volume(v.name).remove({force: true, timeout: 0}).catch(keep)
  const {defaultNetwork} = (await import('../network/config.js')).networkSettings(rt)
  for (const n of rt.networks.list()) if (n.name !== defaultNetwork) await rt.network(n.name).remove({force: true, timeout: 0}).catch(keep)
  const images = rt.listImages().map(d => d.id)
  if (images.length) await removeImages(rt.store, images, {force: true, inUse: () => []}).catch(keep)
  for (const dir of [rt.config.graphRoot, rt.config.runRoot, rt.config.volumePath]) {
    try {
      rmSync(dir, {recursive: true, force: true})
    } catch (e) {
      errors.push(e as Error)
    }
  }
  if (rt.config.rootless) {
    // From inside its namespace (stopPauseProcess looks for one other than ours): by its pid file.
    const file = (await import('../rootless/pause.js')).pausePidFile(hostUid())
    try {
      const pid = Number(readFileSync(file, 'utf8').trim())
      rmSync(file, {force: true})
      if (pid > 0) process.kill(pid, 'SIGKILL')
    } catch {
      // none running
    }
  }
  return errors
}

/**
 * `system renumber`: Podman reassigns its numbered SHM locks. peapod's locks
 * are files named for each object, so there is nothing to reassign: it waits
 * for the store lock (no command is mid-change) and records the event.
 */
export async function systemRenumber(rt: Runtime): Promise<void> {
  await rt.store.locked(() => undefined)
  systemEvent(rt.config, 'renumber')
}
