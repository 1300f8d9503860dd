// kube generate: containers, pods and volumes → Kubernetes YAML that kube
// play (and a real cluster) accepts: a Pod (or a Deployment, DaemonSet or
// Job around its template), PersistentVolumeClaims for volumes, and with
// service a NodePort Service. Names survive a round trip: a member named
// `<pod>-<name>` is written as `<name>`, which play names `<pod>-<name>`
// again (Podman 4.3.1 doubles the prefix here).
import type {Container as K8sContainer, PodSpec as K8sPodSpec, Volume as K8sVolume, VolumeMount, ContainerPort, ServicePort} from 'kubernetes-types/core/v1.js'
import {statSync} from 'node:fs'
import {stringify} from 'yaml'
import {InvalidArgument, NoSuchContainer, NoSuchPod, NoSuchVolume} from '../define/errors.js'
import type {Runtime} from '../runtime.js'
import type {ContainerConfig} from '../container/types.js'
import {parseConfig} from '../image/inspect.js'
import type {PortMapping} from '../network/types.js'
import {INIT_TYPE_ANNOTATION} from './to-spec.js'

export type WorkloadType = 'pod' | 'deployment' | 'daemonset' | 'job'

export interface GenerateOptions {
  /** Add a Service with NodePorts for the published ports. */
  service?: boolean
  /** What wraps the pod (default pod). */
  type?: WorkloadType
  /** Deployment replicas (default 1). */
  replicas?: number
}

/** Annotations peapod and Podman set themselves: not the user's. */
const INTERNAL_ANNOTATION = /^(io\.kubernetes\.cri-o\.|io\.podman\.annotations\.(autoremove|init|privileged|publish-all)$|io\.container\.manager$)/
/** Variables every container gets without asking. */
const DEFAULT_ENV = new Set(['PATH', 'TERM', 'container', 'HOME', 'HOSTNAME'])

const arrEq = (a: readonly string[] | undefined, b: readonly string[] | undefined) => JSON.stringify(a ?? []) === JSON.stringify(b ?? [])

/** A name usable as a Kubernetes volume name (DNS-1123 label). */
function volumeName(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 50) || 'vol'
}

function expandPorts(ports: PortMapping[] | undefined): ContainerPort[] {
  const out: ContainerPort[] = []
  for (const p of ports ?? []) {
    for (let i = 0; i < (p.range || 1); i++) {
      out.push({
        containerPort: p.container_port + i,
        ...p.host_port ? {hostPort: p.host_port + i} : {},
        ...p.host_ip ? {hostIP: p.host_ip} : {},
        ...p.protocol && p.protocol !== 'tcp' ? {protocol: p.protocol.toUpperCase()} : {},
      })
    }
  }
  return out
}

interface Vols {
  list: K8sVolume[]
  byKey: Map<string, string>
}

