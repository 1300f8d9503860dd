#!/usr/bin/env -S node --
// peapod's entry point. Before oclif loads (it costs ~35 ms), three things:
// 1. Podman accepts global flags before the command (`peapod --root X images`);
//    oclif does not, so they are lifted out here and passed on in the env.
// 2. A bad --log-level fails as in Podman, before any work.
// 3. Rootless: a command whose class says `static userNamespace = true` (the
//    default; read-only ones say false) re-execs inside peapod's user
//    namespace. The command is found in the manifest's index, not by oclif.
//    bin/peapod, the installed launcher, already starts Node inside it when
//    the pause process is alive; this is for its first start, or for
//    `node bin/run.js` run directly.
import {fileURLToPath} from 'node:url'
import {liftGlobalFlags} from '../dist/cli/argv.js'
import {loadCommandIndex, logLevelError, logLevelOf, needsUserNamespace, resolveCommand} from '../dist/cli/launcher.js'

// bin/peapod moved a NODE_EXTRA_CA_CERTS aside (Node's start-up would pay
// for it): TLS connections add those certificates themselves.
if (process.env.PEAPOD_EXTRA_CA_CERTS) {
  const {deferExtraCaCerts} = await import('../dist/libpod/util/extra-ca.js')
  deferExtraCaCerts(process.env.PEAPOD_EXTRA_CA_CERTS)
}

const argv = liftGlobalFlags(process.argv.slice(2))
const rootless = process.getuid() !== 0 && !process.env.PEAPOD_ROOTLESS_UID
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
} else if (rootless && needsUserNamespace(argv, index)) {
  const [{reexecInUserNamespace}, {log}] = await Promise.all([
    import('../dist/libpod/rootless/reexec.js'), import('../dist/libpod/util/log.js')])
  log.setLevel(level)
  try {
    // The child runs the command; we only pass its exit code on.
    process.exitCode = await reexecInUserNamespace(fileURLToPath(import.meta.url), argv)
  } catch (e) {
    process.stderr.write(`Error: ${e.message}\n`)
    process.exitCode = 125
  }
} else {
  if (joined && level && ['debug', 'trace'].includes(level.toLowerCase())) {
    const {log} = await import('../dist/libpod/util/log.js')
    log.setLevel(level)
    log.debug(`Joining the rootless user namespace of pause process ${joined}`)
  }
  // A command the index names runs directly (dist/cli/direct.js: oclif's
  // Config.load skipped); help, --version and unknown words go to oclif.
  // PEAPOD_OCLIF_DISPATCH=1 sends everything to oclif (to compare the two).
  const root = fileURLToPath(new URL('..', import.meta.url))
  const {canRunDirectly, readPackageJson, runDirectly} = await import('../dist/cli/direct.js')
  const pjson = readPackageJson(root)
  const found = !process.env.PEAPOD_OCLIF_DISPATCH && canRunDirectly(argv, pjson) ? resolveCommand(argv, index.version ? index : loadCommandIndex()) : undefined
  if (found?.entry.path) {
    await runDirectly(root, pjson, found.entry, argv.slice(found.words))
  } else {
    const {execute} = await import('../dist/cli/oclif.js')
    await execute({dir: import.meta.url, args: argv})
  }
}
