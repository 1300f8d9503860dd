// An in-memory OCI runtime for unit tests of the engine (as youki tests
// through a Syscall trait): containers go created → running → paused →
// stopped as runc's would, and the verbs that runc refuses fail here too,
// with runc's wording. Nothing is spawned; every call is recorded.
import {OciRuntimeError} from './cli.js'
import type {OciCreateOptions, OciExecOptions, OciFeatures, OciLog, OciRunOptions, OciRuntime, OciState} from './types.js'

type Status = OciState['status']

export interface FakeContainer {
  id: string
  status: Status
  bundle: string
  pid: number
  /** The signal that stopped it, without SIG. */
  stoppedBy?: string
  /** Exit status: 128 + signal number when a signal stopped it. */
  exitCode?: number
}

/** Signals that end a process that does not handle them (the fake's processes handle none). */
const FATAL: Record<string, number> = {HUP: 1, INT: 2, QUIT: 3, KILL: 9, TERM: 15, USR1: 10, USR2: 12, ALRM: 14}
/** Ignored by default: the process goes on. */
const HARMLESS = new Set(['CHLD', 'CONT', 'URG', 'WINCH', '0'])

function signalName(signal: string): string {
  const s = signal.toUpperCase().replace(/^SIG/, '')
  if (/^\d+$/.test(s)) return Object.entries(FATAL).find(([, n]) => String(n) === s)?.[0] ?? s
  return s
}

export class FakeOciRuntime implements OciRuntime {
  readonly name: string
  readonly path: string
  /** Every verb called, with its arguments, in order. */
  readonly calls: string[][] = []
  private readonly containers = new Map<string, FakeContainer>()
  private nextPid = 1000

  constructor(name = 'fake', binary = '/fake/bin/oci') {
    this.name = name
    this.path = binary
  }

  /** A container as the fake knows it (undefined once deleted). */
  container(id: string): FakeContainer | undefined {
    const c = this.containers.get(id)
    return c && {...c}
  }

  /** The container's process exits by itself with `code` (what a monitor would see). */
  exit(id: string, code = 0): void {
    const c = this.get(id, 'exit')
    if (c.status !== 'running' && c.status !== 'paused') throw this.error('exit', `container ${id} is not running`)
    c.status = 'stopped'
    c.exitCode = code
  }

  globalArgs(log: OciLog = {}): string[] {
    return [...(log.log ? ['--log', log.log] : []), ...(log.log && log.logFormat ? ['--log-format', log.logFormat] : [])]
  }

  private error(verb: string, why: string): OciRuntimeError {
    return new OciRuntimeError(`${this.path} ${verb}: ${why}`, verb, `${why}\n`)
  }

  private get(id: string, verb: string): FakeContainer {
    const c = this.containers.get(id)
    if (!c) throw this.error(verb, 'container does not exist')
    return c
  }

  async create(id: string, o: OciCreateOptions): Promise<void> {
    this.calls.push(['create', id])
    if (this.containers.has(id)) throw this.error('create', `container with id exists: ${id}`)
    this.containers.set(id, {id, status: 'created', bundle: o.bundle, pid: this.nextPid++})
  }

  async start(id: string): Promise<void> {
    this.calls.push(['start', id])
    const c = this.get(id, 'start')
    if (c.status === 'stopped') throw this.error('start', 'cannot start a container that has stopped')
    if (c.status !== 'created') throw this.error('start', 'cannot start an already running container')
    c.status = 'running'
  }

  /** The argv a monitor would run; the fake counts the container as created and started by it. */
  run(id: string, o: OciRunOptions): string[] {
    this.calls.push(['run', id])
    const c = this.containers.get(id)
    if (c && c.status !== 'stopped') throw this.error('run', `container with id exists: ${id}`)
    this.containers.set(id, {id, status: 'running', bundle: o.bundle, pid: this.nextPid++})
    return [this.path, ...this.globalArgs(o), 'run', '--bundle', o.bundle, '--pid-file', o.pidFile, id]
  }

  async kill(id: string, signal: string, o: {all?: boolean} = {}): Promise<void> {
    this.calls.push(['kill', id, signal, ...(o.all ? ['--all'] : [])])
    const c = this.get(id, 'kill')
    // runc signals a created container's init too; a stopped one has no process.
    if (c.status === 'stopped') throw this.error('kill', 'container not running')
    const sig = signalName(signal)
    if (HARMLESS.has(sig)) return
    c.status = 'stopped'
    c.stoppedBy = sig
    c.exitCode = 128 + (FATAL[sig] ?? 0)
  }

  async delete(id: string, o: {force?: boolean} = {}): Promise<void> {
    this.calls.push(['delete', id, ...(o.force ? ['--force'] : [])])
    const c = this.containers.get(id)
    if (!c) {
      if (o.force) return
      throw this.error('delete', 'container does not exist')
    }
    if ((c.status === 'running' || c.status === 'paused') && !o.force) {
      throw this.error('delete', `cannot delete container ${id} that is not stopped: ${c.status}`)
    }
    this.containers.delete(id)
  }

  async pause(id: string): Promise<void> {
    this.calls.push(['pause', id])
    const c = this.get(id, 'pause')
    if (c.status !== 'running') throw this.error('pause', 'container not running')
    c.status = 'paused'
  }

  async resume(id: string): Promise<void> {
    this.calls.push(['resume', id])
    const c = this.get(id, 'resume')
    if (c.status !== 'paused') throw this.error('resume', 'container not paused')
    c.status = 'running'
  }

  async update(id: string, resourcesFile: string): Promise<void> {
    this.calls.push(['update', '--resources', resourcesFile, id])
    const c = this.get(id, 'update')
    if (c.status !== 'running' && c.status !== 'paused') throw this.error('update', 'container not running')
  }

  exec(id: string, o: OciExecOptions): string[] {
    this.calls.push(['exec', id])
    const c = this.get(id, 'exec')
    if (c.status !== 'running') throw this.error('exec', 'cannot exec in a stopped container')
    return [this.path, ...this.globalArgs(o), 'exec', ...(o.detach ? ['-d'] : []), '--process', o.process, '--pid-file', o.pidFile, id]
  }

  async state(id: string): Promise<OciState> {
    this.calls.push(['state', id])
    const c = this.get(id, 'state')
    return {ociVersion: '1.0.2', id, status: c.status, ...(c.status === 'stopped' ? {pid: 0} : {pid: c.pid}), bundle: c.bundle}
  }

  async features(): Promise<OciFeatures> {
    return {ociVersionMin: '1.0.0', ociVersionMax: '1.0.2', hooks: [], mountOptions: []}
  }
}