/** One container as a Kubernetes container, relative to its image. */
function toContainer(rt: Runtime, c: ContainerConfig, name: string, vols: Vols): K8sContainer {
  let img: {Entrypoint?: string[] | null; Cmd?: string[] | null; WorkingDir?: string; Env?: string[] | null} = {}
  try {
    img = (parseConfig(rt.store.images.get(c.imageId)).config ?? {}) as typeof img
  } catch {
    img = {}
  }
  const out: K8sContainer = {name, image: c.imageName}
  // command replaces the image's entrypoint, args its Cmd (Kubernetes
  // semantics); `$(` and `$$` escaped so that play's $(VAR) expansion keeps them.
  const esc = (a: string[]) => a.map(x => x.replace(/\$(?=[($])/g, '$$$$'))
  const ep = c.entrypoint
  if (ep !== undefined && !arrEq(ep, img.Entrypoint ?? [])) {
    out.command = esc(ep)
    if (c.command.length) out.args = esc(c.command)
  } else if (c.command.length && !arrEq(c.command, img.Cmd ?? [])) {
    out.args = esc(c.command)
  }
  const imgEnv = new Set(img.Env ?? [])
  const env = c.env.filter(kv => !imgEnv.has(kv) && !DEFAULT_ENV.has(kv.split('=')[0])).map(kv => {
    const i = kv.indexOf('=')
    return {name: kv.slice(0, i), value: kv.slice(i + 1)}
  })
  if (env.length) out.env = env
  if (c.workdir && c.workdir !== img.WorkingDir && c.workdir !== '/') out.workingDir = c.workdir
  if (c.tty) out.tty = true
  if (c.interactive) out.stdin = true
  const mounts: VolumeMount[] = []
  for (const m of c.mounts) {
    if (m.type !== 'bind' && m.type !== 'volume') continue
    const key = `${m.type}:${m.source}`
    let vname = vols.byKey.get(key)
    if (!vname) {
      if (m.type === 'volume') {
        const doc = rt.volumes.read(m.source)
        if (doc?.anonymous) continue // an image VOLUME's: made again at play
        vname = `${volumeName(m.source)}-pvc`
        vols.list.push({name: vname, persistentVolumeClaim: {claimName: m.source}})
      } else {
        vname = `${volumeName(m.source)}-host-${vols.list.length}`
        let type = 'Directory'
        try {
          type = statSync(m.source).isDirectory() ? 'Directory' : 'File'
        } catch {
          type = 'DirectoryOrCreate'
        }
        vols.list.push({name: vname, hostPath: {path: m.source, type}})
      }
      vols.byKey.set(key, vname)
    }
    mounts.push({name: vname, mountPath: m.destination, ...m.options.includes('ro') ? {readOnly: true} : {}})
  }
  if (mounts.length) out.volumeMounts = mounts
  const sc: NonNullable<K8sContainer['securityContext']> = {}
  if (c.capAdd.length || c.capDrop.length) {
    sc.capabilities = {
      ...c.capAdd.length ? {add: c.capAdd.map(x => x.replace(/^CAP_/i, '').toUpperCase())} : {},
      ...c.capDrop.length ? {drop: c.capDrop.map(x => x.replace(/^CAP_/i, '').toUpperCase())} : {},
    }
  }
  if (c.privileged) sc.privileged = true
  if (c.readOnly) sc.readOnlyRootFilesystem = true
  if (c.security?.noNewPrivileges) sc.allowPrivilegeEscalation = false
  const user = /^(\d+)(?::(\d+))?$/.exec(c.user ?? '')
  if (user) {
    sc.runAsUser = Number(user[1])
    if (user[2] !== undefined) sc.runAsGroup = Number(user[2])
  }
  if (Object.keys(sc).length) out.securityContext = sc
  if (c.healthcheck && c.healthcheck.test[0] !== 'NONE' && c.healthcheck.test.length) {
    const t = c.healthcheck.test
    const command = t[0] === 'CMD' ? t.slice(1) : t[0] === 'CMD-SHELL' ? ['/bin/sh', '-c', t.slice(1).join(' ')] : t
    const s = (ns: number) => Math.max(1, Math.round(ns / 1e9))
    out.livenessProbe = {
      exec: {command},
      ...c.healthcheck.interval ? {periodSeconds: s(c.healthcheck.interval)} : {},
      ...c.healthcheck.timeout ? {timeoutSeconds: s(c.healthcheck.timeout)} : {},
      ...c.healthcheck.retries ? {failureThreshold: c.healthcheck.retries} : {},
      ...c.healthcheck.startPeriod ? {initialDelaySeconds: Math.round(c.healthcheck.startPeriod / 1e9)} : {},
    }
  }
  return out
}

interface Generated {
  name: string
  labels: Record<string, string>
  annotations: Record<string, string>
  spec: K8sPodSpec
}

/** A pod (or a lone container, as a pod named `<container>-pod`) as a pod template. */
function podOf(rt: Runtime, name: string, members: ContainerConfig[], infra: ContainerConfig | undefined, podLabels: Record<string, string>, hostname?: string): Generated {
  const vols: Vols = {list: [], byKey: new Map()}
  const containers: K8sContainer[] = []
  const initContainers: K8sContainer[] = []
  const annotations: Record<string, string> = {}
  for (const c of members) {
    const short = c.name.startsWith(`${name}-`) ? c.name.slice(name.length + 1) : c.name
    const k = toContainer(rt, c, volumeName(short), vols)
    for (const [key, v] of Object.entries(c.annotations)) if (!INTERNAL_ANNOTATION.test(key)) annotations[key] = v
    ;(c.annotations[INIT_TYPE_ANNOTATION] ? initContainers : containers).push(k)
  }
  if (containers.length === 0) throw new InvalidArgument(`pod ${name} has no containers to generate`)
  const net = (infra ?? members[0]).networkOptions
  const ports = expandPorts(net?.ports)
  if (ports.length) containers[0].ports = ports
  const spec: K8sPodSpec = {containers}
  if (initContainers.length) spec.initContainers = initContainers
  if (vols.list.length) spec.volumes = vols.list
  if ((infra ?? members[0]).network === 'host') spec.hostNetwork = true
  const hosts = new Map<string, string[]>()
  for (const h of net?.addHosts ?? []) {
    const i = h.indexOf(':')
    hosts.set(h.slice(i + 1), [...hosts.get(h.slice(i + 1)) ?? [], h.slice(0, i)])
  }
  if (hosts.size) spec.hostAliases = [...hosts].map(([ip, hostnames]) => ({ip, hostnames}))
  if (hostname && hostname !== name) spec.hostname = hostname
  const grace = members[0].stopTimeout
  if (grace !== undefined && grace !== 10) spec.terminationGracePeriodSeconds = grace
  // `app` only where a selector needs it (wrap, serviceOf): a plain Pod plays back with its own labels.
  const labels = {...podLabels, ...members[0].labels}
  return {name, labels, annotations, spec}
}

/** The label Services and workload selectors select the pod by. */
function withApp(g: Generated): Generated {
  return {...g, labels: {app: g.name, ...g.labels}}
}

function wrap(g: Generated, opts: GenerateOptions): Record<string, unknown> {
  if (opts.service || (opts.type ?? 'pod') !== 'pod') g = withApp(g)
  const meta = {name: g.name, labels: g.labels, ...Object.keys(g.annotations).length ? {annotations: g.annotations} : {}}
  const type = opts.type ?? 'pod'
  if (type === 'pod') return {apiVersion: 'v1', kind: 'Pod', metadata: meta, spec: {...g.spec, restartPolicy: 'Always'}}
  const template = {metadata: meta, spec: g.spec}
  const selector = {matchLabels: {app: g.name}}
  if (type === 'deployment') return {apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: `${g.name}-deployment`, labels: g.labels}, spec: {replicas: opts.replicas ?? 1, selector, template}}
  if (type === 'daemonset') return {apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: {name: `${g.name}-daemonset`, labels: g.labels}, spec: {selector, template}}
  return {apiVersion: 'batch/v1', kind: 'Job', metadata: {name: `${g.name}-job`, labels: g.labels}, spec: {template: {...template, spec: {...g.spec, restartPolicy: 'OnFailure'}}}}
}

