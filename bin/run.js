#!/usr/bin/env -S node --
// peapod's entry point. Before oclif loads (it costs ~35 ms), two things:
// 1. Podman accepts global flags before the command (`peapod --root X images`);
//    oclif does not, so they are lifted out here and passed on in the env.
// 2. Rootless: commands that mount, unpack layers or run the runtime re-exec
//    inside peapod's user namespace (see src/libpod/rootless/).
import {liftGlobalFlags} from '../dist/cli/argv.js'

const argv = liftGlobalFlags(process.argv.slice(2))

if (process.getuid() !== 0 && !process.env.PEAPOD_ROOTLESS_UID) {
  const {needsUserNamespace, reexecInUserNamespace} = await import('../dist/libpod/rootless/reexec.js')
  if (needsUserNamespace(argv)) {
    // The child runs the command; we only pass its exit code on.
    process.exitCode = await reexecInUserNamespace(argv)
  } else {
    await runCli(argv)
  }
} else {
  await runCli(argv)
}

async function runCli(args) {
  const {execute} = await import('../dist/cli/oclif.js')
  await execute({dir: import.meta.url, args})
}
