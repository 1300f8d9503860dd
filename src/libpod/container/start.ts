// Starting a container: mount its rootfs, write its files and OCI bundle,
// fork its monitor and learn from it whether the container runs.
import {joinedCgroupns} from './cgroupns.js'
import {imageOf} from './rootfs-dir.js'
import {applyHooks, DEFAULT_HOOKS_DIRS} from '../spec/hooks.js'
import {containerEvent} from '../events/log.js'
import {exitCommandArgv} from './exit-command.js'
import {existsSync, mkdirSync, rmSync, writeFileSync} from 'node:fs'
import {hostname as osHostname} from 'node:os'
import {launchMonitor, type StartResult} from '../../conmon/launch.js'
import {CommandNotFound, CommandNotInvokable, containerBeingRemoved, InvalidArgument, noContainerWithId, PeapodError, RuntimeFailure} from '../define/errors.js'
import {parseConfig} from '../image/inspect.js'
import type {Runtime} from '../runtime.js'
import {generateSpec, specToJSON} from '../spec/index.js'
import {mountRootfs, unmountRootfs} from '../storage/mount.js'
import {prepareMounts, releaseMounts} from '../volume/prepare.js'
import {prepareContainerNetwork, teardownByRunDir} from '../network/index.js'
import {containerHostname, writeContainerFiles} from './files.js'
import {healthMonitorConfig, healthOnStart} from './healthcheck.js'
import {joinedNamespaces} from './namespaces.js'
import {resourceSpecOptions} from './resources.js'
import {createUserns, prepareUsers, releaseUserns} from './userns.js'
import {containerPaths, type ContainerPaths} from './paths.js'
import type {Container, ContainerConfig} from './types.js'
import {checkTransition, isRunningOrPaused} from '../define/state.js'
import {ociFor} from '../oci/runtime.js'
import {afterStart, prepareLifecycle, startRequired, timeoutMs} from './life.js'
import {addNotifySocket, monitorNotify} from './sdnotify.js'
import {failpoint} from '../util/failpoint.js'
import {applySystemdMode} from '../spec/systemd.js'
import {cgroupV2} from './pause.js'
import {killStrayMonitor} from './stray-monitor.js'


/** Writes config.json of the OCI bundle. */
async function prepareBundle(rt: Runtime, c: Container, p: ContainerPaths, consoleSize?: {rows: number; cols: number}): Promise<{ownPidNamespace: boolean}> {
  const image = imageOf(rt, c.config)
  const rootfs = await mountRootfs(rt.store, p.dir, image.layers, c.config.rootfs)
  mkdirSync(p.run, {recursive: true})
  const hostname = containerHostname(c.config, osHostname())
  writeContainerFiles(c.config, p, hostname, rt.config.rootless)
  const img = parseConfig(image).config ?? {}
  // Volumes: mounted, copied up and chowned; they reach the spec as binds
  const volumes = await prepareMounts(rt, c.config, rootfs, img)
  // USERS: the container's own user namespace first, so that its network namespace is made inside it
  const userns = await createUserns(rt, c.config, p)
  // NETWORK (src/libpod/network): netns + slirp4netns/pasta/netavark and ports, hosts/resolv.conf for them
  const net = await prepareContainerNetwork(rt, c.config, {hosts: p.hosts, resolvConf: p.resolvConf}, hostname, {userns})
  // POD: IPC, UTS, PID joined from the pod's infra container
  const joined = joinedNamespaces(rt, c.config)
  // USERS/NAMESPACES/DEVICES: rootfs shifted to the ID maps, passwd entries, spec options
  const users = prepareUsers(rt, c.config, rootfs, p, c.config.workdir || img.WorkingDir || '/', userns)
  const life = prepareLifecycle(rt, c.config, p.run, img) // LIFECYCLE/ENV: secrets, tz, sysctls, env
  const spec = generateSpec({
    ...joined,
    rootfs,
    hostname,
    image: img,
    command: c.config.command.length ? c.config.command : undefined,
    entrypoint: c.config.entrypoint,
    env: c.config.env,
    envFiles: c.config.envFiles,
    envHost: c.config.envHost,
    // Containers created before the host env was recorded take this process's.
    hostEnv: c.config.hostEnv ?? process.env,
    workdir: c.config.workdir,
    user: c.config.user,
    tty: c.config.tty,
    stdin: c.config.interactive,
    readOnly: c.config.readOnly,
    privileged: c.config.privileged,
    capAdd: c.config.capAdd,
    capDrop: c.config.capDrop,
    security: c.config.security,
    annotations: c.config.annotations,
    tmpfs: [...c.config.tmpfs, ...volumes.tmpfs],
    binds: volumes.binds,
    init: c.config.init,
    ulimits: c.config.ulimits,
    ...resourceSpecOptions(c.config.id, c.config.resources, {rootless: rt.config.rootless, privileged: c.config.privileged}), // RESOURCES
    ...joinedCgroupns(rt, c.config.resources?.cgroupns),
    network: net.mode,
    rootless: rt.config.rootless,
    files: {hosts: net.hosts, hostname: p.hostname, resolvConf: net.resolvConf, containerEnv: p.containerEnv},
    stopSignal: c.config.stopSignal,
    ...users,
    ...life.options,
  })
  life.apply(spec)
  if (c.config.systemd) applySystemdMode(spec, c.config.id, {cgroupV2: cgroupV2()}) // --systemd
  // runc sizes the container's terminal from the spec at start; later
  // resizes come through the monitor.
  if (c.config.tty && consoleSize && spec.process) (spec.process as {consoleSize?: unknown}).consoleSize = {height: consoleSize.rows, width: consoleSize.cols}
  addNotifySocket(spec as never, c.config) // --sdnotify=container
  // OCI hooks (hooks.d; --hooks-dir replaces Podman's default directories)
  applyHooks(spec as Parameters<typeof applyHooks>[0], rt.config.hooksDirs ?? DEFAULT_HOOKS_DIRS)
  writeFileSync(`${p.bundle}/config.json`, specToJSON(spec))
  const ns = (spec.linux as {namespaces?: Array<{type: string; path?: string}>} | undefined)?.namespaces ?? []
  return {ownPidNamespace: ns.some(n => n.type === 'pid' && !n.path)}
}

