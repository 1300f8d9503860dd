// Pod: the public object over a pod's document. Its lifecycle spans its
// containers, so its methods call the Runtime-level work in
// src/libpod/runtime/pods.ts (loaded when a method runs).
import type {Runtime} from '../runtime.js'
import type {Container as ContainerDoc} from '../container/types.js'
import type {PodConfig} from './types.js'

export class Pod {
  constructor(private readonly rt: Runtime, readonly config: PodConfig) {}

  get id(): string {
    return this.config.id
  }

  get name(): string {
    return this.config.name
  }

  /** Its containers (infra included), synced with reality, oldest first. */
  async containers(): Promise<ContainerDoc[]> {
    const {podContainers} = await import('./containers.js')
    return podContainers(this.rt, this.config)
  }

  async start(): Promise<this> {
    await (await import('../runtime/pods.js')).startPod(this.rt, this.id)
    return this
  }

  async stop(timeout?: number): Promise<this> {
    await (await import('../runtime/pods.js')).stopPod(this.rt, this.id, timeout)
    return this
  }

  async restart(): Promise<this> {
    await (await import('../runtime/pods.js')).restartPod(this.rt, this.id)
    return this
  }

  async kill(signal = 'KILL'): Promise<this> {
    await (await import('../runtime/pods.js')).killPod(this.rt, this.id, signal)
    return this
  }

  async pause(): Promise<this> {
    await (await import('../runtime/pods.js')).pausePod(this.rt, this.id)
    return this
  }

  async unpause(): Promise<this> {
    await (await import('../runtime/pods.js')).unpausePod(this.rt, this.id)
    return this
  }

  /** Removes its containers, its document and its infra; refuses running members unless forced. */
  async remove(opts: {force?: boolean; timeout?: number} = {}): Promise<string> {
    return (await import('../runtime/pods.js')).removePod(this.rt, this.id, opts)
  }

  async inspect(): Promise<Record<string, unknown>> {
    const {inspectPod} = await import('./inspect.js')
    return inspectPod(this.rt, this.id)
  }
}
