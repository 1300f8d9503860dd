// The engine's configuration: paths, storage driver and OCI runtime, from
// containers.conf / storage.conf and the global flags (flags win).
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {defaultPaths, type Paths} from './paths.js'
import {get, loadLayered, type Table} from './toml.js'

export interface GlobalOptions {
  root?: string
  runroot?: string
  storageDriver?: string
  storageOpts?: string[]
  runtime?: string
  logLevel?: string
  cgroupManager?: string
  /** --tmpdir: Podman's tmp_dir (where the events log lives). */
  tmpdir?: string
  /** --events-backend: file, journald (written as file) or none. */
  eventsBackend?: string
  /** --volumepath: where named volumes live (default <root>/volumes). */
  volumePath?: string
  /** --runtime-flag: global flags for the OCI runtime (without the leading --). */
  runtimeFlags?: string[]
  /** --network-config-dir: where network definitions are kept. */
  networkConfigDir?: string
  /** --hooks-dir: OCI hook directories. */
  hooksDirs?: string[]
  /** --network-cmd-path: the slirp4netns binary to use. */
  networkCmdPath?: string
  /**
   * How to run peapod itself: the monitor's exit command (`... container
   * cleanup ID`) and healthcheck timers run it. The CLI passes its own entry
   * point; library users get defaultPeapodCommand().
   */
  peapodCommand?: string[]
}

export interface Config extends Paths {
  storageDriver: string
  /** The driver was asked for (flag or storage.conf), not defaulted. */
  storageDriverExplicit: boolean
  storageOptions: string[]
  /** OCI runtime name or path; '' = pick the first one that works. */
  runtime: string
  /** The runtime was named by --runtime. */
  runtimeExplicit: boolean
  runtimePaths: Record<string, string[]>
  logLevel: string
  cgroupManager: string
  /** Podman's tmp_dir when given (--tmpdir); see events/log.ts for the default. */
  tmpDir?: string
  eventsBackend?: string
  /** Named volumes' directory. */
  volumePath: string
  runtimeFlags: string[]
  networkConfigDir?: string
  hooksDirs?: string[]
  networkCmdPath?: string
  /** argv prefix that runs peapod (see GlobalOptions.peapodCommand). */
  peapodCommand: string[]
  containers: Table
  engine: Table
  /** containers.conf's [network] (from the same one parse of the file as containers/engine; absent in hand-made configs). */
  network?: Table
}

const DRIVERS = new Set(['overlay', 'vfs'])

/** This package's bin/run.cjs (the bundled CLI; bin/run.js without a bundle) under the running Node: the default peapodCommand. */
export function defaultPeapodCommand(): string[] {
  return [process.execPath, fileURLToPath(new URL('../../../bin/run.cjs', import.meta.url))]
}

export function loadConfig(opts: GlobalOptions = {}): Config {
  const paths = defaultPaths()
  // containers.conf is ~30 KB of TOML: parsed only when something asks for it.
  let containersConf: Table | undefined
  const conf = () => (containersConf ??= loadLayered('containers.conf', paths.configDirs, 'CONTAINERS_CONF'))
  const engine = () => (get<Table>(conf(), 'engine') ?? {}) as Table
  // storage.conf: we take the driver and its options, never graphroot/runroot,
  // since peapod's store layout is not containers/storage's.
  const storageConf = loadLayered('storage.conf', paths.configDirs, 'CONTAINERS_STORAGE_CONF')
  const confDriver = get<string>(storageConf, 'storage.driver') || process.env.STORAGE_DRIVER
  const storageDriver = opts.storageDriver || (confDriver && DRIVERS.has(confDriver) ? confDriver : 'overlay')
  const overlayOpts = get<Table>(storageConf, 'storage.options.overlay') ?? {}
  const storageOptions = [
    ...(typeof overlayOpts.mount_program === 'string' ? [`overlay.mount_program=${overlayOpts.mount_program}`] : []),
    ...(opts.storageOpts ?? []),
  ]
  const config = {
    ...paths,
    graphRoot: opts.root || paths.graphRoot,
    runRoot: opts.runroot || paths.runRoot,
    storageDriver,
    storageDriverExplicit: Boolean(opts.storageDriver || process.env.STORAGE_DRIVER),
    storageOptions,
    runtimeExplicit: Boolean(opts.runtime),
    logLevel: opts.logLevel || 'warn',
    cgroupManager: opts.cgroupManager || 'cgroupfs',
    tmpDir: opts.tmpdir || undefined,
    eventsBackend: opts.eventsBackend || undefined,
    volumePath: opts.volumePath || path.join(opts.root || paths.graphRoot, 'volumes'),
    runtimeFlags: opts.runtimeFlags ?? [],
    networkConfigDir: opts.networkConfigDir || undefined,
    hooksDirs: opts.hooksDirs?.length ? opts.hooksDirs : undefined,
    networkCmdPath: opts.networkCmdPath || undefined,
    peapodCommand: opts.peapodCommand ?? defaultPeapodCommand(),
  }
  return Object.defineProperties(config, {
    runtime: {get: () => opts.runtime || (get<string>(engine(), 'runtime') ?? ''), enumerable: true},
    runtimePaths: {get: () => get<Record<string, string[]>>(engine(), 'runtimes') ?? {}, enumerable: true},
    containers: {get: () => (get<Table>(conf(), 'containers') ?? {}) as Table, enumerable: true},
    engine: {get: engine, enumerable: true},
    network: {get: () => (get<Table>(conf(), 'network') ?? {}) as Table, enumerable: true},
  }) as Config
}
