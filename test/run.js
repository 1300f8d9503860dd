// The test command: runs every mocha suite (unit, then end-to-end) and ends
// with the plain line CI reads: "N passed, N failed, N skipped".
// Usage: node --import tsx test/run.js [file-or-dir ...]
import Mocha from 'mocha'
import {readdirSync, statSync} from 'node:fs'
import path from 'node:path'

const args = process.argv.slice(2)
const roots = args.length ? args : ['test/unit', 'test/e2e']
const mocha = new Mocha({timeout: 120000, reporter: 'spec', slow: 5000})
for (const r of roots) for (const f of testFiles(r)) mocha.addFile(f)

function testFiles(p) {
  if (!statSync(p, {throwIfNoEntry: false})) return []
  if (statSync(p).isFile()) return [p]
  return readdirSync(p).sort().flatMap(f => {
    const full = path.join(p, f)
    return statSync(full).isDirectory() ? testFiles(full) : f.endsWith('.test.ts') ? [full] : []
  })
}

await mocha.loadFilesAsync()
let passed = 0
let failed = 0
let skipped = 0
const runner = mocha.run(() => {
  console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`)
  process.exit(failed > 0 || passed === 0 ? 1 : 0)
})
runner.on('pass', () => passed++)
runner.on('fail', () => failed++)
runner.on('pending', () => skipped++)
