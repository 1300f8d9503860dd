#!/usr/bin/env node
// Bundles the built CLI and engine (dist/main.js, every command of the index
// and what they import, npm packages included) into dist/peapod.cjs, which
// bin/run.cjs loads with a V8 code cache (scripts/build-code-cache.js):
// one CommonJS file instead of ~450 ES modules, ~40 ms less CPU per command,
// in chunks that run when first required (below).
// A build artefact only: src/ and dist/ stay as they are, and the bundle
// still finds files next to its modules' dist/ paths (vendor/, the manifest,
// package.json, the monitor's entry point, which stays a separate process).
// Modules only reached by an import() (the commands, libpod's `load` table)
// stay unevaluated until the import() runs, as in dist/.
import {build, transform} from 'esbuild'
import {readFile} from 'node:fs/promises'
import {readFileSync, writeFileSync} from 'node:fs'
import {asciiOnly} from './ascii-only.js'
import {CHUNK, writeBundleFiles} from './bundle-files.js'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const dist = path.join(repo, 'dist')

// What bundling changes, fixed in each dist module as esbuild loads it:
// - import.meta.url (CommonJS has none): the module's own dist/ URL, so
//   relative lookups resolve where they did;
// - an import() of a computed specifier (a vm.Script has no import() of its
//   own): through __peapodImport, the code-cache loader's import().
const META = /\bimport\.meta\.url\b/g
// - fileURLToPath(new URL('REL', import.meta.url)), a file beside the
//   module: its path joined, without Node's URL parser (set up on first use:
//   ~2 M instructions of every command).
const FILE_BESIDE = /\bfileURLToPath\(new URL\((['"])([^'"]+)\1, import\.meta\.url\)\)/g
const COMPUTED_IMPORT = /(?<![\w$.]|async\s+)import\((?!\s*['"`])/g
// - config/toml.js: smol-toml's one-file build (dist/vendor) into the bundle,
//   so it compiles from the cache too (every engine command reads
//   containers.conf), without the package itself as a fallback (a second
//   copy in every command's chunks).
// - a synchronous require() of an engine module (runtime.js's on-use
//   modules, container/store.js's legacy.js): the bundle's own module, not
//   a second copy from dist/ with its own error classes and logger.
const EDITS = {
  'libpod/runtime.js': [[/\bengineModule\(('\.\/[\w/.-]+\.js')\)/g, 'require($1)']],
  'libpod/container/store.js': [["requireFrom(import.meta.url)('./legacy.js')", "require('./legacy.js')"]],
  'libpod/config/toml.js': [["const require = requireFrom(import.meta.url);\n    try {\n        return require('../../vendor/smol-toml.cjs');\n    }\n    catch {\n        return require('smol-toml');\n    }", "return require('../../vendor/smol-toml.cjs');"]],
}
// What the edits above call, defined once at the top of each bundle: the
// bundle's import() (code-cache.ts passes its own in) and a dist/ module's URL.
const PEAPOD_GLOBALS = [
  "const __peapodImport = typeof __peapod_import === 'function' ? __peapod_import : s => import(s);",
  // (a path of only these characters is its file: URL as it is)
  "const __peapodUrl = p => { const f = require('node:path').join(__dirname, p); return /^[\\w/.+~@-]+$/.test(f) ? 'file://' + f : require('node:url').pathToFileURL(f).href };",
  "const __peapodPath = p => require('node:path').join(__dirname, p);",
]
const distModules = {
  name: 'dist-modules',
  setup(b) {
    b.onLoad({filter: /[\\/]dist[\\/].*\.js$/}, async args => {
      const rel = path.relative(dist, args.path).split(path.sep).join('/')
      let text = await readFile(args.path, 'utf8')
      for (const [from, to] of EDITS[rel] ?? []) {
        const found = typeof from === 'string' ? text.includes(from) : from.test(text)
        if (!found) throw new Error(`${rel}: no ${from} to edit (changed?)`)
        text = text.replace(from, to)
      }
      const out = text.replace(FILE_BESIDE, (_, q, file) => `__peapodPath(${JSON.stringify(path.posix.join(path.posix.dirname(rel), file))})`)
        .replace(META, `__peapodUrl(${JSON.stringify(rel)})`).replace(COMPUTED_IMPORT, '__peapodImport(')
      return {contents: out, loader: 'js'}
    })
  },
}

// Node modules that the engine's modules import at the top but a read-only
// command never calls (crypto: digests of written layers and ids;
// child_process: the runtime and helpers; net/dgram: port checks and
// sockets): each is a stub with the same exports, getters that require the
// module on first use (~3-5 ms of CPU less for `ps`, `images`, `inspect`).
const LAZY_BUILTINS = ['crypto', 'child_process', 'net', 'dgram']
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    const filter = new RegExp(`^(node:)?(${LAZY_BUILTINS.join('|')})$`)
    // (the stub's own require() is the real module)
    b.onResolve({filter}, args => args.namespace === 'lazy-builtin' ? {path: args.path, external: true} : {path: args.path.replace(/^node:/, ''), namespace: 'lazy-builtin'})
    b.onLoad({filter: /.*/, namespace: 'lazy-builtin'}, async args => {
      const names = Object.keys(await import(`node:${args.path}`)).filter(n => n !== 'default')
      const mod = JSON.stringify(`node:${args.path}`)
      return {contents: [
        'let m',
        `const load = () => m ??= require(${mod})`,
        ...names.map(n => `Object.defineProperty(exports, ${JSON.stringify(n)}, {enumerable: true, get: () => load()[${JSON.stringify(n)}]})`),
      ].join('\n'), loader: 'js'}
    })
  },
}

// The entry: main() with a loader of the index's command modules. A switch,
// not a table of ~130 closures that every command would build first.
const index = JSON.parse(readFileSync(path.join(dist, 'cli/command-index.json'), 'utf8'))
const paths = [...new Set(Object.values(index).map(c => c.path).filter(Boolean))].sort()
const entry = [
  "import {main} from './main.js'",
  'function command(p) {',
  '  switch (p) {',
  ...paths.map(p => `    case ${JSON.stringify(p)}: return import(${JSON.stringify('./' + path.posix.relative('dist', p))})`),
  '    default: return __peapodImport(__peapodUrl("../" + p))',
  '  }',
  '}',
  '/** peapod with process.argv; ENTRY is the script Node was started on. */',
  'export function run(entry) {',
  '  return main(entry, command)',
  '}',
].join('\n')

// The bundle is split where the code is: esbuild's code splitting (ES
// modules only) puts what each import() reaches and what several share in
// chunks, each chunk becomes a CommonJS function (esbuild's transform), and
// dist/peapod.cjs holds them all as functions of one table, each run on its
// first require. One file, one V8 code cache, but a command instantiates
// only the chunks it runs: in one flat bundle every module's functions and
// exports sat in the top-level scope, and the top level (~1,400 function
// declarations, ~250 export tables) ran and deserialised on every command
// (`version`: ~40 M instructions of its ~75 M over `node -e 0`).
const result = await build({
  stdin: {contents: entry, resolveDir: dist, sourcefile: 'peapod-entry.js', loader: 'js'},
  plugins: [distModules, lazyBuiltins],
  outdir: path.join(dist, 'chunks'),
  write: false,
  splitting: true,
  entryNames: 'entry',
  chunkNames: 'chunk-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // keepNames: class and function names stay what they are (messages print
  // them).
  minify: true,
  keepNames: true,
  // typescript/ts-node: oclif's development-mode loading, never used here.
  external: ['typescript', 'ts-node', 'tsx'],
  logLevel: 'warning',
  metafile: true,
})
// (PEAPOD_METAFILE=FILE: esbuild's metafile, which modules each chunk holds)
if (process.env.PEAPOD_METAFILE) writeFileSync(process.env.PEAPOD_METAFILE, JSON.stringify(result.metafile))

// esbuild's transform writes its CommonJS helpers (__defProp, __export,
// __copyProps, __toESM, __toCommonJS...) at the top of every chunk: 233 KB
// of the bundle, and each chunk instantiated its own closures of them. They
// are the same text in every chunk, so they are taken out of each and
// written once at the top of dist/peapod.cjs, where the chunks' functions
// find them by name (a chunk is minified after, and free names stay as they
// are). Helpers that differ other than in their parameters' names (esbuild
// renames one that a chunk's own top level uses) stop the build.
const HELPER = /^var (__[A-Za-z]+) = /
const helpers = new Map()
const minified = new Map()
/** CODE (esbuild's unminified CommonJS) without its helpers, which go to `helpers`. */
async function takeHelpers(code, name) {
  const lines = code.split('\n')
  let i = 0
  // A helper is its `var __x = ` line and the lines after it that do not
  // start a statement (indented ones, and `}`/`)` closing it).
  while (i < lines.length && HELPER.test(lines[i])) {
    const id = HELPER.exec(lines[i])[1]
    let j = i + 1
    while (j < lines.length && /^(\s|[})])/.test(lines[j])) j++
    const text = lines.slice(i, j).join('\n')
    const min = (await transform(text, {minify: true})).code
    if (minified.has(id) && minified.get(id) !== min) throw new Error(`build-bundle: ${name} has another ${id} than the other chunks:\n${text}`)
    if (!helpers.has(id)) helpers.set(id, text)
    minified.set(id, min)
    i = j
  }
  return lines.slice(i).join('\n')
}

// A chunk's exports object, `var e={};__export(e,{a:()=>x,...})`, is an
// object literal with a getter for each export instead: one property
// definition per export in either, but Object.defineProperty (a descriptor
// object to read, then a new map per property) cost ~2 M instructions of
// every command that loads ~70 chunks (`ps`: ~450 exports). The getters
// read the same bindings when called, as esbuild's do; they are also
// configurable, which nothing here relies on either way. A chunk whose
// exports take another shape keeps __export.
const EXPORTS = /var ([\w$]+)=\{\};__export\(\1,\{((?:(?:[\w$]+|"[^"]+"):\(\)=>[\w$.]+,?)*)\}\)[,;]/g
function exportsAsLiteral(code) {
  return code.replace(EXPORTS, (_, name, props) => `var ${name}={${props.split(',').map(p => {
    const i = p.indexOf(':()=>')
    return `get ${p.slice(0, i)}(){return ${p.slice(i + ':()=>'.length)}}`
  }).join(',')}};`)
}

const chunks = []
for (const f of result.outputFiles) {
  const name = path.basename(f.path)
  if (!CHUNK.test(name)) throw new Error(`build-bundle: unexpected output ${name}`)
  // (import() of a chunk: a require() in a promise, as in the one-file bundle)
  const cjs = (await transform(f.text, {format: 'cjs', platform: 'node', target: 'node20', supported: {'dynamic-import': false}})).code
  let code = (await transform(await takeHelpers(cjs, name), {format: 'cjs', platform: 'node', target: 'node20', minify: true})).code
  // The chunk an import() of a CommonJS module loads (wire.cjs, yaml,
  // node:crypto's lazy stub) exports only `default` in esbuild's split ES
  // output; an import() of it, as Node's of a CommonJS module and the
  // one-file bundle's, gives its named exports too: the chunk's exports are
  // the module's own (the importer's __toESM adds the default).
  const meta = result.metafile.outputs[path.relative(process.cwd(), f.path)]
  if (meta?.entryPoint && result.metafile.inputs[meta.entryPoint]?.format === 'cjs') {
    if (meta.exports.join() !== 'default') throw new Error(`build-bundle: ${name} (${meta.entryPoint}) exports ${meta.exports.join(', ')}, not only default`)
    code += '\nmodule.exports = module.exports.default;'
  }
  chunks.push([name, exportsAsLiteral(code)])
}
// esbuild's __toESM (an `import x from 'node:path'`) builds a new object
// with a getter for each of the module's properties on every call: memoized
// per module (__peapodMemoESM, bundle-files.js). The object is read-only to
// its importers (an import binding or namespace cannot be assigned), so one
// serves all.
const toESM = helpers.get('__toESM')
if (!toESM?.startsWith('var __toESM = ') || !toESM.endsWith(';')) throw new Error("dist/peapod.cjs: esbuild's __toESM not found (esbuild changed?)")
// An import() of a chunk (or an import of any module marked __esModule)
// gets the module's own exports object: __toESM would copy it, a getter per
// export, into a new one with the same names and values (errors.js: 75).
helpers.set('__toESM', `var __toESM = __peapodMemoESM((mod, isNodeMode) => !isNodeMode && mod != null && mod.__esModule ? mod : (${toESM.slice('var __toESM = '.length, -1)})(mod, isNodeMode));`)
// `import fs from 'node:fs'` (and `* as`): esbuild's __toESM gives a new
// object with a getter for each of the module's properties (fs: 104
// property definitions the first time, ~1 M instructions for `ps`). For
// these Node modules, whose properties read the same from any receiver, the
// namespace is an object whose prototype is the module: the same names and
// values (read through to the module, so live), `default` the module itself.
// Only its own keys differ (just `default`), and nothing here enumerates a
// Node module's namespace.
const PLAIN_BUILTINS = /__toESM\(require\("((?:node:)?(?:fs|path|os|vm|url|zlib))"\)\)/g
helpers.set('__peapodBuiltinESM', 'var __peapodBuiltinESM = ((memo) => (mod) => memo.get(mod) ?? (memo.set(mod, Object.create(mod, { default: { value: mod, enumerable: true } })), memo.get(mod)))(new WeakMap());')
for (const c of chunks) c[1] = c[1].replace(PLAIN_BUILTINS, '__peapodBuiltinESM(require("$1"))')
// A chunk's exports object is the one its getters are on (exportsAsLiteral), marked
// __esModule, not a copy with a getter for each getter (esbuild's
// __toCommonJS: a second property definition per export when the chunk
// loads, and two getter calls per use of an import after). Importers see the
// same names and values; an `export *` copies into it once.
const toCJS = helpers.get('__toCommonJS')
if (toCJS !== 'var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);') throw new Error(`dist/peapod.cjs: esbuild's __toCommonJS is not the one expected (esbuild changed?): ${toCJS}`)
helpers.set('__toCommonJS', 'var __toCommonJS = (mod) => __defProp(mod, "__esModule", { value: true });')
// The chunks as they are, for scripts/build-code-cache.js's split into the
// everyday commands' chunks and the rest (scripts/bundle-files.js); one file
// with all of them until then.
const bundle = {globals: PEAPOD_GLOBALS, helpers: [...helpers.values()], chunks: Object.fromEntries(chunks)}
writeFileSync(path.join(dist, 'bundle-chunks.json'), JSON.stringify(bundle))
writeBundleFiles(dist, bundle)

// Any import() left that is not ours would throw in the vm.Script.
const text = readFileSync(path.join(dist, 'peapod.cjs'), 'utf8')
const stray = text.match(/(?<![\w$.]|async\s+)import\((?!s\))/g)
if (stray) throw new Error(`dist/peapod.cjs: ${stray.length} import() left (not routed through __peapodImport)`)
console.log(`wrote dist/peapod.cjs (${Object.keys(result.metafile.inputs).length} modules in ${chunks.length} chunks, ${(text.length / 1024).toFixed(0)} KB)`)

// The loader bin/run.cjs reads the bundle with (CommonJS: no ES module
// loader starts for it).
await build({
  entryPoints: [path.join(dist, 'cli/code-cache.js')],
  outfile: path.join(dist, 'cli/code-cache.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
})

// The light exit command a container's monitor runs (src/exit-command.ts,
// loaded by bin/exit-command.cjs): the engine's cleanup without the CLI, in
// its own bundle with its own code cache (scripts/warm-exit-command.cjs).
const exitResult = await build({
  entryPoints: [path.join(dist, 'exit-command.js')],
  plugins: [distModules],
  banner: {js: PEAPOD_GLOBALS.join('\n')},
  outfile: path.join(dist, 'exit-command.cjs'),
  bundle: true, platform: 'node', format: 'cjs', target: 'node20', supported: {'dynamic-import': false},
  minify: true, keepNames: true, external: ['typescript', 'ts-node', 'tsx'], logLevel: 'warning', metafile: true,
})
asciiOnly(path.join(dist, 'exit-command.cjs'))
const exitText = readFileSync(path.join(dist, 'exit-command.cjs'), 'utf8')
if (exitText.match(/(?<![\w$.]|async\s+)import\((?!s\))/g)) throw new Error('dist/exit-command.cjs: import() left (not routed through __peapodImport)')
console.log(`wrote dist/exit-command.cjs (${Object.keys(exitResult.metafile.inputs).length} modules, ${(exitText.length / 1024).toFixed(0)} KB)`)
// (from a child with no Node flags of ours: V8 rejects a cache made under other flags)
const warmEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(NODE_OPTIONS|NODE_EXTRA_CA_CERTS|PEAPOD_.*|CONTAINERS_.*)$/.test(k)))
const warm = (await import('node:child_process')).spawnSync(process.execPath, [path.join(repo, 'scripts/warm-exit-command.cjs')], {env: warmEnv, stdio: ['ignore', 'inherit', 'inherit']})
if (warm.status !== 0) throw new Error('scripts/warm-exit-command.cjs failed')
