// `pause`/`unpause`: the OCI runtime's pause/resume (the cgroup freezer).
// Rootless on cgroup v1 there is no cgroup of the container's own to freeze:
// Podman's errors then.
import {containerEvent} from '../events/log.js'
import {statfsSync} from 'node:fs'
import {NoCgroups} from '../define/errors.js'
import {checkTransition} from '../define/state.js'
import type {Runtime} from '../runtime.js'
import {syncContainer} from './sync.js'
import {ociFor} from '../oci/runtime.js'

const CGROUP2_MAGIC = 0x63677270


export function cgroupV2(): boolean {
  try {
    return statfsSync('/sys/fs/cgroup').type === CGROUP2_MAGIC
  } catch {
    return false
  }
}

/** Podman checks this in the CLI, before looking the containers up. */
export function checkUnpauseSupported(rt: Runtime): void {
  if (rt.config.rootless && !cgroupV2()) throw new NoCgroups('unpause is not supported for cgroupv1 rootless containers')
}

export async function pauseContainer(rt: Runtime, nameOrId: string): Promise<void> {
  const c0 = await syncContainer(rt, rt.containers.lookup(nameOrId))
  const id = c0.config.id
  await rt.containers.locked(id, async () => {
    const c = rt.containers.read(id)
    if (!c) return
    checkTransition('pause', id, c.state.status)
    if (rt.config.rootless && !cgroupV2()) throw new NoCgroups('can not pause containers on rootless containers with cgroup V1: this container does not have a cgroup')
    await ociFor(rt, c.config).pause(id)
    rt.containers.updateHeld(id, s => ({...s, status: 'paused'}))
    containerEvent(rt.config, c.config, 'pause')
  })
}

export async function unpauseContainer(rt: Runtime, nameOrId: string): Promise<void> {
  const c0 = await syncContainer(rt, rt.containers.lookup(nameOrId))
  const id = c0.config.id
  await rt.containers.locked(id, async () => {
    const c = rt.containers.read(id)
    if (!c) return
    checkTransition('unpause', id, c.state.status)
    await ociFor(rt, c.config).resume(id)
    rt.containers.updateHeld(id, s => ({...s, status: 'running'}))
    containerEvent(rt.config, c.config, 'unpause')
  })
}
