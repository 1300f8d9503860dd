// `container clone` and `pod clone` (Podman's): a new container or pod made
// from the typed spec the original was created from (its config.spec), with
// the given changes; --destroy removes the original once the copy exists.
// At the Runtime level because a clone may go into a pod and a pod's clone
// makes containers.
import {InvalidArgument, PodNotReady} from './define/errors.js'
import {isActive, type ContainerConfig} from './container/types.js'
import type {PodConfig} from './pod/types.js'
import type {Runtime} from './runtime.js'
import type {ContainerSpec} from './specgen/container.js'
import type {PodSpec} from './specgen/pod.js'
import type {ResourceLimits} from './specgen/resources.js'

export interface CloneOptions {
  /** Absent: NAME-clone, then NAME-clone1, NAME-clone2 ... */
  name?: string
  /** --destroy: remove the original; --force: even when it runs. */
  destroy?: boolean
  force?: boolean
  /** --run / --start: start the clone. */
  start?: boolean
}

export interface ContainerCloneOptions extends CloneOptions {
  /** Another image for the clone. */
  image?: string
  /** Another pod (name or ID) for the clone. */
  pod?: string
  /** Cgroup limits that replace the original's, limit by limit. */
  limits?: ResourceLimits
}

/** Podman's next free name: NAME-clone, NAME-clone1, ... */
function cloneName(taken: (n: string) => boolean, name: string): string {
  if (!taken(`${name}-clone`)) return `${name}-clone`
  for (let i = 1; ; i++) if (!taken(`${name}-clone${i}`)) return `${name}-clone${i}`
}

function storedSpec<T>(what: string, name: string, spec: T | undefined): T {
  if (!spec) throw new InvalidArgument(`${what} ${name} was created before peapod kept the spec it was made from: it cannot be cloned`)
  return JSON.parse(JSON.stringify(spec)) as T
}

function checkDestroy(o: CloneOptions): void {
  if (o.force && !o.destroy) throw new InvalidArgument('cannot set --force without --destroy: invalid argument')
}

const merge = <T extends object>(a: T | undefined, b: T | undefined): T | undefined => (a || b ? {...a, ...b} as T : undefined)

function withLimits(old: ResourceLimits | undefined, next: ResourceLimits | undefined): ResourceLimits | undefined {
  if (!next) return old
  const out: ResourceLimits = {...old, ...next, memory: merge(old?.memory, next.memory), cpu: merge(old?.cpu, next.cpu), blockIO: merge(old?.blockIO, next.blockIO)}
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as ResourceLimits
}

/** The spec of a clone of container `c` (a pod's clone passes its new pod). */
function containerCloneSpec(rt: Runtime, c: ContainerConfig, o: ContainerCloneOptions): ContainerSpec {
  const base = storedSpec('container', c.name, c.spec)
  const name = o.name ?? cloneName(n => Boolean(rt.containers.find(n)), c.name)
  const spec: ContainerSpec = {...base, name, ...c.hostEnv ? {hostEnv: c.hostEnv} : {}}
  if (o.image) spec.image = o.image
  if (o.pod) spec.pod = o.pod
  const limits = withLimits(base.resourceLimits, o.limits)
  if (limits) spec.resourceLimits = limits
  delete spec.replace
  return spec
}

/** `container clone`: the new container's config. */
export async function cloneContainer(rt: Runtime, ref: string, o: ContainerCloneOptions = {}): Promise<ContainerConfig> {
  checkDestroy(o)
  const c = rt.containers.lookup(ref)
  if (o.destroy && !o.force && isActive(c.state.status)) {
    throw new PodNotReady(`cannot remove container ${c.config.id} as it is ${c.state.status} - running or paused containers cannot be removed without force: container state improper`)
  }
  const spec = containerCloneSpec(rt, c.config, o)
  const {newContainer} = await import('./create.js')
  const clone = await newContainer(rt, spec)
  if (o.destroy) await (await import('./container/ops.js')).removeContainer(rt, c.config.id, {force: true})
  if (o.start) await (await import('./container/start.js')).startContainer(rt, clone.id)
  return clone
}

/** `pod clone`: a pod from the original's spec with `changes`, and a clone of each of its containers in it. */
export async function clonePod(rt: Runtime, ref: string, changes: Partial<PodSpec>, o: CloneOptions = {}): Promise<PodConfig> {
  checkDestroy(o)
  const pod = rt.pods.lookup(ref)
  const base = storedSpec('pod', pod.name, pod.spec)
  const name = o.name ?? cloneName(n => Boolean(rt.pods.find(n)), pod.name)
  const spec: PodSpec = {...base, ...changes, name, replace: undefined,
    ...changes.resources ? {resources: {...base.resources, ...changes.resources, resourceLimits: withLimits(base.resources?.resourceLimits, changes.resources.resourceLimits)}} : {},
    ...changes.users ? {users: {...base.users, ...changes.users}} : {},
    ...changes.labels ? {labels: {...base.labels, ...changes.labels}} : {}}
  // the infra's name: the original's own --infra-name would be taken
  if (base.infraName && !changes.infraName) spec.infraName = cloneName(n => Boolean(rt.containers.find(n)), base.infraName)
  const members = rt.containers.list().filter(c => c.config.pod === pod.id && !c.config.isInfra)
  // every member must be clonable before anything is made
  for (const m of members) storedSpec('container', m.config.name, m.config.spec)
  const {newPod, newContainer} = await import('./create.js')
  const copy = await newPod(rt, spec)
  try {
    for (const m of members) await newContainer(rt, containerCloneSpec(rt, m.config, {pod: copy.id}))
  } catch (e) {
    await (await import('./runtime/pods.js')).removePod(rt, copy.id, {force: true}).catch(() => {})
    throw e
  }
  const pods = await import('./runtime/pods.js')
  if (o.destroy) await pods.removePod(rt, pod.id, {force: true})
  if (o.start) await pods.startPod(rt, copy.id)
  return copy
}
