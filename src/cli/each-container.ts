// Commands that act on several containers (stop, kill, rm, ...) print each
// name as Podman does, report every failure, and exit with the last one.
import {NoSuchContainer} from '../libpod/errors.js'
import type {Runtime} from '../libpod/runtime.js'

export async function eachContainer(rt: Runtime, refs: string[], opts: {all?: boolean; ignore?: boolean; latest?: boolean}, act: (id: string, ref: string) => Promise<string | void>): Promise<void> {
  let targets = refs
  if (opts.all) targets = rt.containers.list().map(c => c.config.id)
  else if (opts.latest) {
    const latest = rt.containers.list().sort((a, b) => b.config.created.localeCompare(a.config.created))[0]
    targets = latest ? [latest.config.id] : []
  }
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