function serviceOf(g: Generated): Record<string, unknown> | undefined {
  const ports: ServicePort[] = g.spec.containers.flatMap(c => (c.ports ?? []).map(p => ({
    name: `${p.containerPort}-${(p.protocol ?? 'TCP').toLowerCase()}`,
    port: p.containerPort,
    protocol: p.protocol ?? 'TCP',
    targetPort: p.containerPort,
    // a NodePort in Kubernetes' default range, stable for the same port
    nodePort: 30000 + ((p.hostPort ?? p.containerPort) % 2768),
  })))
  if (!ports.length) return undefined
  g = withApp(g)
  return {apiVersion: 'v1', kind: 'Service', metadata: {name: g.name, labels: g.labels}, spec: {ports, selector: {app: g.name}, type: 'NodePort'}}
}

function pvcOf(rt: Runtime, name: string): Record<string, unknown> {
  const v = rt.volumes.lookup(name)
  const annotations: Record<string, string> = {'volume.podman.io/driver': v.driver}
  if (v.uid !== undefined) annotations['volume.podman.io/uid'] = String(v.uid)
  if (v.gid !== undefined) annotations['volume.podman.io/gid'] = String(v.gid)
  if (v.options.type) annotations['volume.podman.io/type'] = v.options.type
  if (v.options.device) annotations['volume.podman.io/device'] = v.options.device
  if (v.options.o) annotations['volume.podman.io/mount-options'] = v.options.o
  return {
    apiVersion: 'v1', kind: 'PersistentVolumeClaim',
    metadata: {name: v.name, annotations, ...Object.keys(v.labels).length ? {labels: v.labels} : {}},
    spec: {accessModes: ['ReadWriteOnce'], resources: {requests: {storage: '1Gi'}}},
  }
}

/** The objects (Kubernetes documents) for the named pods, containers and volumes. */
export function generateObjects(rt: Runtime, refs: string[], opts: GenerateOptions = {}): Array<Record<string, unknown>> {
  if (refs.length === 0) throw new InvalidArgument('generate kube requires at least one container, pod or volume')
  const docs: Array<Record<string, unknown>> = []
  const services: Array<Record<string, unknown>> = []
  const lone: ContainerConfig[] = []
  for (const ref of refs) {
    let pod
    try {
      pod = rt.pods.lookup(ref)
    } catch (e) {
      if (!(e instanceof NoSuchPod)) throw e
    }
    if (pod) {
      const all = rt.containers.list().map(c => c.config).filter(c => c.pod === pod.id).sort((a, b) => a.created.localeCompare(b.created))
      const g = podOf(rt, pod.name, all.filter(c => !c.isInfra), all.find(c => c.isInfra), pod.labels, pod.hostname)
      docs.push(wrap(g, opts))
      const svc = opts.service && serviceOf(g)
      if (svc) services.push(svc)
      continue
    }
    try {
      const c = rt.containers.lookup(ref).config
      if (c.pod) throw new InvalidArgument(`${ref} is a member of a pod: generate the pod instead`)
      lone.push(c)
      continue
    } catch (e) {
      if (!(e instanceof NoSuchContainer)) throw e
    }
    try {
      docs.push(pvcOf(rt, ref))
    } catch (e) {
      if (e instanceof NoSuchVolume) throw new InvalidArgument(`name or ID ${JSON.stringify(ref)} not found: no such container, pod or volume`)
      throw e
    }
  }
  if (lone.length) {
    // Containers not in a pod become one pod, as Podman does.
    const name = `${lone[0].name}-pod`
    const g = podOf(rt, name, lone, undefined, {})
    docs.push(wrap(g, opts))
    const svc = opts.service && serviceOf(g)
    if (svc) services.push(svc)
  }
  return [...docs, ...services]
}

/** kube generate's YAML: the documents, with Podman's header. */
export function generateKube(rt: Runtime, refs: string[], opts: GenerateOptions = {}): string {
  const docs = generateObjects(rt, refs, opts)
  const header = '# Save the output of this file and use kubectl create -f to import\n# it into Kubernetes.\n#\n# Created with peapod\n'
  return header + docs.map(d => stringify(d, {lineWidth: 0})).join('---\n')
}
