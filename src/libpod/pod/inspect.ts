// `pod inspect`: Podman's InspectPodData for one pod.
import {inspectMounts} from '../container/inspect.js'
import type {Runtime} from '../runtime.js'
import {stateName} from '../container/list.js'
import {podContainers} from './containers.js'
import {podStatus} from './status.js'
import {inspectPodCgroup, inspectPodLimits} from './cgroup.js'

/** `pod inspect`: Podman's InspectPodData. */
export async function inspectPod(rt: Runtime, ref: string): Promise<Record<string, unknown>> {
  const pod = rt.pods.lookup(ref)
  const list = await podContainers(rt, pod)
  const infra = list.find(c => c.config.isInfra)
  const o = infra?.config.networkOptions ?? {}
  const ports: Record<string, Array<{HostIp: string; HostPort: string}>> = {}
  for (const p of o.ports ?? []) {
    for (let i = 0; i < (p.range || 1); i++) {
      for (const proto of p.protocol.split(',')) (ports[`${p.container_port + i}/${proto}`] ??= []).push({HostIp: p.host_ip, HostPort: String(p.host_port + i)})
    }
  }
  return {
    Id: pod.id,
    Name: pod.name,
    Created: pod.created,
    CreateCommand: pod.createCommand ?? [],
    ExitPolicy: pod.exitPolicy,
    State: podStatus(list),
    Hostname: pod.hostname ?? '',
    Labels: pod.labels,
    ...inspectPodCgroup(pod), // RESOURCES
    CreateInfra: Boolean(pod.infraId),
    ...pod.infraId ? {
      InfraContainerID: pod.infraId,
      InfraConfig: {
        PortBindings: ports,
        HostNetwork: infra?.config.network === 'host',
        StaticIP: o.ip ?? '',
        StaticMAC: o.mac ?? '',
        NoManageResolvConf: false,
        DNSServer: o.dns ?? null,
        DNSSearch: o.dnsSearch ?? null,
        DNSOption: o.dnsOptions ?? null,
        NoManageHosts: o.noHosts ?? false,
        HostAdd: o.addHosts ?? null,
        Networks: o.networks ? Object.keys(o.networks) : null,
        NetworkOptions: null,
        ...inspectPodLimits(pod, true),
        pid_ns: 'private',
        userns: 'host',
        uts_ns: 'private',
      },
    } : {},
    SharedNamespaces: pod.share,
    NumContainers: list.length,
    Containers: list.map(c => ({Id: c.config.id, Name: c.config.name, State: stateName(c)})),
    ...inspectPodLimits(pod),
    ...infra?.config.mounts.length ? {mounts: inspectMounts(infra.config.mounts, rt)} : {},
  }
}
