// Flag parity with Podman 4.3.1: every command and long flag in the checked-in
// table (scripts/gen-podman-flags.js, from `podman <cmd> --help`) exists in
// peapod's built manifest, or the exclusion list (test/parity/exclusions.json)
// says why not. Prints how many Podman flags peapod lacks.
import {expect} from 'chai'
import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
// @ts-expect-error: a plain JS script, shared with `node scripts/flag-parity.js`
import {compare, EXCLUSIONS, peapodCommands, summary, TABLE} from '../../scripts/flag-parity.js'

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const MANIFEST = path.join(REPO, 'oclif.manifest.json')

interface Exclusions {
  global: Record<string, string>
  commands: Record<string, string>
  flags: Record<string, Record<string, string>>
  pending?: {reason: string; commands: string[]; flags: Record<string, string[]>}
}

describe('flag parity with Podman 4.3.1', function () {
  let manifest: {commands: Record<string, {id: string; aliases?: string[]; flags?: Record<string, {aliases?: string[]}>}>}
  const table = JSON.parse(readFileSync(TABLE, 'utf8')) as {podman: string; global: string[]; commands: Record<string, {flags: string[]; group?: boolean}>}
  const exclusions = JSON.parse(readFileSync(EXCLUSIONS, 'utf8')) as Exclusions

  before(function () {
    if (!existsSync(MANIFEST)) this.skip() // unbuilt tree: npm run build first
    manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'))
  })

  it('the table is Podman 4.3.1\'s and covers its commands', () => {
    expect(table.podman).to.equal('4.3.1')
    expect(Object.keys(table.commands)).to.include.members(['run', 'container run', 'pod create', 'info', 'events', 'system df'])
    expect(table.commands.run.flags).to.include.members(['memory', 'cpus', 'userns', 'restart'])
    expect(table.global).to.include.members(['root', 'runroot', 'noout', 'url'])
  })

  it('peapod has every command and flag that the exclusion list does not explain', () => {
    const r = compare(table, manifest, exclusions)
    console.log(`      ${summary(r).replace(/\n/g, '\n      ')}`)
    const list = [
      ...r.unexplained.commands.map((c: string) => `command: ${c}`),
      ...r.unexplained.flags.map((l: {command: string; flag: string}) => `flag: ${l.command} --${l.flag}`),
      ...r.unexplained.global.map((g: string) => `global flag: --${g}`),
    ]
    expect(list, 'add these to peapod, or to test/parity/exclusions.json with a reason').to.deep.equal([])
  })

  it('every exclusion has a reason and still excludes something ', () => {
    const cmds = peapodCommands(manifest)
    const stale: string[] = []
    for (const [g, why] of Object.entries(exclusions.global)) {
      expect(why, g).to.be.a('string').and.not.equal('')
      if (cmds.get('version')?.flags.has(g)) stale.push(`global --${g}`)
    }
    for (const [c, why] of Object.entries(exclusions.commands)) {
      expect(why, c).to.be.a('string').and.not.equal('')
      if (cmds.has(c)) stale.push(`command ${c}`)
    }
    for (const [c, flags] of Object.entries(exclusions.flags)) {
      for (const [f, why] of Object.entries(flags)) {
        expect(why, `${c} --${f}`).to.be.a('string').and.not.equal('')
        if (cmds.get(c)?.flags.has(f)) stale.push(`${c} --${f}`)
      }
    }
    expect(stale, 'these exist now: remove them from test/parity/exclusions.json').to.deep.equal([])
    if (exclusions.pending) {
      expect(exclusions.pending.reason).to.be.a('string').and.not.equal('')
      const landed = Object.entries(exclusions.pending.flags).flatMap(([c, fs]) => fs.filter(f => cmds.get(c)?.flags.has(f)).map(f => `${c} --${f}`))
      if (landed.length) console.log(`      pending entries that have landed (remove them): ${landed.join(', ')}`)
    }
  })
})
