// kube play: Kubernetes YAML → pods, containers and volumes, all or nothing.
// 1. parse and plan every document (names, ports, ConfigMaps, Secrets, keys,
//    hostPath types: no side effects); 2. resolve every image (pulling as the
//    pull policy says); 3. make volumes, pods and containers, remembering
//    each; 4. run the init containers in order, then start the others. A
//    failure anywhere undoes what this play made (volumes that existed
//    before are left alone) and rethrows.
import {createReadStream, existsSync, mkdirSync, rmSync, rmdirSync, writeFileSync, chmodSync} from 'node:fs'
import path from 'node:path'
import {InvalidArgument} from '../define/errors.js'
import type {Runtime} from '../runtime.js'
import {newContainer} from '../create.js'
import {createPod} from '../pod/create.js'
import {pullImageIfNeeded, type PullOptions} from '../image/pull.js'
import {VolumeStore} from '../volume/store.js'
import {parseKubeYaml, KINDS, type KubeDoc} from './parse.js'
import {collectSources, secretDocumentText} from './sources.js'
import {unknownFields} from './fields.js'
import {isWorkload, KUBE_NETWORK, planPod, podTemplates, type PlayDefaults, type PodPlan} from './to-spec.js'
import {pvcNeeds, SOURCE_LABEL, type VolumeNeed} from './volumes.js'
import {tearDown} from './down.js'
import {validateSecretName} from '../secret/secrets.js'
import {buildImages, type BuildChoice} from './build-images.js'
import {createServiceContainer, removeServiceContainer} from './service.js'
import {pullPolicyOf} from './to-spec.js'

export interface PlayOptions extends Omit<PlayDefaults, 'rootless'> {
  /** Start the pods (default true; --start=false: created only). */
  start?: boolean
  /** --replace: tear down pods of the same names first. */
  replace?: boolean
  /** The texts of --configmap files. */
  configMaps?: string[]
  /** Registry options for pulls (--authfile, --creds, --tls-verify, --cert-dir). */
  pull?: PullOptions
  /** --validate=strict: an unknown field is an error (default: a warning). */
  strict?: boolean
  /** --build, --context-dir: images built from directories named like them. */
  build?: BuildChoice
  /** --service-container: a container that stands for the play (systemd). */
  serviceContainer?: boolean
}

export interface PlayedPod {
  id: string
  name: string
  /** The containers (not the infra, not the init containers). */
  containers: string[]
  initContainers: string[]
}

export interface PlayReport {
  pods: PlayedPod[]
  /** Volumes made from PersistentVolumeClaims. */
  volumes: string[]
  /** What was accepted but skipped or ignored, one line each (the CLI prints them as warnings). */
  warnings: string[]
  /** The service container's ID (--service-container). */
  serviceContainer?: string
}

/** Runs the undo steps in reverse; their own failures do not hide the first error. */
async function undo(steps: Array<() => Promise<unknown> | unknown>): Promise<void> {
  for (const step of steps.reverse()) {
    try {
      await step()
    } catch {
      // best effort: the original error is what the user needs
    }
  }
}

