// The lifecycle, I/O and environment settings of a container (specgen/
// lifecycle.ts) from create to exit: resolved at create (secrets and
// required containers by ID), applied at start (secret files and variables,
// /etc/localtime, sysctls, environment tweaks, pid files, the required
// containers), and the restart policy once the container exited.
import {copyFileSync, chmodSync, chownSync, mkdirSync, realpathSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {InvalidArgument, NoSuchContainer} from '../define/errors.js'
import type {Runtime} from '../runtime.js'
import {sortMounts} from '../spec/mounts.js'
import type {OciSpec} from '../spec/oci.js'
import type {SpecOptions} from '../spec/options.js'
import type {ContainerSpec} from '../specgen/container.js'
import {ZONEINFO, type ContainerLifecycleConfig, type SecretUse} from '../specgen/lifecycle.js'
import type {ContainerConfig, ContainerState} from './types.js'

/** What the container keeps: the spec's fields, secrets and required containers resolved to IDs. */
export interface LifecycleSettings extends Omit<ContainerLifecycleConfig, 'secrets' | 'replace'> {
  secrets?: Array<SecretUse & {id: string; name: string}>
}

/** At create: the spec's fields as the container keeps them (NoSuchSecret, or a required container that does not exist). */
export function resolveLifecycle(rt: Runtime, spec: ContainerSpec): LifecycleSettings | undefined {
  const {secrets, restartPolicy, pidFile, conmonPidFile, timeout, requires, unsetEnv, unsetEnvAll, envMerge, httpProxy, timezone, readOnlyTmpfs, sysctl, initPath, attach, imageVolume, seccompPolicy} = spec
  const out: LifecycleSettings = {restartPolicy, pidFile, conmonPidFile, timeout, unsetEnv, unsetEnvAll, envMerge, httpProxy, timezone, readOnlyTmpfs, sysctl, initPath, attach, imageVolume, seccompPolicy}
  if (pidFile) out.pidFile = path.resolve(pidFile)
  if (conmonPidFile) out.conmonPidFile = path.resolve(conmonPidFile)
  if (secrets?.length) {
    out.secrets = secrets.map(s => {
      const doc = rt.secrets.lookup(s.source)
      return {...s, id: doc.id, name: doc.name}
    })
  }
  if (requires?.length) {
    out.requires = requires.map(r => {
      try {
        return rt.containers.lookup(r).config.id
      } catch (e) {
        if (e instanceof NoSuchContainer) throw new InvalidArgument(`${JSON.stringify(r)} is not a valid container, cannot be used as a dependency: ${e.message}`)
        throw e
      }
    })
  }
  for (const k of Object.keys(out) as Array<keyof LifecycleSettings>) if (out[k] === undefined) delete out[k]
  return Object.keys(out).length ? out : undefined
}

/** Where a mount secret goes in the container. */
function secretTarget(s: SecretUse & {name: string}): string {
  if (!s.target) return `/run/secrets/${s.name}`
  return s.target.startsWith('/') ? s.target : `/run/secrets/${s.target}`
}

export interface PreparedLifecycle {
  /** What generateSpec takes of these settings. */
  options: Partial<SpecOptions>
  /** Adds to the generated spec what generateSpec has no field for (secret mounts and variables, /etc/localtime, environment tweaks). */
  apply: (spec: OciSpec) => void
}

/** At start: writes the secret files and /etc/localtime to the container's run dir and says how the spec takes them. */
export function prepareLifecycle(rt: Runtime, c: ContainerConfig, runDir: string, image: {Labels?: Record<string, string> | null}): PreparedLifecycle {
  const life = c.life ?? {}
  const mounts: NonNullable<OciSpec['mounts']> = []
  const extraEnv: string[] = []
  for (const s of life.secrets ?? []) {
    const data = rt.secrets.read(s.id)
    if (s.type === 'env') {
      extraEnv.push(`${s.target || s.name}=${data.toString()}`)
      continue
    }
    const dir = path.join(runDir, 'secrets')
    mkdirSync(dir, {recursive: true, mode: 0o700})
    const file = path.join(dir, s.id)
    writeFileSync(file, data, {mode: 0o600})
    chownSync(file, s.uid ?? 0, s.gid ?? 0)
    chmodSync(file, s.mode ?? 0o444)
    mounts.push({destination: secretTarget(s), type: 'bind', source: file, options: ['bind', 'rprivate', 'ro']})
  }
  if (life.timezone) {
    const src = life.timezone === 'local' ? realpathSync('/etc/localtime') : path.join(ZONEINFO, life.timezone)
    const file = path.join(runDir, 'localtime')
    copyFileSync(src, file)
    chmodSync(file, 0o644)
    mounts.push({destination: '/etc/localtime', type: 'bind', source: file, options: ['bind', 'rprivate', 'ro']})
  }
  const options: Partial<SpecOptions> = {}
  if (life.sysctl) options.sysctls = life.sysctl
  if (life.httpProxy === false) options.httpProxy = false
  if (life.readOnlyTmpfs === false) options.readOnlyTmpfs = false
  if (life.initPath) options.initPath = life.initPath
  // --seccomp-policy image: the image's own profile, unless --security-opt seccomp= named one
  const imageProfile = image.Labels?.[SECCOMP_LABEL]
  if (life.seccompPolicy === 'image' && imageProfile && c.security.seccompProfile === undefined) {
    const file = path.join(runDir, 'seccomp.json')
    writeFileSync(file, imageProfile)
    options.security = {...c.security, seccompProfile: file}
  }
  return {
    options,
    apply: spec => {
      if (mounts.length) spec.mounts = sortMounts([...(spec.mounts ?? []).filter(m => !mounts.some(x => x.destination === m.destination)), ...mounts])
      if (spec.process) spec.process.env = adjustEnv(spec.process.env ?? [], c, extraEnv)
    },
  }
}

/** The label an image carries its seccomp profile in (Podman's). */
const SECCOMP_LABEL = 'io.containers.seccomp.profile'

const keyOf = (e: string) => (e.includes('=') ? e.slice(0, e.indexOf('=')) : e)

/**
 * --unsetenv, --unsetenv-all and --env-merge over the merged environment;
 * HOME and HOSTNAME stay (libpod adds them after), the user's -e and
 * --env-file variables always win; secret variables last.
 */
function adjustEnv(env: string[], c: ContainerConfig, extra: string[]): string[] {
  const life = c.life ?? {}
  const userKeys = new Set([...c.env.map(keyOf), ...c.envFiles.flatMap(f => f.split('\n').map(l => keyOf(l.trim())).filter(Boolean))])
  const map = new Map(env.map(e => [keyOf(e), e.slice(keyOf(e).length + 1)]))
  const keep = (k: string) => k === 'HOME' || k === 'HOSTNAME' || userKeys.has(k)
  if (life.unsetEnvAll) for (const k of [...map.keys()]) if (!keep(k)) map.delete(k)
  for (const k of life.unsetEnv ?? []) if (!keep(k)) map.delete(k)
  for (const m of life.envMerge ?? []) {
    const k = keyOf(m)
    if (userKeys.has(k)) continue
    map.set(k, m.slice(k.length + 1).replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a, b) => map.get(a ?? b) ?? ''))
  }
  for (const e of extra) map.set(keyOf(e), e.slice(keyOf(e).length + 1))
  return [...map].map(([k, v]) => `${k}=${v}`)
}

