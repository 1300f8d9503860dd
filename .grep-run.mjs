import Mocha from 'mocha'
const [grep, ...files] = process.argv.slice(2)
const mocha = new Mocha({timeout: 120000, reporter: 'spec', slow: 5000, grep})
for (const f of files) mocha.addFile(f)
await mocha.loadFilesAsync()
let passed = 0, failed = 0, skipped = 0
const runner = mocha.run(() => { console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`); process.exit(failed ? 1 : 0) })
runner.on('pass', () => passed++); runner.on('fail', () => failed++); runner.on('pending', () => skipped++)