/** Parses, checks and plans a play without touching the store. */
export function planPlay(rt: Runtime, text: string, opts: PlayOptions = {}): {plans: PodPlan[]; pvcs: Map<string, VolumeNeed>; secrets: Map<string, string>; warnings: string[]} {
  const docs = parseKubeYaml(text)
  const cmDocs: KubeDoc[][] = (opts.configMaps ?? []).map(t => parseKubeYaml(t))
  const warnings: string[] = []
  for (const d of docs) {
    if (!KINDS[d.kind]) warnings.push(`Kube kind ${d.kind} not supported, skipping it`)
  }
  const supported = docs.filter(d => KINDS[d.kind])
  for (const d of supported.filter(isWorkload)) {
    for (const f of unknownFields(d.kind, d.obj)) {
      const msg = `${d.kind} at line ${d.line}: unknown field ${JSON.stringify(f)}`
      if (opts.strict) throw new InvalidArgument(`strict decoding error: ${msg}`)
      warnings.push(`${msg} (ignored)`)
    }
  }
  if (supported.length === 0) throw new InvalidArgument('YAML document does not contain any supported kube kind')
  const sources = collectSources(supported, cmDocs)
  sources.stored = name => {
    const doc = rt.secrets.find(name)
    return doc ? rt.secrets.read(doc.id) : undefined
  }
  // The file's Secrets go into the secret store (replacing one of the same name), as Podman stores them.
  const secrets = new Map<string, string>()
  for (const d of supported.filter(x => x.kind === 'Secret')) {
    const name = String((d.obj.metadata as {name?: unknown}).name)
    validateSecretName(name)
    const doc = secretDocumentText(d.obj)
    if (Buffer.byteLength(doc) >= 512000) throw new InvalidArgument(`Secret "${name}": secret data must be larger than 0 and less than 512000 bytes`)
    secrets.set(name, doc)
  }
  const pvcs = pvcNeeds(supported)
  const defaults: PlayDefaults = {...opts, rootless: rt.config.rootless}
  const plans = supported.filter(isWorkload).flatMap(d => podTemplates(d).map(t => planPod(d, t, sources, pvcs, defaults, n => rt.volumes.dataDir(n), VolumeStore.newName)))
  if ((opts.staticIP || opts.staticMAC) && plans.length > 1) throw new InvalidArgument('--ip and --mac-address: one value per pod, and the YAML has more than one pod')
  const seen = new Set<string>()
  for (const p of plans) {
    if (seen.has(p.name)) throw new InvalidArgument(`${p.kind} "${p.name}": pod name ${JSON.stringify(p.name)} is used twice in the YAML`)
    seen.add(p.name)
    warnings.push(...p.warnings)
  }
  return {plans, pvcs, secrets, warnings}
}

/** Checks the names the play will take: pods and their containers must be free unless --replace. */
function checkNames(rt: Runtime, plans: PodPlan[], replace: boolean): void {
  const pods = new Map(rt.pods.list().map(p => [p.name, p]))
  const containers = new Map(rt.containers.list().map(c => [c.config.name, c.config]))
  for (const p of plans) {
    const existing = pods.get(p.name)
    if (existing && !replace) throw new InvalidArgument(`adding pod to state: name "${p.name}" is in use: pod already exists`)
    for (const c of p.containers) {
      const other = containers.get(c.spec.name!)
      if (other && !(replace && existing && other.pod === existing.id)) throw new InvalidArgument(`creating container storage: the container name "${c.spec.name}" is already in use by ${other.id}. You have to remove that container to be able to reuse that name: that name is already in use`)
    }
  }
}

function writeFiles(dir: string, files: NonNullable<VolumeNeed['files']>): void {
  for (const f of files) {
    const dest = path.join(dir, f.path)
    mkdirSync(path.dirname(dest), {recursive: true})
    writeFileSync(dest, f.data)
    chmodSync(dest, f.mode & 0o7777)
  }
}

/** Stores a Secret document under its name; the undo step puts back what was there. */
async function storeSecret(rt: Runtime, name: string, doc: string, steps: Array<() => Promise<unknown> | unknown>): Promise<void> {
  const prev = rt.secrets.find(name)
  const prevData = prev ? rt.secrets.read(prev.id) : undefined
  if (prev) await rt.secrets.remove(prev.id)
  steps.push(async () => {
    if (rt.secrets.find(name)) await rt.secrets.remove(name)
    if (prev && prevData) await rt.secrets.create(prev.name, prevData, {labels: prev.labels, driver: prev.driver})
  })
  await rt.secrets.create(name, Buffer.from(doc))
}

