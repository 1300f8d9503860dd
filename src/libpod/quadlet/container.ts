// `.container` → `x.service` running `peapod run --name systemd-x --replace --rm ... -d IMAGE`,
// with the options in Quadlet's order.
import {UnitFile} from './unitfile.js'
import {
  QuadletError, type UnitsInfo, AUTO_UPDATE_LABEL, baseCommand, initService, checkKillMode, handleImageSource,
  handleLogDriver, handleLogOpt, lookupAndAddString, lookupAndAddAllStrings, lookupAndAddBoolean, lookupAndAddKeyVals,
  addNetworks, handleUser, handleUserMappings, addVolumes, handlePublishPorts, absolutePath, handleStorageSource,
  handlePodmanArgs, serviceFileName, serviceNameOf, toCSV, parseCSV, fileExists, Cmdline,
} from './common.js'

const G = 'Container'

/** The container's name, unresolved (may hold systemd specifiers). */
export function containerName(unit: UnitFile): string {
  const n = unit.lookup(G, 'ContainerName')
  if (n) return n
  return unit.filename.includes('@') ? 'systemd-%p_%i' : 'systemd-%N'
}

export const containerServiceName = (unit: UnitFile): string => serviceNameOf(unit, G, '')

/** The container's name with %N resolved; '' when other specifiers remain. */
export function containerResourceName(unit: UnitFile): string {
  const r = containerName(unit).replaceAll('%N', containerServiceName(unit))
  return r.includes('%') ? '' : r
}

