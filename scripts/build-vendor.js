#!/usr/bin/env node
// Bundles @oclif/core (158 CommonJS files) into dist/vendor/oclif-core.cjs.
// Every command pays oclif's load time; one minified file loads in ~33 ms
// instead of ~48 ms here. typescript/ts-node are only used by oclif for
// development-mode TypeScript loading, never by the built CLI.
import {build} from 'esbuild'
import {readFile} from 'node:fs/promises'
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
// use instead, through a getter (those modules only read the property at
// the call). util/os.js: execSync on Windows (WSL); parser/parse.js:
// readline for a flag read from stdin.
const LAZY_BUILTINS = {
  'util/os.js': ['node_child_process_1', 'node:child_process', 'execSync'],
  'parser/parse.js': ['node_readline_1', 'node:readline', 'createInterface'],
}
const oclifLazyBuiltins = {
  name: 'oclif-lazy-builtins',
  setup(b) {
    b.onLoad({filter: /[\\/]@oclif[\\/]core[\\/]lib[\\/](util[\\/]os|parser[\\/]parse)\.js$/}, async args => {
      const rel = args.path.split(/[\\/]lib[\\/]/).pop().split(path.sep).join('/')
      const [name, mod, prop] = LAZY_BUILTINS[rel]
      const text = await readFile(args.path, 'utf8')
      const from = `const ${name} = require("${mod}");`
      const uses = text.split(name).length - 1
      if (!text.includes(from) || uses !== 1 + text.split(`${name}.${prop})`).length - 1) throw new Error(`${args.path}: ${name} not as expected (oclif changed?)`)
      return {contents: text.replace(from, `const ${name} = {get ${prop}() { return require("${mod}").${prop} }};`), loader: 'js'}
    })
  },
}

await build({
  entryPoints: [path.join(repo, 'scripts/vendor-oclif.cjs')],
  plugins: [oclifImports, fdirPicomatch, oclifLazyBuiltins],
  banner: {js: "const __peapodImport = typeof __peapod_import === 'function' ? __peapod_import : s => import(s);"},
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
