// Commands that act on several pods (start, stop, rm, ...): the engine
// resolves --all/--latest/names and reports per pod; each pod's ID is printed
// as Podman does, every failure is reported, the last one exits.
import {readFileSync} from 'node:fs'
import {InvalidArgument, NoSuchPod, type Pod, type Runtime} from '../libpod/index.js'
import {printReports} from './each-container.js'

export interface EachPodOptions {
  all?: boolean
  latest?: boolean
  ignore?: boolean
  /** --pod-id-file: files holding pod IDs. */
  'pod-id-file'?: string[]
}

/** --pod-id-file values: the IDs the files hold. */
export function podIdFileRefs(files: string[] = []): string[] {
  return files.map(f => {
    try {
      return readFileSync(f, 'utf8').trim()
    } catch {
      throw new InvalidArgument(`reading pod ID file: open ${f}: no such file or directory`)
    }
  })
}

export async function eachPod(rt: Runtime, refs: string[], opts: EachPodOptions, act: (pod: Pod) => Promise<unknown>): Promise<void> {
  const all = [...refs, ...podIdFileRefs(opts['pod-id-file'])]
  if (!opts.all && !opts.latest && all.length === 0) throw new InvalidArgument('you must provide at least one name or id')
  const reports = await rt.forPods({all: opts.all, latest: opts.latest, refs: all}, async p => {
    await act(p)
    return p.id
  })
  printReports(reports, opts.ignore ? e => e instanceof NoSuchPod : undefined)
}