export function convertContainer(unit: UnitFile, isUser: boolean, info: UnitsInfo): {service: UnitFile; warnings: string[]} {
  const warnings: string[] = []
  const {service} = initService(unit, isUser, info, G)

  let image = unit.lookup(G, 'Image') ?? ''
  const rootfs = unit.lookup(G, 'Rootfs') ?? ''
  if (!image && !rootfs) throw new QuadletError('no Image or Rootfs key specified')
  if (image && rootfs) throw new QuadletError('the Image And Rootfs keys conflict can not be specified together')
  if (image) image = handleImageSource(image, service, info)

  const name = containerName(unit)
  // auto-update restarts the unit this names
  service.add('Service', 'Environment', 'PODMAN_SYSTEMD_UNIT=%n')
  checkKillMode(service)

  // ExecStop removes the container; ExecStopPost too, for when the monitor itself was killed.
  const stop = baseCommand(unit, G)
  stop.add('rm', '-v', '-f', '-i', name)
  service.addCmdline('Service', 'ExecStop', stop.args)
  stop.args[0] = `-${stop.args[0]}`
  service.addCmdline('Service', 'ExecStopPost', stop.args)

  handleExecReload(unit, service, name)

  const c = baseCommand(unit, G)
  c.add('run', '--name', name, '--replace', '--rm')
  handleLogDriver(unit, G, c)
  handleLogOpt(unit, G, c)
  service.add('Service', 'Delegate', 'yes')
  const cgroups = unit.lookup(G, 'CgroupsMode')
  if (cgroups) c.add('--cgroups', cgroups)
  else c.add('--cgroups=split')

  lookupAndAddString(unit, G, [['Timezone', '--tz'], ['PidsLimit', '--pids-limit'], ['ShmSize', '--shm-size'],
    ['Entrypoint', '--entrypoint'], ['WorkingDir', '--workdir'], ['IP', '--ip'], ['IP6', '--ip6'], ['HostName', '--hostname'],
    ['StopSignal', '--stop-signal'], ['StopTimeout', '--stop-timeout'], ['Pull', '--pull'], ['Memory', '--memory'],
    ['Retry', '--retry'], ['RetryDelay', '--retry-delay']], c)
  lookupAndAddAllStrings(unit, G, [['NetworkAlias', '--network-alias'], ['Ulimit', '--ulimit'], ['DNS', '--dns'],
    ['DNSOption', '--dns-option'], ['DNSSearch', '--dns-search'], ['GroupAdd', '--group-add'], ['AddHost', '--add-host'],
    ['Tmpfs', '--tmpfs']], c)
  lookupAndAddBoolean(unit, G, [['RunInit', '--init'], ['EnvironmentHost', '--env-host'], ['ReadOnlyTmpfs', '--read-only-tmpfs'], ['HttpProxy', '--http-proxy']], c)
  addNetworks(unit, G, service, info, c)

  const type = service.lookup('Service', 'Type')
  if (type !== undefined && type !== 'notify' && type !== 'oneshot') throw new QuadletError(`invalid service Type '${type}'`)
  if (type !== 'oneshot') {
    // sd-notify always: from the monitor, or from the container with Notify=yes
    const notify = unit.lookup(G, 'Notify')
    if (notify !== undefined && notify.toLowerCase() === 'healthy') c.add('--sdnotify=healthy')
    else if (unit.lookupBooleanWithDefault(G, 'Notify', false)) c.add('--sdnotify=container')
    else c.add('--sdnotify=conmon')
    service.setv('Service', 'Type', 'notify', 'NotifyAccess', 'all')
    c.add('-d')
  }
  if (!unit.hasKey('Service', 'SyslogIdentifier')) service.set('Service', 'SyslogIdentifier', '%N')

  if (unit.lookupBooleanWithDefault(G, 'NoNewPrivileges', false)) c.add('--security-opt=no-new-privileges')
  if (unit.lookupBooleanWithDefault(G, 'SecurityLabelDisable', false)) c.add('--security-opt', 'label=disable')
  if (unit.lookupBooleanWithDefault(G, 'SecurityLabelNested', false)) c.add('--security-opt', 'label=nested')
  for (const [key, opt] of [['SecurityLabelType', 'type'], ['SecurityLabelFileType', 'filetype'], ['SecurityLabelLevel', 'level']] as const) {
    const v = unit.lookup(G, key)
    if (v) c.add('--security-opt', `label=${opt}:${v}`)
  }
  const apparmor = unit.lookup(G, 'AppArmor')
  if (apparmor) c.add('--security-opt', `apparmor=${apparmor}`)
  for (let device of unit.lookupAllStrv(G, 'AddDevice')) {
    // `-/dev/x`: only when it exists
    if (device[0] === '-') {
      device = device.slice(1)
      if (!fileExists(device.split(':')[0]!)) continue
    }
    c.add('--device', device)
  }
  const seccomp = unit.lookup(G, 'SeccompProfile')
  if (seccomp !== undefined) c.add('--security-opt', `seccomp=${seccomp}`)
  for (const cap of unit.lookupAllStrv(G, 'DropCapability')) c.add('--cap-drop', cap.toLowerCase())
  for (const cap of unit.lookupAllStrv(G, 'AddCapability')) c.add('--cap-add', cap.toLowerCase())
  for (const s of unit.lookupAllStrv(G, 'Sysctl')) c.add('--sysctl', s)
  const readOnly = unit.lookupBoolean(G, 'ReadOnly')
  if (readOnly !== undefined) c.addBool('--read-only', readOnly)
  if (unit.lookupBooleanWithDefault(G, 'VolatileTmp', false) && !readOnly) c.add('--tmpfs', '/tmp:rw,size=512M,mode=1777')
  handleUser(unit, G, c)
  handleUserMappings(unit, G, c, true)
  addVolumes(unit, service, G, info, c)

  const update = unit.lookup(G, 'AutoUpdate')
  if (update) c.addKeys('--label', new Map([[AUTO_UPDATE_LABEL, update]]))
  for (let port of unit.lookupAll(G, 'ExposeHostPort')) {
    port = port.trim()
    if (!/\d+(-\d+)?(\/udp|\/tcp)?$/.test(port)) throw new QuadletError(`invalid port format '${port}'`)
    c.add('--expose', port)
  }
  handlePublishPorts(unit, G, c)
  lookupAndAddKeyVals(unit, G, [['Environment', '--env'], ['Label', '--label'], ['Annotation', '--annotation']], c, warnings)
  for (const m of unit.lookupAllArgs(G, 'Mask')) c.add('--security-opt', `mask=${m}`)
  for (const m of unit.lookupAllArgs(G, 'Unmask')) c.add('--security-opt', `unmask=${m}`)
  for (const f of unit.lookupAllArgs(G, 'EnvironmentFile')) c.add('--env-file', absolutePath(unit, f))
  for (const s of unit.lookupAllArgs(G, 'Secret')) c.add('--secret', s)
  for (const m of unit.lookupAllArgs(G, 'Mount')) c.add('--mount', resolveMount(unit, service, m, info))
  handleHealth(unit, c)
  handlePod(unit, service, info, c)
  handlePodmanArgs(unit, G, c)
  if (image) c.add(image)
  else c.add('--rootfs', rootfs)
  let exec: string[] | undefined
  try {
    exec = unit.lookupLastArgs(G, 'Exec')
  } catch (e) {
    throw new QuadletError((e as Error).message)
  }
  if (exec) c.add(...exec)
  service.addCmdline('Service', 'ExecStart', c.args)
  return {service, warnings}
}

