// The V8 code caches of the bundles (src/cli/code-cache.ts): used only when
// made from the very file they sit next to; a stale or broken cache is
// ignored and the file still loads and runs as without one.
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {compiledFromCache, requireWithCodeCache, writeCodeCache} from '../../src/cli/code-cache.js'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const source = (n: number) => `exports.answer = function answer() { return ${n} }\nexports.dir = __dirname\n`

describe('code cache of a bundle', () => {
  let dir: string
  before(() => { dir = mkdtempSync(path.join(tmpdir(), 'peapod-code-cache-')) })
  after(() => rmSync(dir, {recursive: true, force: true}))

  /** FILE written with SOURCE, given the mtime of FROM when set (a cache's stamp is size and mtime). */
  const write = (name: string, text: string, mtimeOf?: string) => {
    const file = path.join(dir, name)
    writeFileSync(file, text)
    if (mtimeOf) utimesSync(file, statSync(mtimeOf).atime, statSync(mtimeOf).mtime)
    return file
  }
  type Mod = {answer(): number; dir: string}

  it('is written from a loaded file and used for the same file', function () {
    // Written and read by plain Node processes, as the build and bin/run.cjs
    // do (V8 rejects a cache made under other flags; this one runs tsx).
    const loader = path.join(repo, 'dist/cli/code-cache.cjs')
    if (!existsSync(loader)) this.skip() // npm run build
    const node = (code: string) => spawnSync(process.execPath, ['-e', `const c = require(${JSON.stringify(loader)}); ${code}`], {encoding: 'utf8', env: {...process.env, NODE_OPTIONS: ''}})
    const a = write('a.cjs', source(1))
    let r = node(`const m = c.requireWithCodeCache(${JSON.stringify(a)}); console.log(c.compiledFromCache(${JSON.stringify(a)}), m.answer(), c.writeCodeCache(${JSON.stringify(a)}) > 0)`)
    expect(r.stdout.trim(), r.stderr).to.equal('false 1 true')
    // b.cjs: the same source, a.cjs's cache stamped for it (size:mtime; a
    // copied mtime can round to another millisecond).
    const b = write('b.cjs', source(1))
    const data = readFileSync(a + '.cache')
    writeFileSync(b + '.cache', Buffer.concat([Buffer.from(`${statSync(b).size}:${Math.trunc(statSync(b).mtimeMs)}\n`), data.subarray(data.indexOf(10) + 1)]))
    r = node(`const m = c.requireWithCodeCache(${JSON.stringify(b)}); console.log(c.compiledFromCache(${JSON.stringify(b)}), m.answer(), m.dir, c.requireWithCodeCache(${JSON.stringify(b)}) === m)`)
    expect(r.stdout.trim(), r.stderr).to.equal(`true 1 ${dir} true`)
    // and in this process: the module, one instance as with require
    const m = requireWithCodeCache(b) as Mod
    expect(m.answer()).to.equal(1)
    expect(requireWithCodeCache(b)).to.equal(m)
    expect(writeCodeCache(b)).to.be.greaterThan(0)
  })

  it('is ignored when the file changed since (stamp mismatch), and the new file runs', () => {
    const a = path.join(dir, 'a.cjs')
    // Same size, other code, other mtime: the stamp no longer matches.
    const c = write('c.cjs', source(2))
    utimesSync(c, new Date(), new Date(statSync(a).mtimeMs + 5000))
    cpSync(a + '.cache', c + '.cache')
    expect(statSync(c).size).to.equal(statSync(a).size)
    expect((requireWithCodeCache(c) as Mod).answer()).to.equal(2)
    expect(compiledFromCache(c)).to.equal(false)
  })

  it('is ignored when V8 rejects it (a matching stamp over other data)', () => {
    const d = write('d.cjs', source(3))
    const stamp = `${statSync(d).size}:${Math.trunc(statSync(d).mtimeMs)}\n`
    writeFileSync(d + '.cache', Buffer.concat([Buffer.from(stamp), Buffer.alloc(4096, 7)]))
    expect((requireWithCodeCache(d) as Mod).answer()).to.equal(3)
    expect(compiledFromCache(d)).to.equal(false)
  })

  it('a missing cache: the file loads without one', () => {
    const e = write('e.cjs', source(4))
    expect((requireWithCodeCache(e) as Mod).answer()).to.equal(4)
    expect(compiledFromCache(e)).to.equal(false)
  })

  it('a non-ASCII file still reads as UTF-8', () => {
    const f = write('f.cjs', 'exports.answer = () => "µs"\n')
    expect((requireWithCodeCache(f) as {answer(): string}).answer()).to.equal('µs')
  })
})

