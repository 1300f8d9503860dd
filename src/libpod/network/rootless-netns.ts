// Rootless user-defined networks, as Podman 4 does them: one network
// namespace shared by the user's containers on netavark networks, reaching
// out through slirp4netns. netavark runs inside it (bridges, iptables and
// aardvark-dns live there, not on the host); published ports are forwarded
// by slirp4netns from the host to the same port in that namespace, where
// netavark's DNAT takes them to the container. It exists while a container
// uses it: the last one out removes it.
import {existsSync, readFileSync, rmSync} from 'node:fs'
import path from 'node:path'
import type {Runtime} from '../runtime.js'
import {readJson, writeJsonAtomic} from '../state/atomic.js'
import {withLock} from '../state/lock.js'
import {findBinary, networkSettings} from './config.js'
import {NetworkFailure} from '../define/errors.js'
import {parseSlirpOptions, startSlirp, stopHelper, stopStraySlirp} from './helpers.js'
import {createNetns, isNsMount, removeNetns} from './netns.js'
import {processAlive} from '../util/liveness.js'

export interface RootlessNetns {
  dir: string
  netns: string
  apiSocket: string
}

function paths(rt: Runtime): RootlessNetns & {pidFile: string; users: string; log: string; lock: string} {
  const dir = path.join(networkSettings(rt).runDir, 'rootless-netns')
  return {
    dir,
    netns: path.join(dir, 'netns'),
    apiSocket: path.join(dir, 'slirp.sock'),
    pidFile: path.join(dir, 'slirp.pid'),
    users: path.join(dir, 'users.json'),
    log: path.join(dir, 'slirp.log'),
    lock: path.join(dir, 'netns'),
  }
}


/** Joins the rootless netns for a container, creating it (and its slirp4netns) when needed. */
export async function acquireRootlessNetns(rt: Runtime, containerId: string): Promise<RootlessNetns> {
  const p = paths(rt)
  return withLock(p.lock, async () => {
    const users = readJson<string[]>(p.users) ?? []
    const pid = Number(existsSync(p.pidFile) ? readFileSync(p.pidFile, 'utf8') : 0)
    if (!isNsMount(p.netns) || !processAlive(pid, p.netns)) {
      await stopHelper(pid, p.netns)
      // of a join killed before it wrote the pid (it had made the netns and the log; a /proc walk, so only then)
      if (isNsMount(p.netns) || existsSync(p.log)) await stopStraySlirp(p.netns)
      await createNetns(p.netns)
      const slirp = findBinary(rt, 'slirp4netns')
      if (!slirp) {
        await removeNetns(p.netns)
        throw new NetworkFailure('could not find slirp4netns, the network namespace can\'t be configured: no such file or directory')
      }
      try {
        // its pid file written as soon as it is spawned: a join killed while it starts leaves it known
        const newPid = await startSlirp(slirp, p.netns, p.apiSocket, p.log, parseSlirpOptions([]), p.pidFile)
        writeJsonAtomic(p.pidFile, newPid)
      } catch (e) {
        await removeNetns(p.netns)
        throw e
      }
      users.length = 0
    }
    if (!users.includes(containerId)) users.push(containerId)
    writeJsonAtomic(p.users, users)
    return {dir: p.dir, netns: p.netns, apiSocket: p.apiSocket}
  })
}

/** Leaves the rootless netns; the last container out removes it. */
export async function releaseRootlessNetns(rt: Runtime, containerId: string): Promise<void> {
  const p = paths(rt)
  if (!existsSync(p.dir)) return
  await withLock(p.lock, async () => {
    const users = (readJson<string[]>(p.users) ?? []).filter(u => u !== containerId && rt.containers.read(u))
    writeJsonAtomic(p.users, users)
    if (users.length) return
    const pid = Number(existsSync(p.pidFile) ? readFileSync(p.pidFile, 'utf8') : 0)
    // the recorded one, or (none alive: a join killed before it wrote the pid) any found by its netns
    if (processAlive(pid, p.netns)) await stopHelper(pid, p.netns)
    else await stopStraySlirp(p.netns)
    // aardvark-dns ran inside it: netavark stops it with the last container of a network.
    await removeNetns(p.netns)
    for (const f of [p.pidFile, p.users, p.apiSocket, p.log]) rmSync(f, {force: true})
  })
}

/** The rootless netns path when it exists (for `unshare --rootless-netns`). */
export function rootlessNetnsPath(rt: Runtime): string | undefined {
  const p = paths(rt)
  return isNsMount(p.netns) ? p.netns : undefined
}
