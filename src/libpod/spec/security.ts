// The masked and read-only /proc and /sys paths (--security-opt mask/unmask).
import path from 'node:path'
import {InvalidArgument} from '../define/errors.js'
import {MASKED_PATHS, READONLY_PATHS} from './defaults.js'

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
