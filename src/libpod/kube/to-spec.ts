// One Kubernetes workload (Pod, or the pod template of a Deployment,
// DaemonSet or Job) → a typed PodSpec and one ContainerSpec per container,
// named as Podman names them: the pod is metadata.name (a template's pod is
// `<name>-pod`), its containers `<pod>-<container>`. No store access here
// except the hostPath checks (volumes.ts): play.ts makes what this plans.
import {existsSync} from 'node:fs'
import {constants} from 'node:os'
import type {Container, PodSpec as K8sPodSpec, Probe, SecurityContext, PodSecurityContext} from 'kubernetes-types/core/v1.js'
import {InvalidArgument} from '../define/errors.js'
import type {HealthConfig} from '../container/types.js'
import type {PullPolicy} from '../image/pull.js'
import type {ContainerSpec} from '../specgen/container.js'
import type {ContainerNetworkSpec} from '../specgen/network.js'
import type {PodSpec} from '../specgen/pod.js'
import type {RestartPolicyName} from '../specgen/lifecycle.js'
import type {ResourceLimits} from '../specgen/resources.js'
import type {SharedNamespace} from '../pod/types.js'
import type {UsernsMode} from '../specgen/namespaces.js'
import {sysctlAllowed} from '../specgen/lifecycle.js'
import {seccompOf} from './seccomp.js'
import {normalizeCapabilities} from '../spec/caps.js'
import type {PortMapping} from '../network/types.js'
import {containerEnv, expandVars, type PodMeta} from './env.js'
import type {KubeDoc} from './parse.js'
import type {KubeSources} from './sources.js'
import {checkObjectName, checkPodSpec, parseQuantity} from './validate.js'
import {containerMounts, planVolumes, type VolumeNeed, type VolumePlan} from './volumes.js'

/** The network kube play gives pods (rootful) when --network is not given, as Podman does. */
export const KUBE_NETWORK = 'podman-default-kube-network'
export const INIT_TYPE_ANNOTATION = 'io.podman.annotations.init.container.type'
export const INFRA_NAME_ANNOTATION = 'io.podman.annotations.infra.name'

/** What the command line adds to every pod and container of a play. */
export interface PlayDefaults {
  /** --network; absent: Podman's kube default. */
  network?: ContainerNetworkSpec
  /** --ip, --mac-address: the pod's address on its (first) network. */
  staticIP?: string
  staticMAC?: string
  noHosts?: boolean
  logDriver?: string
  logOptions?: Record<string, string>
  /** --annotation: onto every container. */
  annotations?: Record<string, string>
  /** --userns: the pods' user namespace (the infra holds it, the members join). */
  userns?: UsernsMode
  /** --seccomp-profile-root: where `localhost/` seccomp profiles are (default /var/lib/kubelet/seccomp). */
  seccompProfileRoot?: string
  /** Running rootless (no bridge network by default). */
  rootless: boolean
}

export interface ContainerPlan {
  /** The container's name in Kubernetes (the spec's name is `<pod>-<name>`). */
  kubeName: string
  spec: ContainerSpec
  /** An init container: `once` ones are removed after they ran, `always` ones run at every start. */
  init?: 'once' | 'always'
  pullPolicy: PullPolicy
}

export interface PodPlan {
  kind: string
  name: string
  podSpec: PodSpec
  /** Init containers first, in order, then the others. */
  containers: ContainerPlan[]
  volumes: VolumePlan
  /** subPath directories to make inside volumes or hostPaths. */
  subPathDirs: string[]
  warnings: string[]
}

const WORKLOADS = new Set(['Pod', 'Deployment', 'DaemonSet', 'Job'])
export const isWorkload = (d: KubeDoc) => WORKLOADS.has(d.kind)

interface Meta {name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>}

function stringMap(where: string, field: string, v: unknown): Record<string, string> {
  if (v === undefined || v === null) return {}
  if (typeof v !== 'object' || Array.isArray(v)) throw new InvalidArgument(`${where}: ${field}: Invalid value: must be a map of strings`)
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, String(x)]))
}

type Template = {name: string; meta: Meta; spec: K8sPodSpec | undefined; warnings: string[]}

