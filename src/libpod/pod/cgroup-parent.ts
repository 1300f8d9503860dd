// The cgroup a pod shows in `pod inspect` and `pod ps` (no file access and
// no limits code: `pod ps` loads it).
import path from 'node:path'
import {DEFAULT_CGROUP_PARENT} from '../define/cgroup.js'
import type {PodConfig} from './types.js'

/** pod inspect's cgroup fields (after Labels). */
export function inspectPodCgroup(pod: PodConfig): Record<string, unknown> {
  // --share-parent=false: no pod cgroup, but Podman still shows the parent its members use
  if (pod.shareParent === false) return {CreateCgroup: false, CgroupParent: DEFAULT_CGROUP_PARENT}
  // Rootless on cgroup v1 the pod has no cgroup of its own, but Podman 4.3.1 shows the one it would have.
  if (!pod.cgroupPath) {
    const parent = pod.resources?.cgroupParent ?? DEFAULT_CGROUP_PARENT
    return {CreateCgroup: true, CgroupParent: parent, CgroupPath: `${parent}/${pod.id}`}
  }
  return {CreateCgroup: true, CgroupParent: path.dirname(pod.cgroupPath), CgroupPath: pod.cgroupPath}
}
