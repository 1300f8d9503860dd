// Commands that act on several containers (stop, kill, rm, ...): the engine
// resolves --all/--latest/names and returns a report per container; this
// prints them as Podman does (each name, every failure, exit with the last).
import {readFileSync} from 'node:fs'
import {InvalidArgument, load, NoSuchContainer, type Container, type Report, type Runtime} from '../libpod/index.js'
import {writeOut} from './stdout.js'

export interface EachOptions {
  all?: boolean
  ignore?: boolean
  latest?: boolean
  /** --cidfile: files holding container IDs. */
  cidfiles?: string[]
  /** With --all: which containers count (default every one). */
  allFilter?: (c: Container) => boolean
}

/** --cidfile values: the IDs the files hold. */
export function cidfileRefs(files: string[] = []): string[] {
  return files.map(f => {
    try {
      return readFileSync(f, 'utf8').trim()
    } catch {
      throw new InvalidArgument(`reading CIDFile: open ${f}: no such file or directory`)
    }
  })
}

/** The containers a command names: refs, --all, --latest, --cidfile. */
export function targetRefs(rt: Runtime, refs: string[], opts: EachOptions): string[] {
  return rt.containerRefs({all: opts.all, latest: opts.latest, filter: opts.allFilter, refs: [...refs, ...cidfileRefs(opts.cidfiles)]})
}

/**
 * Prints the reports: each success's output (its value, else the name as
 * given) on stdout, every failure but the last on stderr; throws the last.
 */
export function printReports(reports: Report<string | void | undefined>[], ignore?: (e: Error) => boolean): void {
  let last: Error | undefined
  for (const r of reports) {
    if (r.error) {
      if (ignore?.(r.error)) continue
      if (last) process.stderr.write(`Error: ${last.message}\n`)
      last = r.error
    } else {
      writeOut(`${r.value ?? r.ref}\n`)
    }
  }
  if (last) throw last
}

export async function eachContainer(rt: Runtime, refs: string[], opts: EachOptions, act: (c: Container, ref: string) => Promise<string | void>): Promise<void> {
  const reports = await rt.forContainers({all: opts.all, latest: opts.latest, filter: opts.allFilter, refs: [...refs, ...cidfileRefs(opts.cidfiles)]},
    c => act(c, c.id))
  // act sees the object; the report keeps the name as the user gave it.
  printReports(reports, opts.ignore ? e => e instanceof NoSuchContainer : undefined)
}

/**
 * --filter of start/stop/rm: like --all, over the containers that match
 * Podman's ps filters (and `base`, what --all alone would take).
 */
export async function filteredSelection(rt: Runtime, filters: string[] | undefined, base?: (c: Container) => boolean): Promise<((c: Container) => boolean) | undefined> {
  if (!filters?.length) return base
  const {containerFilters} = await load.containerList()
  const match = containerFilters(rt, filters)
  return c => match(c.data) && (base?.(c) ?? true)
}
