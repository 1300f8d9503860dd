// A container's membership of a pod: what `create --pod` changes in its
// config (the namespaces it joins, its hostname) and the hooks of its
// lifecycle (starting a member starts the infra first; exit policy `stop`
// stops the infra once the last member has exited).
import {InvalidArgument} from '../define/errors.js'
import type {Runtime} from '../runtime.js'
import type {ContainerNetworkSpec} from '../specgen/network.js'
import type {ContainerConfig} from '../container/types.js'
import {podStore} from './store.js'
import {isActive, isRunningOrPaused} from '../define/state.js'


export interface Membership {
  /** What the member's config records. */
  config: Pick<ContainerConfig, 'pod' | 'hostname' | 'namespaces'>
  /** The network to create the member with (the infra's network when shared). */
  net?: ContainerNetworkSpec
}

/** `create --pod NAME`: checks the member's flags against the pod and returns what it joins. */
export function podMembership(rt: Runtime, ref: string, opts: {network?: ContainerNetworkSpec; hostname?: string}): Membership {
  const pod = podStore(rt).lookup(ref)
  const infra = pod.infraId
  if (!infra) return {config: {pod: pod.id}, net: opts.network}
  const net = opts.network ?? {}
  let memberNet = opts.network
  if (pod.share.includes('net')) {
    if (net.portMappings?.length || net.publishExposedPorts || net.expose?.length) {
      throw new InvalidArgument('invalid config provided: published or exposed ports must be defined when the pod is created: network cannot be configured when it is shared with a pod')
    }
    if (net.netns || net.networks?.length) throw new InvalidArgument('invalid config provided: networks must be defined when the pod is created: network cannot be configured when it is shared with a pod')
    memberNet = {...net, netns: {mode: 'container', container: infra}}
  }
  const namespaces: NonNullable<ContainerConfig['namespaces']> = {}
  for (const ns of ['ipc', 'uts', 'pid'] as const) if (pod.share.includes(ns)) namespaces[ns] = `container:${infra}`
  let hostname = opts.hostname
  if (pod.share.includes('uts')) {
    if (opts.hostname) throw new InvalidArgument('invalid config provided: cannot set hostname when joining the pod UTS namespace: invalid configuration')
    hostname = pod.hostname ?? pod.name
  }
  return {config: {pod: pod.id, hostname, namespaces}, net: memberNet}
}

/** Before a member starts: its pod's infra container runs. */
export async function beforeMemberStart(rt: Runtime, c: ContainerConfig): Promise<void> {
  if (!c.pod || c.isInfra) return
  const infraId = podStore(rt).read(c.pod)?.infraId
  if (!infraId) return
  const infra = rt.containers.read(infraId)
  if (!infra) throw new InvalidArgument(`the infra container ${infraId} of pod ${c.pod} is gone`)
  if (isRunningOrPaused(infra.state.status)) return
  const {startContainer} = await import('../container/start.js')
  await startContainer(rt, infraId)
}

/** After a member exited (its cleanup): exit policy `stop` stops the infra when no member is left running. */
export async function afterMemberExit(rt: Runtime, c: ContainerConfig): Promise<void> {
  if (!c.pod || c.isInfra) return
  const pod = podStore(rt).read(c.pod)
  if (!pod?.infraId || pod.exitPolicy !== 'stop') return
  const others = rt.containers.list().filter(o => o.config.pod === pod.id && !o.config.isInfra)
  if (others.some(o => isActive(o.state.status))) return
  const infra = rt.containers.read(pod.infraId)
  if (!infra || !isActive(infra.state.status)) return
  const {stopContainer} = await import('../container/ops.js')
  await stopContainer(rt, pod.infraId)
}
