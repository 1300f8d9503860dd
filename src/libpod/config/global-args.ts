// The global flags that carry this engine's settings into the peapod
// commands it starts (the monitor's exit command, healthcheck timers), so
// that they work on the same store, volumes, networks and events log.
import path from 'node:path'
import type {Config} from './config.js'

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
