#!/usr/bin/env node
// Writes dist/exit-command.cjs.cache, the V8 code cache of the light exit
// command (src/exit-command.ts), from a process that ran it: as root, on a
// created container of a store in a temporary directory (made first by
// bin/run.js, so the cache holds only what the exit command compiles);
// otherwise on a container that is not there (no user namespace needed).
// scripts/build-bundle.js runs it with no Node flags (V8 rejects a cache
// made under other flags).
'use strict'
const {spawnSync} = require('node:child_process')
const {mkdtempSync, rmSync, writeFileSync} = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const repo = path.resolve(__dirname, '..')
const {requireWithCodeCache, writeCodeCache} = require(path.join(repo, 'dist/cli/code-cache.cjs'))
const bundle = path.join(repo, 'dist/exit-command.cjs')
const entry = path.join(repo, 'bin/exit-command.cjs')
const tmp = mkdtempSync(path.join(os.tmpdir(), 'peapod-warm-exit-'))
const store = ['--root', path.join(tmp, 'root'), '--runroot', path.join(tmp, 'runroot')]

async function main() {
  let ref = 'nosuch'
  if (process.getuid() === 0) {
    writeFileSync(path.join(tmp, 'empty.tar'), Buffer.alloc(1024))
    for (const args of [['import', path.join(tmp, 'empty.tar'), 'warm'], ['create', '--network=none', '--name', 'c1', 'warm', 'true']]) {
      const r = spawnSync(process.execPath, [path.join(repo, 'bin/run.js'), ...store, ...args], {stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8'})
      if (r.status !== 0) console.warn(`warming the exit command's code cache: peapod ${args.join(' ')}: ${r.stderr.trim()}`)
      else ref = 'c1'
    }
  } else {
    process.env.PEAPOD_ROOTLESS_UID = String(process.getuid()) // nothing it does needs the namespace
  }
  const {runExitCommand} = requireWithCodeCache(bundle)
  await runExitCommand(entry, [...store, ref])
  console.log(`wrote dist/exit-command.cjs.cache (${writeCodeCache(bundle)} bytes)`)
}

main().finally(() => rmSync(tmp, {recursive: true, force: true})).catch(e => {
  console.error(e)
  process.exitCode = 1
})
