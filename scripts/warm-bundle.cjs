#!/usr/bin/env node
// Writes a V8 code cache of dist/peapod.cjs (OUT) from a process that
// compiled the bundle afresh (no cache read, so the cache holds exactly what
// these runs compiled) and ran the given commands on the store in TMPDIR
// (scripts/build-code-cache.js fills it first when it can: an image, two
// containers, a pod, a volume). scripts/build-code-cache.js runs it with its
// output ignored, with no Node flags: V8 rejects a cache made under other
// flags. Every function in a cache is deserialized by every command that
// loads it, hence one cache per everyday command besides the general one.
// Usage: node scripts/warm-bundle.cjs TMPDIR OUT RUNS_JSON [COLD_OUT]
//   RUNS_JSON: [[word, ...], ...], each a command line after the global flags
//   COLD_OUT: also the cache of dist/peapod-cold.cjs (when the runs loaded it)
//   OUT `census:FILE`: no cache; the names of the chunks the runs loaded,
//   one per line, to FILE (the build's split of the bundle, bundle-files.js)
'use strict'
const path = require('node:path')

const repo = path.resolve(__dirname, '..')
const {requireWithCodeCache, writeCodeCache, loadedScript} = require(path.join(repo, 'dist/cli/code-cache.cjs'))
const bundle = path.join(repo, 'dist/peapod.cjs')
const cold = path.join(repo, 'dist/peapod-cold.cjs')
const entry = path.join(repo, 'bin/run.cjs')
const [tmp, out, runsJson, coldOut] = process.argv.slice(2)
const store = ['--root', path.join(tmp, 'root'), '--runroot', path.join(tmp, 'runroot')]
const runs = JSON.parse(runsJson)

// A command may end the process itself: the cache is written on the way out.
process.on('exit', () => {
  process.exitCode = 0
  if (out.startsWith('census:')) {
    const loaded = [...globalThis[Symbol.for('peapod.chunkModules')].keys()]
    require('node:fs').writeFileSync(out.slice('census:'.length), loaded.join('\n') + '\n')
    process.stderr.write(`wrote ${out}\n`)
    return
  }
  process.stderr.write(`wrote ${path.relative(repo, out)} (${writeCodeCache(bundle, out)} bytes)\n`)
  if (coldOut && loadedScript(cold)) process.stderr.write(`wrote ${path.relative(repo, coldOut)} (${writeCodeCache(cold, coldOut)} bytes)\n`)
})
// A listener for beforeExit keeps each command from ending the process when
// it is done and idle (src/cli/direct.ts exitIfIdle): the next run follows.
process.on('beforeExit', () => {})
const b = requireWithCodeCache(bundle, false)
;(async () => {
  for (const argv of runs) {
    process.argv = [process.argv[0], entry, ...(argv[0] === 'version' ? argv : [...store, ...argv])]
    try {
      await b.run(entry)
    } catch {}
  }
})()
