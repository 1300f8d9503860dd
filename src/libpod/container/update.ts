// `update`: new cgroup limits for a container. A running (or paused) one gets
// them at once through the runtime's `update --resources`; either way they
// are kept in its config, so inspect shows them and the next start applies
// them. (Podman 4.3.1 only calls the runtime and forgets them; later Podmans
// keep them, as here.)
import {rmSync, writeFileSync} from 'node:fs'
import {noSuchContainer} from '../define/errors.js'
import {isRunningOrPaused} from '../define/state.js'
import {ociFor} from '../oci/runtime.js'
import type {Runtime} from '../runtime.js'
import type {ResourceLimits} from '../specgen/resources.js'
import {containerPaths} from './paths.js'
import {hostCgroups, ociResources, resolveResources} from './resources.js'

const merge = <T extends object>(a: T | undefined, b: T | undefined): T | undefined => (a || b ? {...a, ...b} as T : undefined)

/** The limits after an update: each given value replaces the old one, the rest stay. */
export function mergeLimits(old: ResourceLimits | undefined, next: ResourceLimits): ResourceLimits {
  const out: ResourceLimits = {
    memory: merge(old?.memory, next.memory),
    cpu: merge(old?.cpu, next.cpu),
    pids: next.pids ?? old?.pids,
    blockIO: merge(old?.blockIO, next.blockIO),
    unified: merge(old?.unified, next.unified),
  }
  for (const k of Object.keys(out) as Array<keyof ResourceLimits>) if (out[k] === undefined) delete out[k]
  return out
}

export interface UpdateResult {
  id: string
  /** Podman's warnings (limits this host cannot enforce). */
  warnings: string[]
}

export async function updateContainer(rt: Runtime, nameOrId: string, limits: ResourceLimits): Promise<UpdateResult> {
  const id = rt.containers.lookup(nameOrId).config.id
  return rt.store.locked(() => rt.containers.locked(id, async () => {
    const cur = rt.containers.read(id)
    if (!cur) throw noSuchContainer(nameOrId)
    const old = cur.config.resources ?? {}
    const {resources, warnings} = resolveResources({...old, resourceLimits: mergeLimits(old.resourceLimits, limits)}, {rootless: rt.config.rootless})
    if (isRunningOrPaused(cur.state.status) && resources.resourceLimits) {
      const file = `${containerPaths(rt, id).run}/resources-update.json`
      // the device rules are set at create; `update` takes the limits only
      const {devices: _devices, ...res} = ociResources(resources, {rootless: rt.config.rootless, v2: hostCgroups().v2})
      writeFileSync(file, JSON.stringify(res))
      try {
        await ociFor(rt, cur.config).update(id, file)
      } finally {
        rmSync(file, {force: true})
      }
    }
    rt.containers.writeConfig({...cur.config, resources})
    return {id, warnings}
  }))
}