/** Maps the monitor's failed start to Podman's exit codes and messages. */
function startError(r: {message: string; exitCode: number}): PeapodError {
  if (r.exitCode === 127) return new CommandNotFound(r.message)
  if (r.exitCode === 126) return new CommandNotInvokable(r.message)
  return new RuntimeFailure(r.message)
}

export interface StartOptions {
  /** Called once the attach socket listens, before the container runs (run/start -a). */
  beforeStart?: (socket: string) => Promise<void>
  /** The attaching terminal's size, for a container with a tty. */
  consoleSize?: {rows: number; cols: number}
  /** run --preserve-fds: this process's fds 3 .. 3+N-1 go to the container. */
  preserveFds?: number
  /** Checked under the container's lock: false leaves it as it is (a restart policy's start after a stop). */
  onlyIf?: (state: Container['state']) => boolean
}

/**
 * Starts a created or exited container. Runs under the container's lock until
 * the monitor says the container runs, so its exit command (cleanup) only
 * sees a container whose start was recorded.
 */
export async function startContainer(rt: Runtime, id: string, opts: StartOptions = {}): Promise<ContainerConfig> {
  const p = containerPaths(rt, id)
  // POD: a member starts after its pod's infra container
  const pre = rt.containers.read(id)
  if (pre?.config.pod && !pre.config.isInfra) await rt.hooks.beforeStart(rt, pre.config)
  await startRequired(rt, pre?.config, dep => startContainer(rt, dep)) // --requires
  return rt.containers.locked(id, async () => {
    const c = rt.containers.read(id)
    if (!c) throw noContainerWithId(id)
    if (isRunningOrPaused(c.state.status)) return c.config
    if (c.state.status === 'removing') throw containerBeingRemoved(id)
    if (opts.onlyIf && !opts.onlyIf(c.state)) return c.config
    const oci = ociFor(rt, c.config)
    // A monitor left by a start killed before it recorded 'running' would share the run dir; the
    // runtime's state of a run nobody cleaned up after (its start and its monitor both killed) would
    // make the runtime refuse the container: "container with given ID already exists" (the storm).
    if (await killStrayMonitor(p) || oci.hasState?.(id)) {
      await oci.delete(id, {force: true}).catch(() => {})
      await releaseBundle(rt, p)
      await releaseMounts(rt, c.config).catch(() => {})
    }
    rmSync(p.exitFile, {force: true})
    let ownPidNamespace = false
    try {
      ;({ownPidNamespace} = await prepareBundle(rt, c, p, opts.consoleSize))
      failpoint('container.start.after-mount')
    } catch (e) {
      await releaseBundle(rt, p)
      // Podman: a user the image does not know means the command cannot be invoked (126).
      const invokable = !/unable to find (user|group)/.test((e as Error).message)
      rt.containers.updateHeld(id, s => ({...s, status: 'exited', exitCode: invokable ? 125 : 126, error: (e as Error).message, finishedAt: new Date().toISOString(), mountPoint: undefined}))
      throw invokable ? e : new CommandNotInvokable((e as Error).message)
    }
    const fds = Array.from({length: opts.preserveFds ?? 0}, (_, i) => 3 + i) // --preserve-fds
    const runOpts = {bundle: p.bundle, pidFile: p.pidFile, ...fds.length ? {extra: ['--preserve-fds', String(fds.length)]} : {}}
    const runtimeArgv = oci.run(id, runOpts)
    // No runtime left resident; not with the host's (or another's) pid namespace, whose orphans
    // the monitor would adopt and, Node reaping only its own children, keep as zombies.
    // Nor with passthrough stdio: the init of a `runc create` holding the caller's stdio was
    // SIGKILLed in 2 of 5 runs here (exit 137; build's RUN steps use passthrough).
    const detached = c.config.tty || !ownPidNamespace || c.config.logDriver === 'passthrough' ? undefined : oci.runDetached?.(id, runOpts)
    rt.logger.debug(`running ${runtimeArgv.join(' ')} under the container monitor`)
    const exitCommand = exitCommandArgv(rt, id)
    const monitor = launchMonitor({
      configPath: p.monitorConfig,
      ...fds.length ? {extraFds: fds} : {},
      config: {
        containerId: id,
        runtime: oci.path,
        runtimeArgv: runtimeArgv.slice(1),
        ...detached ? {runtimeCreateArgv: detached.create.slice(1), runtimeStartArgv: detached.start.slice(1)} : {},
        bundle: p.bundle,
        pidFile: p.pidFile,
        logPath: p.log,
        logDriver: c.config.logDriver === 'journald' ? 'k8s-file' : c.config.logDriver as 'k8s-file' | 'none' | 'passthrough',
        logMaxSize: parseSize(c.config.logOptions['max-size']),
        terminal: c.config.tty,
        consoleSize: opts.consoleSize,
        stdin: c.config.interactive,
        attachSocket: p.attachSocket,
        waitForAttach: Boolean(opts.beforeStart),
        exitFile: p.exitFile,
        exitCommand,
        monitorPidFile: p.monitorPid,
        healthcheck: healthMonitorConfig(rt, c.config),
        timeoutMs: timeoutMs(c.config), // --timeout
        ...fds.length ? {preserveFds: fds.length} : {},
        sdNotify: monitorNotify(c.config),
      },
    })
    if (opts.beforeStart) {
      await monitor.listening
      await opts.beforeStart(p.attachSocket)
    }
    let res: StartResult
    try {
      res = await monitor.started
    } catch (e) {
      // The monitor died before the container ran: its exit command will never come.
      await oci.delete(id, {force: true}).catch(() => {})
      await releaseBundle(rt, p)
      rt.containers.updateHeld(id, s => ({...s, status: 'exited', exitCode: 125, error: (e as Error).message, finishedAt: new Date().toISOString(), mountPoint: undefined}))
      throw new RuntimeFailure((e as Error).message)
    }
    failpoint('container.start.after-monitor')
    const now = new Date().toISOString()
    if (!res.running) {
      const failed = res
      rt.containers.updateHeld(id, s => ({...s, status: 'exited', exitCode: failed.exitCode, error: failed.message, finishedAt: now, monitorPid: monitor.pid}))
      throw startError(failed)
    }
    const pid = res.pid
    await releaseUserns(p) // USERS: the container's processes hold its user namespace now
    rt.containers.updateHeld(id, s => ({
      ...s, status: 'running', pid, monitorPid: monitor.pid, startedAt: now, finishedAt: undefined,
      exitCode: undefined, error: undefined, stoppedByUser: false, mountPoint: `${p.dir}/rootfs/merged`,
    }))
    afterStart(c.config, pid, monitor.pid) // --pidfile, --conmon-pidfile
    failpoint('container.start.after-record')
    healthOnStart(rt, c.config)
    // Podman: a start from created initializes first (init, then start).
    if (c.state.status !== 'initialized') containerEvent(rt.config, c.config, 'init')
    containerEvent(rt.config, c.config, 'start')
    return c.config
  })
}

