// Man pages and --help come from the same flag tables: every command in the
// oclif manifest has a page in man/ that names every one of its flags.
import {expect} from 'chai'
import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const manifestPath = path.join(repo, 'oclif.manifest.json')

describe('man pages', () => {
  it('exist for every command and list every flag', function () {
    if (!existsSync(manifestPath)) this.skip() // needs `npm run build` (npm test builds first)
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {commands: Record<string, {id: string; hidden?: boolean; aliases?: string[]; flags: Record<string, {hidden?: boolean}>}>}
    const cmds = Object.values(manifest.commands).filter(c => !c.hidden)
    expect(cmds.length).to.be.greaterThan(10)
    for (const c of cmds) {
      const page = path.join(repo, 'man', `peapod-${c.id.replace(/:/g, '-')}.1`)
      expect(existsSync(page), page).to.equal(true)
      const text = readFileSync(page, 'utf8').replace(/\\-/g, '-')
      for (const [name, f] of Object.entries(c.flags)) if (!f.hidden) expect(text, `${c.id} --${name}`).to.contain(`--${name}`)
      for (const a of c.aliases ?? []) expect(existsSync(path.join(repo, 'man', `peapod-${a.replace(/:/g, '-')}.1`)), `alias ${a}`).to.equal(true)
    }
  })
})
