// The global flags that carry this engine's settings into the peapod
// commands it starts (the monitor's exit command, healthcheck timers), so
// that they work on the same store, volumes, networks and events log.
import path from 'node:path'
import type {Config, GlobalOptions} from './config.js'

export function engineGlobalArgs(c: Config): string[] {
  return [
    '--root', c.graphRoot, '--runroot', c.runRoot,
    ...(c.tmpDir ? ['--tmpdir', c.tmpDir] : []),
    ...(c.eventsBackend ? ['--events-backend', c.eventsBackend] : []),
    ...(c.volumePath && c.volumePath !== path.join(c.graphRoot, 'volumes') ? ['--volumepath', c.volumePath] : []),
    ...(c.networkConfigDir ? ['--network-config-dir', c.networkConfigDir] : []),
    ...(c.runtimeFlags ?? []).flatMap(f => ['--runtime-flag', f]),
    ...(c.hooksDirs ?? []).flatMap(d => ['--hooks-dir', d]),
    ...(c.networkCmdPath ? ['--network-cmd-path', c.networkCmdPath] : []),
  ]
}

/** The value flags engineGlobalArgs writes (and --storage-driver/--log-level), by the GlobalOptions field they fill. */
const VALUE_FLAGS: Record<string, 'root' | 'runroot' | 'tmpdir' | 'eventsBackend' | 'volumePath' | 'networkConfigDir' | 'networkCmdPath' | 'storageDriver' | 'logLevel'> = {
  '--root': 'root', '--runroot': 'runroot', '--tmpdir': 'tmpdir', '--events-backend': 'eventsBackend',
  '--volumepath': 'volumePath', '--network-config-dir': 'networkConfigDir', '--network-cmd-path': 'networkCmdPath',
  '--storage-driver': 'storageDriver', '--log-level': 'logLevel',
}
const LIST_FLAGS: Record<string, 'runtimeFlags' | 'hooksDirs'> = {'--runtime-flag': 'runtimeFlags', '--hooks-dir': 'hooksDirs'}

/**
 * engineGlobalArgs read back (the light exit command, src/exit-command.ts):
 * the options, and the arguments after them. Undefined for anything else
 * (an argv another version wrote): the caller hands it to the full CLI.
 */
export function parseEngineGlobalArgs(argv: string[]): {opts: GlobalOptions; rest: string[]} | undefined {
  const opts: GlobalOptions = {}
  let i = 0
  for (; i < argv.length && argv[i].startsWith('--'); i += 2) {
    const flag = argv[i]
    const value = argv[i + 1]
    if (value === undefined) return undefined
    if (flag in VALUE_FLAGS) opts[VALUE_FLAGS[flag]] = value
    else if (flag in LIST_FLAGS) (opts[LIST_FLAGS[flag]] ??= []).push(value)
    else return undefined
  }
  return {opts, rest: argv.slice(i)}
}
