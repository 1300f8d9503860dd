// `.pod` → `x-pod.service`: `pod create` before, `pod start`, `pod stop`, `pod rm` after; forking on the infra's pid file.
import {UnitFile} from './unitfile.js'
import {type UnitsInfo, baseCommand, initService, handleUserMappings, handlePublishPorts, lookupAndAddKeyVals, addNetworks, lookupAndAddString, lookupAndAddAllStrings, addVolumes, handlePodmanArgs, removeExtension, serviceNameOf} from './common.js'

const G = 'Pod'
export const podServiceName = (unit: UnitFile): string => serviceNameOf(unit, G, '-pod')
export const podResourceName = (unit: UnitFile): string => unit.lookup(G, 'PodName') || removeExtension(unit.filename, 'systemd-', '')

export function convertPod(unit: UnitFile, isUser: boolean, info: UnitsInfo): {service: UnitFile; warnings: string[]} {
  const warnings: string[] = []
  const {service, unitInfo} = initService(unit, isUser, info, G)
  const name = podResourceName(unit)
  for (const ctr of unitInfo.containersToStart) {
    service.add('Unit', 'Wants', ctr)
    service.add('Unit', 'Before', ctr)
  }
  if (!unit.hasKey('Service', 'SyslogIdentifier')) service.set('Service', 'SyslogIdentifier', '%N')
  const start = baseCommand(unit, G)
  start.add('pod', 'start', name)
  service.addCmdline('Service', 'ExecStart', start.args)
  const stop = baseCommand(unit, G)
  stop.add('pod', 'stop', '--ignore', `--time=${unit.lookup(G, 'StopTimeout') || '10'}`, name)
  service.addCmdline('Service', 'ExecStop', stop.args)
  const rm = baseCommand(unit, G)
  rm.add('pod', 'rm', '--ignore', '--force', name)
  service.addCmdline('Service', 'ExecStopPost', rm.args)

  const pre = baseCommand(unit, G)
  pre.add('pod', 'create', '--infra-conmon-pidfile=%t/%N.pid', '--replace')
  pre.add('--exit-policy', unit.lookup(G, 'ExitPolicy') ?? 'stop')
  handleUserMappings(unit, G, pre, true)
  handlePublishPorts(unit, G, pre)
  lookupAndAddKeyVals(unit, G, [['Label', '--label']], pre, warnings)
  addNetworks(unit, G, service, info, pre)
  lookupAndAddString(unit, G, [['IP', '--ip'], ['IP6', '--ip6'], ['ShmSize', '--shm-size']], pre)
  lookupAndAddAllStrings(unit, G, [['NetworkAlias', '--network-alias'], ['DNS', '--dns'], ['DNSOption', '--dns-option'],
    ['DNSSearch', '--dns-search'], ['AddHost', '--add-host'], ['HostName', '--hostname']], pre)
  addVolumes(unit, service, G, info, pre)
  pre.add('--infra-name', `${name}-infra`, '--name', name)
  handlePodmanArgs(unit, G, pre)
  service.addCmdline('Service', 'ExecStartPre', pre.args)
  service.setv('Service', 'Environment', 'PODMAN_SYSTEMD_UNIT=%n', 'Type', 'forking', 'Restart', 'on-failure', 'PIDFile', '%t/%N.pid')
  return {service, warnings}
}