/** Undoes prepareBundle: unmounts the rootfs and removes the runtime dir. */
export async function releaseBundle(rt: Runtime, p: ContainerPaths): Promise<void> {
  await teardownByRunDir(rt, p.run).catch(() => {}) // NETWORK
  await unmountRootfs(rt.store, p.dir).catch(() => {})
  await releaseUserns(p).catch(() => {}) // USERS
  rmSync(p.run, {recursive: true, force: true})
}

/**
 * `init`: mount the rootfs and write the OCI bundle without starting
 * anything; the container is then 'initialized' (Podman's Created state).
 */
export async function initContainer(rt: Runtime, id: string): Promise<ContainerConfig> {
  const p = containerPaths(rt, id)
  return rt.containers.locked(id, async () => {
    const c = rt.containers.read(id)
    if (!c) throw noContainerWithId(id)
    checkTransition('init', id, c.state.status)
    ociFor(rt, c.config) // fails early when the runtime is missing
    rmSync(p.exitFile, {force: true})
    try {
      await prepareBundle(rt, c, p)
    } catch (e) {
      await releaseBundle(rt, p)
      throw e
    }
    await releaseUserns(p) // USERS: start makes it again
    rt.containers.updateHeld(id, s => ({...s, status: 'initialized', mountPoint: `${p.dir}/rootfs/merged`, error: undefined}))
    containerEvent(rt.config, c.config, 'init')
    return c.config
  })
}

/** --log-opt max-size: 10mb, 1k, 512 … (bytes). */
export function parseSize(v: string | undefined): number {
  if (!v) return 0
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i.exec(v.trim())
  if (!m) throw new InvalidArgument(`invalid max-size "${v}"`)
  const mult = {'': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4}[m[2].toLowerCase() as ''] ?? 1
  return Math.floor(Number(m[1]) * mult)
}

export function exitFileExists(rt: Runtime, id: string): boolean {
  return existsSync(containerPaths(rt, id).exitFile)
}
