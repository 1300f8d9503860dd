// `volume rm` and `volume prune` on the volume alone: removing the containers
// that use a volume (rm -f) is the Runtime's (src/libpod/runtime/volumes.ts).
import type {Runtime} from '../runtime.js'
import {VolumeInUse} from '../define/errors.js'
import {matchVolumeFilters, parseVolumeFilters} from './list.js'
import {removeUnusedVolume, usedVolumes, volumeUsers} from './usage.js'

export function volumeInUse(name: string, users: string[]): VolumeInUse {
  return new VolumeInUse(`volume ${name} is being used by the following container(s): ${users.join(', ')}: volume is being used`)
}

/** Removes a volume no container uses (VolumeInUse otherwise). */
export async function removeVolume(rt: Runtime, nameOrPrefix: string): Promise<string> {
  const name = rt.volumes.lookup(nameOrPrefix).name
  if (!(await removeUnusedVolume(rt, name))) {
    const now = volumeUsers(rt, name)
    if (now.length) throw volumeInUse(name, now)
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
  return rt.volumes.list().filter(v => !used.has(v.name) && matchVolumeFilters(v, parsed, used)).map(v => v.name)
}
