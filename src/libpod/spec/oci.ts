// The subset of the OCI runtime-spec (config.json) that peapod writes.
// Optional fields are left out of the object (not set to undefined) so the
// JSON matches what Podman writes.

export interface OciUser {
  uid: number
  gid: number
  umask?: number
  additionalGids?: number[]
}

export interface OciCapabilities {
  bounding?: string[]
  effective?: string[]
  inheritable?: string[]
  permitted?: string[]
  ambient?: string[]
}

/** Values are uint64: unlimited (RLIM_INFINITY) does not fit a JS number, hence bigint. */
export interface OciRlimit {
  type: string
  hard: number | bigint
  soft: number | bigint
}

export interface OciProcess {
  terminal?: boolean
  user: OciUser
  args: string[]
  env: string[]
  cwd: string
  capabilities?: OciCapabilities
  rlimits?: OciRlimit[]
  noNewPrivileges?: boolean
  apparmorProfile?: string
  oomScoreAdj?: number
}

export interface OciMount {
  destination: string
  type: string
  source: string
  options?: string[]
}

export interface OciNamespace {
  type: 'pid' | 'network' | 'mount' | 'ipc' | 'uts' | 'user' | 'cgroup'
  path?: string
}

export interface OciSeccompArg {
  index: number
  value: number
  valueTwo?: number
  op: string
}

export interface OciSyscall {
  names: string[]
  action: string
  errnoRet?: number
  args?: OciSeccompArg[]
}

export interface OciSeccomp {
  defaultAction: string
  defaultErrnoRet?: number
  architectures?: string[]
  flags?: string[]
  syscalls?: OciSyscall[]
}

export interface OciDeviceCgroup {
  allow: boolean
  type?: string
  major?: number
  minor?: number
  access?: string
}

export interface OciResources {
  devices?: OciDeviceCgroup[]
  memory?: {limit?: number; reservation?: number; swap?: number; swappiness?: number; disableOOMKiller?: boolean}
  cpu?: {shares?: number; quota?: number; period?: number; realtimeRuntime?: number; realtimePeriod?: number; cpus?: string; mems?: string}
  pids?: {limit: number}
  blockIO?: {
    weight?: number
    weightDevice?: Array<{major: number; minor: number; weight?: number}>
    throttleReadBpsDevice?: OciThrottleDevice[]
    throttleWriteBpsDevice?: OciThrottleDevice[]
    throttleReadIOPSDevice?: OciThrottleDevice[]
    throttleWriteIOPSDevice?: OciThrottleDevice[]
  }
  unified?: Record<string, string>
}

export interface OciThrottleDevice {
  major: number
  minor: number
  rate: number
}

export interface OciIdMapping {
  containerID: number
  hostID: number
  size: number
}

export interface OciDevice {
  path: string
  type: string
  major: number
  minor: number
  fileMode?: number
  uid?: number
  gid?: number
}

export interface OciLinux {
  uidMappings?: OciIdMapping[]
  gidMappings?: OciIdMapping[]
  devices?: OciDevice[]
  personality?: {domain: string}
  sysctl?: Record<string, string>
  resources?: OciResources
  cgroupsPath?: string
  namespaces: OciNamespace[]
  seccomp?: OciSeccomp
  maskedPaths?: string[]
  readonlyPaths?: string[]
}

export interface OciSpec {
  ociVersion: string
  process: OciProcess
  root: {path: string; readonly?: boolean}
  hostname?: string
  mounts: OciMount[]
  annotations?: Record<string, string>
  linux: OciLinux
}

/**
 * config.json text. JSON.stringify cannot write bigint (unlimited rlimits),
 * so those are written as bare integers here.
 */
export function specToJSON(spec: OciSpec, indent?: number): string {
  const marks: string[] = []
  const text = JSON.stringify(spec, (_k, v: unknown) => {
    if (typeof v !== 'bigint') return v
    marks.push(v.toString())
    return `\u0000bigint${marks.length - 1}\u0000`
  }, indent)
  return text.replace(/"\\u0000bigint(\d+)\\u0000"/g, (_m, i: string) => marks[Number(i)])
}
