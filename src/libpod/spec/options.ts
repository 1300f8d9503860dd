// What generateSpec needs to know about a container. Everything is data: the
// caller (create/start) resolves the image, mounts the rootfs and writes
// /etc/hosts & co.; the spec only points at them.
import type {HostEnv} from './env.js'
import type {TmpfsSpec} from '../container/types.js'
import type {SecurityConfig, Ulimit} from '../specgen/security.js'
import type {BindMount, MountFlags} from './mounts.js'
import type {HostLimits} from './ulimits.js'
import type {OciResources} from './oci.js'
import type {IdMap} from '../specgen/namespaces.js'
import type {DeviceCgroupRule, DeviceSpec} from '../specgen/devices.js'

/** Users, namespaces and devices beyond the defaults (spec/isolation.ts applies them). */
export interface IsolationOptions {
  /** The container's own user namespace: new with these maps, or joined at path. */
  userns?: {uidMappings?: IdMap[]; gidMappings?: IdMap[]; path?: string}
  /** --device: rootful, device nodes and cgroup rules; rootless, bind mounts. */
  devices?: DeviceSpec[]
  deviceCgroupRules?: DeviceCgroupRule[]
  /** LINUX or LINUX32. */
  personality?: string
  /** --group-add keep-groups: the caller's supplementary groups stay (crun's annotation). */
  keepGroups?: boolean
  /** Where Podman's /etc/hosts, /etc/resolv.conf and /etc/hostname are mounted too. */
  chrootDirs?: string[]
  /** Host device lookup, injectable for tests (default stat(2)). */
  statDevice?: (p: string) => {type: 'b' | 'c'; major: number; minor: number; mode: number; uid: number; gid: number} | undefined
}

/** private: a new namespace; host: the host's (none in the spec); ns:PATH: join that one. */
export type NamespaceMode = 'private' | 'host' | `ns:${string}`

/** none and private both give a new network namespace (set up by the caller, or left empty). */
export type NetworkMode = 'none' | NamespaceMode

/** The parts of an image's config the spec uses (OCI image config names). */
export interface ImageConfig {
  Env?: string[] | null
  Cmd?: string[] | null
  Entrypoint?: string[] | null
  WorkingDir?: string
  User?: string
  StopSignal?: string
  Labels?: Record<string, string> | null
}

/** Files the caller wrote for the container; each is bind-mounted when given. */
export interface ContainerFiles {
  hosts?: string
  resolvConf?: string
  hostname?: string
  /** /run/.containerenv */
  containerEnv?: string
}

export interface SpecOptions {
  /** The container's mounted rootfs (read for /etc/passwd, /etc/group and symlinks under tmpfs mounts). */
  rootfs: string
  hostname: string
  image?: ImageConfig

  /** The command after the image name; replaces the image's Cmd. */
  command?: string[]
  /**
   * --entrypoint: a JSON array or a single string (used as is); '' clears the
   * image's entrypoint. Either way the image's Cmd is dropped unless a command is given.
   */
  entrypoint?: string | string[]

  env?: string[]
  /** --env-file contents (not paths), in order. */
  envFiles?: string[]
  envHost?: boolean
  /** --http-proxy, default true: pass the host's proxy variables. */
  httpProxy?: boolean
  /** Host environment for --env-host, KEY-only entries and proxies (default process.env). */
  hostEnv?: HostEnv
  /** containers.conf `env` (default PATH and TERM=xterm). */
  defaultEnv?: string[]

  workdir?: string
  /** -u user[:group]; default the image's User, else root. */
  user?: string
  groupAdd?: string[]
  /** Octal umask string (default 0022). */
  umask?: string

  tty?: boolean
  /** -i: handled by the monitor, not the spec; accepted for completeness. */
  stdin?: boolean
  readOnly?: boolean
  /** --read-only-tmpfs (default true): tmpfs on /tmp, /var/tmp and /run of a read-only container. */
  readOnlyTmpfs?: boolean
  privileged?: boolean
  capAdd?: string[]
  capDrop?: string[]
  /** containers.conf default_capabilities (default containers-common's 11). */
  defaultCapabilities?: string[]
  security?: SecurityConfig
  annotations?: Record<string, string>
  /** --sysctl values (errors when they need a namespace the container shares with the host). */
  sysctls?: Record<string, string>
  /** containers.conf default_sysctls (silently skipped when not applicable). */
  defaultSysctls?: Record<string, string>

  /** tmpfs mounts, options unprocessed. */
  tmpfs?: TmpfsSpec[]
  /** Bind mounts, options unprocessed (volume/prepare.ts prepareMounts). */
  binds?: BindMount[]

  init?: boolean
  /** Host path of the init binary (default /usr/bin/catatonit). */
  initPath?: string

  /** /dev/shm size in bytes (default 64 MiB); used when /dev/shm is a tmpfs of the spec. */
  shmSize?: number
  /** A host directory to bind at /dev/shm instead (a tmpfs the caller mounted, or a shared one). */
  shmPath?: string
  /** linux.resources as a whole (container/resources.ts); pidsLimit is then unused. */
  resources?: OciResources
  /** pids cgroup limit; leave unset when cgroups cannot enforce it (rootless cgroup v1). */
  pidsLimit?: number
  /** Resource limits; none → no rlimits in the spec. */
  ulimits?: Ulimit[]
  oomScoreAdj?: number

  network?: NetworkMode
  ipc?: NamespaceMode
  uts?: NamespaceMode
  pid?: NamespaceMode
  /** Default host (cgroup v1); Podman uses private on cgroup v2. */
  cgroupns?: NamespaceMode

  /** --userns/--uidmap, --device, --personality, keep-groups, --chrootdirs. */
  isolation?: IsolationOptions

  /** Running rootless: already root in our own user namespace. */
  rootless?: boolean
  /** Whether GID 5 (tty) is mapped in our user namespace (default true). */
  gid5Mapped?: boolean
  /** GIDs available in our user namespace (rootless), to skip unmapped supplementary groups. */
  availableGids?: number

  files?: ContainerFiles
  /** cgroupsPath; leave unset for no cgroup (rootless cgroup v1). */
  cgroupsPath?: string
  /** Host on the unified hierarchy: /sys/fs/cgroup can be unmasked read-write. */
  cgroupV2?: boolean

  /** --stop-signal; default the image's StopSignal, else SIGTERM. */
  stopSignal?: string

  // Host facts, injectable for tests; defaults read this host.
  /** Capability bounding set (default /proc/self/status CapBnd). */
  boundingSet?: string[]
  /** Default seccomp profile locations. */
  seccompDefaultPaths?: string[]
  /** Architecture as libseccomp names it (default this host's). */
  arch?: string
  /** Kernel release for seccomp minKernel rules (default os.release()). */
  kernel?: string
  /** AppArmor enabled on the host (default false). */
  apparmorEnabled?: boolean
  /** Host rlimits (default /proc/self/limits). */
  hostLimits?: HostLimits
  /** Whether we may raise hard rlimits (default: rootful with CAP_SYS_RESOURCE). */
  canRaiseRlimits?: boolean
  /** nosuid/nodev/noexec of a bind source's host mount (default from /proc/self/mountinfo). */
  mountFlags?: (source: string) => MountFlags
  /** Current oom_score_adj, the rootless floor (default /proc/self/oom_score_adj). */
  currentOomScoreAdj?: number
}
