#!/usr/bin/env node
// The monitor (dist/conmon/main.cjs, one long-lived process per container)
// as one file with its two modules (wire.cjs, uv.cjs) inlined, whitespace and
// comments dropped (names kept, for the stack traces in its log): V8 keeps
// every module's source and wrapper for the process's life, and this saves
// each monitor ~0.1 MiB of private memory (bench/monitor-memory.sh).
// wire.cjs and uv.cjs stay in dist/conmon for the engine side and the tests.
import {build} from 'esbuild'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const entry = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/conmon/main.cjs')
await build({
  entryPoints: [entry],
  outfile: entry,
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
  banner: {js: '// peapod\'s container monitor, built from src/conmon/main.cts by scripts/build-monitor.js'},
})
