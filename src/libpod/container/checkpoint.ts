// `container checkpoint`/`restore` need CRIU. Debian 12's criu (3.17.1)
// installs, but `criu check` fails on this kernel (its vdso symbol table
// can't be read), so nothing can be checkpointed here: the commands check
// and say why, with Podman's exit code for engine errors (125).
import {CheckpointUnsupported} from '../define/errors.js'
import type {Runtime} from '../runtime.js'
import {ProcessFailure, run} from '../util/process.js'


/** Why checkpoint/restore cannot work here (always throws). */
export async function checkpointSupport(rt: Runtime, verb: 'checkpointing' | 'restoring'): Promise<never> {
  if (rt.config.rootless) throw new CheckpointUnsupported(`${verb} a container requires root`)
  const r = await run(['criu', 'check']).then(o => ({code: 0, out: `${o.stdout}${o.stderr}`}), (e: unknown) => {
    if (!(e instanceof ProcessFailure)) throw e
    return {code: e.status ?? 127, out: `${e.stdout}${e.stderr}`}
  })
  if (r.code === 127) throw new CheckpointUnsupported(`${verb} needs CRIU: criu is not installed (apt-get install criu)`)
  if (r.code !== 0) {
    const line = r.out.split('\n').find(l => l.startsWith('Error')) ?? r.out.trim().split('\n')[0] ?? ''
    throw new CheckpointUnsupported(`${verb} needs CRIU, and "criu check" fails on this host: ${line.replace(/^Error \([^)]*\): /, '')}`)
  }
  throw new CheckpointUnsupported(`${verb} containers is not supported by peapod yet`)
}
