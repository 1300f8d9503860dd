// What `run`, `start -a` and `attach` share: attach to a container's
// monitor with the terminal's stdio and return the container's exit code.
import {load, type Attachment, type AttachResult, type Runtime, type ContainerConfig} from '../libpod/index.js'

export interface AttachedStart {
  exitCode: number | undefined
  detached: boolean
}

/**
 * After the attachment: let go of our stdin (an open pipe or terminal would
 * keep the command alive after a detach or the container's exit), and once
 * the container has exited record it and clean it up before the command
 * returns, as Podman's run and start -a do (the monitor's exit command may
 * still be on its way).
 */
async function settle(rt: Runtime, id: string, stdin: boolean, r: AttachResult): Promise<AttachedStart> {
  if (stdin) process.stdin.destroy()
  if (!r.detached) await load.ops().then(m => m.cleanupContainer(rt, id)).catch(() => {})
  return {exitCode: r.exitCode, detached: r.detached}
}

/** Signals `run` and `start -a` pass on to the container (--sig-proxy, Podman's default when attached). */
const PROXIED: NodeJS.Signals[] = ['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGTERM', 'SIGUSR1', 'SIGUSR2', 'SIGALRM', 'SIGCONT', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU', 'SIGVTALRM', 'SIGPROF', 'SIGXCPU', 'SIGXFSZ', 'SIGIO', 'SIGPWR', 'SIGSYS', 'SIGTRAP', 'SIGABRT']

/**
 * Forwards the signals this command gets to the container's process (through
 * the runtime). Installed before the start so that no signal finds the
 * command undefended (Node would exit); those that come before the
 * container runs are passed on once it does (`running()`).
 */
export function proxySignals(rt: Runtime): {running: (config: ContainerConfig) => void; stop: () => void} {
  let config: ContainerConfig | undefined
  const early: NodeJS.Signals[] = []
  const forward = (sig: NodeJS.Signals) => {
    if (!config) return void early.push(sig)
    const c = config
    void rt.oci(c).then(o => o.kill(c.id, sig.replace(/^SIG/, ''))).catch(() => {})
  }
  const handlers = PROXIED.map(sig => {
    const h = () => forward(sig)
    process.on(sig, h)
    return [sig, h] as const
  })
  return {
    running: c => {
      config = c
      for (const sig of early.splice(0)) forward(sig)
    },
    stop: () => { for (const [sig, h] of handlers) process.off(sig, h) },
  }
}

/**
 * Without --sig-proxy a signal ends only this command, yet not half-way through
 * the start: it takes effect once the start is recorded (else a running
 * container would stay 'created').
 */
function holdSignals(): {release: () => void} {
  const held: NodeJS.Signals[] = ['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGTERM']
  let got: NodeJS.Signals | undefined
  const h = (sig: NodeJS.Signals) => { got ??= sig }
  for (const sig of held) process.on(sig, h)
  return {release: () => {
    for (const sig of held) process.off(sig, h)
    if (got) process.kill(process.pid, got)
  }}
}

/** Starts a container attached (output from its first byte) and waits for it to exit or for a detach. */
export async function startAttached(rt: Runtime, id: string, opts: {stdin: boolean; detachKeys?: string; sigProxy?: boolean; streams?: readonly string[]; preserveFds?: number}): Promise<AttachedStart> {
  let attachment: Attachment | undefined
  const tty = process.stdout.isTTY ? {rows: process.stdout.rows, cols: process.stdout.columns} : undefined
  const proxy = opts.sigProxy ?? true ? proxySignals(rt) : undefined
  const hold = proxy ? undefined : holdSignals()
  const [{startContainer}, {Attachment}, ops] = await Promise.all([load.start(), load.attach(), load.ops()])
  try {
    const config = await startContainer(rt, id, {
      consoleSize: tty,
      preserveFds: opts.preserveFds,
      beforeStart: async socket => {
        attachment = await Attachment.connect({
          socketPath: socket,
          stdin: opts.stdin ? process.stdin : null,
          detachKeys: opts.detachKeys,
          onExit: () => ops.claimCleanup(rt, id), // settle() cleans up: no exit command
          // -a: only the streams asked for
          ...opts.streams?.length ? {stdout: opts.streams.includes('stdout') ? process.stdout : null, stderr: opts.streams.includes('stderr') ? process.stderr : null} : {},
        })
      },
    })
    proxy?.running(config)
    hold?.release()
    return await settle(rt, id, opts.stdin, await attachment!.done)
  } finally {
    proxy?.stop()
    hold?.release()
  }
}

/** Attaches to a running container until it exits or the user detaches. */
export async function attachRunning(rt: Runtime, id: string, opts: {stdin: boolean; detachKeys?: string}): Promise<AttachedStart> {
  const [{Attachment}, {containerPaths}, ops] = await Promise.all([load.attach(), load.containerPaths(), load.ops()])
  const a = await Attachment.connect({socketPath: containerPaths(rt, id).attachSocket, stdin: opts.stdin ? process.stdin : null, detachKeys: opts.detachKeys,
    onExit: () => ops.claimCleanup(rt, id)}) // settle() cleans up: no exit command
  return settle(rt, id, opts.stdin, await a.done)
}
