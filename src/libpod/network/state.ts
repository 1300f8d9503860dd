// A container's network state while its network is up:
// <runRoot>/networks/containers/ID.json, written by setup, removed by teardown.
import {existsSync, readdirSync} from 'node:fs'
import path from 'node:path'
import type {Runtime} from '../runtime.js'
import {readJson} from '../state/atomic.js'
import type {ContainerConfig} from '../container/types.js'
import {networkSettings} from './config.js'
import type {NetavarkInput} from './netavark.js'
import type {ContainerNetworkOptions, NetworkState} from './types.js'

/** A container config with the network options this module adds to it. */
export type NetConfig = ContainerConfig & {networkOptions?: ContainerNetworkOptions}

export interface FullNetworkState extends NetworkState {
  netavark?: NetavarkInput
  /** The namespace of the rootless netns the container's netavark networks live in. */
  rootlessNs?: string
  /** Where host.containers.internal points. */
  hostIp?: string
  /** host: share the host's network. */
  host?: boolean
}

export function stateDir(rt: Runtime): string {
  return path.join(networkSettings(rt).runDir, 'containers')
}

export function stateFile(rt: Runtime, id: string): string {
  return path.join(stateDir(rt), `${id}.json`)
}

export function readNetworkState(rt: Runtime, id: string): FullNetworkState | undefined {
  return readJson<FullNetworkState>(stateFile(rt, id))
}

/** Every container's network state (ports taken, rootless netns users). */
export function allNetworkStates(rt: Runtime): FullNetworkState[] {
  const dir = stateDir(rt)
  if (!existsSync(dir)) return []
  return readdirSync(dir).filter(f => f.endsWith('.json')).map(f => readJson<FullNetworkState>(path.join(dir, f))).filter((s): s is FullNetworkState => Boolean(s))
}
