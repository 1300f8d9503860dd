// Commands that act on several pods (start, stop, rm, ...): the engine
// resolves --all/--latest/names and reports per pod; each pod's ID is printed
// as Podman does, every failure is reported, the last one exits.
import {InvalidArgument, NoSuchPod, type Pod, type Runtime} from '../libpod/index.js'
import {printReports} from './each-container.js'

export interface EachPodOptions {
  all?: boolean
  latest?: boolean
  ignore?: boolean
}

export async function eachPod(rt: Runtime, refs: string[], opts: EachPodOptions, act: (pod: Pod) => Promise<unknown>): Promise<void> {
  if (!opts.all && !opts.latest && refs.length === 0) throw new InvalidArgument('you must provide at least one name or id')
  const reports = await rt.forPods({all: opts.all, latest: opts.latest, refs}, async p => {
    await act(p)
    return p.id
  })
  printReports(reports, opts.ignore ? e => e instanceof NoSuchPod : undefined)
}