describe('code cache: the built bundle (bin/run.cjs)', () => {
  const bundle = path.join(repo, 'dist/peapod.cjs')
  let copy: string
  before(function () {
    if (!existsSync(bundle + '.cache')) this.skip() // npm run build
    // A copy of the built tree whose caches no longer match their bundles.
    copy = mkdtempSync(path.join(tmpdir(), 'peapod-stale-'))
    for (const p of ['bin', 'dist', 'package.json', 'oclif.manifest.json']) cpSync(path.join(repo, p), path.join(copy, p), {recursive: true})
    for (const f of ['dist/peapod.cjs', 'dist/vendor/oclif-core.cjs', 'dist/vendor/oclif-light.cjs']) {
      const file = path.join(copy, f)
      writeFileSync(file, readFileSync(file, 'latin1') + '\n', 'latin1')
    }
  })
  after(() => copy && rmSync(copy, {recursive: true, force: true}))

  const run = (root: string, ...args: string[]) => spawnSync(process.execPath, [path.join(root, 'bin/run.cjs'), ...args], {encoding: 'utf8', env: {...process.env, NODE_OPTIONS: ''}})

  it('runs the same with stale caches as with fresh ones', () => {
    for (const args of [['version'], ['--version'], ['ps', '--help'], ['ps', '--bogus'], ['volume', 'ls', '--format', 'x', 'extra']]) {
      const fresh = run(repo, ...args)
      const stale = run(copy, ...args)
      const bad = args.includes('--bogus') || args.includes('extra')
      expect(fresh.status, fresh.stderr).to.equal(bad ? 125 : 0)
      expect(stale.status, stale.stderr).to.equal(fresh.status)
      expect(stale.stdout).to.equal(fresh.stdout)
      // (oclif's help warns in the copy, which has no node_modules for its plugin)
      if (bad) expect(stale.stderr).to.equal(fresh.stderr)
    }
  })

  it('the bundle\'s chunks: every chunk a chunk requires is in its tables, and a command loads only its own', () => {
    // scripts/build-bundle.js: esbuild's split output, each chunk a function
    // of a table run on first require; scripts/bundle-files.js: the everyday
    // commands' chunks in dist/peapod.cjs, the rest in dist/peapod-cold.cjs.
    const text = readFileSync(bundle, 'latin1')
    const both = text + readFileSync(path.join(repo, 'dist/peapod-cold.cjs'), 'latin1')
    const tableOf = (t: string) => new Set([...t.matchAll(/^"((?:chunk-[A-Z0-9]+|entry)\.js)":function\(exports,require,module\)\{/gm)].map(m => m[1]))
    const table = tableOf(both)
    const required = new Set([...both.matchAll(/require\("\.\/((?:chunk-[A-Z0-9]+|entry)\.js)"\)/g)].map(m => m[1]))
    expect(table.size).to.be.greaterThan(100)
    expect(tableOf(text).size, 'the hot half holds a minority').to.be.within(2, table.size / 2)
    expect([...required].filter(n => !table.has(n))).to.deep.equal([])
    // the chunks `version` runs (on the way out, from the loaded map the bundle shows the build's census)
    const hook = path.join(copy, 'chunks-hook.cjs')
    writeFileSync(hook, "process.on('exit', () => process.stderr.write('\\nLOADED ' + globalThis[Symbol.for('peapod.chunkModules')].size + '\\n'))\n")
    const r = spawnSync(process.execPath, ['-r', hook, path.join(repo, 'bin/run.cjs'), 'version'], {encoding: 'utf8', env: {...process.env, NODE_OPTIONS: ''}})
    expect(r.stdout).to.match(/^Version: /)
    const loaded = Number(/^LOADED (\d+)$/m.exec(r.stderr)?.[1])
    expect(loaded, r.stderr).to.be.within(1, table.size / 10)
  })

  it('the bundled CLI runs the engine from the bundle, never a second copy of a dist/ module', () => {
    // A dist/ module loaded beside the bundle would have its own error
    // classes and logger (runtime.ts's on-use modules are require()d).
    const tmp = mkdtempSync(path.join(tmpdir(), 'peapod-bundle-'))
    const hook = path.join(tmp, 'hook.cjs')
    writeFileSync(hook, "process.on('exit', () => process.stderr.write('\\nREQUIRED ' + JSON.stringify(Object.keys(require.cache)) + '\\n'))\n")
    try {
      const store = ['--root', path.join(tmp, 'root'), '--runroot', path.join(tmp, 'run')]
      for (const args of [['volume', 'ls'], ['pod', 'ps'], ['network', 'ls'], ['images'], ['ps', '-a'], ['secret', 'ls'], ['version']]) {
        const r = spawnSync(process.execPath, ['-r', hook, path.join(repo, 'bin/run.cjs'), ...store, ...args], {encoding: 'utf8', env: {...process.env, NODE_OPTIONS: ''}})
        const line = r.stderr.split('\n').find(l => l.startsWith('REQUIRED '))
        expect(line, r.stderr).to.be.a('string')
        const loaded = (JSON.parse(line!.slice(9)) as string[]).filter(f => f.startsWith(path.join(repo, 'dist') + path.sep))
        expect(loaded.filter(f => !f.endsWith('.cjs')), args.join(' ')).to.deep.equal([])
        // A command run directly evaluates oclif's light half only (src/cli/oclif-bundles.ts).
        expect(loaded.filter(f => f.includes('vendor')), args.join(' ')).to.deep.equal([path.join(repo, 'dist/vendor/oclif-light.cjs')])
        // The everyday commands' chunks are all in dist/peapod.cjs (the build's census); the others load the rest.
        const everyday = !['network', 'secret'].includes(args[0])
        expect(loaded.includes(path.join(repo, 'dist/peapod-cold.cjs')), args.join(' ')).to.equal(!everyday)
      }
    } finally {
      rmSync(tmp, {recursive: true, force: true})
    }
  })

  it('the build\'s caches match their bundles (compiled from cache)', () => {
    const r = spawnSync(process.execPath, ['-e', `
      const {requireWithCodeCache, compiledFromCache} = require(${JSON.stringify(path.join(repo, 'dist/cli/code-cache.cjs'))})
      const files = ${JSON.stringify([bundle, path.join(repo, 'dist/peapod-cold.cjs'), path.join(repo, 'dist/vendor/oclif-light.cjs'), path.join(repo, 'dist/vendor/oclif-core.cjs')])}
      for (const f of files) requireWithCodeCache(f)
      console.log(files.map(f => compiledFromCache(f)).join(' '))`], {encoding: 'utf8', env: {...process.env, NODE_OPTIONS: ''}})
    expect(r.stdout.trim(), r.stderr).to.equal('true true true true')
  })

  it('each everyday command has its own cache, made from the bundle, and bin/run.cjs loads it for that command', () => {
    const dir = path.join(repo, 'dist/code-cache')
    const {words} = JSON.parse(readFileSync(path.join(dir, 'commands.json'), 'utf8')) as {words: Record<string, string>}
    const names = [...new Set(Object.values(words))]
    expect(names).to.include.members(['version', 'ps', 'images', 'inspect', 'pod-ps', 'volume-ls', 'port'])
    for (const name of names) {
      const one = spawnSync(process.execPath, ['-e', `
        const {requireWithCodeCache, compiledFromCache} = require(${JSON.stringify(path.join(repo, 'dist/cli/code-cache.cjs'))})
        requireWithCodeCache(${JSON.stringify(bundle)}, ${JSON.stringify(path.join(dir, name + '.cache'))})
        console.log(compiledFromCache(${JSON.stringify(bundle)}))`], {encoding: 'utf8', env: {...process.env, NODE_OPTIONS: ''}})
      expect(one.stdout.trim(), `${name}: ${one.stderr}`).to.equal('true')
    }
    // Which cache a command line loads: its words after the global flags.
    const tmp = mkdtempSync(path.join(tmpdir(), 'peapod-cache-pick-'))
    const hook = path.join(tmp, 'hook.cjs')
    writeFileSync(hook, "const fs = require('node:fs'), read = fs.readFileSync, seen = []\n" +
      "fs.readFileSync = function (f, ...a) { if (String(f).endsWith('.cache') && !String(f).includes('vendor')) seen.push(String(f)); return read.call(this, f, ...a) }\n" +
      "process.on('exit', () => process.stderr.write('\\nCACHES ' + JSON.stringify(seen) + '\\n'))\n")
    try {
      const store = ['--root', path.join(tmp, 'root'), '--runroot', path.join(tmp, 'run')]
      const cases: Array<[string[], ...string[]]> = [
        [['version'], 'code-cache/version.cache'],
        [[...store, 'ps', '-a'], 'code-cache/ps.cache'],
        [['--log-level=error', ...store, 'container', 'ls'], 'code-cache/ps.cache'],
        [[...store, '--syslog', 'pod', 'ls'], 'code-cache/pod-ps.cache'],
        [[...store, 'volume', 'ls', '--format', '{{.Name}}'], 'code-cache/volume-ls.cache'],
        [[...store, 'images'], 'code-cache/images.cache'],
        [[...store, 'network', 'ls'], 'peapod.cjs.cache', 'peapod-cold.cjs.cache'],
        [[...store, 'pod'], 'peapod.cjs.cache'],
      ]
      for (const [args, ...want] of cases) {
        const run = spawnSync(process.execPath, ['-r', hook, path.join(repo, 'bin/run.cjs'), ...args], {encoding: 'utf8', env: {...process.env, NODE_OPTIONS: ''}})
        const line = run.stderr.split('\n').find(l => l.startsWith('CACHES '))
        expect(line, run.stderr).to.be.a('string')
        expect(JSON.parse(line!.slice(7)), args.join(' ')).to.deep.equal(want.map(w => path.join(repo, 'dist', w)))
      }
    } finally {
      rmSync(tmp, {recursive: true, force: true})
    }
  })
})
