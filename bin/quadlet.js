#!/usr/bin/env -S node --
// peapod-quadlet: the Quadlet systemd generator, argument-compatible with
// Podman's quadlet. Installed (linked) as peapod-system-generator and
// peapod-user-generator in systemd's generator directories; the name
// containing "user" selects the user mode. PODMAN names the engine written
// into Exec* lines; by default peapod's own launcher beside this file
// (bin/peapod: rootless, it starts Node once, inside the user namespace).
// Units need no PEAPOD_NODE: systemd started this generator through
// `env node` on the PATH its units get, so they find this same node.
import {realpathSync} from 'node:fs'
import {createRequire} from 'node:module'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {runGenerator, parseGeneratorArgs, GENERATOR_USAGE} from '../dist/libpod/quadlet/generator.js'

const argv0 = process.argv[1] ?? 'peapod-quadlet'
const parsed = parseGeneratorArgs(argv0, process.argv.slice(2))
if ('error' in parsed) {
  process.stderr.write(`${parsed.error}\n${GENERATOR_USAGE}`)
  process.exitCode = 2
} else if (parsed.version) {
  process.stdout.write(`${createRequire(import.meta.url)('../package.json').version}\n`)
} else {
  const engine = path.join(path.dirname(realpathSync(fileURLToPath(import.meta.url))), 'peapod')
  process.exitCode = runGenerator({...parsed.opts, argv0, engine})
}
