// `pod inspect`: Podman's InspectPodData for one pod.
import {inspectMounts} from '../container/inspect.js'
import type {Runtime} from '../runtime.js'
import {stateName} from '../container/list.js'
import {podContainers} from './containers.js'
import {podStatus} from './status.js'
import {inspectPodLimits} from './cgroup.js'
import {inspectPodCgroup} from './cgroup-parent.js'
import type {PodConfig} from './types.js'
import type {Container} from '../container/types.js'
import {securityOptStrings} from '../specgen/security.js'

/** The infra's mounts the pod's own --volume made (not those --volumes-from added). */
function ownMounts(mounts: Container['config']['mounts'], pod: PodConfig): Container['config']['mounts'] {
  if (!pod.spec) return mounts
  const own = new Set((pod.spec.mounts ?? []).map(m => m.destination))
  return mounts.filter(m => own.has(m.destination))
}

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
    ...inspectPodLimits(pod, false, {
      // the pod's own --volume: the infra's mounts less those --volumes-from added
      mounts: infra ? inspectMounts(ownMounts(infra.config.mounts, pod), rt) : [],
      volumes_from: pod.spec?.volumesFrom?.map(v => v.container + (v.readonly ? ':ro' : '')),
      security_opt: securityOptStrings(infra?.config.security),
    }),
  }
}
