// Seccomp: containers-common's seccomp.json (Moby's profile format) turned
// into the OCI `linux.seccomp` section, as containers/common's pkg/seccomp
// does it: rules are kept or dropped by the container's bounding set and the
// native architecture (and by kernel version for Moby's `minKernel`).
import {existsSync, readFileSync} from 'node:fs'
import os from 'node:os'
import {ConfigError, InvalidArgument} from '../define/errors.js'
import {ERRNO} from './errno.js'
import type {OciSeccomp, OciSeccompArg, OciSyscall} from './oci.js'

/** Where Podman looks for the default profile, in order. */
export const DEFAULT_SECCOMP_PATHS: readonly string[] = ['/etc/containers/seccomp.json', '/usr/share/containers/seccomp.json']

interface ProfileFilter {
  caps?: string[] | null
  arches?: string[] | null
  minKernel?: string | null
}

interface ProfileArg {
  index: number
  value: number
  valueTwo?: number
  op: string
}

interface ProfileSyscall {
  name?: string
  names?: string[] | null
  action: string
  args?: ProfileArg[] | null
  errnoRet?: number | null
  errno?: string
  includes?: ProfileFilter | null
  excludes?: ProfileFilter | null
}

/** The profile file's format (Moby's, with containers/common's additions). */
export interface SeccompProfile {
  defaultAction?: string
  defaultErrnoRet?: number | null
  defaultErrno?: string
  architectures?: string[] | null
  archMap?: Array<{architecture: string; subArchitectures?: string[] | null}> | null
  syscalls?: ProfileSyscall[] | null
  flags?: string[] | null
}

export interface SeccompContext {
  /** The container's capability bounding set (CAP_ names). */
  boundingCaps: readonly string[]
  /** Native architecture as libseccomp/Go name it (amd64, arm64, ...); default: this host's. */
  arch?: string
  /** Kernel release for `minKernel` rules; default: this host's. */
  kernel?: string
}

// Go architecture name → the SCMP_ARCH whose archMap entry applies.
const NATIVE_TO_SECCOMP: Record<string, string> = {
  amd64: 'SCMP_ARCH_X86_64',
  arm64: 'SCMP_ARCH_AARCH64',
  mips64: 'SCMP_ARCH_MIPS64',
  mips64n32: 'SCMP_ARCH_MIPS64N32',
  mipsel64: 'SCMP_ARCH_MIPSEL64',
  mipsel64n32: 'SCMP_ARCH_MIPSEL64N32',
  s390x: 'SCMP_ARCH_S390X',
}

/** This host's architecture as libseccomp names it (the names profiles' `arches` use). */
export function nativeSeccompArch(nodeArch: string = process.arch): string {
  const map: Record<string, string> = {x64: 'amd64', ia32: 'x86', arm64: 'arm64', arm: 'arm', s390x: 's390x', ppc64: 'ppc64le', riscv64: 'riscv64', mips: 'mips', mipsel: 'mipsel'}
  return map[nodeArch] ?? nodeArch
}

/** The default profile's path, or undefined when containers-common is not installed. */
export function findDefaultSeccompProfile(candidates: readonly string[] = DEFAULT_SECCOMP_PATHS): string | undefined {
  return candidates.find(p => existsSync(p))
}

/** Reads and parses a profile file (a user's --security-opt seccomp=PATH or the default). */
export function readSeccompProfile(path: string): SeccompProfile {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (e) {
    throw new InvalidArgument(`opening seccomp profile failed: ${(e as Error).message}`)
  }
  return parseSeccompProfile(text)
}

export function parseSeccompProfile(text: string): SeccompProfile {
  try {
    const v: unknown = JSON.parse(text)
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('not a JSON object')
    return v as SeccompProfile
  } catch (e) {
    throw new InvalidArgument(`decoding seccomp profile failed: ${(e as Error).message}`)
  }
}

function errnoOf(name: string | undefined, fallback: number | null | undefined): number | undefined {
  if (!name) return fallback ?? undefined
  if (/^\d+$/.test(name)) return Number(name)
  const n = ERRNO.get(name)
  if (n === undefined) throw new InvalidArgument(`unknown errno ${name}`)
  return n
}

