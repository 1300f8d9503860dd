// --cgroupns=container:ID: the container joins another one's cgroup
// namespace. At create the reference becomes the full ID (Podman's message
// when there is no such container); at start, the path of that running
// container's namespace.
import {ContainerStateImproper, InvalidArgument} from '../define/errors.js'
import type {Runtime} from '../runtime.js'
import type {CgroupNamespace} from '../specgen/resources.js'

/** `container:NAME` → `container:ID`; other modes as they are. */
export function resolveCgroupns(rt: Runtime, mode: CgroupNamespace | undefined): CgroupNamespace | undefined {
  if (!mode?.startsWith('container:')) return mode
  const ref = mode.slice('container:'.length)
  const other = rt.containers.find(ref)
  if (!other) throw new InvalidArgument(`looking up container to share cgroup namespace with: no container with name or ID ${JSON.stringify(ref)} found: no such container`)
  return `container:${other.config.id}`
}

/** At start: `container:ID` → that running container's namespace path (for the spec). */
export function joinedCgroupns(rt: Runtime, mode: CgroupNamespace | undefined): {cgroupns?: `ns:${string}`} {
  if (!mode?.startsWith('container:')) return {}
  const ref = mode.slice('container:'.length)
  const other = rt.containers.read(ref)
  if (!other || (other.state.status !== 'running' && other.state.status !== 'paused') || !other.state.pid) {
    throw ContainerStateImproper.because(`cannot join cgroup namespace of container ${ref}: container is not running`)
  }
  return {cgroupns: `ns:/proc/${other.state.pid}/ns/cgroup`}
}
