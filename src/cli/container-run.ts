// What `run`, `start -a` and `attach` share: attach to a container's
// monitor with the terminal's stdio and return the container's exit code.
import {Attachment} from '../conmon/attach-client.js'
import type {Runtime} from '../libpod/runtime.js'
import {startContainer} from '../libpod/container/start.js'

export interface AttachedStart {
  exitCode: number | undefined
  detached: boolean
}

/** Starts a container attached (output from its first byte) and waits for it to exit or for a detach. */
export async function startAttached(rt: Runtime, id: string, opts: {stdin: boolean; detachKeys?: string}): Promise<AttachedStart> {
  let attachment: Attachment | undefined
  const tty = process.stdout.isTTY ? {rows: process.stdout.rows, cols: process.stdout.columns} : undefined
  await startContainer(rt, id, {
    consoleSize: tty,
    beforeStart: async socket => {
      attachment = await Attachment.connect({
        socketPath: socket,
        stdin: opts.stdin ? process.stdin : null,
        detachKeys: opts.detachKeys,
      })
    },
  })
  const r = await attachment!.done
  return {exitCode: r.exitCode, detached: r.detached}
}

export async function attachRunning(socket: string, opts: {stdin: boolean; detachKeys?: string}): Promise<AttachedStart> {
  const a = await Attachment.connect({socketPath: socket, stdin: opts.stdin ? process.stdin : null, detachKeys: opts.detachKeys})
  const r = await a.done
  return {exitCode: r.exitCode, detached: r.detached}
}