/**
 * The pods of a workload document, named as Podman 4.3.1 names them: a Pod
 * is metadata.name; a Deployment makes `replicas` pods (default 1)
 * `<name>-pod-0`, `<name>-pod-1`…; a DaemonSet's or Job's pod (kinds 4.3.1
 * does not play; later Podmans do) is `<name>-pod`.
 */
export function podTemplates(d: KubeDoc): Template[] {
  const name = checkObjectName(d.kind, (d.obj.metadata as Meta | undefined)?.name, d.line)
  if (d.kind === 'Pod') return [{name, meta: (d.obj.metadata ?? {}) as Meta, spec: d.obj.spec as K8sPodSpec | undefined, warnings: []}]
  const spec = (d.obj.spec ?? {}) as {replicas?: unknown; template?: {metadata?: Meta; spec?: K8sPodSpec}}
  const one = (pod: string): Template => ({name: pod, meta: {...spec.template?.metadata, name: pod}, spec: spec.template?.spec, warnings: []})
  if (d.kind !== 'Deployment') return [one(`${name}-pod`)]
  const replicas = spec.replicas ?? 1
  if (!Number.isInteger(replicas) || (replicas as number) < 0) throw new InvalidArgument(`Deployment "${name}": spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`)
  return Array.from({length: replicas as number}, (_, i) => one(`${name}-pod-${i}`))
}

/** The pod spec (template) of a workload document: its volumes and claims. */
export function templateSpec(d: KubeDoc): K8sPodSpec | undefined {
  return d.kind === 'Pod' ? d.obj.spec as K8sPodSpec | undefined : (d.obj.spec as {template?: {spec?: K8sPodSpec}} | undefined)?.template?.spec
}

function signalNumber(where: string, s: unknown): number {
  const name = String(s).toUpperCase()
  const n = (constants.signals as Record<string, number>)[name.startsWith('SIG') ? name : `SIG${name}`] ?? Number(name)
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgument(`${where}: lifecycle.stopSignal: Invalid value: ${JSON.stringify(s)}`)
  return n
}

const SECOND = 1e9

/** A liveness probe as Podman turns it into a health check. */
function probeToHealth(where: string, p: Probe): HealthConfig {
  let test: string[]
  if (p.exec?.command?.length) test = ['CMD', ...p.exec.command]
  else if (p.httpGet) {
    const scheme = (p.httpGet.scheme ?? 'HTTP').toLowerCase()
    test = ['CMD-SHELL', `curl -f ${scheme}://${p.httpGet.host ?? 'localhost'}:${p.httpGet.port}${p.httpGet.path ?? '/'} || exit 1`]
  } else if (p.tcpSocket) test = ['CMD-SHELL', `nc -z -v ${p.tcpSocket.host ?? 'localhost'} ${p.tcpSocket.port} || exit 1`]
  else throw new InvalidArgument(`${where}: livenessProbe: Required value: exec, httpGet or tcpSocket`)
  return {
    test,
    interval: (p.periodSeconds ?? 10) * SECOND,
    timeout: (p.timeoutSeconds ?? 1) * SECOND,
    retries: p.failureThreshold ?? 3,
    startPeriod: (p.initialDelaySeconds ?? 0) * SECOND,
  }
}

/** user[:group] from the container's securityContext, else the pod's. */
function userOf(c: SecurityContext | undefined, pod: PodSecurityContext | undefined): string | undefined {
  const uid = c?.runAsUser ?? pod?.runAsUser
  const gid = c?.runAsGroup ?? pod?.runAsGroup
  if (uid === undefined && gid === undefined) return undefined
  return gid === undefined ? String(uid) : `${uid ?? 0}:${gid}`
}

function seLinux(o: {user?: string; role?: string; type?: string; level?: string} | undefined): string[] {
  if (!o) return []
  return (['user', 'role', 'type', 'level'] as const).filter(k => o[k]).map(k => `${k}:${o[k]}`)
}

/** CFS period Podman's kube play uses with a CPU limit (microseconds). */
const CPU_PERIOD = 100000

/**
 * resources.limits and requests as Podman's kube play maps them: memory
 * limit → limit, memory request → reservation, CPU limit → quota over a
 * 100 ms period, CPU request → shares (1024 per CPU, at least 2).
 */
