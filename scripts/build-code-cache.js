#!/usr/bin/env node
// Writes dist/vendor/oclif-core.cjs.cache and oclif-light.cjs.cache, the V8
// code caches that src/cli/code-cache.ts loads the oclif bundles from (~25 ms less CPU per
// command). Run after the manifest exists: the cache holds the functions a
// representative run compiled (oclif's config load, a command's flag parse
// and help), so a command compiles almost nothing of oclif. The cache is
// stamped with the bundle's size and mtime and ignored when they differ.
import path from 'node:path'
import {readFileSync} from 'node:fs'
import {writeBundleFiles} from './bundle-files.js'
import {fileURLToPath, pathToFileURL} from 'node:url'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const {writeCodeCache} = await import(pathToFileURL(path.join(repo, 'dist/cli/code-cache.js')).href)
const {OCLIF_BUNDLE, OCLIF_LIGHT, Command} = await import(pathToFileURL(path.join(repo, 'dist/cli/oclif.js')).href)
const {fullOclif} = await import(pathToFileURL(path.join(repo, 'dist/cli/oclif-bundles.js')).href)
const {GLOBAL_VALUE_FLAGS} = await import(pathToFileURL(path.join(repo, 'dist/cli/argv.js')).href)
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

// dist/peapod.cjs.cache and one cache per everyday command
// (dist/code-cache/NAME.cache, chosen by bin/run.cjs through
// dist/code-cache/commands.json), each from a child with no Node flags of
// ours (V8 rejects a cache made under other flags) that runs commands on a
// store in TMP, output ignored (scripts/warm-bundle.cjs). As root the store
// gets something to list first (by bin/run.js, the unbundled modules, so
// that a cache holds only what the listings compile); a rootless build
// lists an empty store. Every function in a cache is deserialized by every
// command that loads it (~30 ms of CPU per MB here): the general cache holds
// what all the everyday commands run, a command's own only what it runs
// (version: ~110 KB instead of the general ~700 KB, with ~300 KB for the cold chunks).
const {spawnSync} = await import('node:child_process')
const {existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} = await import('node:fs')
const root = process.getuid() === 0
// NAME: the command ids it serves and what the warming runs.
const COMMANDS = {
  version: {ids: ['version'], runs: [['version']]},
  ps: {ids: ['container:list'], runs: [['ps', '-a'], ['ps']]},
  images: {ids: ['image:list'], runs: [['images']]},
  inspect: {ids: ['inspect', 'container:inspect'], runs: [['inspect', 'c1'], ['inspect', 'nosuch']]},
  'pod-ps': {ids: ['pod:ps'], runs: [['pod', 'ps']]},
  'volume-ls': {ids: ['volume:list'], runs: [['volume', 'ls']]},
  port: {ids: ['container:port'], runs: [['port', 'c1']]},
  // top enters the user namespace: rootless, that would start a pause process.
  ...root ? {top: {ids: ['container:top'], runs: [['top', 'c1']]}} : {},
}
// The general cache serves every other command: it also holds what the run
// path's commands compile that need no runtime (create, inspect, rm). The
// split bundle compiles a chunk's code when the chunk is first required:
// without it in a cache, `create` parsed ~1 MB of chunks (+8 % instructions).
const GENERAL = [['create', '--name', 'g1', '-p', '18092:80', '-v', '/tmp:/t', '-e', 'A=1', 'warm', 'true'], ['inspect', 'g1'], ['rm', 'g1']]
const tmp = mkdtempSync(path.join((await import('node:os')).tmpdir(), 'peapod-warm-'))
try {
  const env = {...process.env}
  for (const k of ['NODE_OPTIONS', 'NODE_EXTRA_CA_CERTS', 'PEAPOD_EXTRA_CA_CERTS']) delete env[k]
  for (const k of Object.keys(env)) if (k.startsWith('PEAPOD_') || k.startsWith('CONTAINERS_')) delete env[k]
  if (root) {
    writeFileSync(path.join(tmp, 'empty.tar'), Buffer.alloc(1024))
    const store = ['--root', path.join(tmp, 'root'), '--runroot', path.join(tmp, 'runroot')]
    for (const args of [['import', path.join(tmp, 'empty.tar'), 'warm'], ['create', '--name', 'c1', '-p', '18091:80', 'warm', 'true'],
      ['create', '--name', 'c2', 'warm', 'true'], ['pod', 'create', '--name', 'p1', '--infra=false'], ['volume', 'create', 'v1']]) {
      const r = spawnSync(process.execPath, [path.join(repo, 'bin/run.js'), ...store, ...args], {env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8'})
      if (r.status !== 0) console.warn(`warming the code cache: peapod ${args.join(' ')}: ${r.stderr.trim()}`)
    }
  }
  const warm = (out, runs, ...more) => {
    const r = spawnSync(process.execPath, [path.join(repo, 'scripts/warm-bundle.cjs'), tmp, out, JSON.stringify(runs), ...more], {env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8'})
    const lines = r.stderr.split('\n').filter(l => l.startsWith('wrote '))
    if (!lines.length) throw new Error(`scripts/warm-bundle.cjs: no cache written\n${r.stderr}`)
    return lines.join('\n')
  }
  // The split (scripts/bundle-files.js): dist/peapod.cjs keeps the chunks
  // the everyday commands load, each command's runs counted on its own.
  // (Run again without a new bundle, it keeps the split it made.)
  const chunksFile = path.join(repo, 'dist/bundle-chunks.json')
  if (existsSync(chunksFile)) {
    const bundle = JSON.parse(readFileSync(chunksFile, 'utf8'))
    const hot = new Set()
    for (const c of Object.values(COMMANDS)) {
      const census = path.join(tmp, 'census')
      warm(`census:${census}`, c.runs)
      for (const n of readFileSync(census, 'utf8').split('\n').filter(Boolean)) hot.add(n)
    }
    const [nHot, nCold] = writeBundleFiles(path.join(repo, 'dist'), bundle, hot)
    rmSync(chunksFile)
    console.log(`split dist/peapod.cjs: ${nHot} chunks the everyday commands load, ${nCold} in dist/peapod-cold.cjs`)
  }
  // (a failing run ends the process, after its cache is written: those go last)
  const general = [...new Set([...root ? GENERAL : [], ...Object.values(COMMANDS).flatMap(c => c.runs)].map(r => JSON.stringify(r)))].map(r => JSON.parse(r))
  console.log(warm(path.join(repo, 'dist/peapod.cjs.cache'), [...general.filter(r => !r.includes('nosuch')), ...general.filter(r => r.includes('nosuch'))], path.join(repo, 'dist/peapod-cold.cjs.cache')))
  const dir = path.join(repo, 'dist/code-cache')
  rmSync(dir, {recursive: true, force: true})
  mkdirSync(dir)
  // The words that name each command (id and aliases, as typed): bin/run.cjs
  // looks up the first two words after the global flags.
  const index = JSON.parse(readFileSync(path.join(repo, 'dist/cli/command-index.json'), 'utf8'))
  const words = {}
  for (const [name, c] of Object.entries(COMMANDS)) {
    warm(path.join(dir, name + '.cache'), c.runs)
    for (const id of c.ids) {
      const e = index[id]
      if (!e) throw new Error(`build-code-cache: no command ${id} in the index`)
      for (const w of [e.id, ...e.aliases ?? [], ...e.hiddenAliases ?? []]) words[w.split(':').join(' ')] = name
    }
  }
  writeFileSync(path.join(dir, 'commands.json'), JSON.stringify({valueFlags: GLOBAL_VALUE_FLAGS, words}) + '\n')
  console.log(`wrote dist/code-cache/ (${Object.keys(COMMANDS).length} command caches)`)
} finally {
  rmSync(tmp, {recursive: true, force: true})
}
