// `volume rm` and `volume prune`.
import {removeContainer} from '../container/ops.js'
import type {Runtime} from '../runtime.js'
import {VolumeInUse} from '../define/errors.js'
import {matchVolumeFilters, parseVolumeFilters} from './list.js'
import {volumeStore} from './store.js'
import {removeUnusedVolume, usedVolumes, volumeUsers} from './usage.js'

function inUse(name: string, users: string[]): VolumeInUse {
  return new VolumeInUse(`volume ${name} is being used by the following container(s): ${users.join(', ')}: volume is being used`)
}

/**
 * Removes a volume. In use, it is refused unless forced; forced, the
 * containers using it are removed first (as Podman does).
 */
export async function removeVolume(rt: Runtime, nameOrPrefix: string, opts: {force?: boolean; timeout?: number} = {}): Promise<string> {
  const name = volumeStore(rt).lookup(nameOrPrefix).name
  const users = volumeUsers(rt, name)
  if (users.length) {
    if (!opts.force) throw inUse(name, users)
    for (const id of users) await removeContainer(rt, id, {force: true, timeout: opts.timeout})
  }
  if (!(await removeUnusedVolume(rt, name))) {
    const now = volumeUsers(rt, name)
    if (now.length) throw inUse(name, now)
  }
  return name
}

/** `volume prune`: the volumes no container uses (matching the filters); returns their names. */
export async function pruneVolumes(rt: Runtime, filters: string[] = []): Promise<string[]> {
  return (await pruneCandidates(rt, filters)).reduce<Promise<string[]>>(async (acc, name) => {
    const done = await acc
    if (await removeUnusedVolume(rt, name)) done.push(name)
    return done
  }, Promise.resolve([]))
}

/** What prune would remove (for its confirmation prompt). */
export async function pruneCandidates(rt: Runtime, filters: string[] = []): Promise<string[]> {
  const parsed = parseVolumeFilters(filters, ['label', 'label!', 'until'])
  const used = usedVolumes(rt)
  return volumeStore(rt).list().filter(v => !used.has(v.name) && matchVolumeFilters(v, parsed, used)).map(v => v.name)
}
