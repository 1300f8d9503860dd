// For commands over several containers whose --all skips some of them
// (pause, unpause, unmount): act on each target, print what act returns
// (nothing when it returns undefined), report every failure as Podman's
// PrintErrors does (all but the last on stderr) and throw the last.
import {writeOut} from './stdout.js'

export async function forEachRef(targets: string[], act: (ref: string) => Promise<string | undefined>): Promise<void> {
  let last: Error | undefined
  for (const ref of targets) {
    try {
      const out = await act(ref)
      if (out !== undefined) writeOut(`${out}\n`)
    } catch (e) {
      if (last) process.stderr.write(`Error: ${last.message}\n`)
      last = e as Error
    }
  }
  if (last) throw last
}
