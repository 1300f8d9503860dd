// Container: the public object over a container's documents, in the spirit
// of libpod's container_api.go. Its methods take the container's lock and
// sync its state with reality themselves (a dead monitor means exited), so
// callers never call syncContainer. The implementation stays in the modules
// named for each verb (start.ts, ops.ts, pause.ts, ...), loaded when a
// method runs: this module is on every command's start-up path.
import type {Runtime} from '../runtime.js'
import type {LogLine, LogOptions} from './logs.js'
import type {StartOptions} from './start.js'
import {isActive, type Container as Doc, type ContainerConfig, type ContainerState, type ContainerStatus} from './types.js'

export interface RemoveOptions {
  /** Stop a running container first (rm -f). */
  force?: boolean
  /** Seconds to wait for it to stop before SIGKILL. */
  timeout?: number
  /** Also remove the containers that depend on this one. */
  depend?: boolean
  /** Also remove its anonymous volumes (rm -v). */
  volumes?: boolean
  /** rm -a: the last container of a pod (its infra) takes the pod with it. */
  withPod?: boolean
}

export class Container {
  constructor(private readonly rt: Runtime, private doc: Doc) {}

  get id(): string {
    return this.doc.config.id
  }

  get name(): string {
    return this.doc.config.name
  }

  /** What was asked for at create (immutable). */
  get config(): ContainerConfig {
    return this.doc.config
  }

  /** The state as last read (refresh() re-reads and syncs it). */
  get state(): ContainerState {
    return this.doc.state
  }

  get status(): ContainerStatus {
    return this.doc.state.status
  }

  /** Whether its process runs (running, paused or stopping). */
  get active(): boolean {
    return isActive(this.doc.state.status)
  }

  /** The documents, as the engine's functions take them. */
  get data(): Doc {
    return this.doc
  }

  /** Re-reads the state and brings it in line with reality (NoSuchContainer once it is gone). */
  async refresh(): Promise<this> {
    const {syncContainer} = await import('./sync.js')
    this.doc = await syncContainer(this.rt, this.rt.containers.lookup(this.id))
    return this
  }

  /** Mounts the rootfs and writes the OCI bundle, without running it (`init`). */
  async init(): Promise<this> {
    const {initContainer} = await import('./start.js')
    await initContainer(this.rt, this.id)
    return this.refresh()
  }

  /** Starts it (its pod's infra first, through the Runtime's hooks). */
  async start(opts: StartOptions = {}): Promise<this> {
    const {startContainer} = await import('./start.js')
    await startContainer(this.rt, this.id, opts)
    return this.refresh()
  }

  /** The stop signal, then SIGKILL after timeout seconds (default the container's). */
  async stop(timeout?: number): Promise<this> {
    const {stopContainer} = await import('./ops.js')
    this.doc = await stopContainer(this.rt, this.id, timeout)
    return this
  }

  async kill(signal = 'KILL'): Promise<this> {
    const {killContainer} = await import('./ops.js')
    this.doc = await killContainer(this.rt, this.id, signal)
    return this
  }

  async restart(timeout?: number): Promise<this> {
    const {restartContainer} = await import('./ops.js')
    this.doc = await restartContainer(this.rt, this.id, timeout)
    return this
  }

  async pause(): Promise<this> {
    const {pauseContainer} = await import('./pause.js')
    await pauseContainer(this.rt, this.id)
    return this.refresh()
  }

  async unpause(): Promise<this> {
    const {unpauseContainer} = await import('./pause.js')
    await unpauseContainer(this.rt, this.id)
    return this.refresh()
  }

  /** Removes it; returns the IDs removed (its dependents too with depend). */
  async remove(opts: RemoveOptions = {}): Promise<string[]> {
    const {removeContainer} = await import('./ops.js')
    return removeContainer(this.rt, this.id, opts)
  }

  async rename(newName: string): Promise<this> {
    const {renameContainer} = await import('./ops.js')
    this.doc = await renameContainer(this.rt, this.id, newName)
    return this
  }

  /** The monitor's exit command: records the exit, unmounts, removes a --rm container. */
  async cleanup(): Promise<void> {
    const {cleanupContainer} = await import('./ops.js')
    await cleanupContainer(this.rt, this.id)
  }

  /** Podman's inspect document; with `size`, SizeRw and SizeRootFs (ps -s's sizes). */
  async inspect(opts: {size?: boolean} = {}): Promise<Record<string, unknown>> {
    await this.refresh()
    const {inspectContainer} = await import('./inspect.js')
    return inspectContainer(this.rt, this.doc, opts)
  }

  /**
   * Waits for one of the conditions (container states; default stopped or
   * exited). Returns the exit code once it is not running, else -1.
   */
  async wait(conditions: readonly string[] = ['stopped']): Promise<number> {
    const {waitExited, waitForState} = await import('./ops.js')
    await this.refresh()
    const exitWait = conditions.some(x => x === 'stopped' || x === 'exited')
    const others = conditions.filter(x => x !== 'stopped' && x !== 'exited')
    if (!exitWait) {
      await waitForState(this.rt, this.id, st => others.includes(st.status))
      return -1
    }
    await (others.length ? waitForState(this.rt, this.id, st => others.includes(st.status) || !isActive(st.status)) : waitExited(this.rt, this.id))
    let after = this.rt.containers.read(this.id)
    if (after && isActive(after.state.status)) {
      // An exit that could not be recorded (a full disk): as the dead monitor left it.
      const {syncContainer} = await import('./sync.js')
      const seen = after
      after = await syncContainer(this.rt, seen).catch(() => seen)
    }
    return after && !isActive(after.state.status) ? after.state.exitCode ?? 0 : -1
  }

  /** Its log lines, in order (follow: until it exits). */
  async logs(opts: LogOptions, emit: (line: LogLine) => void): Promise<void> {
    const {readLogs} = await import('./logs.js')
    await readLogs(this.rt, this.id, opts, emit)
  }

  /** `top`: the ps-like rows of its processes (first row the header). */
  async top(descriptors: string[] = []): Promise<string[]> {
    const {topContainer} = await import('./top.js')
    return topContainer(this.rt, this.id, descriptors)
  }

  /** Mounts its rootfs; returns the mount point. */
  async mount(): Promise<string> {
    const {mountContainer} = await import('./mount.js')
    return mountContainer(this.rt, this.id)
  }

  async unmount(force = false): Promise<void> {
    const {unmountContainer} = await import('./mount.js')
    await unmountContainer(this.rt, this.id, force)
  }

  /** Runs its health check once. */
  async healthcheck(): Promise<Awaited<ReturnType<typeof import('./healthcheck-run.js').runHealthcheck>>> {
    const {runHealthcheck} = await import('./healthcheck-run.js')
    return runHealthcheck(this.rt, this.id)
  }
}
