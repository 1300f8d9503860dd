// Loading a big CommonJS bundle (dist/vendor/oclif-core.cjs, ~330 KB) with a
// V8 code cache written by the build (scripts/build-code-cache.js): V8 then
// deserializes the compiled functions instead of parsing and compiling them,
// ~25 ms less CPU on every command here. The cache sits next to the bundle
// (FILE.cache) and carries the bundle's size and mtime: a cache that does not
// match them, or that V8 rejects (another Node, other flags), is ignored and
// the bundle compiles as without a cache. Never stale, at worst unused.
import {isAscii} from 'node:buffer'
import {readFileSync, statSync, writeFileSync} from 'node:fs'
import type Module from 'node:module'
// Named imports: esbuild makes a default import of a Node module a copy
// with a getter for each of its properties (in dist/cli/code-cache.cjs).
import {dirname} from 'node:path'
import {Script} from 'node:vm'

/** The stamp a cache must carry to be used for FILE: its size and mtime. */
function stampOf(file: string): string {
  const st = statSync(file)
  return `${st.size}:${Math.trunc(st.mtimeMs)}`
}

/** The cached code for FILE when CACHE (FILE.cache) was made from this very FILE. */
function readCache(file: string, cache: string): Buffer | undefined {
  let buf: Buffer
  try {
    buf = readFileSync(cache)
  } catch {
    return undefined
  }
  const n = buf.indexOf(10)
  if (n < 0 || buf.toString('latin1', 0, n) !== stampOf(file)) return undefined
  return buf.subarray(n + 1)
}

/**
 * FILE's text. The bundles are ASCII (the build escapes the rest): decoding
 * them as latin1 is the same string at a third of UTF-8's cost (~6 ms less
 * for the 1.9 MB of dist/peapod.cjs).
 */
function readSource(file: string): string {
  const buf = readFileSync(file)
  return isAscii(buf) ? buf.toString('latin1') : buf.toString('utf8')
}

// Node's CommonJS wrapper plus __peapod_import: a vm.Script has no import()
// of its own (scripts/build-vendor.js routes the bundle's import()s to it).
const WRAPPER = ['(function (exports, require, module, __filename, __dirname, __peapod_import) { ', '\n});']
const importESM = (specifier: string): Promise<unknown> => import(specifier)

// Shared by every copy of this module (dist/cli/code-cache.js, the one in
// dist/peapod.cjs, dist/cli/code-cache.cjs) so the build can write each cache.
const scripts: Map<string, Script> = ((globalThis as Record<symbol, unknown>)[Symbol.for('peapod.codeCacheScripts')] ??= new Map()) as Map<string, Script>

const fromCache = new Map<string, boolean>()

// The loader the bundles use for each other (dist/peapod.cjs for its cold
// chunks, the oclif halves): the first copy of this module registers it.
;(globalThis as Record<symbol, unknown>)[Symbol.for('peapod.requireWithCodeCache')] ??= requireWithCodeCache

type ModuleClass = typeof Module & {_cache: Record<string, Module>; _nodeModulePaths(dir: string): string[]}

/**
 * Node's CommonJS Module class. As dist/cli/code-cache.cjs (what bin/run.cjs
 * loads) it is this module's own constructor: node:module, the same class,
 * would load the ES module loader too (~0.6 ms of CPU on every command).
 */
function moduleClass(): ModuleClass {
  return (typeof module === 'undefined' ? process.getBuiltinModule('node:module') : module.constructor) as ModuleClass
}

/** Whether FILE was loaded by requireWithCodeCache in this process (by any copy of this module). */
export function loadedScript(file: string): boolean {
  return scripts.has(file)
}

/** Whether FILE, loaded by requireWithCodeCache, was compiled from its cache (tests, debugging). */
export function compiledFromCache(file: string): boolean | undefined {
  return fromCache.get(file)
}

/**
 * require(FILE), compiled from its code cache when that matches: CACHE, by
 * default FILE.cache (bin/run.cjs may name one made for the command; any
 * cache made from FILE serves any command, the functions it lacks compile
 * as without one); false, none (the build warming a cache). The module is
 * registered in require's cache, so a later require(FILE) gets this instance.
 */
export function requireWithCodeCache(file: string, cache: string | false = file + '.cache'): unknown {
  const cached = moduleClass()
  if (cached._cache[file]) return cached._cache[file].exports
  const cachedData = cache === false ? undefined : readCache(file, cache)
  const script = new Script(WRAPPER[0] + readSource(file) + WRAPPER[1], {filename: file, cachedData})
  scripts.set(file, script)
  fromCache.set(file, cachedData !== undefined && !script.cachedDataRejected)
  const m = new cached(file)
  m.filename = file
  m.paths = cached._nodeModulePaths(dirname(file))
  cached._cache[file] = m
  const fn = script.runInThisContext() as (this: unknown, ...a: unknown[]) => void
  try {
    fn.call(m.exports, m.exports, cached.createRequire(file), m, file, dirname(file), importESM)
  } catch (e) {
    delete cached._cache[file]
    throw e
  }
  m.loaded = true
  return m.exports
}

/**
 * Writes TO (FILE.cache) from this process's compiled code of FILE (the build
 * calls it after a representative run, so the functions that ran are in it).
 */
export function writeCodeCache(file: string, to = file + '.cache'): number {
  const script = scripts.get(file)
  if (!script) throw new Error(`${file} was not loaded with requireWithCodeCache`)
  const data = script.createCachedData()
  writeFileSync(to, Buffer.concat([Buffer.from(stampOf(file) + '\n', 'latin1'), data]))
  return data.length
}
