// The lifecycle, I/O and environment part of a ContainerSpec: secrets,
// restart policy, pid files, timeout, dependencies, environment tweaks,
// time zone, sysctls. Typed here, checked here (Podman's messages, exit 125),
// kept in the container's config as LifecycleSettings (container/life.ts).
import {existsSync} from 'node:fs'
import path from 'node:path'
import {InvalidArgument} from '../define/errors.js'

/** --secret NAME[,type=mount|env,target=…,uid=,gid=,mode=]. */
export interface SecretUse {
  /** The secret's name or ID. */
  source: string
  type: 'mount' | 'env'
  /** mount: a path (relative: under /run/secrets; default /run/secrets/NAME); env: the variable (default NAME). */
  target?: string
  uid?: number
  gid?: number
  /** Permission bits of the mounted file (default 0444). */
  mode?: number
}

export type RestartPolicyName = '' | 'no' | 'always' | 'on-failure' | 'unless-stopped'

export interface RestartPolicy {
  name: RestartPolicyName
  /** on-failure only: restarts at most this many times (0: no limit). */
  maxRetries?: number
}

/** Podman's fields of these groups (ContainerBasicConfig, ContainerStorageConfig, ContainerSecurityConfig). */
export type AttachStream = 'stdin' | 'stdout' | 'stderr'

export interface ContainerLifecycleConfig {
  /** --replace: a container of the same name is removed (forced) first. */
  replace?: boolean
  /** -a: the streams `run` attaches (inspect's Config.AttachStdin/Stdout/Stderr). */
  attach?: AttachStream[]
  secrets?: SecretUse[]
  restartPolicy?: RestartPolicy
  /** --pidfile: where the container's process ID is written on start. */
  pidFile?: string
  /** --conmon-pidfile: where the monitor's process ID is written on start. */
  conmonPidFile?: string
  /** --timeout: seconds the container may run before it is killed (0: no limit). */
  timeout?: number
  /** --requires: containers (names or IDs) started before this one. */
  requires?: string[]
  /** --unsetenv: variables removed from the defaults and the image's. */
  unsetEnv?: string[]
  /** --unsetenv-all: none of the default or image variables. */
  unsetEnvAll?: boolean
  /** --env-merge: KEY=VALUE with ${VAR} taken from the default and image environment. */
  envMerge?: string[]
  /** --http-proxy (default true): the host's proxy variables. */
  httpProxy?: boolean
  /** --tz: a zone name under /usr/share/zoneinfo, or `local`. */
  timezone?: string
  /** --read-only-tmpfs (default true): tmpfs on /tmp, /var/tmp, /run of a --read-only container. */
  readOnlyTmpfs?: boolean
  /** --sysctl KEY=VALUE. */
  sysctl?: Record<string, string>
  /** --init-path: the init binary bound in with --init. */
  initPath?: string
  /** --image-volume: the image's VOLUMEs as anonymous volumes (bind, the default), tmpfs, or not at all. */
  imageVolume?: 'bind' | 'tmpfs' | 'ignore'
  /** --seccomp-policy image: the profile the image's io.containers.seccomp.profile label holds. */
  seccompPolicy?: 'default' | 'image'
}

/** Podman's sysctls a container may set in its own namespaces. */
const SYSCTL_ALLOWED = ['kernel.msgmax', 'kernel.msgmnb', 'kernel.msgmni', 'kernel.sem', 'kernel.shmall', 'kernel.shmmax', 'kernel.shmmni', 'kernel.shm_rmid_forced']
const SYSCTL_PREFIXES = ['net.', 'fs.mqueue.']

export function sysctlAllowed(key: string): boolean {
  return SYSCTL_ALLOWED.includes(key) || SYSCTL_PREFIXES.some(p => key.startsWith(p))
}

export const RESTART_POLICIES: readonly RestartPolicyName[] = ['', 'no', 'always', 'on-failure', 'unless-stopped']

/** What can be checked of these fields without the store (Podman's messages). */
export function validateLifecycle(s: ContainerLifecycleConfig & {remove?: boolean; name?: string}): void {
  if (s.replace && !s.name) throw new InvalidArgument('cannot replace container without --name being set')
  for (const a of s.attach ?? []) if (!['stdin', 'stdout', 'stderr'].includes(a)) throw new InvalidArgument(`invalid stream ${JSON.stringify(a)} for --attach - must be one of stdin, stdout, or stderr: invalid argument`)
  const r = s.restartPolicy
  if (r) {
    if (!RESTART_POLICIES.includes(r.name)) throw new InvalidArgument(`running container create option: ${JSON.stringify(r.name)} is not a valid restart policy: invalid argument`)
    if (r.maxRetries !== undefined && r.name !== 'on-failure') throw new InvalidArgument('restart policy retries can only be specified with on-failure restart policy')
    if (r.maxRetries !== undefined && !(Number.isInteger(r.maxRetries) && r.maxRetries >= 0)) throw new InvalidArgument('must specify restart policy retry count as a number greater than 0')
    if (s.remove && (r.name === 'always' || r.name === 'unless-stopped')) throw new InvalidArgument('the --rm option conflicts with --restart, when the restartPolicy is not "" and "no"')
  }
  for (const sec of s.secrets ?? []) {
    if (sec.type !== 'mount' && sec.type !== 'env') throw new InvalidArgument(`type ${sec.type} is invalid: parsing secret`)
    if (sec.type === 'env' && (sec.uid !== undefined || sec.gid !== undefined || sec.mode !== undefined)) throw new InvalidArgument('UID, GID, Mode options cannot be set with secret type env: parsing secret')
    if (sec.mode !== undefined && !(Number.isInteger(sec.mode) && sec.mode >= 0 && sec.mode <= 0o7777)) throw new InvalidArgument(`mode ${sec.mode.toString(8)} invalid: parsing secret`)
  }
  for (const k of Object.keys(s.sysctl ?? {})) if (!sysctlAllowed(k)) throw new InvalidArgument(`sysctl '${k}' is not allowed`)
  if (s.timeout !== undefined && !(Number.isInteger(s.timeout) && s.timeout >= 0)) throw new InvalidArgument(`invalid argument "${s.timeout}" for "--timeout" flag: strconv.ParseUint: parsing "${s.timeout}": invalid syntax`)
  if (s.timezone !== undefined && s.timezone !== '' && s.timezone !== 'local') {
    const file = path.join(ZONEINFO, s.timezone)
    if (!existsSync(file)) throw new InvalidArgument(`running container create option: stat ${file}: no such file or directory`)
  }
  if (s.imageVolume !== undefined && !['bind', 'tmpfs', 'ignore'].includes(s.imageVolume)) throw new InvalidArgument(`invalid image volume mode ${JSON.stringify(s.imageVolume)} required value: bind, tmpfs, ignore`)
  if (s.seccompPolicy !== undefined && !['default', 'image'].includes(s.seccompPolicy)) throw new InvalidArgument(`invalid seccomp policy ${JSON.stringify(s.seccompPolicy)}: valid policies are ["default" "image"]`)
  for (const m of s.envMerge ?? []) if (!m.includes('=')) throw new InvalidArgument(`missing '=' for --env-merge substitution: ${m}`)
}

export const ZONEINFO = '/usr/share/zoneinfo'