export function kubeResources(c: Container): ResourceLimits | undefined {
  const q = (v: unknown) => (v === undefined ? undefined : parseQuantity(v))
  const memLimit = q(c.resources?.limits?.memory)
  const memRequest = q(c.resources?.requests?.memory)
  const cpuLimit = q(c.resources?.limits?.cpu)
  const cpuRequest = q(c.resources?.requests?.cpu)
  const memory = {...memLimit ? {limit: Math.round(memLimit)} : {}, ...memRequest ? {reservation: Math.round(memRequest)} : {}}
  const cpu = {
    ...cpuLimit ? {quota: Math.max(1000, Math.round(cpuLimit * CPU_PERIOD)), period: CPU_PERIOD} : {},
    ...cpuRequest ? {shares: Math.max(2, Math.round(cpuRequest * 1024))} : {},
  }
  const out: ResourceLimits = {...Object.keys(memory).length ? {memory} : {}, ...Object.keys(cpu).length ? {cpu} : {}}
  return Object.keys(out).length ? out : undefined
}

const RESTART: Record<string, RestartPolicyName> = {Always: 'always', OnFailure: 'on-failure', Never: 'no'}
const PULL: Record<string, PullPolicy> = {Always: 'always', IfNotPresent: 'missing', Never: 'never'}

/** A Kubernetes imagePullPolicy as peapod's pull policy (default IfNotPresent; checked at plan). */
export const pullPolicyOf = (p: string | undefined): PullPolicy => PULL[p ?? 'IfNotPresent'] ?? 'missing'

function containerSpec(where: string, pod: string, meta: PodMeta, c: Container, spec: K8sPodSpec, vols: VolumePlan, sources: KubeSources,
  defaults: PlayDefaults, init: boolean, volumeDir: (n: string) => string, warnings: string[]): {spec: ContainerSpec; subPathDirs: string[]} {
  const env = containerEnv(where, c, meta, sources)
  const {mounts, tmpfs, subPathDirs} = containerMounts(vols, c, volumeDir)
  const sc = c.securityContext
  const psc = spec.securityContext
  const lifecycle = c.lifecycle as {stopSignal?: string} | undefined
  for (const p of ['readinessProbe', 'startupProbe'] as const) {
    if (c[p]) warnings.push(`${where}: container ${JSON.stringify(c.name)}: ${p} is ignored (Podman ignores it too)`)
  }
  const resourceLimits = kubeResources(c)
  const seccomp = seccompOf(where, c, spec, meta.annotations, defaults.seccompProfileRoot)
  const security = {
    ...seccomp !== undefined ? {seccompProfile: seccomp} : {},
    ...sc?.allowPrivilegeEscalation === false ? {noNewPrivileges: true} : {},
    ...seLinux(sc?.seLinuxOptions ?? psc?.seLinuxOptions).length ? {labelOpts: seLinux(sc?.seLinuxOptions ?? psc?.seLinuxOptions)} : {},
    ...sc?.procMount === 'Unmasked' ? {unmask: ['ALL']} : {},
  }
  const out: ContainerSpec = {
    name: `${pod}-${c.name}`,
    image: c.image!,
    pod,
    ...c.command ? {entrypoint: c.command.map(a => expandVars(a, env))} : {},
    ...c.args ? {command: c.args.map(a => expandVars(a, env))} : c.command ? {command: []} : {},
    env,
    ...c.workingDir ? {workdir: c.workingDir} : {},
    labels: {...meta.labels},
    annotations: {...meta.annotations, ...defaults.annotations},
    ...c.tty ? {terminal: true} : {},
    ...c.stdin ? {stdin: true} : {},
    ...userOf(sc, psc) ? {user: userOf(sc, psc)} : {},
    // as `--cap-add` gives them (CAP_ prefixed, checked): inspect shows them so
    ...sc?.capabilities?.add?.length ? {capAdd: normalizeCapabilities(sc.capabilities.add)} : {},
    ...sc?.capabilities?.drop?.length ? {capDrop: normalizeCapabilities(sc.capabilities.drop)} : {},
    ...sc?.privileged ? {privileged: true} : {},
    ...sc?.readOnlyRootFilesystem ? {readOnlyFilesystem: true} : {},
    ...Object.keys(security).length ? {security} : {},
    ...spec.hostPID ? {pid: 'host' as const} : {},
    ...spec.hostIPC ? {ipc: 'host' as const} : {},
    ...psc?.supplementalGroups?.length ? {groupAdd: psc.supplementalGroups.map(String)} : {},
    ...psc?.sysctls?.length ? {sysctl: Object.fromEntries(psc.sysctls.map(x => [x.name, String(x.value ?? '')]))} : {},
    ...lifecycle?.stopSignal !== undefined ? {stopSignal: signalNumber(where, lifecycle.stopSignal)} : {},
    ...spec.terminationGracePeriodSeconds !== undefined ? {stopTimeout: spec.terminationGracePeriodSeconds} : {},
    ...defaults.logDriver ? {logDriver: defaults.logDriver} : {},
    ...defaults.logOptions ? {logOptions: defaults.logOptions} : {},
    ...mounts.length ? {mounts} : {},
    ...tmpfs.length ? {tmpfs} : {},
    ...resourceLimits ? {resourceLimits} : {},
    ...!init && c.livenessProbe ? {healthcheck: probeToHealth(where, c.livenessProbe)} : {},
    // Init containers run to completion: they get no restart policy.
    ...init ? {} : {restartPolicy: {name: RESTART[spec.restartPolicy ?? 'Always']}},
  }
  return {spec: out, subPathDirs}
}

