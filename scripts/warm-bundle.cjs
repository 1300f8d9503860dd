#!/usr/bin/env node
// Writes dist/peapod.cjs.cache, the bundle's V8 code cache, from a process
// that ran the everyday read-only commands on the store in TMPDIR (so the
// functions they compile are in it; scripts/build-code-cache.js fills the
// store first when it can: an image, two containers, a pod, a volume). scripts/build-code-cache.js runs it
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
// The commands bench/startup.sh times, and no more: every function in the
// cache is deserialized by every command.
const runs = [['version'], ['ps', '-a'], ['ps'], ['images'], ['inspect', 'c1'], ['pod', 'ps'], ['volume', 'ls'],
  ['port', 'c1'], ['inspect', 'nosuch'],
  // top enters the user namespace: rootless, that would start a pause process.
  ...process.getuid() === 0 ? [['top', 'c1']] : []]

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
