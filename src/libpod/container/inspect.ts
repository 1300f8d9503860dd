// `container inspect`: Podman's JSON shape and keys (InspectContainerData).
import {existsSync, readFileSync} from 'node:fs'
import {parseSignal} from '../spec/signals.js'
import {securityOptStrings} from '../specgen/security.js'
import {finishEnv, mergeEnv} from '../spec/env.js'
import {capabilityChanges, containerCapabilities, hostBoundingSet} from '../spec/caps.js'
import type {Runtime} from '../runtime.js'
import {inspectHealth, inspectHealthConfig} from './healthcheck.js'
import {stateName} from './list.js'
import {containerSize} from './ps-row.js'
import {containerPaths} from './paths.js'
import {containerNetworkInfo} from '../network/info.js'
import type {Container} from './types.js'
import {ociFor} from '../oci/runtime.js'
import {inspectResources} from './resources.js'
import {usersInspectConfig, usersInspectHostConfig} from './inspect-users.js'
import {inspectLifecycle} from './life.js'

const ZERO = '0001-01-01T00:00:00Z'

function specOf(rt: Runtime, c: Container): {process?: {args?: string[]; env?: string[]; cwd?: string; user?: {uid: number; gid: number}; capabilities?: {effective?: string[]; bounding?: string[]}}} {
  try {
    return JSON.parse(readFileSync(`${containerPaths(rt, c.config.id).bundle}/config.json`, 'utf8'))
  } catch {
    return {}
  }
}

const PROPAGATION = ['rprivate', 'private', 'rshared', 'shared', 'rslave', 'slave']

/** A bind's options as Podman reports them: ro|rw, the propagation, rbind|bind, then the rest. */
/** inspect's Mounts (pod inspect's `mounts` too: the infra's). */
/** Mounts as Podman shows them; a named volume with its name, its mountpoint as Source and its driver. */
export function inspectMounts(mounts: Container['config']['mounts'], rt: Runtime): Array<Record<string, unknown>> {
  return mounts.map(m => ({Type: m.type, ...m.type === 'volume' ? {Name: m.source, Source: rt.volumes.dataDir(m.source)} : {Source: m.source}, Destination: m.destination, Driver: m.type === 'volume' ? rt.volumes.read(m.source)?.driver ?? 'local' : '', Mode: '', Options: bindOptions(m.options).filter(o => !['ro', 'rw'].includes(o) && !PROPAGATION.includes(o)), RW: !m.options.includes('ro'), Propagation: m.options.find(o => PROPAGATION.includes(o)) ?? 'rprivate'}))
}

function bindOptions(opts: string[]): string[] {
  const rest = opts.filter(o => !['ro', 'rw', 'bind', 'rbind'].includes(o) && !PROPAGATION.includes(o))
  return [opts.includes('ro') ? 'ro' : 'rw', opts.find(o => PROPAGATION.includes(o)) ?? 'rprivate', opts.includes('bind') ? 'bind' : 'rbind', ...rest]
}

function signalNumber(sig: string): number | string {
  try {
    return parseSignal(sig)
  } catch {
    return sig
  }
}

/** Config.Env of a container not started yet: what its process will get, before HOME and HOSTNAME. */
function createdEnv(c: Container, imageEnv: string[]): string[] {
  try {
    return finishEnv(mergeEnv({imageEnv, envHost: c.config.envHost, envFiles: c.config.envFiles, env: c.config.env, hostEnv: c.config.hostEnv ?? {}}), {})
  } catch {
    return c.config.env
  }
}

/** --size: the writable layer's bytes and the whole root file system's, as ps -s counts them. */
function sizes(rt: Runtime, c: Container): {SizeRw: number; SizeRootFs: number} {
  const {rwSize, rootFsSize} = containerSize(rt, c)
  return {SizeRw: rwSize, SizeRootFs: rootFsSize}
}

