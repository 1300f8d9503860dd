// `.volume` → `x-volume.service`, a oneshot `peapod volume create --ignore ... systemd-x`.
import {UnitFile} from './unitfile.js'
import {QuadletError, type UnitsInfo, baseCommand, initService, handleImageSource, lookupAndAddKeyVals, handlePodmanArgs, defaultOneshot, removeExtension, serviceNameOf} from './common.js'

const G = 'Volume'
export const volumeServiceName = (unit: UnitFile): string => serviceNameOf(unit, G, '-volume')

export function convertVolume(unit: UnitFile, isUser: boolean, info: UnitsInfo): {service: UnitFile; warnings: string[]} {
  const warnings: string[] = []
  const {service, unitInfo} = initService(unit, isUser, info, G)
  const name = unit.lookup(G, 'VolumeName') || removeExtension(unit.filename, 'systemd-', '')
  const c = baseCommand(unit, G)
  c.add('volume', 'create', '--ignore')
  const driver = unit.lookup(G, 'Driver')
  if (driver !== undefined) c.add('--driver', driver)
  // UID=/GID= own the mount point (User=/Group= go to the mount options)
  const uid = unit.lookup(G, 'UID')
  if (uid) c.add('--uid', uid)
  const gid = unit.lookup(G, 'GID')
  if (gid) c.add('--gid', gid)
  let opts: string
  if (driver === 'image') {
    const image = unit.lookup(G, 'Image')
    if (image === undefined) throw new QuadletError('the key Image is mandatory when using the image driver')
    opts = `image=${handleImageSource(image, service, info)}`
  } else {
    opts = 'o='
    const more = (s: string): void => {
      opts += (opts.length > 2 ? ',' : '') + s
    }
    if (unit.hasKey(G, 'User')) more(`uid=${unit.lookupUint32(G, 'User', 0)}`)
    if (unit.hasKey(G, 'Group')) more(`gid=${unit.lookupUint32(G, 'Group', 0)}`)
    const copy = unit.lookupBoolean(G, 'Copy')
    if (copy !== undefined) c.add('--opt', copy ? 'copy' : 'nocopy')
    const dev = unit.lookup(G, 'Device')
    const devValid = !!dev
    if (devValid) c.add('--opt', `device=${dev}`)
    const devType = unit.lookup(G, 'Type')
    if (devType) {
      if (!devValid) throw new QuadletError("key Type can't be used without Device")
      c.add('--opt', `type=${devType}`)
      if (devType === 'bind') service.add('Unit', 'RequiresMountsFor', dev!)
    }
    const mountOpts = unit.lookup(G, 'Options')
    if (mountOpts) {
      if (!devValid) throw new QuadletError("key Options can't be used without Device")
      more(mountOpts)
    }
  }
  if (opts.length > 2) c.add('--opt', opts)
  lookupAndAddKeyVals(unit, G, [['Label', '--label']], c, warnings)
  handlePodmanArgs(unit, G, c)
  c.add(name)
  service.addCmdline('Service', 'ExecStart', c.args)
  defaultOneshot(service, true)
  unitInfo.resourceName = name
  return {service, warnings}
}
