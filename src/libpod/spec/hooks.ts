// OCI hooks from hooks.d directories (containers/common pkg/hooks, schema
// 1.0.0): each JSON file names a program, the stages it runs at and when it
// applies (always, annotations, the container's command, bind mounts).
// Podman's default directories, or --hooks-dir; a later directory's file
// replaces an earlier one of the same name.
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {InvalidArgument} from '../define/errors.js'

export const DEFAULT_HOOKS_DIRS = ['/usr/share/containers/oci/hooks.d', '/etc/containers/oci/hooks.d']
const STAGES = ['prestart', 'createRuntime', 'createContainer', 'startContainer', 'poststart', 'poststop']

export interface OciHook { path: string; args?: string[]; env?: string[]; timeout?: number }

interface HookFile {
  version: string
  hook: OciHook
  when: {always?: boolean; annotations?: Record<string, string>; commands?: string[]; hasBindMounts?: boolean}
  stages: string[]
}

/** The hooks.d files, by file name, later directories winning. */
export function readHooks(dirs: readonly string[]): Map<string, HookFile> {
  const out = new Map<string, HookFile>()
  for (const dir of dirs) {
    if (!existsSync(dir)) continue
    for (const f of readdirSync(dir).filter(n => n.endsWith('.json')).sort()) {
      let h: HookFile
      try {
        h = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as HookFile
      } catch (e) {
        throw new InvalidArgument(`parsing hook ${JSON.stringify(path.join(dir, f))}: ${(e as Error).message}`)
      }
      if (h.version !== '1.0.0') throw new InvalidArgument(`parsing hook ${JSON.stringify(path.join(dir, f))}: unrecognized hook version: ${JSON.stringify(h.version)}`)
      if (!h.hook?.path || !Array.isArray(h.stages)) throw new InvalidArgument(`parsing hook ${JSON.stringify(path.join(dir, f))}: missing hook path or stages`)
      for (const s of h.stages) if (!STAGES.includes(s)) throw new InvalidArgument(`parsing hook ${JSON.stringify(path.join(dir, f))}: unknown stage ${JSON.stringify(s)}`)
      out.set(f, h)
    }
  }
  return out
}

/** Whether a hook applies: any of its conditions holds. */
export function hookMatches(when: HookFile['when'], c: {annotations: Record<string, string>; command: string[]; hasBindMounts: boolean}): boolean {
  if (when.always) return true
  if (when.hasBindMounts && c.hasBindMounts) return true
  for (const [k, v] of Object.entries(when.annotations ?? {})) {
    const kr = new RegExp(k)
    const vr = new RegExp(v)
    if (Object.entries(c.annotations).some(([ak, av]) => kr.test(ak) && vr.test(av))) return true
  }
  const cmd = c.command[0] ?? ''
  return (when.commands ?? []).some(r => new RegExp(r).test(cmd))
}

/** Adds the hooks that apply to the spec's `hooks`, stage by stage. */
export function applyHooks(spec: {hooks?: Record<string, OciHook[]>; annotations?: Record<string, string>; process?: {args?: string[]}; mounts?: Array<{type?: string; options?: string[]}>}, dirs: readonly string[]): void {
  const hooks = readHooks(dirs)
  if (hooks.size === 0) return
  const ctx = {
    annotations: spec.annotations ?? {},
    command: spec.process?.args ?? [],
    hasBindMounts: (spec.mounts ?? []).some(m => m.type === 'bind' || (m.options ?? []).includes('bind') || (m.options ?? []).includes('rbind')),
  }
  for (const h of hooks.values()) {
    if (!hookMatches(h.when ?? {}, ctx)) continue
    for (const s of h.stages) (spec.hooks ??= {})[s] = [...spec.hooks?.[s] ?? [], h.hook]
  }
}
