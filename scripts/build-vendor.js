#!/usr/bin/env node
// Bundles @oclif/core (158 CommonJS files) into dist/vendor/oclif-core.cjs.
// Every command pays oclif's load time; one minified file loads in ~33 ms
// instead of ~48 ms here. typescript/ts-node are only used by oclif for
// development-mode TypeScript loading, never by the built CLI.
import {build} from 'esbuild'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
await build({
  entryPoints: [path.join(repo, 'scripts/vendor-oclif.cjs')],
  outfile: path.join(repo, 'dist/vendor/oclif-core.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: true,
  external: ['typescript', 'ts-node', 'tsx'],
  logLevel: 'warning',
})

// execa (~80 ESM files) into dist/vendor/execa.mjs for util/process.ts, which
// loads it on the first helper call: one file costs ~20 ms of CPU to import
// instead of ~85 ms, and `run` pays it on every start. ESM (execa is
// ESM-only); its CommonJS dependencies get a require of their own.
await build({
  entryPoints: [path.join(repo, 'node_modules/execa/index.js')],
  outfile: path.join(repo, 'dist/vendor/execa.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  banner: {js: "import {createRequire as __peapodRequire} from 'node:module'; const require = __peapodRequire(import.meta.url);"},
  logLevel: 'warning',
})

// smol-toml (10 ESM files) into dist/vendor/smol-toml.cjs for config/toml.ts:
// every engine command reads containers.conf, and one CommonJS file loads in
// ~2.4 ms of CPU instead of ~8 ms.
await build({
  entryPoints: [path.join(repo, 'node_modules/smol-toml/dist/index.js')],
  outfile: path.join(repo, 'dist/vendor/smol-toml.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: true,
  logLevel: 'warning',
})
