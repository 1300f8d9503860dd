#!/usr/bin/env -S node --
// peapod's entry point as bin/peapod starts it: the command line (src/main.ts)
// from the build's one-file bundle, dist/peapod.cjs, compiled from a V8 code
// cache when that matches (src/cli/code-cache.ts): the one the build made for
// this command when it is an everyday one (dist/code-cache/), else the
// general one. CommonJS, so that no ES module loader starts unless a command
// needs one. Without the bundle (a tree built by tsc alone), bin/run.js runs
// the same code from dist/.
'use strict'
const {existsSync, readFileSync} = require('node:fs')
const path = require('node:path')

/**
 * The code cache the build made for ARGV's command (its first two words
 * after the global flags, as dist/code-cache/commands.json lists them), or
 * undefined: the general one. Any cache of the bundle serves any command
 * (what it lacks compiles as without one), so a near miss only costs time.
 */
function commandCache(argv) {
  const dir = path.join(__dirname, '../dist/code-cache')
  let table
  try {
    table = JSON.parse(readFileSync(path.join(dir, 'commands.json'), 'utf8'))
  } catch {
    return undefined
  }
  let i = 0
  while (i < argv.length && argv[i].startsWith('--') && argv[i] !== '--') {
    i += !argv[i].includes('=') && table.valueFlags.includes(argv[i].slice(2)) ? 2 : 1
  }
  const name = table.words[argv.slice(i, i + 2).join(' ')] ?? table.words[argv[i]]
  const file = name && path.join(dir, name + '.cache')
  return file && existsSync(file) ? file : undefined
}

const bundle = path.join(__dirname, '../dist/peapod.cjs')
if (existsSync(bundle)) {
  const {requireWithCodeCache} = require('../dist/cli/code-cache.cjs')
  requireWithCodeCache(bundle, commandCache(process.argv.slice(2))).run(__filename)
} else {
  import('./run.js')
}
