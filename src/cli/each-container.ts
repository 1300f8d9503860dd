// Commands that act on several containers (stop, kill, rm, ...) print each
// name as Podman does, report every failure, and exit with the last one.
import {readFileSync} from 'node:fs'
import {InvalidArgument, NoSuchContainer} from '../libpod/errors.js'
import type {Runtime} from '../libpod/runtime.js'
import type {Container} from '../libpod/container/types.js'

export interface EachOptions {
  all?: boolean
  ignore?: boolean
  latest?: boolean
  /** --cidfile: files holding container IDs. */
  cidfiles?: string[]
  /** With --all: which containers count (default every one). */
  allFilter?: (c: Container) => boolean
}

/** The containers a command names: refs, --all, --latest, --cidfile. */
export function targetRefs(rt: Runtime, refs: string[], opts: EachOptions): string[] {
  if (opts.all) return rt.containers.list().filter(c => c.state.status !== 'removing' && (opts.allFilter?.(c) ?? true)).map(c => c.config.id)
  if (opts.latest) {
    const latest = latestContainer(rt)
    return latest ? [latest.config.id] : []
  }
  const fromFiles = (opts.cidfiles ?? []).map(f => {
    try {
      return readFileSync(f, 'utf8').trim()
    } catch {
      throw new InvalidArgument(`reading CIDFile: open ${f}: no such file or directory`)
    }
  })
  return [...refs, ...fromFiles]
}

export function latestContainer(rt: Runtime): Container | undefined {
  return rt.containers.list().filter(c => c.state.status !== 'removing').sort((a, b) => b.config.created.localeCompare(a.config.created))[0]
}

export async function eachContainer(rt: Runtime, refs: string[], opts: EachOptions, act: (id: string, ref: string) => Promise<string | void>): Promise<void> {
  const targets = targetRefs(rt, refs, opts)
  let last: Error | undefined
  for (const ref of targets) {
    try {
      const c = rt.containers.lookup(ref)
      const out = await act(c.config.id, ref)
      process.stdout.write(`${out ?? ref}\n`)
    } catch (e) {
      if (opts.ignore && e instanceof NoSuchContainer) continue
      if (last) process.stderr.write(`Error: ${last.message}\n`)
      last = e as Error
    }
  }
  if (last) throw last
}
