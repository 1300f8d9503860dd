// The layering guard of DESIGN.md, run as a test so CI counts it:
// no import cycles, commands import only src/cli and src/libpod/index,
// container/ never imports pod/ (scripts/check-imports.js).
import {execFileSync} from 'node:child_process'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {expect} from 'chai'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

describe('import layering', function () {
  this.timeout(60000)
  it('has no import cycles and respects the layers', () => {
    let out = ''
    try {
      out = execFileSync(process.execPath, [path.join(repo, 'scripts/check-imports.js')], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']})
    } catch (e) {
      const err = e as {stderr?: string}
      expect.fail(`check-imports failed:\n${err.stderr ?? e}`)
    }
    expect(out).to.contain('no import cycles')
  })
})