/** The pod's sysctls: names Podman lets a container set, and none of a host namespace. */
function checkSysctls(where: string, spec: K8sPodSpec): void {
  for (const [i, x] of (spec.securityContext?.sysctls ?? []).entries()) {
    const at = `spec.securityContext.sysctls[${i}]`
    if (!x || typeof x.name !== 'string' || !x.name) throw new InvalidArgument(`${where}: ${at}.name: Required value`)
    if (!sysctlAllowed(x.name)) throw new InvalidArgument(`${where}: ${at}.name: Invalid value: ${JSON.stringify(x.name)}: sysctl '${x.name}' is not allowed`)
    const host = x.name.startsWith('net.') ? spec.hostNetwork && 'Network' : x.name.startsWith('fs.mqueue.') || x.name.startsWith('kernel.') ? spec.hostIPC && 'IPC' : undefined
    if (host) throw new InvalidArgument(`${where}: ${at}: sysctl ${x.name}=${x.value} can't be set since ${host} Namespace set to host`)
  }
}

/** Plans a workload document (Pod, Deployment, DaemonSet, Job). */
export function planPod(d: KubeDoc, t: Template, sources: KubeSources, pvcs: Map<string, VolumeNeed>, defaults: PlayDefaults,
  volumeDir: (n: string) => string, randomName: () => string): PodPlan {
  const {name, meta, spec: rawSpec, warnings} = t
  const where = `${d.kind} "${(d.obj.metadata as Meta).name}"`
  const spec = checkPodSpec(where, rawSpec)
  if (spec.restartPolicy !== undefined && !RESTART[spec.restartPolicy]) throw new InvalidArgument(`${where}: spec.restartPolicy: Unsupported value: ${JSON.stringify(spec.restartPolicy)}: supported values: "Always", "Never", "OnFailure"`)
  const labels = stringMap(where, 'metadata.labels', meta.labels)
  const annotations = stringMap(where, 'metadata.annotations', meta.annotations)
  const podMeta: PodMeta = {name, namespace: meta.namespace ?? '', labels, annotations}
  const vols = planVolumes(where, name, spec, sources, pvcs, randomName)
  for (const i of vols.images) if (i.pullPolicy !== undefined && !PULL[i.pullPolicy]) throw new InvalidArgument(`${where}: image volume ${JSON.stringify(i.image)}: pullPolicy: Unsupported value: ${JSON.stringify(i.pullPolicy)}: supported values: "Always", "IfNotPresent", "Never"`)

  // The pod's network: ports published on the infra, hosts, DNS.
  const ports: PortMapping[] = spec.containers.flatMap(c => (c.ports ?? []).filter(p => p.hostPort).map(p => ({
    host_ip: p.hostIP ?? '', container_port: p.containerPort, host_port: p.hostPort!, range: 1, protocol: (p.protocol ?? 'TCP').toLowerCase(),
  })))
  const network: ContainerNetworkSpec = spec.hostNetwork ? {netns: {mode: 'host'}}
    : defaults.network ? {...defaults.network}
      : defaults.rootless ? {} : {netns: {mode: 'bridge'}, networks: [{name: KUBE_NETWORK}]}
  if (ports.length && !spec.hostNetwork) network.portMappings = ports
  if (defaults.staticIP) network.staticIP = defaults.staticIP
  if (defaults.staticMAC) network.staticMAC = defaults.staticMAC
  const hostAdd = (spec.hostAliases ?? []).flatMap(a => (a.hostnames ?? []).map(host => ({host, ip: a.ip ?? ''})))
  if (hostAdd.length) network.hostAdd = hostAdd
  const dns = spec.dnsConfig
  if (dns?.nameservers?.length) network.dnsServers = dns.nameservers
  if (dns?.searches?.length) network.dnsSearch = dns.searches
  if (dns?.options?.length) network.dnsOptions = dns.options.map(o => (o.value !== undefined ? `${o.name}:${o.value}` : o.name ?? ''))
  if (defaults.noHosts) network.useImageHosts = true

  // hostIPC/hostPID: the members use the host's namespace, not the infra's.
  const share: SharedNamespace[] = spec.hostIPC ? ['net', 'uts'] : ['ipc', 'net', 'uts']
  if (spec.shareProcessNamespace) {
    if (spec.hostPID) throw new InvalidArgument(`${where}: spec.shareProcessNamespace: Invalid value: true: ShareProcessNamespace and HostPID cannot both be enabled`)
    share.push('pid')
  }
  checkSysctls(where, spec)
  // rootless, the host's IPC namespace needs the host's /dev/mqueue (create fails the same way; refused before anything is made)
  if (spec.hostIPC && defaults.rootless && !existsSync('/dev/mqueue')) throw new InvalidArgument(`${where}: spec.hostIPC: statfs /dev/mqueue: no such file or directory`)
  const users = {...defaults.userns ? {userns: defaults.userns} : {}, ...spec.hostPID ? {pid: 'host' as const} : {}}
  const podSpec: PodSpec = {
    name,
    labels,
    hostname: spec.hostname ?? name,
    network,
    share,
    exitPolicy: 'stop',
    ...Object.keys(users).length ? {users} : {},
    ...annotations[INFRA_NAME_ANNOTATION] ? {infraName: annotations[INFRA_NAME_ANNOTATION]} : {},
  }

  const containers: ContainerPlan[] = []
  const subPathDirs: string[] = []
  const add = (c: Container, init: boolean) => {
    const r = containerSpec(where, name, podMeta, c, spec, vols, sources, defaults, init, volumeDir, warnings)
    subPathDirs.push(...r.subPathDirs)
    const policy = c.imagePullPolicy ?? 'IfNotPresent'
    if (!PULL[policy]) throw new InvalidArgument(`${where}: container ${JSON.stringify(c.name)}: imagePullPolicy: Unsupported value: ${JSON.stringify(policy)}: supported values: "Always", "IfNotPresent", "Never"`)
    const initType = annotations[INIT_TYPE_ANNOTATION] ?? 'once'
    if (init && initType !== 'once' && initType !== 'always') throw new InvalidArgument(`${where}: annotation ${INIT_TYPE_ANNOTATION}: Unsupported value: ${JSON.stringify(initType)}: supported values: "always", "once"`)
    if (init) r.spec.annotations = {...r.spec.annotations, [INIT_TYPE_ANNOTATION]: initType}
    containers.push({kubeName: c.name, spec: r.spec, pullPolicy: PULL[policy], ...init ? {init: initType as 'once' | 'always'} : {}})
  }
  for (const c of spec.initContainers ?? []) add(c, true)
  for (const c of spec.containers) add(c, false)
  return {kind: d.kind, name, podSpec, containers, volumes: vols, subPathDirs, warnings}
}
