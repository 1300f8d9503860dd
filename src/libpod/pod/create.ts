// `pod create`: reserve the name, create the infra container (which holds
// the shared namespaces and the pod's network and ports), write the pod's
// document. On any failure nothing is left behind.
import {podEvent} from '../events/log.js'
import {InvalidArgument} from '../define/errors.js'
import type {Runtime} from '../runtime.js'
import {createContainer} from '../container/create.js'
import {removeContainer} from '../container/ops.js'
import {randomName} from '../container/names.js'
import {DEFAULT_SHARE, type PodSpec} from '../specgen/pod.js'
import {validatePodSpec} from '../specgen/validate.js'
import {ensureInfraImage, INFRA_COMMAND} from './infra-image.js'
import {PodStore} from './store.js'
import {createPodCgroup, podCgroupPath, removePodCgroup} from './cgroup.js'
import {hostCgroups, resolveResources} from '../container/resources.js'
import {failpoint} from '../util/failpoint.js'
import type {PodConfig} from './types.js'
import type {ContainerSpec} from '../specgen/container.js'

export async function createPod(rt: Runtime, spec: PodSpec): Promise<PodConfig> {
  validatePodSpec(spec)
  const withInfra = spec.infra ?? true
  const share = withInfra ? [...spec.share ?? DEFAULT_SHARE] : []
  const store = rt.pods
  const id = PodStore.newId()
  const name = spec.name ?? randomName()
  // RESOURCES: the pod's cgroup, with its limits, is its members' parent (pod/cgroup.ts)
  const {resources, warnings} = resolveResources(spec.resources ?? {}, {rootless: rt.config.rootless})
  const cgroupPath = spec.shareParent === false ? undefined : podCgroupPath(id, resources.cgroupParent, {rootless: rt.config.rootless, v2: hostCgroups().v2})
  store.reserveName(name, id)
  let infraId: string | undefined
  try {
    if (cgroupPath && !hostCgroups().v2) createPodCgroup(cgroupPath, resources.resourceLimits)
    failpoint('pod.create.after-reserve')
    if (withInfra) {
      const image = spec.infraImage ?? await ensureInfraImage(rt)
      const infra = await createContainer(rt, {
        image,
        command: [],
        entrypoint: spec.infraCommand ?? (spec.infraImage ? undefined : INFRA_COMMAND),
        name: spec.infraName ?? `${id.slice(0, 12)}-infra`,
        hostname: share.includes('uts') ? spec.hostname ?? name : spec.hostname,
        network: spec.network,
        ...cgroupPath ? {cgroupParent: cgroupPath} : {},
        ...resources.shmSize ? {shmSize: resources.shmSize} : {},
        ...spec.users, // USERS/NAMESPACES/DEVICES: the infra holds the pod's user namespace
        ...spec.infraConmonPidFile ? {conmonPidFile: spec.infraConmonPidFile} : {},
        ...infraExtras(spec),
      }, {pod: id, isInfra: true})
      infraId = infra.id
      failpoint('pod.create.after-infra')
    }
    const config: PodConfig = {
      id, name, created: new Date().toISOString(), createCommand: spec.createCommand, labels: {...spec.labels},
      spec: JSON.parse(JSON.stringify({...spec, replace: undefined, serviceContainer: undefined})) as PodSpec,
      ...spec.hostname ? {hostname: spec.hostname} : {}, share, exitPolicy: spec.exitPolicy ?? 'continue', ...infraId ? {infraId} : {},
      ...cgroupPath ? {cgroupPath} : {}, ...Object.keys(resources).length && spec.shareParent !== false ? {resources} : {},
      ...spec.shareParent === false ? {shareParent: false} : {},
      ...spec.users?.devices?.length ? {devices: spec.users.devices} : {},
      ...spec.serviceContainer ? {serviceContainerId: spec.serviceContainer} : {},
    }
    store.write(config)
    for (const w of warnings) rt.logger.plain(w)
    podEvent(rt.config, config, 'create')
    return config
  } catch (e) {
    if (infraId) await removeContainer(rt, infraId, {force: true, timeout: 0}).catch(() => {})
    store.releaseName(name, id)
    removePodCgroup(cgroupPath)
    throw e
  }
}

/** --volume, --volumes-from, --security-opt, --sysctl: set on the infra (members inherit its volumes: pod/new.ts). */
function infraExtras(spec: PodSpec): Partial<ContainerSpec> {
  const out: Partial<ContainerSpec> = {}
  if (spec.mounts?.length) out.mounts = spec.mounts
  if (spec.volumesFrom?.length) out.volumesFrom = spec.volumesFrom
  if (spec.security && Object.keys(spec.security).length) out.security = spec.security
  if (spec.sysctl && Object.keys(spec.sysctl).length) out.sysctl = spec.sysctl
  return out
}
