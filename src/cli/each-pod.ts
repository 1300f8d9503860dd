// Commands that act on several pods (start, stop, rm, ...): each pod's ID
// is printed as Podman does; every failure is reported, the last one exits.
import {InvalidArgument} from '../libpod/errors.js'
import type {Runtime} from '../libpod/runtime.js'
import {NoSuchPod} from '../libpod/pod/errors.js'
import {podStore} from '../libpod/pod/store.js'

export interface EachPodOptions {
  all?: boolean
  latest?: boolean
  ignore?: boolean
}

export async function eachPod(rt: Runtime, refs: string[], opts: EachPodOptions, act: (id: string) => Promise<unknown>): Promise<void> {
  const store = podStore(rt)
  let targets = refs
  if (opts.all) targets = store.list().map(p => p.id)
  else if (opts.latest) targets = store.list().sort((a, b) => b.created.localeCompare(a.created)).slice(0, 1).map(p => p.id)
  else if (refs.length === 0) throw new InvalidArgument('you must provide at least one name or id')
  let last: Error | undefined
  for (const ref of targets) {
    try {
      const id = store.lookup(ref).id
      await act(id)
      process.stdout.write(`${id}\n`)
    } catch (e) {
      if (opts.ignore && e instanceof NoSuchPod) continue
      if (last) process.stderr.write(`Error: ${last.message}\n`)
      last = e as Error
    }
  }
  if (last) throw last
}
