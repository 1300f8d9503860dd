// Network namespaces kept alive by a bind mount of their nsfs file (as `ip
// netns` and Podman do), so that one exists before the OCI runtime starts
// and the spec can point at it. Rootless, this runs inside peapod's user
// and mount namespace, which then owns the netns and holds the mount.
import {closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync} from 'node:fs'
import path from 'node:path'
import {run} from '../util/process.js'
import {bindNamespace} from '../util/ns-file.js'
import {NetworkFailure} from '../define/errors.js'

/** Network helpers get a minute: a wedged one must not hang a start for good. */
export const HELPER_TIMEOUT = 60_000

/** Whether `file` is a mount point of a namespace (in our mount namespace). */
export function isNsMount(file: string): boolean {
  try {
    return readFileSync('/proc/self/mountinfo', 'utf8').split('\n').some(l => {
      const f = l.split(' ')
      return f[4] === file && l.includes(' - nsfs ')
    })
  } catch {
    return false
  }
}

/** Creates a new network namespace bound at `file`. */
export async function createNetns(file: string, userns?: string): Promise<void> {
  mkdirSync(path.dirname(file), {recursive: true})
  if (isNsMount(file)) await removeNetns(file)
  closeSync(openSync(file, 'w', 0o644))
  try {
    // made inside a container's own user namespace, which then owns it
    if (userns) return await bindNamespace(['nsenter', `--user=${userns}`, '--', 'unshare', '--net', '--'], 'net', file)
    // util-linux binds /proc/PID/ns/net of the child onto the file.
    await run(['unshare', `--net=${file}`, 'true'], {timeout: HELPER_TIMEOUT})
  } catch (e) {
    rmSync(file, {force: true})
    throw new NetworkFailure(`creating network namespace: ${((e as {stderr?: string}).stderr || (e as Error).message).trim()}`)
  }
}

/** Unmounts and removes a namespace file; fine when it is already gone. */
export async function removeNetns(file: string): Promise<void> {
  if (!existsSync(file)) return
  // Lazy: a helper still closing its handle must not keep the file around.
  if (isNsMount(file)) await run(['umount', '-l', file], {timeout: HELPER_TIMEOUT}).catch(() => {})
  rmSync(file, {force: true})
}

/** Runs a program inside a network namespace (netavark in the rootless netns). */
export function nsenterArgs(netns: string, file: string, args: string[]): [string, string[]] {
  return ['nsenter', [`--net=${netns}`, '--', file, ...args]]
}
