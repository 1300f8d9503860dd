// `.build` → `x-build.service`, a oneshot `peapod build ... --tag T CONTEXT`.
import path from 'node:path'
import {UnitFile} from './unitfile.js'
import {QuadletError, type UnitsInfo, baseCommand, initService, lookupAndAddString, lookupAndAddBoolean, lookupAndAddAllStrings, lookupAndAddKeyVals, addNetworks, addVolumes, handleSetWorkingDirectory, handlePodmanArgs, defaultOneshot, isURL, serviceNameOf} from './common.js'

const G = 'Build'
export const buildServiceName = (unit: UnitFile): string => serviceNameOf(unit, G, '-build')
/** The image a .build makes: its first ImageTag. */
export const builtImageName = (unit: UnitFile): string => unit.lookupAll(G, 'ImageTag')[0] ?? ''

export function convertBuild(unit: UnitFile, isUser: boolean, info: UnitsInfo): {service: UnitFile; warnings: string[]} {
  const warnings: string[] = []
  const {service, unitInfo} = initService(unit, isUser, info, G)
  if (unitInfo.resourceName === '') throw new QuadletError('no ImageTag key specified')
  const c = baseCommand(unit, G)
  c.add('build')
  // --pull takes an optional value: it needs the `=`
  const pull = unit.lookup(G, 'Pull')
  if (pull) c.add(`--pull=${pull}`)
  lookupAndAddString(unit, G, [['Arch', '--arch'], ['AuthFile', '--authfile'], ['IgnoreFile', '--ignorefile'], ['Target', '--target'], ['Variant', '--variant'],
    ['Retry', '--retry'], ['RetryDelay', '--retry-delay']], c)
  lookupAndAddBoolean(unit, G, [['TLSVerify', '--tls-verify'], ['ForceRM', '--force-rm']], c)
  lookupAndAddAllStrings(unit, G, [['DNS', '--dns'], ['DNSOption', '--dns-option'], ['DNSSearch', '--dns-search'],
    ['GroupAdd', '--group-add'], ['ImageTag', '--tag'], ['BuildArg', '--build-arg']], c)
  lookupAndAddKeyVals(unit, G, [['Environment', '--env'], ['Label', '--label'], ['Annotation', '--annotation']], c, warnings)
  addNetworks(unit, G, service, info, c)
  for (const s of unit.lookupAllArgs(G, 'Secret')) c.add('--secret', s)
  addVolumes(unit, service, G, info, c)
  const context = handleSetWorkingDirectory(unit, service, G)
  const wd = service.lookup('Service', 'WorkingDirectory') ?? ''
  const file = unit.lookup(G, 'File') ?? ''
  if (!wd && !file && !context) throw new QuadletError('neither SetWorkingDirectory, nor File key specified')
  if (file) c.add('--file', file)
  handlePodmanArgs(unit, G, c)
  // the context (or WorkingDirectory) comes last
  if (context) c.add(context)
  else if (!path.isAbsolute(file) && !isURL(file)) {
    if (!wd) throw new QuadletError('relative path in File key requires SetWorkingDirectory key to be set')
    c.add(wd)
  }
  service.addCmdline('Service', 'ExecStart', c.args)
  defaultOneshot(service, false)
  return {service, warnings}
}
