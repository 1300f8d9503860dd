// `pod create`: reserve the name, create the infra container (which holds
// the shared namespaces and the pod's network and ports), write the pod's
// document. On any failure nothing is left behind.
import {InvalidArgument} from '../define/errors.js'
import type {Runtime} from '../runtime.js'
import {createContainer} from '../container/create.js'
import {removeContainer} from '../container/ops.js'
import {randomName} from '../container/names.js'
import {DEFAULT_SHARE, type PodSpec} from '../specgen/pod.js'
import {validatePodSpec} from '../specgen/validate.js'
import {ensureInfraImage, INFRA_COMMAND} from './infra-image.js'
import {PodStore} from './store.js'
import {failpoint} from '../util/failpoint.js'
import type {PodConfig} from './types.js'

export async function createPod(rt: Runtime, spec: PodSpec): Promise<PodConfig> {
  validatePodSpec(spec)
  const withInfra = spec.infra ?? true
  const share = withInfra ? [...spec.share ?? DEFAULT_SHARE] : []
  const store = rt.pods
  const id = PodStore.newId()
  const name = spec.name ?? randomName()
  store.reserveName(name, id)
  let infraId: string | undefined
  try {
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
      }, {pod: id, isInfra: true})
      infraId = infra.id
      failpoint('pod.create.after-infra')
    }
    const config: PodConfig = {
      id, name, created: new Date().toISOString(), createCommand: spec.createCommand, labels: {...spec.labels},
      ...spec.hostname ? {hostname: spec.hostname} : {}, share, exitPolicy: spec.exitPolicy ?? 'continue', ...infraId ? {infraId} : {},
    }
    store.write(config)
    return config
  } catch (e) {
    if (infraId) await removeContainer(rt, infraId, {force: true}).catch(() => {})
    store.releaseName(name, id)
    throw e
  }
}
