// `exec -t`: the session's monitor holds the terminal; this process attaches
// to it like `run -it` does (raw mode, resize, detach keys) and returns the
// process's exit code (0 after a detach).
import {load, type Attachment, type ContainerDoc as Container, type ExecOptions, RuntimeFailure, type Runtime} from '../libpod/index.js'

export interface TerminalExecOptions extends ExecOptions {
  interactive: boolean
  detach: boolean
  detachKeys?: string
  preserveFds?: number[]
}

export async function execWithTerminal(rt: Runtime, c: Container, execId: string, opts: TerminalExecOptions): Promise<number> {
  const out = process.stdout
  const consoleSize = out.isTTY && out.rows && out.columns ? {rows: out.rows, cols: out.columns} : undefined
  const [{execMonitored, execStartError}, {Attachment: AttachClient}] = await Promise.all([load.exec(), load.attach()])
  const m = await execMonitored(rt, c, execId, {...opts, consoleSize})
  if (opts.detach) {
    const r = await m.started.catch(e => {
      throw new RuntimeFailure((e as Error).message)
    })
    // Podman: a detached exec that cannot start is an engine error.
    if (!r.running) throw new RuntimeFailure((await execStartError(m.runtimeName, r.message)).message)
    return 0
  }
  let attachment: Attachment
  try {
    await m.listening
    attachment = await AttachClient.connect({
      socketPath: m.socket,
      stdin: opts.interactive ? process.stdin : null,
      detachKeys: opts.detachKeys,
    })
  } catch (e) {
    await m.started.catch(() => undefined)
    throw new RuntimeFailure(`attaching to the exec session: ${(e as Error).message}`)
  }
  const started = await m.started.catch((e: Error) => e)
  // Let the attachment finish (it restores the terminal) before reporting anything.
  const done = await attachment.done.catch((e: Error) => e)
  if (started instanceof Error) throw new RuntimeFailure(started.message)
  if (!started.running) throw await execStartError(m.runtimeName, started.message)
  if (done instanceof Error) throw new RuntimeFailure(done.message)
  if (done.detached) return 0
  return done.exitCode ?? 0
}
