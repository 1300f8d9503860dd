// What a container's lifecycle asks of the objects around it. container/
// never imports pod/ (or volume/, network/ orchestration): the Runtime
// implements these (src/libpod/runtime/) and container code calls them
// through rt.hooks.
import type {Runtime} from '../runtime.js'
import type {ContainerConfig} from './types.js'

export interface ContainerHooks {
  /** Before a pod member starts: its pod's infra container runs. */
  beforeStart(rt: Runtime, c: ContainerConfig): Promise<void>
  /** After a member's cleanup: the pod's exit policy (`stop` stops the infra when no member is left). */
  afterExit(rt: Runtime, c: ContainerConfig): Promise<void>
  /** `rm` of an infra container whose pod has no other container: the pod goes with it. */
  removePod(rt: Runtime, podId: string, opts: {force?: boolean; timeout?: number}): Promise<void>
  /**
   * The cleanup of a container whose monitor died (container/ops.ts), for
   * syncContainer: readers load the OCI runtime and network teardown only then.
   */
  cleanup(rt: Runtime, id: string, opts: {fromSync?: boolean}): Promise<void>
}
