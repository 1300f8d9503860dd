// Namespaces a container joins from another one (`container:ID`, as a pod's
// members join its infra): the paths of that container's process; the host's
// or a path (--ipc/--pid/--uts host, ns:PATH) as they are.
import {ContainerStateImproper} from '../define/errors.js'
import type {Runtime} from '../runtime.js'
import type {NamespaceMode} from '../spec/index.js'
import type {ContainerConfig} from './types.js'

export interface JoinedNamespaces {
  ipc?: NamespaceMode
  uts?: NamespaceMode
  pid?: NamespaceMode
}

/** `container:ID` → `ns:/proc/PID/ns/TYPE` of that running container. */
export function joinedNamespaces(rt: Runtime, c: ContainerConfig): JoinedNamespaces {
  const out: JoinedNamespaces = {}
  for (const [type, mode] of Object.entries(c.namespaces ?? {}) as Array<[keyof JoinedNamespaces, string | undefined]>) {
    if (!mode) continue
    // --ipc/--pid/--uts: host and ns:PATH as they are; shareable and none are private namespaces
    if (mode === 'host' || mode.startsWith('ns:')) out[type] = mode as NamespaceMode
    if (!mode.startsWith('container:')) continue
    const ref = mode.slice('container:'.length)
    const other = rt.containers.read(ref)
    if (!other || (other.state.status !== 'running' && other.state.status !== 'paused') || !other.state.pid) {
      throw ContainerStateImproper.because(`cannot join ${type} namespace of container ${ref}: container is not running`)
    }
    out[type] = `ns:/proc/${other.state.pid}/ns/${type}`
  }
  return out
}
