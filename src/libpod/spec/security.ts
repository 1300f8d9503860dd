// --security-opt parsing and the masked/read-only /proc and /sys paths.
import path from 'node:path'
import {InvalidArgument} from '../define/errors.js'
import {MASKED_PATHS, READONLY_PATHS} from './defaults.js'

export interface SecurityOptions {
  noNewPrivileges: boolean
  /** seccomp=: `unconfined` or a profile path. */
  seccomp?: string
  /** apparmor=: a profile name or `unconfined`. */
  apparmor?: string
  /** label=: SELinux options (disable, type:..., ...); recorded only, SELinux is not applied. */
  labels: string[]
  /** mask=: more paths to mask. */
  mask: string[]
  /** unmask=: globs (`:`-separated) or ALL. */
  unmask: string[]
  /** proc-opts=: options for the /proc mount. */
  procOpts?: string[]
}

/** Podman's --security-opt forms; the annotations it records go in `annotations`. */
export function parseSecurityOpts(list: readonly string[], annotations?: Record<string, string>): SecurityOptions {
  const out: SecurityOptions = {noNewPrivileges: false, labels: [], mask: [], unmask: []}
  for (const opt of list) {
    if (opt === 'no-new-privileges') {
      out.noNewPrivileges = true
      continue
    }
    const eq = opt.indexOf('=')
    if (eq < 0) throw new InvalidArgument(`invalid --security-opt 1: ${JSON.stringify(opt)}`)
    const [key, value] = [opt.slice(0, eq), opt.slice(eq + 1)]
    switch (key) {
      case 'apparmor':
        out.apparmor = value
        if (annotations) annotations['io.podman.annotations.apparmor'] = value
        break
      case 'label':
        out.labels.push(value)
        if (annotations) annotations['io.podman.annotations.label'] = out.labels.join(',label=')
        break
      case 'mask':
        out.mask.push(...value.split(':'))
        break
      case 'proc-opts':
        out.procOpts = value.split(',')
        break
      case 'seccomp':
        out.seccomp = value
        if (annotations) annotations['io.podman.annotations.seccomp'] = value
        break
      case 'systempaths':
        if (value !== 'unconfined') throw new InvalidArgument(`invalid systempaths option ${JSON.stringify(value)}, only \`unconfined\` is supported`)
        out.unmask.push('ALL')
        break
      case 'unmask':
        out.unmask.push(value)
        break
      case 'no-new-privileges':
        if (value !== 'true' && value !== 'false') throw new InvalidArgument(`invalid --security-opt 2: ${JSON.stringify(opt)}`)
        out.noNewPrivileges = value === 'true'
        break
      default:
        throw new InvalidArgument(`invalid --security-opt 2: ${JSON.stringify(opt)}`)
    }
  }
  return out
}

/** Go's filepath.Match: `*` and `?` stop at `/`, `[...]` classes, `\` escapes. */
export function globMatch(pattern: string, name: string): boolean {
  let re = '^'
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]
    if (c === '*') re += '[^/]*'
    else if (c === '?') re += '[^/]'
    else if (c === '\\' && i + 1 < pattern.length) re += '\\' + pattern[++i]
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2)
      if (end < 0) return false
      let cls = pattern.slice(i + 1, end).replace(/\\/g, '\\\\')
      if (cls.startsWith('^')) cls = '^' + cls.slice(1).replace(/\^/g, '\\^')
      re += `[${cls}]`
      i = end
    } else re += c.replace(/[.+^${}()|\]/]/g, '\\$&')
  }
  try {
    return new RegExp(re + '$').test(name)
  } catch {
    return false
  }
}

function shouldMask(p: string, unmask: readonly string[]): boolean {
  for (const u of unmask) {
    if (u.toLowerCase() === 'all') return false
    if (u.split(':').some(g => globMatch(g, p))) return false
  }
  return true
}

export interface KernelPaths {
  maskedPaths: string[]
  readonlyPaths: string[]
}

/**
 * Podman's BlockAccessToKernelFilesystems: the default masked and read-only
 * paths unless privileged or unmasked, then the user's masks.
 */
export function kernelPaths(opts: {privileged: boolean; rootless: boolean; pidHost: boolean; mask: readonly string[]; unmask: readonly string[]}): KernelPaths {
  const out: KernelPaths = {maskedPaths: [], readonlyPaths: []}
  if (!opts.privileged) {
    out.maskedPaths.push(...MASKED_PATHS.filter(p => shouldMask(p, opts.unmask)))
    out.readonlyPaths.push(...READONLY_PATHS.filter(p => shouldMask(p, opts.unmask)))
    // a rootless container sharing the host's /proc cannot mask over it
    if (opts.pidHost && opts.rootless) return out
  }
  for (const m of opts.mask) {
    if (m === '') continue
    if (!path.posix.isAbsolute(m)) throw new InvalidArgument(`mask path ${JSON.stringify(m)} is not an absolute path`)
    if (!out.maskedPaths.includes(m)) out.maskedPaths.push(m)
  }
  return out
}
