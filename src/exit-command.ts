// The light exit command: what a container's monitor runs when the
// container exits (libpod/container/exit-command.ts writes its argv):
//   node bin/exit-command.cjs [engine global flags] --storage-driver D ID
// It does what `peapod [flags] container cleanup ID` does (record the exit,
// release the runtime's state, network and mounts, --rm removal, restart
// policies, the pod's follow-ups, events) by calling the engine directly:
// no command index, no oclif, no flag tables. Its own small bundle with its
// own code cache (scripts/build-bundle.js), loaded by bin/exit-command.cjs.
// An argv it does not know (another version's) goes to the full CLI.
import {spawn} from 'node:child_process'
import path from 'node:path'
import {parseEngineGlobalArgs} from './libpod/config/global-args.js'
import {PeapodError} from './libpod/define/errors.js'

/** peapod's CLI entry next to ENTRY (bin/run.cjs beside bin/exit-command.cjs). */
function cliEntry(entry: string): string {
  return path.join(path.dirname(entry), 'run.cjs')
}

/** Runs `container cleanup` of the full CLI with the same flags; resolves with its exit code. */
function fullCli(entry: string, argv: string[]): Promise<number> {
  const globals = argv.slice(0, -1)
  const child = spawn(process.execPath, [cliEntry(entry), ...globals, 'container', 'cleanup', ...argv.slice(-1)], {stdio: 'inherit'})
  return new Promise(resolve => {
    child.on('error', () => resolve(125))
    child.on('exit', code => resolve(code ?? 125))
  })
}

/**
 * The exit command with ARGV (process.argv without node and the script).
 * ENTRY is the script Node was started on, for a re-exec in the rootless
 * namespace and for the CLI (bin/run.cjs) the engine runs from here (a
 * restarted container's own exit command and healthchecks).
 */
export async function runExitCommand(entry: string, argv: string[]): Promise<number> {
  const parsed = parseEngineGlobalArgs(argv)
  if (!parsed || parsed.rest.length !== 1) return fullCli(entry, argv)
  // Rootless outside the namespace (a monitor always runs inside it; kept for a hand-run one).
  if (process.getuid!() !== 0 && !process.env.PEAPOD_ROOTLESS_UID) {
    const {reexecInUserNamespace} = await import('./libpod/rootless/reexec.js')
    return reexecInUserNamespace(entry, argv)
  }
  const [ref] = parsed.rest
  const {Runtime} = await import('./libpod/runtime.js')
  const rt = await Runtime.open({...parsed.opts, peapodCommand: [process.execPath, cliEntry(entry)]})
  // As the CLI's form: quiet, and a container already gone is no error.
  const c = rt.containers.find(ref)
  if (c) await rt.container(c.config.id).cleanup()
  return 0
}

/** bin/exit-command.cjs's main: exit code 125 and Podman's one line on an error, as the CLI. */
export async function run(entry: string): Promise<void> {
  try {
    process.exitCode = await runExitCommand(entry, process.argv.slice(2))
  } catch (e) {
    process.stderr.write(`Error: ${((e as Error).message ?? String(e)).split('\n')[0]}\n`)
    process.exitCode = e instanceof PeapodError ? e.exitCode : 125
  }
}
