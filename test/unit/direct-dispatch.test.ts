// bin/run.js runs a command the build's index names without oclif's
// Config.load (src/cli/direct.ts). That is only right if it picks the very
// command and arguments oclif's own dispatch (normalizeArgv, findCommand)
// would: checked here on every command and alias with the real manifest.
import {expect} from 'chai'
import {existsSync, readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {canRunDirectly, lightConfig, readPackageJson} from '../../src/cli/direct.js'
import {indexFromManifest, resolveCommand} from '../../src/cli/launcher.js'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const MANIFEST = path.join(repo, 'oclif.manifest.json')
const require = createRequire(import.meta.url)

describe('direct dispatch: the command oclif would run', () => {
  before(function () {
    if (!existsSync(MANIFEST)) this.skip() // npm run build
  })

  it('resolves every command, alias and argv shape as oclif does', async () => {
    const {Config} = require('@oclif/core') as typeof import('@oclif/core')
    const {normalizeArgv} = require('@oclif/core/help') as {normalizeArgv(c: unknown, argv: string[]): string[]}
    const config = await Config.load(repo)
    const index = indexFromManifest(JSON.parse(readFileSync(MANIFEST, 'utf8')))
    const names = new Set<string>()
    for (const c of Object.values(index)) for (const n of [c.id, ...c.aliases ?? [], ...c.hiddenAliases ?? []]) names.add(n)
    const cases: string[][] = [['bogus'], ['bogus', 'ps'], ['container'], ['help', 'ps'], ['a=b', 'ps'], ['-a', 'ps'],
      ['run', '--rm', 'img', 'ps'], ['container', 'ls', 'extra'], ['image', 'ls', 'pod', 'ps'], ['container', 'run', '--', 'x'], ['rm', '*']]
    for (const n of names) {
      const words = n.split(':')
      cases.push(words, [...words, '-a'], [...words, 'x'], [...words, 'x', 'y'], [...words, '--format=x', 'y'], [...words, '--', 'x'],
        [...words.slice(0, -1), '--all', ...words.slice(-1)], [...words, ...words])
    }
    let direct = 0
    for (const argv of cases) {
      const found = resolveCommand(argv, index)
      if (!found) continue
      direct++
      const [id, ...rest] = normalizeArgv(config, [...argv])
      const cmd = config.findCommand(id)
      // (an alias's entry in oclif has the alias as id, and loads the command's module)
      expect([found.entry.id, ...found.entry.aliases ?? [], ...found.entry.hiddenAliases ?? []], `${JSON.stringify(argv)}: oclif runs ${id}`).to.include(cmd?.id)
      expect(argv.slice(found.words), JSON.stringify(argv)).to.deep.equal(rest)
      expect(found.entry.path, found.entry.id).to.equal(cmd!.relativePath?.join('/'))
    }
    expect(direct).to.be.greaterThan(500)
  })

  it('leaves help, --version and an empty command line to oclif', () => {
    const pjson = readPackageJson(repo)
    expect(canRunDirectly(['ps', '-a'], pjson)).to.equal(true)
    expect(canRunDirectly(['run', 'img', '--', '--help'], pjson)).to.equal(true)
    for (const argv of [[], ['--version'], ['--help'], ['ps', '--help'], ['run', '--help', '--', 'x']]) expect(canRunDirectly(argv, pjson), JSON.stringify(argv)).to.equal(false)
  })

  it("gives the command a Config with what oclif's loaded one has for it", async () => {
    const {Config} = require('@oclif/core') as typeof import('@oclif/core')
    const full = await Config.load(repo)
    const light = lightConfig(repo, readPackageJson(repo))
    for (const k of ['root', 'name', 'version', 'bin', 'dirname', 'arch', 'platform', 'windows', 'userAgent', 'topicSeparator', 'channel'] as const) {
      expect(light[k], k).to.deep.equal(full[k])
    }
    expect(light.scopedEnvVarKeys('REDIRECTED')).to.deep.equal(full.scopedEnvVarKeys('REDIRECTED'))
    expect(await light.runHook('preparse', {argv: [], options: {}} as never)).to.deep.equal({failures: [], successes: []})
    expect(await full.runHook('preparse', {argv: [], options: {}} as never)).to.deep.equal({failures: [], successes: []})
  })
})
