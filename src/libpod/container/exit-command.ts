// The command a container's monitor runs when the container exits (and a
// rootless reader runs for a monitor that died): the engine's cleanup of
// that container. When peapodCommand is this package's own CLI
// (bin/run.cjs), it is the light entry next to it, bin/exit-command.cjs
// (src/exit-command.ts): the same cleanup without the CLI layer, ~25 ms of
// CPU less per container. Any other peapodCommand (a library user's) gets
// `... container cleanup ID` through it, as before.
import {existsSync} from 'node:fs'
import path from 'node:path'
import {engineGlobalArgs} from '../config/global-args.js'
import type {Runtime} from '../runtime.js'

/** The light entry's file name, next to bin/run.cjs. */
export const EXIT_ENTRY = 'exit-command.cjs'

const light = new Map<string, boolean>()

/** [node, .../bin/exit-command.cjs] when peapodCommand is [node, .../bin/run.cjs] and the entry is there. */
function lightCommand(peapod: string[]): string[] | undefined {
  if (peapod.length !== 2 || path.basename(peapod[1]) !== 'run.cjs') return undefined
  const entry = path.join(path.dirname(peapod[1]), EXIT_ENTRY)
  if (!light.has(entry)) light.set(entry, existsSync(entry))
  return light.get(entry) ? [peapod[0], entry] : undefined
}

/** The argv of the exit command that cleans up container ID. */
export function exitCommandArgv(rt: Runtime, id: string): string[] {
  const globals = [...engineGlobalArgs(rt.config), '--storage-driver', rt.store.driver.name]
  const entry = lightCommand(rt.config.peapodCommand)
  return entry ? [...entry, ...globals, id] : [...rt.config.peapodCommand, ...globals, 'container', 'cleanup', id]
}
