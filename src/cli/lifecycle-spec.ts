// The lifecycle, I/O and environment flags of create/run (lifecycle-flags.ts)
// → the typed ContainerLifecycleConfig. The only place that knows their syntax.
import {readFileSync} from 'node:fs'
import {InvalidArgument} from '../libpod/define/errors.js'
import type {AttachStream, ContainerLifecycleConfig, RestartPolicy, RestartPolicyName, SecretUse} from '../libpod/specgen/lifecycle.js'

/** --restart no|always|on-failure[:N]|unless-stopped, with Podman's errors. */
export function parseRestartFlag(v: string | undefined): RestartPolicy | undefined {
  if (v === undefined) return undefined
  const colon = v.indexOf(':')
  const name = (colon === -1 ? v : v.slice(0, colon)) as RestartPolicyName
  if (colon === -1) return {name}
  const n = v.slice(colon + 1)
  if (!/^[+-]?\d+$/.test(n)) throw new InvalidArgument(`parsing restart policy retry count: strconv.Atoi: parsing ${JSON.stringify(n)}: invalid syntax`)
  const count = Number(n)
  if (name !== 'on-failure') throw new InvalidArgument('restart policy retries can only be specified with on-failure restart policy')
  if (count < 0) throw new InvalidArgument('must specify restart policy retry count as a number greater than 0')
  return {name, maxRetries: count}
}

const secretError = (why: string) => new InvalidArgument(`${why}: parsing secret`)

/** One --secret, as Podman's parseSecrets reads it. */
export function parseSecretFlag(v: string): SecretUse {
  const parts = v.split(',')
  if (parts.length === 1) return {source: v, type: 'mount'}
  let source = ''
  if (!parts[0].includes('=')) source = parts.shift()!
  let type: 'mount' | 'env' | undefined
  const out: Omit<SecretUse, 'source' | 'type'> = {}
  const uint = (what: string, s: string, base: 8 | 10) => {
    const ok = base === 8 ? /^[0-7]+$/.test(s) : /^\d+$/.test(s)
    const n = ok ? parseInt(s, base) : NaN
    if (!ok || n > 0xffffffff) throw secretError(`${what} ${s} invalid`)
    return n
  }
  for (const p of parts) {
    const eq = p.indexOf('=')
    if (eq === -1) throw secretError(`option ${p} must be in form option=value`)
    const [k, val] = [p.slice(0, eq), p.slice(eq + 1)]
    switch (k) {
      case 'source': source = val; break
      case 'type':
        if (type) throw secretError('cannot set more than one secret type')
        if (val !== 'mount' && val !== 'env') throw secretError(`type ${val} is invalid`)
        type = val
        break
      case 'target': out.target = val; break
      case 'mode': out.mode = uint('mode', val, 8); break
      case 'uid': case 'UID': out.uid = uint('UID', val, 10); break
      case 'gid': case 'GID': out.gid = uint('GID', val, 10); break
      default: throw secretError(`option ${p} invalid`)
    }
  }
  if (!source) throw secretError(`no source found ${v}`)
  return {source, type: type ?? 'mount', ...out}
}

/** --sysctl KEY=VALUE (later wins). */
export function parseSysctlFlags(list: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const s of list) {
    const eq = s.indexOf('=')
    if (eq <= 0) throw new InvalidArgument(`${s} is invalid, sysctl values must be in the form of KEY=VALUE`)
    out[s.slice(0, eq)] = s.slice(eq + 1)
  }
  return out
}

/** --label-file: one label a line (KEY=VALUE or KEY), `#` comments and blank lines skipped. */
export function readLabelFiles(files: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const f of files) {
    let text: string
    try {
      text = readFileSync(f, 'utf8')
    } catch {
      throw new InvalidArgument(`unable to process labels: open ${f}: no such file or directory`)
    }
    for (const raw of text.split('\n')) {
      const line = raw.trim()
      if (!line || line.startsWith('#')) continue
      const eq = line.indexOf('=')
      out[eq === -1 ? line : line.slice(0, eq)] = eq === -1 ? '' : line.slice(eq + 1)
    }
  }
  return out
}

function parseTimeout(v: unknown): number | undefined {
  if (v === undefined) return undefined
  const s = String(v)
  if (!/^\+?\d+$/.test(s)) throw new InvalidArgument(`invalid argument ${JSON.stringify(s)} for "--timeout" flag: strconv.ParseUint: parsing ${JSON.stringify(s)}: invalid syntax`)
  return Number(s) || undefined
}

/** The typed fields of these flags (only those given). */
export function toLifecycleSpec(f: Record<string, unknown>): ContainerLifecycleConfig & {pod?: string} {
  const list = (k: string) => (f[k] as string[] | undefined) ?? []
  const out: ContainerLifecycleConfig & {pod?: string} = {}
  if (f.replace) out.replace = true
  if (list('attach').length) out.attach = list('attach').flatMap(a => a.split(',')).map(a => a.toLowerCase() as AttachStream)
  if (f['pod-id-file']) out.pod = readPodIdFile(f['pod-id-file'] as string)
  const secrets = list('secret').map(parseSecretFlag)
  if (secrets.length) out.secrets = secrets
  const restart = parseRestartFlag(f.restart as string | undefined)
  if (restart) out.restartPolicy = restart
  if (f.pidfile) out.pidFile = f.pidfile as string
  if (f['conmon-pidfile']) out.conmonPidFile = f['conmon-pidfile'] as string
  const timeout = parseTimeout(f.timeout)
  if (timeout) out.timeout = timeout
  if (list('requires').length) out.requires = list('requires').flatMap(r => r.split(',')).filter(Boolean)
  if (list('unsetenv').length) out.unsetEnv = list('unsetenv')
  if (f['unsetenv-all']) out.unsetEnvAll = true
  if (list('env-merge').length) out.envMerge = list('env-merge')
  if (f['http-proxy'] === false) out.httpProxy = false
  if (f.tz !== undefined) out.timezone = f.tz as string
  if (f['read-only-tmpfs'] === false) out.readOnlyTmpfs = false
  const sysctl = parseSysctlFlags(list('sysctl'))
  if (Object.keys(sysctl).length) out.sysctl = sysctl
  if (f['init-path']) out.initPath = f['init-path'] as string
  if (f['image-volume'] !== undefined && f['image-volume'] !== 'bind') out.imageVolume = f['image-volume'] as 'tmpfs'
  if (f['seccomp-policy'] !== undefined && f['seccomp-policy'] !== 'default') out.seccompPolicy = f['seccomp-policy'] as 'image'
  return out
}

/** --pod-id-file: the pod's ID as `pod create --pod-id-file` wrote it. */
function readPodIdFile(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim()
  } catch (e) {
    throw new InvalidArgument(`reading pod ID file: open ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`)
  }
}
