// create/run flags → a ContainerSpec (and, for --pod new:NAME, the PodSpec
// of the pod to make first). The only place that knows the syntax of these
// flags; the engine gets typed values.
import {readFileSync} from 'node:fs'
import {healthConfigFromFlags, parseOnFailure} from '../libpod/container/healthcheck.js'
import {InvalidArgument} from '../libpod/define/errors.js'
import {parseEnvFile, parseEnvList} from '../libpod/spec/env.js'
import {parseSignal} from '../libpod/spec/signals.js'
import type {ContainerSpec} from '../libpod/specgen/container.js'
import type {Mount, TmpfsMount} from '../libpod/specgen/mounts.js'
import type {PodSpec} from '../libpod/specgen/pod.js'
import {originalArgv} from './argv.js'
import {toNetworkSpec} from './network-spec.js'
import {toResourceSpec} from './resource-spec.js'
import {toDevicesSpec, toUsersSpec} from './namespace-spec.js'
import {parseMountFlag, parseTmpfsFlag, parseVolumeFlag, parseVolumesFromFlag} from './spec-mounts.js'
import {parseSecurityOpts, parseUlimitFlag} from './spec-security.js'
import {readLabelFiles, toLifecycleSpec} from './lifecycle-spec.js'

/** `key=value` flags (--label, --annotation, --log-opt); a bare key gets ''. */
export function parseKeyValues(list: readonly string[] = [], what: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const item of list) {
    const eq = item.indexOf('=')
    const k = eq === -1 ? item : item.slice(0, eq)
    if (!k) throw new InvalidArgument(`invalid ${what} "${item}": must be key=value`)
    out[k] = eq === -1 ? '' : item.slice(eq + 1)
  }
  return out
}

/**
 * --env-file then -e, resolved against this shell's environment as Podman
 * does at create (`KEY` alone takes the host's value, `PREFIX*` all that match).
 */
export function resolveEnvFlags(envFiles: readonly string[], env: readonly string[], host: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const merged = new Map<string, string>()
  for (const file of envFiles) {
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch {
      throw new InvalidArgument(`open ${file}: no such file or directory`)
    }
    for (const [k, v] of parseEnvFile(text, host)) merged.set(k, v)
  }
  for (const [k, v] of parseEnvList(env, host)) merged.set(k, v)
  return Object.fromEntries(merged)
}

/** The entrypoint flag: a JSON array or a plain string; '' clears the image's. */
export function parseEntrypoint(v: string | undefined): string[] | undefined {
  if (v === undefined) return undefined
  if (v === '') return []
  if (v.trim().startsWith('[')) {
    try {
      const arr = JSON.parse(v)
      if (Array.isArray(arr) && arr.every(x => typeof x === 'string')) return arr
    } catch {
      // not JSON: taken as a plain command below
    }
  }
  return [v]
}

export interface CreateInput {
  spec: ContainerSpec
  /** --pod new:NAME: the pod to create first (the container's published ports move to it). */
  newPod?: PodSpec
}

/** The flags of create/run, the image and the command after it → what the engine creates. */
export function toContainerSpec(f: Record<string, unknown>, image: string, command: string[], cwd: string = process.cwd()): CreateInput {
  const list = (k: string) => (f[k] as string[] | undefined) ?? []
  const createCommand = ['peapod', ...originalArgv()]
  // --mount first, then -v, as Podman orders them
  const mounts: Mount[] = [...list('mount').map(m => parseMountFlag(m, cwd)), ...list('volume').map(v => parseVolumeFlag(v, cwd))]
  const tmpfs: TmpfsMount[] = list('tmpfs').map(parseTmpfsFlag)
  const health = healthConfigFromFlags({
    cmd: f['health-cmd'] as string | undefined,
    interval: f['health-interval'] as string | undefined,
    retries: f['health-retries'] as number | undefined,
    timeout: f['health-timeout'] as string | undefined,
    startPeriod: f['health-start-period'] as string | undefined,
    noHealthcheck: f['no-healthcheck'] as boolean | undefined,
  })
  const spec: ContainerSpec = {
    image,
    command,
    name: f.name as string | undefined,
    entrypoint: parseEntrypoint(f.entrypoint as string | undefined),
    env: resolveEnvFlags(list('env-file'), list('env')),
    envHost: Boolean(f['env-host']),
    workdir: f.workdir as string | undefined,
    user: f.user as string | undefined,
    hostname: f.hostname as string | undefined,
    // under a systemd unit, the unit is recorded (auto-update restarts it)
    labels: {...readLabelFiles(list('label-file')), ...parseKeyValues(list('label'), 'label'),
      ...process.env.PODMAN_SYSTEMD_UNIT ? {PODMAN_SYSTEMD_UNIT: process.env.PODMAN_SYSTEMD_UNIT} : {}},
    annotations: parseKeyValues(list('annotation'), 'annotation'),
    terminal: Boolean(f.tty),
    stdin: Boolean(f.interactive),
    remove: Boolean(f.rm),
    readOnlyFilesystem: Boolean(f['read-only']),
    privileged: Boolean(f.privileged),
    init: Boolean(f.init),
    capAdd: list('cap-add'),
    capDrop: list('cap-drop'),
    security: parseSecurityOpts(list('security-opt')),
    mounts,
    tmpfs,
    volumesFrom: list('volumes-from').map(parseVolumesFromFlag),
    ulimits: list('ulimit').map(parseUlimitFlag),
    ...toResourceSpec(f), // RESOURCES
    network: toNetworkSpec(f),
    stopSignal: f['stop-signal'] === undefined ? undefined : parseSignal(f['stop-signal'] as string),
    stopTimeout: f['stop-timeout'] as number | undefined,
    logDriver: f['log-driver'] as string | undefined,
    logOptions: parseKeyValues(list('log-opt'), 'log option'),
    sigProxy: f['sig-proxy'] as boolean | undefined,
    ...health ? {healthcheck: health} : {},
    healthOnFailure: parseOnFailure(f['health-on-failure'] as string | undefined),
    createCommand,
    ...toUsersSpec(f),
    ...toDevicesSpec(f),
    ...toLifecycleSpec(f), // LIFECYCLE/ENV
    ...systemdOptions(f),
  }
  const pod = f.pod as string | undefined
  if (!pod?.startsWith('new:')) return {spec: pod ? {...spec, pod} : spec}
  const name = pod.slice('new:'.length)
  if (!name) throw new InvalidArgument('new pod name must be at least one character')
  const {portMappings, ...network} = spec.network ?? {}
  return {spec: {...spec, network}, newPod: {name, network: portMappings ? {portMappings} : {}, createCommand}}
}

/** --sdnotify (what systemd units use), checked as Podman checks it, and --systemd. */
function systemdOptions(f: Record<string, unknown>): Pick<ContainerSpec, 'sdNotifyMode' | 'systemd'> {
  // --systemd: any case, as Podman lowercases it; the engine checks the value
  const systemd = (f.systemd as string | undefined)?.toLowerCase() as ContainerSpec['systemd']
  const notify = f.sdnotify as string | undefined
  if (notify === undefined) return systemd ? {systemd} : {}
  if (!['container', 'conmon', 'ignore', 'healthy'].includes(notify)) {
    throw new InvalidArgument(`invalid config provided: invalid argument: invalid sdnotify value "${notify}": must be container, conmon or ignore`)
  }
  return {sdNotifyMode: notify as ContainerSpec['sdNotifyMode'], ...systemd ? {systemd} : {}}
}
