#!/usr/bin/env -S node --
// The exit command a container's monitor runs when the container exits
// (src/exit-command.ts): the engine's cleanup of that container without the
// CLI, from the build's small bundle dist/exit-command.cjs and its V8 code
// cache, as bin/run.cjs loads the CLI's (src/cli/code-cache.ts). Without
// that bundle (a tree built by tsc alone), the same code from dist/.
'use strict'
const {existsSync} = require('node:fs')
const path = require('node:path')

const bundle = path.join(__dirname, '../dist/exit-command.cjs')
if (existsSync(bundle)) {
  const {requireWithCodeCache} = require('../dist/cli/code-cache.cjs')
  requireWithCodeCache(bundle).run(__filename)
} else {
  import('../dist/exit-command.js').then(m => m.run(__filename))
}