/** Kernel `a.b[.c...]` at least `min` (`a.b`), comparing the first two numbers. */
function kernelAtLeast(kernel: string, min: string): boolean {
  const want = /^(\d+)\.(\d+)$/.exec(min)
  if (!want) throw new InvalidArgument(`invalid kernel version "${min}", expected "<kernel>.<major>"`)
  const have = /^(\d+)\.(\d+)/.exec(kernel)
  if (!have) return true
  const [hk, hm, wk, wm] = [have[1], have[2], want[1], want[2]].map(Number)
  return hk !== wk ? hk > wk : hm >= wm
}

function keepRule(call: ProfileSyscall, caps: readonly string[], arch: string, kernel: string): boolean {
  const inc = call.includes ?? {}
  const exc = call.excludes ?? {}
  if (exc.arches?.includes(arch)) return false
  if (exc.caps?.some(c => caps.includes(c))) return false
  if (inc.arches?.length && !inc.arches.includes(arch)) return false
  if (inc.caps?.some(c => !caps.includes(c))) return false
  if (inc.minKernel && !kernelAtLeast(kernel, inc.minKernel)) return false
  return true
}

function toSyscall(names: string[], call: ProfileSyscall, errnoRet: number | undefined): OciSyscall {
  const out: OciSyscall = {names, action: call.action}
  if (errnoRet !== undefined) out.errnoRet = errnoRet
  if (call.args?.length) {
    out.args = call.args.map(a => {
      const arg: OciSeccompArg = {index: a.index, value: a.value ?? 0, op: a.op}
      // runtime-spec omits a zero valueTwo
      if (a.valueTwo) arg.valueTwo = a.valueTwo
      return arg
    })
  }
  return out
}

/**
 * The OCI seccomp section for a profile, or undefined when the profile
 * disables seccomp (no default action and no rules).
 */
export function convertSeccompProfile(profile: SeccompProfile, ctx: SeccompContext): OciSeccomp | undefined {
  const syscalls = profile.syscalls ?? []
  if (!profile.defaultAction && syscalls.length === 0) return undefined
  const arch = ctx.arch ?? nativeSeccompArch()
  const kernel = ctx.kernel ?? os.release()

  const archs = profile.architectures ?? []
  const archMap = profile.archMap ?? []
  if (archs.length && archMap.length) {
    throw new InvalidArgument("'architectures' and 'archMap' were specified in the seccomp profile, use either 'architectures' or 'archMap'")
  }
  const architectures = [...archs]
  const native = NATIVE_TO_SECCOMP[arch]
  const entry = native ? archMap.find(a => a.architecture === native) : undefined
  if (entry) architectures.push(entry.architecture, ...(entry.subArchitectures ?? []))

  const out: OciSeccomp = {defaultAction: profile.defaultAction ?? ''}
  const defErrno = errnoOf(profile.defaultErrno, profile.defaultErrnoRet)
  if (defErrno !== undefined) out.defaultErrnoRet = defErrno
  if (architectures.length) out.architectures = architectures
  if (profile.flags?.length) out.flags = [...profile.flags]

  const rules: OciSyscall[] = []
  for (const call of syscalls) {
    if (!keepRule(call, ctx.boundingCaps, arch, kernel)) continue
    const names = call.names ?? []
    if (call.name && names.length) {
      throw new InvalidArgument("'name' and 'names' were specified in the seccomp profile, use either 'name' or 'names'")
    }
    const errnoRet = errnoOf(call.errno, call.errnoRet)
    if (call.name) rules.push(toSyscall([call.name], call, errnoRet))
    if (names.length) rules.push(toSyscall([...names], call, errnoRet))
  }
  if (rules.length) out.syscalls = rules
  return out
}

/**
 * The seccomp section for a container: `unconfined` → none; a path → that
 * profile; undefined → the default profile (none for privileged containers).
 */
export function containerSeccomp(
  profile: string | undefined,
  privileged: boolean,
  ctx: SeccompContext & {defaultPaths?: readonly string[]},
): OciSeccomp | undefined {
  if (profile === 'unconfined') return undefined
  const defaults = ctx.defaultPaths ?? DEFAULT_SECCOMP_PATHS
  // Podman drops the default profile for privileged containers but keeps one the user named.
  if (privileged && (profile === undefined || defaults.includes(profile))) return undefined
  let path = profile
  if (path === undefined) {
    path = findDefaultSeccompProfile(defaults)
    if (path === undefined) {
      throw new ConfigError(`no seccomp profile found (looked for ${defaults.join(', ')}); install containers-common or use --security-opt seccomp=unconfined`)
    }
  }
  return convertSeccompProfile(readSeccompProfile(path), ctx)
}
