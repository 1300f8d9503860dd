// `.image` → `x-image.service`, a oneshot `peapod image pull ... IMAGE`.
import {UnitFile} from './unitfile.js'
import {QuadletError, type UnitsInfo, baseCommand, initService, lookupAndAddString, lookupAndAddBoolean, handlePodmanArgs, defaultOneshot, serviceNameOf} from './common.js'

const G = 'Image'
export const imageServiceName = (unit: UnitFile): string => serviceNameOf(unit, G, '-image')

export function convertImage(unit: UnitFile, isUser: boolean, info: UnitsInfo): {service: UnitFile; warnings: string[]} {
  const {service, unitInfo} = initService(unit, isUser, info, G)
  const image = unit.lookup(G, 'Image')
  if (!image) throw new QuadletError('no Image key specified')
  const c = baseCommand(unit, G)
  c.add('image', 'pull')
  lookupAndAddString(unit, G, [['Arch', '--arch'], ['AuthFile', '--authfile'], ['CertDir', '--cert-dir'], ['Creds', '--creds'],
    ['DecryptionKey', '--decryption-key'], ['OS', '--os'], ['Variant', '--variant'], ['Policy', '--policy'], ['Retry', '--retry'], ['RetryDelay', '--retry-delay']], c)
  lookupAndAddBoolean(unit, G, [['AllTags', '--all-tags'], ['TLSVerify', '--tls-verify']], c)
  handlePodmanArgs(unit, G, c)
  c.add(image)
  service.addCmdline('Service', 'ExecStart', c.args)
  defaultOneshot(service, true)
  unitInfo.resourceName = unit.lookup(G, 'ImageTag') || image
  return {service, warnings: []}
}
