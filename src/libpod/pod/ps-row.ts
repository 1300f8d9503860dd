// A `pod ps` row, as Podman prints it and as its templates see it.
import type {Runtime} from '../runtime.js'
import {stateName} from '../container/list.js'
import {psNetworkInfo} from '../network/info.js'
import type {Container} from '../container/types.js'
import {timeAgo} from '../util/human.js'
import {podStatus} from './status.js'
import type {PodConfig} from './types.js'
import {inspectPodCgroup} from './cgroup-parent.js'
import {goReporter, goView} from '../format/go-view.js'
import {PODMAN_TYPES} from '../format/podman-types.js'

export {psNetworkInfo}

export interface PodRow {
  ID: string
  Id: string
  Name: string
  Status: string
  Created: string
  InfraID: string
  /** Podman's template field for the same. */
  InfraId: string
  NumberOfContainers: number
  ContainerNames: string
  ContainerIds: string
  ContainerStatuses: string
  Labels: Record<string, string>
  Networks: string
  Cgroup: string
  Namespace: string
  json: Record<string, unknown>
  created: string
}

/**
 * What pod ps's templates see for a row: Podman's ListPodReporter, which
 * embeds *entities.ListPodsReport (its fields promoted, `.ListPodsReport.X`
 * too: .Containers is its list of {Id Names Status}) under its own methods.
 */
export function podTemplateRow(row: PodRow): Record<string, unknown> {
  const report = goView(PODMAN_TYPES, 'entities.ListPodsReport', row.json)
  const {ID, Id, ContainerIds, ContainerNames, ContainerStatuses, Created, InfraID, InfraId, Labels, Networks, NumberOfContainers, json, created} = row
  return goReporter('pods.ListPodReporter', {ListPodsReport: report}, 'ListPodsReport',
    {ID, Id, ContainerIds, ContainerNames, ContainerStatuses, Created, InfraID, InfraId, Labels, Networks, NumberOfContainers, json, created})
}

export function podRow(rt: Runtime, pod: PodConfig, list: Container[], noTrunc: boolean, now: number): PodRow {
  const short = (id: string) => (noTrunc ? id : id.slice(0, 12))
  const status = podStatus(list)
  const infra = list.find(c => c.config.isInfra)
  const networks = infra ? psNetworkInfo(infra).networks : []
  const cgroup = (inspectPodCgroup(pod).CgroupParent as string | undefined) ?? ''
  return {
    ID: short(pod.id),
    Id: short(pod.id), // Podman's template method: truncated as ID
    Name: pod.name,
    Status: status,
    Created: timeAgo(pod.created, now),
    InfraID: pod.infraId ? short(pod.infraId) : '',
    InfraId: pod.infraId ? short(pod.infraId) : '',
    NumberOfContainers: list.length,
    ContainerNames: list.map(c => c.config.name).join(','),
    ContainerIds: list.map(c => short(c.config.id)).join(','),
    ContainerStatuses: list.map(c => stateName(c)).join(','),
    Labels: pod.labels,
    Networks: networks.join(','),
    Cgroup: cgroup,
    Namespace: '',
    created: pod.created,
    json: {
      Cgroup: cgroup,
      Containers: list.map(c => ({Id: c.config.id, Names: c.config.name, Status: stateName(c)})),
      Created: pod.created,
      Id: pod.id,
      InfraId: pod.infraId ?? '',
      Name: pod.name,
      Namespace: '',
      Networks: networks,
      Status: status,
      Labels: pod.labels,
    },
  }
}