export function inspectContainer(rt: Runtime, c: Container, opts: {size?: boolean} = {}): Record<string, unknown> {
  const p = containerPaths(rt, c.config.id)
  const net = containerNetworkInfo(rt, c) // NETWORK
  const image = rt.store.images.exists(c.config.imageId) ? rt.store.images.get(c.config.imageId) : undefined
  const imgCfg = image ? (JSON.parse(image.config).config ?? {}) : {}
  const spec = specOf(rt, c)
  // (a container not running has no spec: its capabilities as start will set them, for its user or the image's,
  // as Podman has them from create)
  const caps = spec.process?.capabilities ?? containerCapabilities(c.config, c.config.user ?? imgCfg.User ?? '', hostBoundingSet())
  const cmd = c.config.command.length ? c.config.command : (c.config.entrypoint !== undefined ? [] : imgCfg.Cmd ?? [])
  const entrypoint = c.config.entrypoint ?? imgCfg.Entrypoint ?? []
  const args = spec.process?.args ?? [...entrypoint, ...cmd]
  const s = c.state
  const running = s.status === 'running'
  const life = inspectLifecycle(c.config) // LIFECYCLE/ENV
  let runtimeName = ''
  try {
    runtimeName = ociFor(rt, c.config).path.split('/').pop() ?? ''
  } catch {
    runtimeName = c.config.runtime
  }
  return {
    Id: c.config.id,
    Created: c.config.created,
    Path: args[0] ?? '',
    Args: args.slice(1),
    State: {
      OciVersion: '1.0.2-dev',
      Status: stateName(c),
      Running: running,
      Paused: s.status === 'paused',
      Restarting: false,
      OOMKilled: s.oomKilled ?? false,
      Dead: false,
      Pid: running ? s.pid ?? 0 : 0,
      // omitempty in Podman
      ...(running && s.monitorPid ? {ConmonPid: s.monitorPid} : {}),
      ExitCode: s.exitCode ?? 0,
      Error: s.error ?? '',
      StartedAt: s.startedAt ?? ZERO,
      FinishedAt: s.finishedAt ?? ZERO,
      Health: inspectHealth(rt, c),
      CheckpointedAt: ZERO,
      RestoredAt: ZERO,
    },
    Image: c.config.imageId,
    ImageDigest: image?.digest ?? '',
    ImageName: c.config.imageName,
    Rootfs: c.config.rootfs?.path ?? '',
    Pod: c.config.pod ?? '', // POD
    ResolvConfPath: p.resolvConf,
    HostnamePath: p.hostname,
    HostsPath: p.hosts,
    StaticDir: p.dir,
    ...(existsSync(`${p.bundle}/config.json`) ? {OCIConfigPath: `${p.bundle}/config.json`} : {}),
    OCIRuntime: runtimeName,
    ConmonPidFile: p.monitorPid,
    PidFile: c.config.life?.pidFile ?? p.pidFile,
    ...life.top,
    Name: c.config.name,
    RestartCount: s.restartCount,
    Driver: c.config.storageDriver,
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: '',
    EffectiveCaps: caps.effective ?? [],
    BoundingCaps: caps.bounding ?? [],
    ExecIDs: [],
    GraphDriver: {Name: c.config.storageDriver, Data: s.mountPoint ? {MergedDir: s.mountPoint, UpperDir: `${p.dir}/rootfs/diff`, WorkDir: `${p.dir}/rootfs/work`} : null},
    ...opts.size ? sizes(rt, c) : {},
    Mounts: inspectMounts(c.config.mounts, rt),
    Dependencies: [],
    NetworkSettings: net.NetworkSettings, // NETWORK
    Namespace: '',
    IsInfra: c.config.isInfra ?? false, // POD
    IsService: c.config.labels['io.podman.kube.service'] === 'true', // kube play --service-container
    Config: {
      Hostname: c.config.hostname ?? c.config.id.slice(0, 12),
      Domainname: '',
      User: c.config.user ?? imgCfg.User ?? '',
      AttachStdin: false,
      AttachStdout: false,
      AttachStderr: false,
      Tty: c.config.tty,
      OpenStdin: c.config.interactive,
      StdinOnce: false,
      Env: spec.process?.env ?? createdEnv(c, imgCfg.Env ?? []),
      Cmd: cmd.length ? cmd : null, // Podman: null when there is none
      Image: c.config.imageName,
      Volumes: null,
      WorkingDir: spec.process?.cwd ?? c.config.workdir ?? imgCfg.WorkingDir ?? '/',
      Entrypoint: entrypoint.join(' '),
      OnBuild: null,
      Labels: Object.keys(c.config.labels).length ? c.config.labels : null,
      Annotations: {
        'io.kubernetes.cri-o.TTY': String(c.config.tty),
        'io.podman.annotations.autoremove': c.config.remove ? 'TRUE' : 'FALSE',
        'io.podman.annotations.init': c.config.init ? 'TRUE' : 'FALSE',
        'io.podman.annotations.privileged': c.config.privileged ? 'TRUE' : 'FALSE',
        'io.podman.annotations.publish-all': 'FALSE',
        ...c.config.annotations,
      },
      // Podman 4 prints the signal's number.
      StopSignal: signalNumber(c.config.stopSignal),
      Umask: '0022',
      Timeout: 0,
      StopTimeout: c.config.stopTimeout,
      Passwd: true,
      CreateCommand: c.config.createCommand ?? [],
      ...(c.config.healthcheck ? {Healthcheck: inspectHealthConfig(c.config)} : {}),
      HealthcheckOnFailureAction: c.config.healthOnFailure ?? 'none',
      ...usersInspectConfig(c.config), // USERS/NAMESPACES
      ...life.config,
      sdNotifyMode: c.config.sdNotifyMode ?? 'container',
      ...c.config.systemd ? {SystemdMode: true} : {},
    },
    HostConfig: {
      Binds: c.config.mounts.filter(m => m.type === 'bind').map(m => `${m.source}:${m.destination}:${bindOptions(m.options).join(',')}`),
      CgroupManager: rt.config.cgroupManager,
      CgroupMode: 'host',
      ContainerIDFile: '',
      LogConfig: {Type: c.config.logDriver, Config: null, Path: p.log, Tag: '', Size: c.config.logOptions['max-size'] ?? '0B'},
      NetworkMode: net.NetworkMode,
      PortBindings: net.PortBindings,
      RestartPolicy: {Name: '', MaximumRetryCount: 0},
      AutoRemove: c.config.remove,
      VolumeDriver: '',
      VolumesFrom: null,
      ...capabilityChanges(caps.bounding ?? [], c.config.privileged),
      Dns: [],
      DnsOptions: [],
      DnsSearch: [],
      ExtraHosts: [],
      GroupAdd: [],
      IpcMode: 'shareable',
      Cgroup: '',
      Cgroups: 'default',
      Links: null,
      OomScoreAdj: 0,
      PidMode: 'private',
      Privileged: c.config.privileged,
      PublishAllPorts: net.PublishAllPorts,
      ReadonlyRootfs: c.config.readOnly,
      SecurityOpt: securityOptStrings(c.config.security),
      Tmpfs: Object.fromEntries(c.config.tmpfs.map(t => [t.destination, `${t.options.length ? t.options.join(',') : 'rw'},rprivate,nosuid,nodev,tmpcopyup`])),
      UTSMode: 'private',
      UsernsMode: '',
      ShmSize: 65536000,
      Runtime: 'oci',
      ConsoleSize: [0, 0],
      Isolation: '',
      CpuShares: 0,
      Memory: 0,
      NanoCpus: 0,
      CgroupParent: '',
      BlkioWeight: 0,
      BlkioWeightDevice: null,
      BlkioDeviceReadBps: null,
      BlkioDeviceWriteBps: null,
      BlkioDeviceReadIOps: null,
      BlkioDeviceWriteIOps: null,
      CpuPeriod: 0,
      CpuQuota: 0,
      CpuRealtimePeriod: 0,
      CpuRealtimeRuntime: 0,
      CpusetCpus: '',
      CpusetMems: '',
      Devices: [],
      DiskQuota: 0,
      KernelMemory: 0,
      MemoryReservation: 0,
      MemorySwap: 0,
      MemorySwappiness: 0,
      OomKillDisable: false,
      PidsLimit: rt.config.rootless ? 0 : 2048,
      Ulimits: c.config.ulimits.map(u => ({Name: `RLIMIT_${u.name.toUpperCase()}`, Soft: u.soft, Hard: u.hard})),
      CpuCount: 0,
      CpuPercent: 0,
      IOMaximumIOps: 0,
      IOMaximumBandwidth: 0,
      CgroupConf: null,
      ...inspectResources(c.config.resources, {rootless: rt.config.rootless}), // RESOURCES
      ...(c.config.init ? {Init: true} : {}),
      ...usersInspectHostConfig(c.config, rt.config.rootless), // USERS/NAMESPACES/DEVICES
      ...life.hostConfig,
    },
  }
}
