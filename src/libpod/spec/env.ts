// The container's environment, merged the way Podman does it:
// containers.conf env (+ the host's with --env-host, or its proxy variables)
// < image Env < --env-file < -e; then container=podman, HOME and HOSTNAME
// when still unset.
import {InvalidArgument} from '../define/errors.js'

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

/** containers.conf `env` default. Podman sets TERM=xterm whether or not there is a tty. */
export const DEFAULT_ENV: readonly string[] = [`PATH=${DEFAULT_PATH}`, 'TERM=xterm']

const PROXY_VARS = ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'ftp_proxy', 'FTP_PROXY', 'no_proxy', 'NO_PROXY']

export type HostEnv = Readonly<Record<string, string | undefined>>

/**
 * One `KEY=VALUE` into `env`. `KEY` alone takes the host's value (dropped
 * when the host has none); `PREFIX*` takes every host variable starting so.
 */
export function addEnvEntry(env: Map<string, string>, entry: string, host: HostEnv): void {
  const eq = entry.indexOf('=')
  const rawName = eq < 0 ? entry : entry.slice(0, eq)
  const name = rawName.replace(/^[ \t]+/, '')
  if (name === '') throw new InvalidArgument(`invalid environment variable: ${JSON.stringify(entry)}`)
  if (eq >= 0) {
    env.set(name, entry.slice(eq + 1))
    return
  }
  if (name.endsWith('*')) {
    const prefix = name.slice(0, -1)
    for (const [k, v] of Object.entries(host)) if (v !== undefined && k.startsWith(prefix)) env.set(k, v)
    return
  }
  const v = host[name]
  if (v !== undefined) env.set(name, v)
}

export function parseEnvList(entries: readonly string[], host: HostEnv): Map<string, string> {
  const env = new Map<string, string>()
  for (const e of entries) addEnvEntry(env, e, host)
  return env
}

/** An --env-file's content: one entry a line; blank lines and `#` comments skipped. */
export function parseEnvFile(content: string, host: HostEnv): Map<string, string> {
  const env = new Map<string, string>()
  for (const raw of content.split('\n')) {
    const line = raw.replace(/\r$/, '').replace(/^[ \t]+/, '')
    if (line === '' || line.startsWith('#')) continue
    addEnvEntry(env, line, host)
  }
  return env
}

export interface EnvOptions {
  /** containers.conf `env`; default DEFAULT_ENV. */
  defaults?: readonly string[]
  /** The image config's Env. */
  imageEnv?: readonly string[]
  /** --env-host: the whole host environment, under the image's. */
  envHost?: boolean
  /** --http-proxy (Podman's default: true): the host's proxy variables. */
  httpProxy?: boolean
  /** --env-file contents, in order. */
  envFiles?: readonly string[]
  /** -e entries, in order. */
  env?: readonly string[]
  /** The host environment (default process.env). */
  hostEnv?: HostEnv
}

function join(into: Map<string, string>, from: Map<string, string>): void {
  for (const [k, v] of from) into.set(k, v)
}

/** The merged environment before container=podman/HOME/HOSTNAME (see finishEnv). */
export function mergeEnv(opts: EnvOptions): Map<string, string> {
  const host = opts.hostEnv ?? process.env
  const env = parseEnvList(opts.defaults ?? DEFAULT_ENV, host)
  if (opts.envHost) {
    for (const [k, v] of Object.entries(host)) if (v !== undefined) env.set(k, v)
  } else if (opts.httpProxy ?? true) {
    for (const k of PROXY_VARS) if (host[k] !== undefined) env.set(k, host[k] as string)
  }
  join(env, parseEnvList(opts.imageEnv ?? [], host))
  for (const f of opts.envFiles ?? []) join(env, parseEnvFile(f, host))
  join(env, parseEnvList(opts.env ?? [], host))
  return env
}

/** Adds what libpod adds when missing, and flattens to `KEY=VALUE` lines. */
export function finishEnv(env: Map<string, string>, extra: {home?: string; hostname?: string}): string[] {
  const out = new Map(env)
  if (!out.has('container')) out.set('container', 'podman')
  if (!out.has('HOME') && extra.home) out.set('HOME', extra.home)
  if (!out.has('HOSTNAME') && extra.hostname) out.set('HOSTNAME', extra.hostname)
  return [...out].map(([k, v]) => `${k}=${v}`)
}
