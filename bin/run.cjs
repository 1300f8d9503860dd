#!/usr/bin/env -S node --
// peapod's entry point as bin/peapod starts it: the command line (src/main.ts)
// from the build's one-file bundle, dist/peapod.cjs, compiled from its V8
// code cache when that matches (src/cli/code-cache.ts). CommonJS, so that no
// ES module loader starts unless a command needs one. Without the bundle (a
// tree built by tsc alone), bin/run.js runs the same code from dist/.
'use strict'
const {existsSync} = require('node:fs')
const path = require('node:path')

const bundle = path.join(__dirname, '../dist/peapod.cjs')
if (existsSync(bundle)) {
  const {requireWithCodeCache} = require('../dist/cli/code-cache.cjs')
  requireWithCodeCache(bundle).run(__filename)
} else {
  import('./run.js')
}
