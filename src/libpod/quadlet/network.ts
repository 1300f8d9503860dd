// `.network` → `x-network.service`, a oneshot `peapod network create --ignore ... systemd-x`.
import {UnitFile} from './unitfile.js'
import {QuadletError, type UnitsInfo, baseCommand, initService, lookupAndAddBoolean, lookupAndAddString, lookupAndAddAllStrings, lookupAndAddKeyVals, handlePodmanArgs, defaultOneshot, removeExtension, serviceNameOf} from './common.js'

const G = 'Network'
export const networkServiceName = (unit: UnitFile): string => serviceNameOf(unit, G, '-network')

export function convertNetwork(unit: UnitFile, isUser: boolean, info: UnitsInfo): {service: UnitFile; warnings: string[]} {
  const warnings: string[] = []
  const {service, unitInfo} = initService(unit, isUser, info, G)
  const name = unit.lookup(G, 'NetworkName') || removeExtension(unit.filename, 'systemd-', '')
  if (unit.lookupBooleanWithDefault(G, 'NetworkDeleteOnStop', false)) {
    const post = baseCommand(unit, G)
    post.add('network', 'rm', name)
    service.addCmdline('Service', 'ExecStopPost', post.args)
  }
  const c = baseCommand(unit, G)
  c.add('network', 'create', '--ignore')
  lookupAndAddBoolean(unit, G, [['DisableDNS', '--disable-dns'], ['Internal', '--internal'], ['IPv6', '--ipv6']], c)
  lookupAndAddString(unit, G, [['Driver', '--driver'], ['IPAMDriver', '--ipam-driver'], ['InterfaceName', '--interface-name']], c)
  lookupAndAddAllStrings(unit, G, [['DNS', '--dns']], c)
  const subnets = unit.lookupAll(G, 'Subnet')
  const gateways = unit.lookupAll(G, 'Gateway')
  const ranges = unit.lookupAll(G, 'IPRange')
  if (subnets.length > 0) {
    if (gateways.length > subnets.length) throw new QuadletError('cannot set more gateways than subnets')
    if (ranges.length > subnets.length) throw new QuadletError('cannot set more ranges than subnets')
    subnets.forEach((s, i) => {
      c.add('--subnet', s)
      if (gateways[i] !== undefined) c.add('--gateway', gateways[i]!)
      if (ranges[i] !== undefined) c.add('--ip-range', ranges[i]!)
    })
  } else if (ranges.length > 0 || gateways.length > 0) {
    throw new QuadletError('cannot set gateway or range without subnet')
  }
  lookupAndAddKeyVals(unit, G, [['Options', '--opt'], ['Label', '--label']], c, warnings)
  handlePodmanArgs(unit, G, c)
  c.add(name)
  service.addCmdline('Service', 'ExecStart', c.args)
  defaultOneshot(service, true)
  unitInfo.resourceName = name
  return {service, warnings}
}
