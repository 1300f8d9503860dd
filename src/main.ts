// peapod's command line, as bin/run.js (ESM, unbundled) and bin/run.cjs (the
// build's one-file bundle, dist/peapod.cjs, from its V8 code cache) run it.
// Before oclif loads (it costs ~35 ms), three things:
// 1. Podman accepts global flags before the command (`peapod --root X images`);
//    oclif does not, so they are lifted out here and passed on in the env.
// 2. A bad --log-level fails as in Podman, before any work.
// 3. Rootless: a command whose class says `static userNamespace = true` (the
//    default; read-only ones say false) re-execs inside peapod's user
//    namespace. The command is found in the manifest's index, not by oclif.
//    bin/peapod, the installed launcher, already starts Node inside it when
//    the pause process is alive; this is for its first start, or for
//    `node bin/run.js` run directly.
import {dirname, join, sep} from 'node:path'
import {pathToFileURL} from 'node:url'
import {liftGlobalFlags} from './cli/argv.js'
import {loadCommandIndex, logLevelError, logLevelOf, needsUserNamespace, resolveCommand} from './cli/launcher.js'

/** A command module's loader: PATH is the index's (`dist/commands/...js`). */
export type CommandLoader = (modulePath: string) => Promise<unknown>

/**
 * Runs peapod with process.argv. ENTRY is the script Node was started on
 * (the re-exec starts it again); LOAD_COMMAND loads a command module (the
 * bundle's own table; by default an import() of the file under the root).
 */
export async function main(entry: string, loadCommand?: CommandLoader): Promise<void> {
  // bin/peapod moved a NODE_EXTRA_CA_CERTS aside (Node's start-up would pay
  // for it): TLS connections add those certificates themselves.
  if (process.env.PEAPOD_EXTRA_CA_CERTS) {
    const {deferExtraCaCerts} = await import('./libpod/util/extra-ca.js')
    deferExtraCaCerts(process.env.PEAPOD_EXTRA_CA_CERTS)
  }

  const argv = liftGlobalFlags(process.argv.slice(2))
  const rootless = process.getuid!() !== 0 && !process.env.PEAPOD_ROOTLESS_UID
  // Root needs the index only to place a --log-level given after the command.
  const index = rootless || argv.some(a => a.startsWith('--log-level')) ? loadCommandIndex() : {}
  const level = argv.includes('--help') ? undefined : logLevelOf(argv, index)
  const bad = level === undefined ? undefined : logLevelError(level)

  // bin/peapod started us inside the namespace: say so as the re-exec does.
  const joined = process.env.PEAPOD_LAUNCHER_JOINED
  delete process.env.PEAPOD_LAUNCHER_JOINED

  if (bad) {
    process.stderr.write(bad + '\n')
    process.exitCode = 1
    return
  }
  if (rootless && needsUserNamespace(argv, index)) {
    const [{reexecInUserNamespace}, {log}] = await Promise.all([
      import('./libpod/rootless/reexec.js'), import('./libpod/util/log.js')])
    log.setLevel(level)
    try {
      // The child runs the command; we only pass its exit code on.
      process.exitCode = await reexecInUserNamespace(entry, argv)
    } catch (e) {
      process.stderr.write(`Error: ${(e as Error).message}\n`)
      process.exitCode = 125
    }
    return
  }
  if (joined && level && ['debug', 'trace'].includes(level.toLowerCase())) {
    const {log} = await import('./libpod/util/log.js')
    log.setLevel(level)
    log.debug(`Joining the rootless user namespace of pause process ${joined}`)
  }
  // A command the index names runs directly (cli/direct.ts: oclif's
  // Config.load skipped); help, --version and unknown words go to oclif.
  // PEAPOD_OCLIF_DISPATCH=1 sends everything to oclif (to compare the two).
  // (the package root, ending in a separator as fileURLToPath(new URL('..', entry URL)) would)
  const root = join(dirname(entry), '..', sep)
  const {canRunDirectly, readPackageJson, runDirectly} = await import('./cli/direct.js')
  const pjson = readPackageJson(root)
  const found = !process.env.PEAPOD_OCLIF_DISPATCH && canRunDirectly(argv, pjson) ? resolveCommand(argv, index.version ? index : loadCommandIndex()) : undefined
  if (found?.entry.path) {
    await runDirectly(root, pjson, found.entry as typeof found.entry & {path: string}, argv.slice(found.words), loadCommand)
  } else {
    const {execute} = await import('./cli/oclif.js')
    await execute({dir: pathToFileURL(entry).href, args: argv})
  }
}
