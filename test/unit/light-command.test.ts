// A command run directly parses its argv with the light half of oclif
// (src/cli/oclif-bundles.ts: oclif's own parser modules) through peapod's
// Command base (src/cli/command.ts). Issue 16: a faster path that gives a
// different answer is a defect. Checked here for EVERY command of the
// manifest, on a corpus of argv generated from its own flag and argument
// definitions, against the real @oclif/core package's Command.parse (and so
// its Parser.parse) on the same definitions: flags, args, argv and raw
// tokens, or the error's class, message and exit code.
import {expect} from 'chai'
import {existsSync, readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const MANIFEST = path.join(repo, 'oclif.manifest.json')
const require = createRequire(import.meta.url)

type FlagDef = {name: string; type: 'boolean' | 'option'; char?: string; allowNo?: boolean; options?: readonly string[]; multiple?: boolean; aliases?: string[]; charAliases?: string[]}
type ArgDef = {name: string; options?: readonly string[]}

/** The argv corpus for a command with FLAGS and ARGS. */
export function corpus(flags: Record<string, FlagDef>, args: Record<string, ArgDef>, strict: boolean): string[][] {
  const out: string[][] = [[], ['--'], ['--', '-x', '--y'], ['--nosuch'], ['--nosuch=1'], ['-Z'], ['-'], ['--no-nosuch']]
  const argNames = Object.values(args)
  for (let n = 1; n <= argNames.length + 2; n++) out.push(Array.from({length: n}, (_, i) => `word${i}`))
  for (const [i, a] of argNames.entries()) if (a.options) {
    out.push([...Array.from({length: i}, () => 'w'), 'bogus'], [...Array.from({length: i}, () => 'w'), a.options[0]])
  }
  const bools: string[] = []
  for (const [name, def] of Object.entries(flags)) {
    const f = {...def, name}
    const long = `--${f.name}`
    const forms = [long, ...(f.aliases ?? []).map(a => `--${a}`), ...(f.char ? [`-${f.char}`] : []), ...(f.charAliases ?? []).map(c => `-${c}`)]
    if (f.type === 'boolean') {
      if (f.char) bools.push(f.char)
      for (const x of forms) out.push([x], [x, 'word'], [x, x], [`${x}=true`], [`${x}=false`], [`${x}=`])
      out.push([`--no-${f.name}`], [`--no-${f.name}`, long], [long, `--no-${f.name}`], [`--no-${f.name}=x`])
    } else {
      const v = f.options?.[0] ?? 'v'
      for (const x of forms) {
        out.push([x], [x, v], [`${x}=${v}`], [x, v, x, 'w2'], [x, v, 'word'], [x, '--'], [x, '--', 'a'], [x, '-'], [x, '--other'], [`${x}=`], ['word', x, v])
        if (x.length === 2) out.push([`${x}${v}`])
      }
      out.push([long, 'bogus'], [`${long}=bogus`], [`--no-${f.name}`], [long, 'a,b'], [long, '1'], [long, '-1'], [long, '0x10'], [long, '1.5'])
      if (f.multiple) out.push([long, 'a', 'b', 'c'], [long, 'a', '--', 'b'])
    }
  }
  if (bools.length > 1) out.push([`-${bools.join('')}`], [`-${bools.slice(0, 2).join('')}`, 'word'], [`-${bools[0]}Z`])
  const opts = Object.values(flags).filter(f => f.type === 'option' && f.char)
  if (bools.length && opts.length) out.push([`-${bools[0]}${opts[0].char}`, 'v'], [`-${bools[0]}${opts[0].char}v`])
  if (!strict) out.push(['a', '-x', '--y', 'b'])
  return out
}

interface Outcome {ok?: unknown; error?: {name: string; ctor: string; message: string; exit: unknown; code?: unknown}}

async function outcome(p: () => Promise<unknown>): Promise<Outcome> {
  try {
    const r = await p() as {flags: unknown; args: unknown; argv: unknown; raw: unknown; nonExistentFlags: unknown}
    return {ok: JSON.parse(JSON.stringify({flags: r.flags, args: r.args, argv: r.argv, raw: r.raw, nonExistentFlags: r.nonExistentFlags}))}
  } catch (e) {
    const err = e as Error & {oclif?: {exit?: unknown}; code?: unknown}
    return {error: {name: err.name, ctor: err.constructor.name, message: err.message, exit: err.oclif?.exit, code: err.code}}
  }
}

describe('the light Command parses as oclif does, on every command', () => {
  before(function () {
    if (!existsSync(MANIFEST) || !existsSync(path.join(repo, 'dist/vendor/oclif-light.cjs'))) this.skip() // npm run build
  })

  it("has oclif's Command statics and prototype", async () => {
    const Real = (require('@oclif/core') as typeof import('@oclif/core')).Command as unknown as Record<string, unknown> & {prototype: object}
    const {Command: Light} = await import(pathToFileURL(path.join(repo, 'dist/cli/command.js')).href) as {Command: Record<string, unknown> & {prototype: object}}
    const statics = (c: object) => Object.getOwnPropertyNames(c).filter(k => !['length', 'name', 'prototype', 'run'].includes(k)).sort()
    expect(statics(Light)).to.deep.equal(statics(Real))
    for (const k of statics(Real)) expect(Light[k], k).to.deep.equal(Real[k])
    expect(Object.getOwnPropertyNames(Light.prototype).sort()).to.deep.equal(Object.getOwnPropertyNames(Real.prototype).sort())
  })

  it('gives the same flags, args and errors for a generated corpus of argv', async function () {
    this.timeout(300_000)
    // oclif reads stdin (10 ms timeout) for a missing argument unless it is a terminal: as in one, for both.
    const tty = Object.getOwnPropertyDescriptor(process.stdin, 'isTTY')
    Object.defineProperty(process.stdin, 'isTTY', {value: true, configurable: true})
    after(() => tty ? Object.defineProperty(process.stdin, 'isTTY', tty) : delete (process.stdin as {isTTY?: boolean}).isTTY)
    const core = require('@oclif/core') as typeof import('@oclif/core')
    const config = await core.Config.load(repo)
    const {lightConfig, readPackageJson} = await import(pathToFileURL(path.join(repo, 'dist/cli/direct.js')).href)
    const light = lightConfig(repo, readPackageJson(repo))
    const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as {commands: Record<string, {relativePath: string[]}>}
    let lines = 0
    const mismatches: string[] = []
    for (const [id, entry] of Object.entries(manifest.commands)) {
      const Cmd = (await import(pathToFileURL(path.join(repo, ...entry.relativePath)).href)).default
      // The same definitions on oclif's own Command (the package, not the bundles).
      class Real extends core.Command {
        static override flags = Cmd.flags
        static override baseFlags = Cmd.baseFlags
        static override args = Cmd.args
        static override strict = Cmd.strict
        static override enableJsonFlag = Cmd.enableJsonFlag
        async run() {}
      }
      Object.defineProperty(Real, 'name', {value: Cmd.name})
      const flags = {...Cmd.baseFlags, ...Cmd.flags}
      for (const argv of corpus(flags, Cmd.args ?? {}, Cmd.strict !== false)) {
        const mine = new Cmd([...argv], light)
        const theirs = new Real([...argv], config)
        const a = await outcome(() => mine.parse(Cmd, [...argv]))
        const b = await outcome(() => (theirs as unknown as {parse(o: unknown, a: string[]): Promise<unknown>}).parse(Real, [...argv]))
        lines++
        try {
          expect(a).to.deep.equal(b)
        } catch {
          mismatches.push(`${id} ${JSON.stringify(argv)}:\n  light ${JSON.stringify(a)}\n  oclif ${JSON.stringify(b)}`)
        }
      }
    }
    expect(mismatches.slice(0, 10).join('\n'), `${mismatches.length} of ${lines}`).to.equal('')
    expect(lines).to.be.greaterThan(5000)
  })
})
