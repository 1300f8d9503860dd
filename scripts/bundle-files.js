// Writes the split bundle's files from the chunks scripts/build-bundle.js
// made (dist/bundle-chunks.json):
// - dist/peapod.cjs: the shared helpers, the loader and the HOT chunks (all
//   of them when HOT is null);
// - dist/peapod-cold.cjs: the other chunks, when there are any: a function
//   of the helpers that returns their table, loaded (with its own code
//   cache) the first time a chunk outside peapod.cjs is required.
// scripts/build-code-cache.js calls it again with the chunks the everyday
// commands load (their census): those commands then read and decode a
// fraction of the bundle (reading and decoding all 1.8 MB took ~18 ms of a
// ~150 ms `ps -a` on a slow machine), and a command that needs more reads
// the rest as well.
import {rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {asciiOnly} from './ascii-only.js'

export const CHUNK = /^(?:chunk-[A-Z0-9]+|entry)\.js$/

/**
 * BUNDLE: {globals, helpers, chunks}: the lines that define __peapodImport
 * __peapodUrl and __peapodPath, esbuild's helpers (one `var` each, named), and each
 * chunk's CommonJS code by name. Returns [hot, cold] chunk counts.
 */
export function writeBundleFiles(dist, bundle, hot = null) {
  const names = Object.keys(bundle.chunks)
  const inHot = hot ? names.filter(n => hot.has(n) || n === 'entry.js') : names
  const inCold = names.filter(n => !inHot.includes(n))
  const table = list => list.map(n => `${JSON.stringify(n)}:function(exports,require,module){${bundle.chunks[n]}\n}`).join(',\n')
  // What the chunks' code may name besides its own: esbuild's helpers and our globals.
  const shared = [...bundle.helpers.map(h => /^var ([\w$]+) = /.exec(h)[1]), '__peapodImport', '__peapodUrl', '__peapodPath']
  const cold = path.join(dist, 'peapod-cold.cjs')
  writeFileSync(path.join(dist, 'peapod.cjs'), [
    ...bundle.globals,
    'const __peapodMemo = [new WeakMap(), new WeakMap()];',
    'const __peapodMemoESM = f => (m, node) => { if (m === null || (typeof m !== "object" && typeof m !== "function")) return f(m, node); const w = __peapodMemo[node ? 1 : 0]; let r = w.get(m); if (!r) w.set(m, r = f(m, node)); return r };',
    // esbuild's CommonJS helpers, once for all chunks
    ...bundle.helpers,
    // The chunks, by the name their importers require them by.
    `const __peapodChunks = {\n${table(inHot)}\n};`,
    'const __peapodModules = new Map();',
    // (the build's census of what a command loads reads it)
    "globalThis[Symbol.for('peapod.chunkModules')] = __peapodModules;",
    `const __peapodChunkName = ${CHUNK};`,
    'const __peapodRequire = id => id.startsWith("./") && __peapodChunkName.test(id.slice(2)) ? __peapodChunk(id.slice(2)) : require(id);',
    // The cold chunks: compiled from their code cache by the loader that
    // loaded this file (src/cli/code-cache.ts registers it), sharing these helpers.
    'let __peapodCold = false;',
    'function __peapodLoadCold() {',
    '  __peapodCold = true;',
    "  const f = require('node:path').join(__dirname, 'peapod-cold.cjs');",
    "  const load = globalThis[Symbol.for('peapod.requireWithCodeCache')] ?? require;",
    `  Object.assign(__peapodChunks, load(f)(${shared.join(', ')}));`,
    '}',
    'function __peapodChunk(name) {',
    '  let m = __peapodModules.get(name);',
    '  if (m) return m.exports;',
    '  if (!__peapodChunks[name] && !__peapodCold) __peapodLoadCold();',
    // A Module as its constructor leaves one (id, path, exports, filename,
    // loaded, children) without running it: ~1 M instructions over ~70 chunks.
    '  m = Object.create(module.constructor.prototype);',
    "  m.id = name; m.path = '.'; m.exports = {}; m.filename = null; m.loaded = false; m.children = [];",
    '  __peapodModules.set(name, m);',
    '  __peapodChunks[name].call(m.exports, m.exports, __peapodRequire, m);',
    '  return m.exports;',
    '}',
    "module.exports = __peapodChunk('entry.js');",
    '',
  ].join('\n'))
  if (inCold.length) writeFileSync(cold, `module.exports = (${shared.join(', ')}) => ({\n${table(inCold)}\n});\n`)
  else rmSync(cold, {force: true})
  // ASCII only, so the loader may decode them as latin1 (code-cache.ts):
  // esbuild escapes strings but leaves regular expression literals as
  // written. A \uXXXX escape means the same character in either.
  asciiOnly(path.join(dist, 'peapod.cjs'))
  if (inCold.length) asciiOnly(cold)
  return [inHot.length, inCold.length]
}
