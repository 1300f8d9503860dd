// The base of every command: Podman's global flags, lazy runtime, and error
// handling (one line on stderr, Podman's exit codes: 125 for engine errors).
import path from 'node:path'
import {Command, Flags, Interfaces} from './oclif.js'
import {boolFlagValues, GLOBALS_ENV} from './argv.js'
import {LOG_LEVELS, logLevelError} from './launcher.js'
import {applyOutputGlobals, CONMON_NOTICE, engineGlobals, GLOBAL_EXTRA_FLAGS} from './global-flags.js'
import type {GlobalOptions, Runtime} from '../libpod/index.js'

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>

const G = 'GLOBAL'

export abstract class BaseCommand extends Command {
  /**
   * Rootless, the command runs inside peapod's user namespace (bin/run.js
   * re-execs it there, reading this from the manifest). Commands that only
   * read state documents say false: they spare a second Node start-up.
   */
  static userNamespace = true

  static override baseFlags = {
    root: Flags.string({helpGroup: G, description: 'Path to the root directory in which data, including images, is stored'}),
    runroot: Flags.string({helpGroup: G, description: 'Path to the "run directory" where all state information is stored'}),
    'storage-driver': Flags.string({helpGroup: G, description: 'Select which storage driver is used to manage storage of images and containers (overlay, vfs)'}),
    'storage-opt': Flags.string({helpGroup: G, multiple: true, multipleNonGreedy: true, description: 'Used to pass an option to the storage driver'}),
    runtime: Flags.string({helpGroup: G, description: 'Path to the OCI-compatible binary used to run containers'}),
    // Checked by us, not by oclif's `options`: Podman's message and exit code, any case.
    'log-level': Flags.string({helpGroup: G, helpValue: LOG_LEVELS.join('|'), description: 'Log messages above specified level'}),
    'cgroup-manager': Flags.string({helpGroup: G, options: ['cgroupfs', 'systemd'], description: 'Cgroup manager to use'}),
    ...GLOBAL_EXTRA_FLAGS,
  }

  override async init(): Promise<void> {
    const ctor = this.constructor as typeof BaseCommand
    this.argv = boolFlagValues(this.argv, {...ctor.baseFlags, ...ctor.flags} as never)
    await super.init()
    applyOutputGlobals(this.argv, {...ctor.baseFlags, ...ctor.flags} as never)
  }

  // Podman's exit codes for flag errors too (oclif would exit 2).
  protected override async catch(err: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<unknown> {
    // Loaded here, not at the top: `version` and `--help` never load the engine.
    const {ExitCode, PeapodError} = await import('../libpod/index.js')
    if (err instanceof ExitCode) {
      this.exit(err.exitCode)
    }
    if (err.oclif?.exit === 0) throw err // --help, --version, this.exit(0)
    if (err.message?.startsWith('EEXIT:')) throw err
    const code = err instanceof PeapodError ? err.exitCode : 125
    if (['debug', 'trace'].includes(this.globalOptions().logLevel?.toLowerCase() ?? '') && err.stack) process.stderr.write(err.stack + '\n')
    const msg = err.message.replace(/\s*See more help with --help\s*$/, '').trim()
    process.stderr.write(`Error: ${msg.split('\n')[0]}\n`)
    this.exit(code)
  }

  private runtimePromise?: Promise<Runtime>

  /** Global options: flags after the command, else those lifted from before it. */
  protected globalOptions(flags: Record<string, unknown> = {}): GlobalOptions {
    const lifted = JSON.parse(process.env[GLOBALS_ENV] || '{}') as Record<string, unknown>
    const pick = (k: string) => (flags[k] ?? lifted[k]) as never
    return {
      root: pick('root'),
      runroot: pick('runroot'),
      storageDriver: pick('storage-driver'),
      storageOpts: pick('storage-opt'),
      runtime: pick('runtime'),
      logLevel: pick('log-level') ?? (lifted.debug ? 'debug' : undefined),
      cgroupManager: pick('cgroup-manager'),
      ...engineGlobals(pick),
    }
  }

  /** Opens the engine (config + store) once per command. */
  protected async runtime(flags: Record<string, unknown>): Promise<Runtime> {
    const opts = this.globalOptions(flags)
    // A --log-level after a positional argument escapes bin/run.js's check.
    const bad = opts.logLevel === undefined ? undefined : logLevelError(opts.logLevel)
    if (bad) {
      process.stderr.write(bad + '\n')
      this.exit(1)
    }
    // The monitor's exit command and healthcheck timers run this same CLI
    // (bundled, from its code cache: bin/run.cjs).
    opts.peapodCommand = [process.execPath, path.join(this.config.root, 'bin/run.cjs')]
    this.runtimePromise ??= import('../libpod/index.js').then(m => m.Runtime.open(opts)).then(rt => {
      if (flags.conmon ?? JSON.parse(process.env[GLOBALS_ENV] || '{}').conmon) rt.logger.warn(CONMON_NOTICE)
      return rt
    })
    return this.runtimePromise
  }
}
