// `.kube` → `x.service`: `peapod kube play --replace --service-container=true ... YAML`, and `kube down` after stop.
import {UnitFile} from './unitfile.js'
import {QuadletError, type UnitsInfo, AUTO_UPDATE_LABEL, baseCommand, initService, checkKillMode, absolutePath, handleLogDriver, handleLogOpt, handleUserMappings, addNetworks, handlePublishPorts, handlePodmanArgs, handleSetWorkingDirectory, serviceNameOf} from './common.js'

const G = 'Kube'
export const kubeServiceName = (unit: UnitFile): string => serviceNameOf(unit, G, '')

export function convertKube(unit: UnitFile, isUser: boolean, info: UnitsInfo): {service: UnitFile; warnings: string[]} {
  const {service} = initService(unit, isUser, info, G)
  let yaml = unit.lookup(G, 'Yaml')
  if (!yaml) throw new QuadletError('no Yaml key specified')
  yaml = absolutePath(unit, yaml)
  checkKillMode(service)
  service.add('Service', 'Environment', 'PODMAN_SYSTEMD_UNIT=%n')
  const type = service.lookup('Service', 'Type')
  if (type !== undefined && type !== 'notify' && type !== 'oneshot') throw new QuadletError(`invalid service Type '${type}'`)
  if (type !== 'oneshot') service.setv('Service', 'Type', 'notify', 'NotifyAccess', 'all')
  if (!unit.hasKey('Service', 'SyslogIdentifier')) service.set('Service', 'SyslogIdentifier', '%N')

  const c = baseCommand(unit, G)
  c.add('kube', 'play', '--replace', '--service-container=true')
  const ecp = unit.lookup(G, 'ExitCodePropagation')
  if (ecp) c.add(`--service-exit-code-propagation=${ecp}`)
  handleLogDriver(unit, G, c)
  handleLogOpt(unit, G, c)
  handleUserMappings(unit, G, c, false)
  addNetworks(unit, G, service, info, c)
  for (const update of unit.lookupAllStrv(G, 'AutoUpdate')) {
    // `ctr/registry` annotates one container, `registry` all
    const slash = update.indexOf('/')
    const annotation = slash >= 0 ? `--annotation=${AUTO_UPDATE_LABEL}/${update.slice(0, slash)}` : `--annotation=${AUTO_UPDATE_LABEL}`
    c.add(`${annotation}=${slash >= 0 ? update.slice(slash + 1) : update}`)
  }
  for (const cm of unit.lookupAllStrv(G, 'ConfigMap')) c.add('--configmap', absolutePath(unit, cm))
  handlePublishPorts(unit, G, c)
  handlePodmanArgs(unit, G, c)
  c.add(yaml)
  service.addCmdline('Service', 'ExecStart', c.args)

  // ExecStopPost runs even when start failed: nothing is left behind.
  const down = baseCommand(unit, G)
  down.add('kube', 'down')
  const force = unit.lookupBoolean(G, 'KubeDownForce')
  if (force !== undefined) down.addBool('--force', force)
  down.add(yaml)
  service.addCmdline('Service', 'ExecStopPost', down.args)
  handleSetWorkingDirectory(unit, service, G)
  return {service, warnings: []}
}
