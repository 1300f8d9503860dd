#!/usr/bin/env node
// Bundles @oclif/core (158 CommonJS files) into dist/vendor/oclif-core.cjs.
// Every command pays oclif's load time; one minified file loads in ~33 ms
// instead of ~48 ms here. typescript/ts-node are only used by oclif for
// development-mode TypeScript loading, never by the built CLI.
import {build} from 'esbuild'
import {readFile} from 'node:fs/promises'
import {realpathSync} from 'node:fs'
import {createRequire} from 'node:module'
import {asciiOnly} from './ascii-only.js'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

// oclif import()s the ESM commands. src/cli/code-cache.ts runs the bundle as
// a vm.Script (to give V8 its code cache), where a bare import() needs an
// experimental vm option that warns: those calls go through __peapodImport,
// the loader's own import() when it passes one, else the bundle's.
const ESM_IMPORTS = /[\\/]@oclif[\\/]core[\\/]lib[\\/](module-loader|config[\\/]ts-path)\.js$/
const oclifImports = {
  name: 'oclif-imports',
  setup(b) {
    b.onLoad({filter: ESM_IMPORTS}, async args => {
      const text = await readFile(args.path, 'utf8')
      const out = text.replace(/\bawait import\(/g, 'await __peapodImport(')
      if (out === text) throw new Error(`${args.path}: no import() to route (oclif changed?)`)
      return {contents: out, loader: 'js'}
    })
  },
}

// fdir (oclif's globbing) looks picomatch up on disk with require.resolve()
// before requiring it, on every start; the bundle has picomatch inside.
const fdirPicomatch = {
  name: 'fdir-picomatch',
  setup(b) {
    b.onLoad({filter: /[\\/]fdir[\\/]dist[\\/]index\.cjs$/}, async args => {
      const text = await readFile(args.path, 'utf8')
      const out = text.replace('require.resolve("picomatch");', '')
      if (out === text) throw new Error(`${args.path}: no require.resolve("picomatch") (fdir changed?)`)
      return {contents: out, loader: 'js'}
    })
  },
}

// Node modules oclif requires on every start for one rarely taken path
// (~3 ms of CPU: child_process brings net and dgram along): loaded on first
// use instead, through getters (those modules only read the property at
// the call). util/os.js: execSync on Windows (WSL); parser/parse.js:
// readline for a flag read from stdin; util/fs.js: fs/promises (~1 ms) for
// file and directory flags and reading JSON.
const LAZY_BUILTINS = {
  'util/os.js': ['node_child_process_1', 'node:child_process', ['execSync']],
  'parser/parse.js': ['node_readline_1', 'node:readline', ['createInterface']],
  'util/fs.js': ['promises_1', 'node:fs/promises', ['stat', 'readFile']],
}
const oclifLazyBuiltins = {
  name: 'oclif-lazy-builtins',
  setup(b) {
    b.onLoad({filter: /[\\/]@oclif[\\/]core[\\/]lib[\\/](util[\\/]os|util[\\/]fs|parser[\\/]parse)\.js$/}, async args => {
      const rel = args.path.split(/[\\/]lib[\\/]/).pop().split(path.sep).join('/')
      const [name, mod, props] = LAZY_BUILTINS[rel]
      const text = await readFile(args.path, 'utf8')
      const from = `const ${name} = require("${mod}");`
      const uses = text.split(name).length - 1
      const known = props.reduce((n, prop) => n + text.split(`${name}.${prop})`).length - 1, 0)
      if (!text.includes(from) || uses !== 1 + known) throw new Error(`${args.path}: ${name} not as expected (oclif changed?)`)
      const getters = props.map(prop => `get ${prop}() { return require("${mod}").${prop} }`).join(', ')
      return {contents: text.replace(from, `const ${name} = {${getters}};`), loader: 'js'}
    })
  },
}

// The split (src/cli/oclif.ts): a command run directly needs only oclif's
// flag and argument definitions, its parser and its error classes. Those
// files of @oclif/core (LIGHT, relative to its lib/) go into
// dist/vendor/oclif-light.cjs, with their own sources unchanged; every other
// oclif module they require (help, ux, the logger, pretty-printing, screen,
// settings, clean-stack, wrap-ansi...) is a stub there that loads the full
// bundle on first use and forwards to its copy. The full bundle,
// dist/vendor/oclif-core.cjs, takes the LIGHT modules from the light bundle
// in turn: each module exists once, so oclif's `instanceof CLIError`/
// `ExitError` hold across both, and `exitCodes` in oclif's cache is one.
const LIGHT = [
  'flags.js', 'args.js', 'flush.js', 'cache.js',
  'parser/index.js', 'parser/parse.js', 'parser/validate.js', 'parser/errors.js', 'parser/help.js',
  'errors/index.js', 'errors/error.js', 'errors/warn.js', 'errors/exit.js',
  'errors/errors/cli.js', 'errors/errors/exit.js', 'errors/errors/module-load.js',
  'util/util.js', 'util/fs.js', 'util/aggregate-flags.js', 'ux/write.js',
]
// Real paths: esbuild names importers by them (node_modules may be a link).
const NODE_MODULES = realpathSync(path.join(repo, 'node_modules'))
const CORE = path.join(NODE_MODULES, '@oclif/core')
const coreLib = path.join(CORE, 'lib')
const isLight = file => Boolean(file) && file.startsWith(coreLib + path.sep) && LIGHT.includes(path.relative(coreLib, file).split(path.sep).join('/'))
const requireReal = createRequire(path.join(CORE, 'package.json'))
// The key of a stubbed module: its path under @oclif/core's lib/, or a package name.
const stubKey = file => file.startsWith(coreLib + path.sep) ? path.relative(coreLib, file).split(path.sep).join('/') : path.relative(NODE_MODULES, file).split(path.sep)[0]
const stubbed = new Map() // key -> absolute file, filled by the light build

// Light build: a require() from a LIGHT module of anything not LIGHT (and not
// a Node builtin) resolves to a stub with the same exports, each a getter
// into the full bundle's copy (__peapodFull(key), the banner's).
const lightSplit = {
  name: 'oclif-light-split',
  setup(b) {
    b.onResolve({filter: /.*/}, async args => {
      if (args.kind !== 'require-call' || !isLight(args.importer) || args.path.startsWith('node:')) return undefined
      const r = await b.resolve(args.path, {kind: args.kind, resolveDir: args.resolveDir, pluginData: 'real'})
      if (r.errors.length || isLight(r.path) || r.path.endsWith('.json')) return undefined
      const key = stubKey(r.path)
      stubbed.set(key, r.path)
      return {path: key, namespace: 'oclif-stub'}
    })
    // oclif's package.json, which cache.js reads its name and version from
    // on every start: those two, not its 3 KB of scripts and dependencies.
    b.onLoad({filter: /[\\/]@oclif[\\/]core[\\/]package\.json$/}, async args => {
      const {name, version} = JSON.parse(await readFile(args.path, 'utf8'))
      return {contents: JSON.stringify({name, version}), loader: 'json'}
    })
    b.onLoad({filter: /.*/, namespace: 'oclif-stub'}, args => {
      const real = requireReal(stubbed.get(args.path))
      const k = JSON.stringify(args.path)
      if (typeof real === 'function') {
        if (Object.keys(real).length) throw new Error(`${args.path}: a function with properties, not stubbed`)
        return {contents: `module.exports = function () { return __peapodFull(${k}).apply(this, arguments) }`, loader: 'js'}
      }
      const names = Object.keys(real)
      const out = [real.__esModule ? "Object.defineProperty(exports, '__esModule', {value: true})" : '']
      for (const n of names) out.push(`Object.defineProperty(exports, ${JSON.stringify(n)}, {enumerable: true, get: () => __peapodFull(${k})[${JSON.stringify(n)}]})`)
      return {contents: out.join('\n'), loader: 'js'}
    })
  },
}

// Full build: the LIGHT modules are the light bundle's, and the entry hands
// the light bundle the stubbed ones (__m).
const fullSplit = {
  name: 'oclif-full-split',
  setup(b) {
    b.onLoad({filter: /[\\/]@oclif[\\/]core[\\/]lib[\\/].*\.js$/}, args => {
      if (!isLight(args.path)) return undefined
      const key = path.relative(coreLib, args.path).split(path.sep).join('/')
      return {contents: `module.exports = __peapodLight().__m[${JSON.stringify(key)}]`, loader: 'js'}
    })
  },
}

const lightEntry = [
  ...LIGHT.map((f, i) => `const m${i} = require(${JSON.stringify(path.join(coreLib, f))})`),
  'module.exports = {',
  '  Flags: m0, Args: m1, flush: m2.flush, Parser: m4, Errors: m9, aggregateFlags: m18.aggregateFlags, ux: m19, Cache: m3.default, util: m16,',
  `  __m: {${LIGHT.map((f, i) => `${JSON.stringify(f)}: m${i}`).join(', ')}},`,
  '}',
].join('\n')
if (!['flags.js', 'args.js', 'flush.js', 'cache.js', 'parser/index.js'].every((f, i) => [0, 1, 2, 3, 4][i] === LIGHT.indexOf(f)) ||
  LIGHT[9] !== 'errors/index.js' || LIGHT[16] !== 'util/util.js' || LIGHT[18] !== 'util/aggregate-flags.js' || LIGHT[19] !== 'ux/write.js') throw new Error('LIGHT order')

// The loaders each bundle uses for the other: the code-cache loader's
// (src/cli/oclif.ts registers it) when there is one, else require().
const LOADER = "const __peapodLoad = n => { const f = require('node:path').join(__dirname, n); const l = globalThis[Symbol.for('peapod.requireWithCodeCache')]; return l ? l(f) : require(f) };"

await build({
  stdin: {contents: lightEntry, resolveDir: repo, sourcefile: 'oclif-light-entry.js', loader: 'js'},
  plugins: [lightSplit, oclifLazyBuiltins],
  banner: {js: [LOADER, "const __peapodFull = k => __peapodLoad('oclif-core.cjs').__m[k];"].join('\n')},
  outfile: path.join(repo, 'dist/vendor/oclif-light.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: true,
  // oclif's class names (an error's constructor, a stack trace) stay its own.
  keepNames: true,
  logLevel: 'warning',
})
asciiOnly(path.join(repo, 'dist/vendor/oclif-light.cjs'))

// What src/cli/command.ts takes from the full bundle besides the stubs' modules.
const FULL_INTERNALS = ["help/util.js", "util/ids.js", "logger.js"].filter(f => !stubbed.has(f))
const fullEntry = [
  "const core = require('@oclif/core')",
  'module.exports = core',
  `Object.defineProperty(core, '__m', {value: {${[...stubbed, ...FULL_INTERNALS.map(f => [f, path.join(coreLib, f)])].map(([k, f]) => `${JSON.stringify(k)}: require(${JSON.stringify(f)})`).join(', ')}}})`,
].join('\n')

await build({
  stdin: {contents: fullEntry, resolveDir: repo, sourcefile: 'oclif-core-entry.js', loader: 'js'},
  plugins: [fullSplit, oclifImports, fdirPicomatch, oclifLazyBuiltins],
  banner: {js: [
    "const __peapodImport = typeof __peapod_import === 'function' ? __peapod_import : s => import(s);",
    LOADER, "const __peapodLight = () => __peapodLoad('oclif-light.cjs');",
  ].join('\n')},
  outfile: path.join(repo, 'dist/vendor/oclif-core.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: true,
  external: ['typescript', 'ts-node', 'tsx'],
  logLevel: 'warning',
})

// ASCII only, so that src/cli/code-cache.ts may decode it as latin1.
asciiOnly(path.join(repo, 'dist/vendor/oclif-core.cjs'))

// execa (~80 ESM files) into dist/vendor/execa.mjs for util/process.ts, which
// loads it on the first helper call: one file costs ~20 ms of CPU to import
// instead of ~85 ms, and `run` pays it on every start. ESM (execa is
// ESM-only); its CommonJS dependencies get a require of their own.
await build({
  entryPoints: [path.join(repo, 'node_modules/execa/index.js')],
  outfile: path.join(repo, 'dist/vendor/execa.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  banner: {js: "import {createRequire as __peapodRequire} from 'node:module'; const require = __peapodRequire(import.meta.url);"},
  logLevel: 'warning',
})

// smol-toml (10 ESM files) into dist/vendor/smol-toml.cjs for config/toml.ts:
// every engine command reads containers.conf, and one CommonJS file loads in
// ~2.4 ms of CPU instead of ~8 ms.
await build({
  entryPoints: [path.join(repo, 'node_modules/smol-toml/dist/index.js')],
  outfile: path.join(repo, 'dist/vendor/smol-toml.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: true,
  logLevel: 'warning',
})
