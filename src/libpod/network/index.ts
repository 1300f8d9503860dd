// The network API the container lifecycle calls (start, cleanup, rm,
// inspect, ps) — see setup.ts for how it works.
import path from 'node:path'
import type {Runtime} from '../runtime.js'
import type {ContainerConfig} from '../container/types.js'
import {containerPaths} from '../container/paths.js'
import {writeNetworkFiles} from './files.js'
import {setupContainerNetwork, teardownContainerNetwork, type NetConfig} from './setup.js'

export {containerNetworkInfo} from './info.js'
export {setupContainerNetwork, teardownContainerNetwork, teardownOrphanStates, readNetworkState} from './setup.js'
export {parseNetworkMode, resolveNetworkOptions} from './options.js'
export type {ContainerNetworkOptions} from './types.js'

export interface PreparedNetwork {
  /** The spec's network namespace: 'host', 'none' (a new empty one) or `ns:PATH`. */
  mode: 'host' | 'none' | `ns:${string}`
  /** The files to bind-mount (undefined: not mounted). */
  hosts?: string
  resolvConf?: string
}

/**
 * start: sets the network up (netns, helper, netavark, ports) and writes
 * /etc/hosts and /etc/resolv.conf for it. Call before generateSpec.
 */
export async function prepareContainerNetwork(rt: Runtime, c: ContainerConfig, files: {hosts: string; resolvConf: string}, hostname: string, opts: {userns?: string} = {}): Promise<PreparedNetwork> {
  const cfg = c as NetConfig
  const st = await setupContainerNetwork(rt, cfg, opts)
  try {
    const other = cfg.network.startsWith('container:') ? containerPaths(rt, cfg.network.slice('container:'.length)) : undefined
    const mounted = writeNetworkFiles(st, cfg.networkOptions ?? {}, files, hostname, cfg.name, other)
    const mode: PreparedNetwork['mode'] = st.host ? 'host' : st.nsPath ? `ns:${st.nsPath}` : 'none'
    return {mode, ...mounted}
  } catch (e) {
    await teardownContainerNetwork(rt, c.id).catch(() => {})
    throw e
  }
}

/** Teardown by the container's runtime dir (releaseBundle knows only its paths). */
export function teardownByRunDir(rt: Runtime, runDir: string): Promise<void> {
  return teardownContainerNetwork(rt, path.basename(runDir))
}
