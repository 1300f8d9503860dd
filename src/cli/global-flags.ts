// Podman's global flags beyond the store's (base-command.ts has those):
// where the engine keeps its tmp state and volumes, the events backend,
// OCI runtime flags, hooks, --noout, and the remote-client flags that a
// daemonless peapod refuses.
import {Flags} from './oclif.js'
import {GLOBALS_ENV, valueFlagNames} from './argv.js'
import {silenceStdout} from './stdout.js'
import type {GlobalOptions} from '../libpod/index.js'

const G = 'GLOBAL'

export const GLOBAL_EXTRA_FLAGS = {
  tmpdir: Flags.string({helpGroup: G, description: 'Path to the tmp directory for libpod state content (the events log is kept there)'}),
  'events-backend': Flags.string({helpGroup: G, options: ['file', 'journald', 'none'], description: 'Events backend to use ("file"|"journald"|"none"); journald is written to the file, as where there is no journal'}),
  volumepath: Flags.string({helpGroup: G, description: 'Path to the volume directory in which volume data is stored'}),
  'runtime-flag': Flags.string({helpGroup: G, multiple: true, multipleNonGreedy: true, description: 'add global flags for the container runtime (each given as --FLAG to it)'}),
  'network-config-dir': Flags.string({helpGroup: G, description: 'Path of the configuration directory for networks'}),
  conmon: Flags.string({helpGroup: G, description: 'Path of the conmon binary (ignored with a warning: peapod runs every container under its own monitor)'}),
  'hooks-dir': Flags.string({helpGroup: G, multiple: true, multipleNonGreedy: true, description: 'Set the OCI hooks directory path (may be set multiple times)'}),
  'network-cmd-path': Flags.string({helpGroup: G, description: 'Path to the command for configuring the network (slirp4netns, rootless)'}),
  noout: Flags.boolean({helpGroup: G, description: 'do not output to stdout'}),
  url: Flags.string({helpGroup: G, description: 'URL to access Podman service (remote only: refused, peapod has no remote client)'}),
  connection: Flags.string({helpGroup: G, description: 'Connection to use for remote Podman service (remote only: refused)'}),
  remote: Flags.boolean({helpGroup: G, description: 'Access remote Podman service (remote only: refused)'}),
  identity: Flags.string({helpGroup: G, description: 'path to SSH identity file (remote only: refused)'}),
}

export const CONMON_NOTICE = '--conmon is ignored: peapod runs each container under its own monitor (src/conmon), not conmon'

/** Podman built without the remote client says the same of these flags. */
export const REMOTE_FLAGS = ['url', 'connection', 'remote', 'identity']

export function remoteRefusal(flag: string): string {
  return `--${flag} is not supported: peapod is daemonless and has no remote client (no Podman service to connect to)`
}

type Pick = (k: string) => never

/** The engine's part of the global flags (GlobalOptions). */
export function engineGlobals(pick: Pick): Partial<GlobalOptions> {
  return {
    tmpdir: pick('tmpdir'),
    eventsBackend: pick('events-backend'),
    volumePath: pick('volumepath'),
    runtimeFlags: pick('runtime-flag'),
    networkConfigDir: pick('network-config-dir'),
    hooksDirs: pick('hooks-dir'),
    networkCmdPath: pick('network-cmd-path'),
  }
}

/**
 * What acts before the command runs: the remote-client flags are refused
 * (an error, exit 125) and --noout silences stdout. Looks at the flags lifted
 * from before the command and at those after it, up to its first argument.
 */
export function applyOutputGlobals(argv: string[], flags: Record<string, {type: string; char?: string}> = {}): void {
  const lifted = JSON.parse(process.env[GLOBALS_ENV] || '{}') as Record<string, unknown>
  const given = new Set(Object.keys(lifted))
  const values = valueFlagNames(flags)
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--' || !a.startsWith('-') || a === '-') break
    given.add(a.replace(/^--?/, '').replace(/=.*$/, ''))
    if (!a.includes('=') && values.has(a)) i++
  }
  for (const f of REMOTE_FLAGS) if (given.has(f)) throw new Error(remoteRefusal(f))
  if (given.has('noout')) silenceStdout()
}