/** kube play: makes what the YAML describes, or nothing. */
export async function playKube(rt: Runtime, text: string, opts: PlayOptions = {}): Promise<PlayReport> {
  const {plans, pvcs, secrets, warnings} = planPlay(rt, text, opts)
  if (opts.serviceContainer && opts.start === false) throw new InvalidArgument('--service-container does not work with --start=stop')
  checkNames(rt, plans, Boolean(opts.replace))
  // Every image, before anything is made: built (--build), else pulled as the policy says.
  const built = new Set(await buildImages(rt, plans.flatMap(p => p.containers.map(c => c.spec.image)), opts.build ?? {}))
  for (const c of plans.flatMap(p => p.containers)) if (!built.has(c.spec.image)) await pullImageIfNeeded(rt, c.spec.image, c.pullPolicy, opts.pull)
  for (const i of plans.flatMap(p => p.volumes.images)) await pullImageIfNeeded(rt, i.image, pullPolicyOf(i.pullPolicy), opts.pull)

  if (opts.replace) {
    const names = new Set(plans.map(p => p.name))
    await tearDown(rt, rt.pods.list().filter(p => names.has(p.name)).map(p => p.name), {})
    if (opts.serviceContainer) await removeServiceContainer(rt, text)
  }

  const steps: Array<() => Promise<unknown> | unknown> = []
  const report: PlayReport = {pods: [], volumes: [], warnings}
  try {
    // The kube default network (rootful bridge), made on first use as Podman does.
    if (plans.some(p => p.podSpec.network?.networks?.some(n => n.name === KUBE_NETWORK)) && !rt.networks.exists(KUBE_NETWORK)) {
      const {existed} = await rt.networks.create({name: KUBE_NETWORK, ignore: true})
      if (!existed) steps.push(async () => (await import('../network/manage.js')).removeNetwork(rt, KUBE_NETWORK))
    }
    for (const [name, doc] of secrets) await storeSecret(rt, name, doc, steps)
    for (const p of plans.flatMap(x => x.volumes.hostPaths)) {
      if (existsSync(p.path)) continue
      if (p.create === 'dir') {
        mkdirSync(p.path, {recursive: true, mode: 0o755})
        steps.push(() => rmdirSync(p.path))
      } else {
        writeFileSync(p.path, '', {mode: 0o644, flag: 'wx'})
        steps.push(() => rmSync(p.path))
      }
    }
    // Volumes: PVCs (also those of the file no pod uses), ConfigMaps, Secrets, emptyDirs.
    const wanted = new Map<string, VolumeNeed>([...pvcs])
    for (const v of plans.flatMap(p => p.volumes.volumes)) {
      const prev = wanted.get(v.name)
      wanted.set(v.name, prev?.files && v.files ? {...v, files: [...prev.files, ...v.files]} : v)
    }
    for (const v of wanted.values()) {
      const labels = v.kind === 'configmap' || v.kind === 'secret' ? {...v.labels, [SOURCE_LABEL]: v.kind} : v.labels
      const {created} = await rt.volumes.create({name: v.name, labels, options: v.options, ignoreExisting: true})
      if (created) {
        steps.push(() => rt.volume(v.name).remove({force: true}))
        if (v.kind === 'pvc') report.volumes.push(v.name)
        if (v.importSource) await rt.volume(v.name).import(createReadStream(v.importSource))
      }
      if (v.files) writeFiles(rt.volumes.dataDir(v.name), v.files)
    }
    for (const d of plans.flatMap(p => p.subPathDirs)) if (!existsSync(d)) mkdirSync(d, {recursive: true})

    // The service container runs before the pods, as Podman's: a pod that is
    // done at once must find it running to stop it (runtime/service-container.ts).
    if (opts.serviceContainer) {
      const svc = await createServiceContainer(rt, text)
      steps.push(() => rt.container(svc.id).remove({force: true, timeout: 0}))
      await rt.container(svc.id).start()
      report.serviceContainer = svc.id
    }
    for (const plan of plans) {
      const pod = await createPod(rt, {...plan.podSpec, ...report.serviceContainer ? {serviceContainer: report.serviceContainer} : {}})
      steps.push(() => rt.pod(pod.id).remove({force: true, timeout: 0}))
      const played: PlayedPod = {id: pod.id, name: pod.name, containers: [], initContainers: []}
      for (const c of plan.containers) {
        const cfg = await newContainer(rt, {...c.spec, pod: pod.id})
        ;(c.init ? played.initContainers : played.containers).push(cfg.id)
      }
      report.pods.push(played)
    }
    // Every pod exists before any starts: the service is done only when all of them are.
    // Init containers in order (runtime/pods.ts startPod), then the others together.
    if (opts.start !== false) for (const p of report.pods) await rt.pod(p.id).start()
  } catch (e) {
    await undo(steps)
    throw e
  }
  return report
}
