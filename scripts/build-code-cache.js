#!/usr/bin/env node
// Writes dist/vendor/oclif-core.cjs.cache and oclif-light.cjs.cache, the V8
// code caches that src/cli/code-cache.ts loads the oclif bundles from (~25 ms less CPU per
// command). Run after the manifest exists: the cache holds the functions a
// representative run compiled (oclif's config load, a command's flag parse
// and help), so a command compiles almost nothing of oclif. The cache is
// stamped with the bundle's size and mtime and ignored when they differ.
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const {writeCodeCache} = await import(pathToFileURL(path.join(repo, 'dist/cli/code-cache.js')).href)
const {OCLIF_BUNDLE, OCLIF_LIGHT, Command} = await import(pathToFileURL(path.join(repo, 'dist/cli/oclif.js')).href)
const {fullOclif} = await import(pathToFileURL(path.join(repo, 'dist/cli/oclif-bundles.js')).href)
const core = fullOclif()

// What a command does in oclif: load the config, parse flags, and render help.
const config = await core.Config.load(path.join(repo, 'bin/run.js'))
const ps = await config.findCommand('container:list').load()
class Warm extends Command {
  static flags = ps.flags
  static baseFlags = ps.baseFlags
  static args = ps.args
  async run() { return this.parse(Warm) }
}
await new Warm(['-a', '--format', '{{.ID}}', '--filter', 'status=running'], config).parse(Warm)
const Help = core.loadHelpClass ? await core.loadHelpClass(config) : core.Help
const help = new Help(config, {})
help.formatCommand(ps)
help.formatRoot()
// Both halves (src/cli/oclif-bundles.ts): the light one holds the parser.
for (const file of [OCLIF_BUNDLE, OCLIF_LIGHT]) {
  const bytes = writeCodeCache(file)
  console.log(`wrote ${path.relative(repo, file)}.cache (${bytes} bytes)`)
}

// dist/peapod.cjs.cache, from a child with no Node flags of ours (V8 rejects
// a cache made under other flags) that runs the everyday read-only commands
// on a store in TMP, output ignored (scripts/warm-bundle.cjs). As root the
// store gets something to list first (by bin/run.js, the unbundled modules,
// so that the bundle's cache holds only what the listings compile); a
// rootless build lists an empty store.
const {spawnSync} = await import('node:child_process')
const {mkdtempSync, rmSync} = await import('node:fs')
const tmp = mkdtempSync(path.join((await import('node:os')).tmpdir(), 'peapod-warm-'))
try {
  const env = {...process.env}
  for (const k of ['NODE_OPTIONS', 'NODE_EXTRA_CA_CERTS', 'PEAPOD_EXTRA_CA_CERTS']) delete env[k]
  for (const k of Object.keys(env)) if (k.startsWith('PEAPOD_') || k.startsWith('CONTAINERS_')) delete env[k]
  if (process.getuid() === 0) {
    const {writeFileSync} = await import('node:fs')
    writeFileSync(path.join(tmp, 'empty.tar'), Buffer.alloc(1024))
    const store = ['--root', path.join(tmp, 'root'), '--runroot', path.join(tmp, 'runroot')]
    for (const args of [['import', path.join(tmp, 'empty.tar'), 'warm'], ['create', '--name', 'c1', '-p', '18091:80', 'warm', 'true'],
      ['create', '--name', 'c2', 'warm', 'true'], ['pod', 'create', '--name', 'p1', '--infra=false'], ['volume', 'create', 'v1']]) {
      const r = spawnSync(process.execPath, [path.join(repo, 'bin/run.js'), ...store, ...args], {env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8'})
      if (r.status !== 0) console.warn(`warming the code cache: peapod ${args.join(' ')}: ${r.stderr.trim()}`)
    }
  }
  const r = spawnSync(process.execPath, [path.join(repo, 'scripts/warm-bundle.cjs'), tmp], {env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8'})
  const line = r.stderr.split('\n').find(l => l.startsWith('wrote '))
  if (!line) throw new Error(`scripts/warm-bundle.cjs: no cache written\n${r.stderr}`)
  console.log(line)
} finally {
  rmSync(tmp, {recursive: true, force: true})
}
