// Namespaces kept alive by a bind mount of their nsfs file: a short-lived
// process enters or makes the namespace, something may be done to it (write
// its ID maps), then /proc/PID/ns/TYPE is bound onto the file and the
// process ends. Used for a container's own user namespace and for a network
// namespace made inside it (so that the container's user namespace owns it).
import {childProcess} from './builtins.js'
import {closeSync, openSync, rmSync} from 'node:fs'
import {run} from './process.js'

/**
 * Runs `prefix... sh -c 'echo; exec cat'` (prefix: e.g. `unshare --user --`),
 * calls `prepare(pid)` once it runs, binds its `type` namespace at `file`
 * and lets it go.
 */
export async function bindNamespace(prefix: string[], type: 'user' | 'net', file: string, prepare?: (pid: number) => void): Promise<void> {
  const child = childProcess().spawn(prefix[0], [...prefix.slice(1), 'sh', '-c', 'echo ready; exec cat'], {stdio: ['pipe', 'pipe', 'pipe']})
  let err = ''
  child.stderr!.on('data', d => { err += d })
  const exited = new Promise<number>(resolve => child.on('close', code => resolve(code ?? 1)))
  try {
    await new Promise<void>((resolve, reject) => {
      child.on('error', reject)
      child.stdout!.once('data', () => resolve())
      void exited.then(code => reject(new Error(`${prefix.join(' ')} exited ${code}: ${err.trim()}`)))
    })
    prepare?.(child.pid!)
    closeSync(openSync(file, 'w', 0o644))
    await run(['mount', '--bind', `/proc/${child.pid}/ns/${type}`, file], {timeout: 60_000})
  } catch (e) {
    rmSync(file, {force: true})
    throw e
  } finally {
    child.stdin!.end()
    child.kill('SIGKILL')
    await exited
  }
}

/** Unmounts and removes a namespace file; fine when it is already gone. */
export async function unbindNamespace(file: string): Promise<void> {
  await run(['umount', '-l', file], {timeout: 60_000}).catch(() => {})
  rmSync(file, {force: true})
}