/** Once the container runs: --pidfile and --conmon-pidfile. */
export function afterStart(c: ContainerConfig, pid: number, monitorPid: number | undefined): void {
  const life = c.life
  if (life?.pidFile) writeFileSync(life.pidFile, String(pid))
  if (life?.conmonPidFile && monitorPid) writeFileSync(life.conmonPidFile, String(monitorPid))
}

/** Before start: the --requires containers run first (started when they do not). */
export async function startRequired(rt: Runtime, c: ContainerConfig | undefined, start: (id: string) => Promise<unknown>): Promise<void> {
  for (const id of c?.life?.requires ?? []) {
    const dep = rt.containers.read(id)
    if (!dep) throw new NoSuchContainer(`${id}: no such container`)
    if (dep.state.status !== 'running' && dep.state.status !== 'paused') await start(id)
  }
}

/** The monitor's kill timer (--timeout), in ms; undefined when none. */
export function timeoutMs(c: ContainerConfig): number | undefined {
  return c.life?.timeout ? c.life.timeout * 1000 : undefined
}

/**
 * The restart policy's verdict on an exited container (Podman's
 * shouldRestart): not after a stop/kill by the user; always and
 * unless-stopped always; on-failure after a non-zero exit, up to its count.
 */
export function shouldRestart(c: ContainerConfig, s: ContainerState): boolean {
  const r = c.life?.restartPolicy
  if (!r || s.stoppedByUser || s.status !== 'exited') return false
  switch (r.name) {
    case 'always': case 'unless-stopped': return true
    case 'on-failure': return (s.exitCode ?? 0) !== 0 && (!r.maxRetries || s.restartCount < r.maxRetries)
    default: return false
  }
}

/** inspect's fields of these settings (merged over the defaults). */
export function inspectLifecycle(c: ContainerConfig): {config: Record<string, unknown>; hostConfig: Record<string, unknown>; top: Record<string, unknown>} {
  const life = c.life ?? {}
  const r = life.restartPolicy
  const mountSecrets = (life.secrets ?? []).filter(s => s.type === 'mount')
  return {
    top: {
      ...life.conmonPidFile ? {ConmonPidFile: life.conmonPidFile} : {},
    },
    config: {
      ...life.attach ? {AttachStdin: life.attach.includes('stdin'), AttachStdout: life.attach.includes('stdout'), AttachStderr: life.attach.includes('stderr')} : {},
      ...mountSecrets.length ? {Secrets: mountSecrets.map(s => ({Name: s.name, ID: s.id, UID: s.uid ?? 0, GID: s.gid ?? 0, Mode: s.mode ?? 0o444}))} : {},
      Timeout: life.timeout ?? 0,
      ...life.timezone ? {Timezone: life.timezone} : {},
    },
    hostConfig: {
      RestartPolicy: {Name: r?.name ?? '', MaximumRetryCount: r?.maxRetries ?? 0},
      ...life.sysctl ? {Sysctls: life.sysctl} : {},
    },
  }
}

/**
 * The restart policy at work (after cleanup): counts the restart and starts
 * the container again, unless a stop came in between. False when it did not
 * restart.
 */
export async function restartIfDue(rt: Runtime, id: string, start: (rt: Runtime, id: string, opts: {onlyIf: (s: ContainerState) => boolean}) => Promise<unknown>): Promise<boolean> {
  let due = false
  await rt.containers.update(id, (s, config) => {
    due = shouldRestart(config, s)
    return due ? {...s, restartCount: s.restartCount + 1} : s
  }).catch(() => {})
  if (!due) return false
  try {
    await start(rt, id, {onlyIf: s => !s.stoppedByUser})
  } catch (e) {
    rt.logger.debug(`restart policy: starting ${id} again failed: ${(e as Error).message}`)
  }
  return true
}

/** --replace: the container of that name goes first (stopped and removed, as `rm -f`). */
export async function replaceExisting(rt: Runtime, name: string | undefined, remove: (id: string) => Promise<unknown>): Promise<void> {
  if (!name) return
  const c = rt.containers.find(name)
  if (c && c.config.name === name) await remove(c.config.id)
}
