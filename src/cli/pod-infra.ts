// pod create's flags that configure its infra container (Podman applies them
// there): volumes (which every member inherits), security options, sysctls,
// the network's static address and aliases; and --share-parent.
import {isIP} from 'node:net'
import {Flags} from './oclif.js'
import {InvalidArgument} from '../libpod/define/errors.js'
import type {ContainerNetworkSpec} from '../libpod/specgen/network.js'
import type {PodSpec} from '../libpod/specgen/pod.js'
import {parseVolumeFlag, parseVolumesFromFlag} from './spec-mounts.js'
import {parseSecurityOpts} from './spec-security.js'
import {parseSysctlFlags} from './lifecycle-spec.js'
import {boolValue, goBool} from './go-bool.js'

const many = (description: string, char?: string) =>
  Flags.string({description, multiple: true, multipleNonGreedy: true, ...(char ? {char: char as 'v'} : {})})

export const podInfraFlags = {
  volume: many('Bind mount a volume into the pod: the infra container holds it and every container of the pod mounts it', 'v'),
  'volumes-from': many('Mount the volumes of the specified container(s) into every container of the pod'),
  'security-opt': many('Security options of the infra container (apparmor, label, mask, no-new-privileges, seccomp, proc-opts, unmask)'),
  sysctl: many('Sysctl options (set in the infra container, whose ipc and net namespaces the pod shares)'),
  'label-file': many('Read in a line delimited file of labels'),
  ip: Flags.string({description: 'Specify a static IPv4 address for the pod'}),
  ip6: Flags.string({description: 'Specify a static IPv6 address for the pod'}),
  'mac-address': Flags.string({description: 'Pod network interface MAC address (e.g. 92:d0:c6:0a:29:33)'}),
  'network-alias': many('Add network-scoped alias for the pod'),
  'share-parent': goBool('Set the pod\'s cgroup as the cgroup parent for all containers joining the pod (default true)'),
}

/** The infra's volumes, security options and sysctls, and --share-parent (the network ones go through toNetworkSpec). */
export function toPodInfraSpec(f: Record<string, unknown>, cwd: string = process.cwd()): Partial<PodSpec> {
  const list = (k: string) => (f[k] as string[] | undefined) ?? []
  const out: Partial<PodSpec> = {}
  if (list('volume').length) out.mounts = list('volume').map(v => parseVolumeFlag(v, cwd))
  if (list('volumes-from').length) out.volumesFrom = list('volumes-from').map(parseVolumesFromFlag)
  if (list('security-opt').length) out.security = parseSecurityOpts(list('security-opt'))
  if (list('sysctl').length) out.sysctl = parseSysctlFlags(list('sysctl'))
  if (!boolValue(f['share-parent'] as string | undefined, true)) out.shareParent = false
  return out
}

/** Podman's pod create checks of --ip/--ip6/--mac-address/--network-alias (its own messages, before the infra's). */
export function checkPodAddresses(f: Record<string, unknown>, net: ContainerNetworkSpec): void {
  for (const k of ['ip', 'ip6']) {
    const v = f[k] as string | undefined
    if (v !== undefined && !isIP(v)) throw new InvalidArgument(`${JSON.stringify(v)} is not an ip address`)
  }
  const mode = net.netns?.mode
  if (mode === undefined || mode === 'bridge') return
  for (const k of ['ip', 'ip6', 'mac-address', 'network-alias']) {
    const v = f[k]
    if (v !== undefined && !(Array.isArray(v) && v.length === 0)) throw new InvalidArgument(`--${k} can only be set when the network mode is bridge: invalid argument`)
  }
}
