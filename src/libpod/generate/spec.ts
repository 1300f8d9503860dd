// `generate spec`: a container's or a pod's create input as Podman's
// SpecGenerator / PodSpecGenerator JSON (the keys of its JSON tags, empty
// ones left out as Go's omitempty does), for `podman create` through the
// API or for a clone. Named NAME-clone unless --name=false.
import {NoSuchContainer} from '../define/errors.js'
import type {ContainerConfig} from '../container/types.js'
import type {PodConfig} from '../pod/types.js'
import type {Runtime} from '../runtime.js'

type Json = Record<string, unknown>

/** Podman's Namespace {nsmode, value}. */
function ns(mode: string | undefined, fallback: string): Json {
  const m = mode ?? fallback
  const i = m.indexOf(':')
  return i === -1 ? {nsmode: m} : {nsmode: m.slice(0, i) === 'container' ? 'container' : m.slice(0, i), value: m.slice(i + 1)}
}

/** Drops what Go's omitempty would: undefined, empty strings, lists and maps, false. */
function compact(o: Json): Json {
  const out: Json = {}
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || v === '' || v === false || v === 0) continue
    if (Array.isArray(v) && v.length === 0) continue
    if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) continue
    out[k] = v
  }
  return out
}

function envMap(env: string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const e of env) {
    const i = e.indexOf('=')
    if (i > 0) out[e.slice(0, i)] = e.slice(i + 1)
  }
  return out
}

function signalNumber(name: string): number | undefined {
  const n = Number(name)
  if (Number.isInteger(n)) return n
  return (({SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGUSR1: 10, SIGUSR2: 12, SIGTERM: 15, SIGSTOP: 19, SIGWINCH: 28, SIGRTMIN: 34} as Record<string, number>)[name.toUpperCase().replace(/^(?!SIG)/, 'SIG')])
}

export function containerSpecJson(c: ContainerConfig, keepName: boolean): Json {
  const net = c.network || 'bridge'
  const netOpts = c.networkOptions ?? {}
  const sig = signalNumber(c.stopSignal)
  return compact({
    name: keepName ? c.name : `${c.name}-clone`,
    pod: c.pod,
    labels: c.labels,
    annotations: c.annotations,
    stop_signal: sig === 15 ? undefined : sig,
    stop_timeout: c.stopTimeout === 10 ? undefined : c.stopTimeout,
    log_configuration: c.logDriver && (c.logDriver !== 'k8s-file' || Object.keys(c.logOptions ?? {}).length) ? compact({driver: c.logDriver, options: c.logOptions}) : undefined,
    command: c.command,
    entrypoint: c.entrypoint,
    env: {...envMap(c.envFiles ?? []), ...envMap(c.env ?? [])},
    terminal: c.tty,
    stdin: c.interactive,
    remove: c.remove,
    sdnotifyMode: c.sdNotifyMode ?? 'container',
    pidns: ns(c.namespaces?.pid, 'default'),
    utsns: ns(c.namespaces?.uts, 'private'),
    hostname: c.hostname,
    containerCreateCommand: c.createCommand,
    init: c.init,
    oci_runtime: c.runtime,
    image: c.imageId,
    read_only_filesystem: c.readOnly,
    mounts: c.mounts.filter(m => m.type === 'bind' || m.type === 'tmpfs').map(m => ({destination: m.destination, type: m.type, source: m.source, options: m.options})),
    volumes: c.mounts.filter(m => m.type === 'volume').map(m => ({Name: m.source, Dest: m.destination, Options: m.options})),
    work_dir: c.workdir,
    ipcns: ns(c.namespaces?.ipc, 'default'),
    shm_size: c.resources?.shmSize ?? 65536000,
    user: c.user,
    privileged: c.privileged,
    cap_add: c.capAdd,
    cap_drop: c.capDrop,
    userns: ns(undefined, 'default'),
    umask: c.users?.umask ?? '0022',
    cgroupns: ns(c.resources?.cgroupns, 'default'),
    netns: ns(net.startsWith('container:') || net.startsWith('ns:') || ['host', 'none', 'private', 'slirp4netns', 'pasta'].includes(net) ? net : 'bridge', 'bridge'),
    Networks: netOpts.networks,
    portmappings: netOpts.ports,
    publish_image_ports: netOpts.publishAll,
    expose: undefined,
    dns_server: netOpts.dns,
    dns_search: netOpts.dnsSearch,
    dns_option: netOpts.dnsOptions,
    hostadd: netOpts.addHosts,
    use_image_hosts: netOpts.noHosts,
    resource_limits: c.resources?.resourceLimits,
    oom_score_adj: c.resources?.oomScoreAdj,
    cgroup_parent: c.resources?.cgroupParent,
    healthconfig: c.healthcheck ? {Test: c.healthcheck.test, Interval: c.healthcheck.interval, Timeout: c.healthcheck.timeout, Retries: c.healthcheck.retries, StartPeriod: c.healthcheck.startPeriod} : undefined,
  })
}

export function podSpecJson(p: PodConfig, infraImage: string | undefined, keepName: boolean): Json {
  return compact({
    name: keepName ? p.name : `${p.name}-clone`,
    hostname: p.hostname,
    labels: p.labels,
    no_infra: !p.infraId,
    infra_image: infraImage,
    shared_namespaces: p.share,
    pod_create_command: p.createCommand,
    exit_policy: p.exitPolicy,
  })
}

/** The spec of a container, else of a pod (Podman looks in that order). */
export function generateSpec(rt: Runtime, ref: string, keepName: boolean): Json {
  const c = rt.containers.find(ref)
  if (c) return containerSpecJson(c.config, keepName)
  const p = rt.pods.find(ref)
  if (p) {
    const infra = p.infraId ? rt.containers.read(p.infraId) : undefined
    return podSpecJson(p, infra?.config.imageId, keepName)
  }
  throw new NoSuchContainer(`could not find a pod or container with the id ${ref}`)
}
