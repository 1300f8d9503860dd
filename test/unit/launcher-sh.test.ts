// bin/peapod decides in sh, from the table the build writes
// (dist/cli/launcher-table.sh), what bin/run.js decides in Node
// (needsUserNamespace after liftGlobalFlags): the two must agree on every
// command, alias and the argv shapes around them.
import {expect} from 'chai'
import {execFileSync} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {GLOBALS_ENV, liftGlobalFlags} from '../../src/cli/argv.js'
import {indexFromManifest, needsUserNamespace} from '../../src/cli/launcher.js'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const TABLE = path.join(repo, 'dist/cli/launcher-table.sh')
const MANIFEST = path.join(repo, 'oclif.manifest.json')

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`

/** peapod_needs_ns for each argv, from bin/peapod's own function, in one sh. */
function shDecisions(cases: string[][]): boolean[] {
  const launcher = readFileSync(path.join(repo, 'bin/peapod'), 'utf8')
  const fn = launcher.match(/^peapod_needs_ns\(\) \{\n[\s\S]*?\n\}\n/m)
  if (!fn) throw new Error('bin/peapod: no peapod_needs_ns function')
  const script = [`. ${quote(TABLE)}`, fn[0], ...cases.map(c => `if peapod_needs_ns ${c.map(quote).join(' ')}; then echo 1; else echo 0; fi`)].join('\n')
  return execFileSync('sh', ['-s'], {input: script, encoding: 'utf8'}).trim().split('\n').map(l => l === '1')
}

function nodeDecision(argv: string[], index: ReturnType<typeof indexFromManifest>): boolean {
  const saved = process.env[GLOBALS_ENV]
  try {
    return needsUserNamespace(liftGlobalFlags(argv), index)
  } finally {
    if (saved === undefined) delete process.env[GLOBALS_ENV]
    else process.env[GLOBALS_ENV] = saved
  }
}

describe('launcher: bin/peapod agrees with bin/run.js', () => {
  before(function () {
    if (!existsSync(TABLE) || !existsSync(MANIFEST)) this.skip() // npm run build
  })

  it('on every command and alias, with global flags, arguments and help around them', () => {
    const index = indexFromManifest(JSON.parse(readFileSync(MANIFEST, 'utf8')))
    const names = new Set<string>()
    for (const c of Object.values(index)) for (const n of [c.id, ...c.aliases ?? [], ...c.hiddenAliases ?? []]) names.add(n)
    const cases: string[][] = [
      [], ['--'], ['bogus'], ['bogus', 'ps'], ['container'], ['help', 'ps'], ['--version'], ['--help'], ['-h'],
      ['--root'], ['--root', 'x'], ['--root=x', 'run', 'img'], ['--root', 'x', '--debug', 'rm', 'c'],
      ['--debug=true', 'rm', 'c'], ['--bogus', 'rm', 'c'], ['--log-level', 'debug', 'pod', 'create'],
      ['--storage-opt', 'a=b', '--storage-opt', 'c=d', 'images'], ['--runtime-flag', 'x', 'volume', 'create'],
      ['run', '--rm', 'img', 'ps'], ['', 'ps'], ['a=b', 'ps'], ['-a', 'ps'], ['ps', '-h', 'x'], ['rm', '-h'],
      ['container', '', 'ls'], ['container', 'ls', 'extra'], ['image', 'ls', 'pod', 'ps'], ['pod', '--help', 'create'],
      ['run', 'img', '--help'], ['--', 'rm', 'c'], ['container', 'run', '--', 'x'], ['-', 'rm'], ['rm', '*'], ['*'],
    ]
    for (const n of names) {
      const words = n.split(':')
      cases.push(words, [...words, '-a'], [...words, 'x'], [...words, 'x', 'y'], [...words, '--format=x', 'y'],
        ['--root', '/r', '--runroot=/rr', ...words, 'arg'], ['--debug', ...words], [...words, '--help'], [...words, '-h'],
        ['--log-level=debug', ...words, 'ls'], [...words.slice(0, -1), '--all', ...words.slice(-1)])
    }
    const sh = shDecisions(cases)
    const wrong = cases.filter((c, i) => sh[i] !== nodeDecision(c, index)).map(c => JSON.stringify(c))
    expect(wrong, 'argv where bin/peapod decides otherwise').to.deep.equal([])
    expect(sh.filter(Boolean).length).to.be.greaterThan(100)
    expect(sh.filter(x => !x).length).to.be.greaterThan(100)
  })
})
