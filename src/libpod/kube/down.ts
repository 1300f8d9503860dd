// kube down: stops and removes the pods a YAML describes (and their emptyDir
// and ConfigMap/Secret volumes). Volumes made from its PersistentVolumeClaims
// stay, unless force: their data is the point of a claim.
import {NoSuchPod} from '../define/errors.js'
import type {Runtime} from '../runtime.js'
import {parseKubeYaml, KINDS} from './parse.js'
import {isWorkload, podTemplates, templateSpec} from './to-spec.js'
import {EMPTYDIR_LABEL, SOURCE_LABEL} from './volumes.js'
import {removeServiceContainer} from './service.js'

export interface DownReport {
  stopped: string[]
  removed: string[]
  /** Volumes removed (PVC volumes with force). */
  volumes: string[]
}

/** Stops and removes the named pods (those that exist) and their emptyDir volumes. */
export async function tearDown(rt: Runtime, podNames: string[], opts: {timeout?: number}): Promise<DownReport> {
  const out: DownReport = {stopped: [], removed: [], volumes: []}
  for (const name of podNames) {
    let pod
    try {
      pod = rt.pod(name)
    } catch (e) {
      if (e instanceof NoSuchPod) continue
      throw e
    }
    if (pod.name !== name) continue // a prefix of another pod's ID or name: not ours
    // A forced remove stops the members (each with its own stop timeout unless
    // one is given) and the infra in one pass: the pod is reported stopped and removed.
    const own = (await pod.containers()).filter(c => !c.config.isInfra).map(c => c.config.stopTimeout)
    await pod.remove({force: true, timeout: opts.timeout ?? Math.max(0, ...own)})
    out.stopped.push(pod.id)
    out.removed.push(pod.id)
    for (const v of rt.volumes.list().filter(v => v.labels[EMPTYDIR_LABEL] === name)) {
      await rt.volume(v.name).remove({force: true})
    }
  }
  return out
}

/** kube down: the file's pods go; its claims' volumes too with force. */
export async function kubeDown(rt: Runtime, text: string, opts: {force?: boolean; timeout?: number} = {}): Promise<DownReport> {
  const docs = parseKubeYaml(text).filter(d => KINDS[d.kind])
  const names = docs.filter(isWorkload).flatMap(d => podTemplates(d).map(t => t.name))
  // As Podman: a pod the file names that does not exist is an error (checked before any is removed).
  const existing = new Set(rt.pods.list().map(p => p.name))
  const missing = names.find(n => !existing.has(n))
  if (missing) throw new NoSuchPod(`no pod with name or ID ${missing} found: no such pod`)
  const report = await tearDown(rt, names, opts)
  await removeServiceContainer(rt, text)
  if (opts.force) {
    const claims = new Set<string>()
    for (const d of docs) {
      if (d.kind === 'PersistentVolumeClaim') claims.add(String((d.obj.metadata as {name?: unknown} | undefined)?.name ?? ''))
      if (isWorkload(d)) for (const v of templateSpec(d)?.volumes ?? []) if (v.persistentVolumeClaim) claims.add(v.persistentVolumeClaim.claimName)
    }
    for (const name of claims) {
      if (!rt.volumes.exists(name)) continue
      await rt.volume(name).remove({force: true})
      report.volumes.push(name)
    }
  }
  // ConfigMap/Secret volumes kube play filled, once no container uses them.
  for (const d of docs.filter(isWorkload)) {
    for (const v of templateSpec(d)?.volumes ?? []) {
      const name = v.configMap?.name ?? v.secret?.secretName
      if (!name || !rt.volumes.exists(name) || !rt.volumes.read(name)?.labels[SOURCE_LABEL]) continue
      if ((await rt.volume(name).users()).length) continue
      await rt.volume(name).remove({force: true})
    }
  }
  return report
}
