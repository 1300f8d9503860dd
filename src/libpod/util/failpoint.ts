// Failpoints: named step boundaries of the engine's multi-step work (create,
// start, rm, pull, ...) where a test makes the process die or fail, to prove
// that any command killed at any moment leaves a store the next command can
// use. PEAPOD_FAILPOINT=NAME[:ACTION][,NAME[:ACTION]...]; ACTION is `kill`
// (SIGKILL this process, the default) or `error` (throw). Unset, a
// failpoint is one property read. The list of names is FAILPOINTS below;
// test/e2e/failpoints.test.ts walks them all.

/** Every failpoint, for the tests that walk them (keep in step with the calls). */
export const FAILPOINTS = [
  'container.create.after-reserve',
  'container.create.after-rootfs',
  'container.create.after-document',
  'container.start.after-mount',
  'container.start.after-monitor',
  'container.start.after-record',
  'container.stop.after-signal',
  'container.rm.after-release',
  'container.rm.after-mark',
  'container.rm.after-remove',
  'pod.create.after-reserve',
  'pod.create.after-infra',
  'pod.rm.after-members',
  'pod.rm.after-document',
  'image.pull.after-layers',
  'image.load.after-layers',
  'image.commit.after-layer',
  'image.rm.after-untag',
  'volume.create.after-dir',
  'volume.rm.after-document',
  'network.create.after-document',
  'network.connect.after-setup',
  'network.setup.before-netavark',
  'network.teardown.after-netavark',
  'network.slirp.after-spawn',
  'network.portfwd.after-listen',
  'build.run.after-start',
  'build.run.after-layer',
  'build.step.after-commit',
] as const

export type FailpointName = typeof FAILPOINTS[number]

let parsed: Map<string, string> | undefined

function points(): Map<string, string> {
  if (parsed) return parsed
  parsed = new Map()
  for (const item of (process.env.PEAPOD_FAILPOINT ?? '').split(',')) {
    const [name, action = 'kill'] = item.trim().split(':')
    if (name) parsed.set(name, action)
  }
  return parsed
}

/** Dies (or throws) here when PEAPOD_FAILPOINT names this point. */
export function failpoint(name: FailpointName): void {
  if (!process.env.PEAPOD_FAILPOINT) return
  const action = points().get(name)
  if (!action) return
  if (action === 'error') throw new Error(`failpoint ${name}`)
  process.kill(process.pid, 'SIGKILL')
}
