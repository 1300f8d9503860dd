// `.artifact` → `x-artifact.service`, a oneshot `peapod artifact pull ... ARTIFACT` (experimental in Quadlet).
import {UnitFile} from './unitfile.js'
import {QuadletError, type UnitsInfo, baseCommand, initService, lookupAndAddString, lookupAndAddBoolean, handlePodmanArgs, defaultOneshot, serviceNameOf} from './common.js'

const G = 'Artifact'
export const artifactServiceName = (unit: UnitFile): string => serviceNameOf(unit, G, '-artifact')

export function convertArtifact(unit: UnitFile, isUser: boolean, info: UnitsInfo): {service: UnitFile; warnings: string[]} {
  const {service, unitInfo} = initService(unit, isUser, info, G)
  const artifact = unit.lookup(G, 'Artifact')
  if (!artifact) throw new QuadletError('no Artifact key specified')
  const c = baseCommand(unit, G)
  c.add('artifact', 'pull')
  lookupAndAddString(unit, G, [['AuthFile', '--authfile'], ['CertDir', '--cert-dir'], ['Creds', '--creds'],
    ['DecryptionKey', '--decryption-key'], ['Retry', '--retry'], ['RetryDelay', '--retry-delay']], c)
  lookupAndAddBoolean(unit, G, [['Quiet', '--quiet'], ['TLSVerify', '--tls-verify']], c)
  handlePodmanArgs(unit, G, c)
  c.add(artifact)
  service.addCmdline('Service', 'ExecStart', c.args)
  defaultOneshot(service, true)
  unitInfo.resourceName = artifact
  return {service, warnings: []}
}