/** ReloadCmd= (exec in the container) or ReloadSignal= (kill) as ExecReload=. */
function handleExecReload(unit: UnitFile, service: UnitFile, name: string): void {
  const signal = unit.lookup(G, 'ReloadSignal')
  let cmd: string[] | undefined
  try {
    cmd = unit.lookupLastArgs(G, 'ReloadCmd')
  } catch {
    cmd = undefined
  }
  const cmdOk = !!cmd && cmd.length > 0
  const sigOk = !!signal
  if (!cmdOk && !sigOk) return
  if (cmdOk && sigOk) throw new QuadletError('ReloadCmd and ReloadSignal are mutually exclusive but both are set')
  const r = baseCommand(unit, G)
  if (cmdOk) r.add('exec', name, ...cmd!)
  else r.add('kill', '--signal', signal!, name)
  service.addCmdline('Service', 'ExecReload', r.args)
}

function handleHealth(unit: UnitFile, c: Cmdline): void {
  const map: [string, string][] = [['HealthCmd', 'cmd'], ['HealthInterval', 'interval'], ['HealthOnFailure', 'on-failure'],
    ['HealthLogDestination', 'log-destination'], ['HealthMaxLogCount', 'max-log-count'], ['HealthMaxLogSize', 'max-log-size'],
    ['HealthRetries', 'retries'], ['HealthStartPeriod', 'start-period'], ['HealthTimeout', 'timeout'],
    ['HealthStartupCmd', 'startup-cmd'], ['HealthStartupInterval', 'startup-interval'], ['HealthStartupRetries', 'startup-retries'],
    ['HealthStartupSuccess', 'startup-success'], ['HealthStartupTimeout', 'startup-timeout']]
  for (const [key, arg] of map) {
    const v = unit.lookup(G, key)
    if (v) c.add(`--health-${arg}`, v)
  }
}

/** Pod=x.pod: join the pod's resource, bind to its service, and start with it unless StartWithPod=no. */
function handlePod(unit: UnitFile, service: UnitFile, info: UnitsInfo, c: Cmdline): void {
  const pod = unit.lookup(G, 'Pod')
  if (!pod) return
  if (!pod.endsWith('.pod')) throw new QuadletError(`pod ${pod} is not Quadlet based`)
  const podInfo = info.get(pod)
  if (!podInfo) throw new QuadletError(`quadlet pod unit ${pod} does not exist`)
  c.add('--pod', podInfo.resourceName)
  service.add('Unit', 'BindsTo', serviceFileName(podInfo))
  service.add('Unit', 'After', serviceFileName(podInfo))
  if (unit.lookupBooleanWithDefault(G, 'StartWithPod', true)) podInfo.containersToStart.push(service.filename)
}

/** Mount=: sources naming x.volume / x.image or paths are resolved as Volume= does. */
function resolveMount(unit: UnitFile, service: UnitFile, mount: string, info: UnitsInfo): string {
  const fields = parseCSV(mount)
  let type = ''
  const tokens: string[] = []
  for (const f of fields) {
    const kv = f.split('=')
    if (type === '' && kv.length === 2 && kv[0] === 'type') type = kv[1]!
    else tokens.push(f)
  }
  if (type === '') type = 'volume'
  if (!['volume', 'bind', 'glob', 'image', 'artifact'].includes(type)) return mount
  let index = -1
  let source = ''
  tokens.forEach((t, i) => {
    const eq = t.indexOf('=')
    const key = eq >= 0 ? t.slice(0, eq) : t
    if (key === 'source' || key === 'src') {
      if (eq < 0) throw new QuadletError('source parameter does not include a value')
      index = i
      source = t.slice(eq + 1)
    }
  })
  if (index < 0 || source === '') return toCSV([`type=${type}`, ...tokens])
  tokens[index] = `source=${handleStorageSource(unit, service, source, info, true)}`
  return toCSV([`type=${type}`, ...tokens])
}
