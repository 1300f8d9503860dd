#!/usr/bin/env node
// Writes dist/peapod.cjs.cache, the bundle's V8 code cache, from a process
// that ran the everyday read-only commands on an empty store in TMPDIR (so
// the functions they compile are in it). scripts/build-code-cache.js runs it
// with its output ignored, with no Node flags: V8 rejects a cache made under
// other flags. Usage: node scripts/warm-bundle.cjs TMPDIR
'use strict'
const path = require('node:path')

const repo = path.resolve(__dirname, '..')
const {requireWithCodeCache, writeCodeCache} = require(path.join(repo, 'dist/cli/code-cache.cjs'))
const bundle = path.join(repo, 'dist/peapod.cjs')
const entry = path.join(repo, 'bin/run.cjs')
const tmp = process.argv[2]
const store = ['--root', path.join(tmp, 'root'), '--runroot', path.join(tmp, 'runroot')]
const runs = [['version'], ['ps', '-a'], ['images'], ['pod', 'ps'], ['volume', 'ls'], ['inspect', 'nosuch'],
  ['port', '--all'], ['top', 'nosuch'], ['ps', '--format', 'json'], ['images', '--format', '{{.ID}}']]

// A command may end the process itself: the cache is written on the way out.
process.on('exit', () => {
  process.exitCode = 0
  process.stderr.write(`wrote dist/peapod.cjs.cache (${writeCodeCache(bundle)} bytes)\n`)
})
const b = requireWithCodeCache(bundle)
;(async () => {
  for (const argv of runs) {
    process.argv = [process.argv[0], entry, ...(argv[0] === 'version' ? argv : [...store, ...argv])]
    try {
      await b.run(entry)
    } catch {}
  }
})()
