// A container's membership of a pod: what `create --pod` changes in its
// config (the namespaces it joins, its hostname). The lifecycle hooks
// (infra first, exit policy) are in src/libpod/runtime/pods.ts.
import {InvalidArgument} from '../define/errors.js'
import type {Runtime} from '../runtime.js'
import type {ContainerNetworkSpec} from '../specgen/network.js'
import type {ContainerConfig} from '../container/types.js'

export interface Membership {
  /** What the member's config records. */
  config: Pick<ContainerConfig, 'pod' | 'hostname' | 'namespaces'>
  /** The network to create the member with (the infra's network when shared). */
  net?: ContainerNetworkSpec
}

/** `create --pod NAME`: checks the member's flags against the pod and returns what it joins. */
export function podMembership(rt: Runtime, ref: string, opts: {network?: ContainerNetworkSpec; hostname?: string}): Membership {
  const pod = rt.pods.lookup(ref)
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
