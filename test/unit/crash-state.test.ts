// What a process killed mid-way leaves in the state layer, and how the next
// one gets past it: a name reservation whose owner is gone is taken at once
// (and swept), a lock whose holder is gone is broken at once rather than
// after the stale time, and a live owner's are respected.
import {expect} from 'chai'
import {spawn, spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {NameReservations} from '../../src/libpod/state/names.js'
import {withLock} from '../../src/libpod/state/lock.js'
import {ownerAlive, ownerToken} from '../../src/libpod/util/owner.js'

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/libpod')

/** Runs a script in a child Node (with tsx) that SIGKILLs itself at the end. */
function dieAfter(dir: string, body: string): void {
  const script = path.join(dir, `child-${Math.random().toString(16).slice(2)}.mts`)
  writeFileSync(script, `${body}\nprocess.kill(process.pid, 'SIGKILL')\n`)
  const r = spawnSync(process.execPath, ['--import', 'tsx', script], {encoding: 'utf8'})
  expect(r.signal, r.stderr).to.equal('SIGKILL')
}

describe('crash state: owner tokens, names and locks of dead processes', function () {
  this.timeout(60_000)
  let dir: string
  beforeEach(() => { dir = mkdtempSync(path.join(tmpdir(), 'peapod-crash-state-')) })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  it('owner tokens: this process is alive; a dead or malformed one is not', () => {
    expect(ownerAlive(ownerToken())).to.equal(true)
    expect(ownerAlive(`${process.pid}:1`)).to.equal(false)
    expect(ownerAlive('999999999:1')).to.equal(false)
    expect(ownerAlive(undefined)).to.equal(false)
    expect(ownerAlive('junk')).to.equal(false)
  })

  it('a reservation of a killed creator (no document) is abandoned: taken at once, swept', () => {
    const names = path.join(dir, 'names')
    const documented = new Set<string>()
    const r = new NameReservations(names, id => documented.has(id), (n, h) => new Error(`in use ${n} ${h}`))
    dieAfter(dir, `import {NameReservations} from '${SRC}/state/names.ts'
new NameReservations(${JSON.stringify(names)}, () => false, () => new Error('x')).reserve('web', 'dead1')
new NameReservations(${JSON.stringify(names)}, () => false, () => new Error('x')).reserve('db', 'dead2')`)
    expect(r.holder('web')).to.equal('dead1')
    expect(r.dangling().sort()).to.deep.equal(['db', 'web'])
    r.reserve('web', 'mine')
    expect(r.holder('web')).to.equal('mine')
    // a live owner's reservation (ours, no document yet) is respected
    expect(() => r.reserve('web', 'other')).to.throw('in use web mine')
    expect(r.sweep()).to.deep.equal(['db'])
    expect(readdirSync(names)).to.deep.equal(['web'])
    // a documented holder keeps its name whoever reserved it
    documented.add('mine')
    expect(r.dangling()).to.deep.equal([])
  })

  it('a lock whose holder was killed is broken at once, not after the stale time', async () => {
    const file = path.join(dir, 'locks', 'c1')
    dieAfter(dir, `import {withLock} from '${SRC}/state/lock.ts'
await withLock(${JSON.stringify(file)}, () => { process.kill(process.pid, 'SIGKILL') })`)
    expect(existsSync(`${file}.lock`)).to.equal(true)
    const t0 = Date.now()
    await withLock(file, () => undefined)
    expect(Date.now() - t0).to.be.lessThan(2000)
    expect(existsSync(`${file}.lock`)).to.equal(false)
  })

  it('a holder killed while another command waits: its lock is broken at the next try, not after the stale time', async () => {
    const file = path.join(dir, 'locks', 'c2')
    const script = path.join(dir, 'holder.mts')
    writeFileSync(script, `import {withLock} from '${SRC}/state/lock.ts'
setInterval(() => {}, 1000)
await withLock(${JSON.stringify(file)}, () => new Promise(() => { console.log('held') }))`)
    const holder = spawn(process.execPath, ['--import', 'tsx', script], {stdio: ['ignore', 'pipe', 'inherit']})
    await new Promise<void>(resolve => holder.stdout!.on('data', d => String(d).includes('held') && resolve()))
    const t0 = Date.now()
    const waiting = withLock(file, () => Date.now())
    setTimeout(() => holder.kill('SIGKILL'), 300)
    const got = await waiting
    // (the stale time is 5 s; the mtime of a lock held 300 ms is fresh)
    expect(got - t0).to.be.lessThan(2500)
  })
})

// The storm (test/e2e/storm.test.ts): `rm -af` waited on a container another rm had just removed;
// its directory was gone, and waitForState threw "Cannot access 'timer' before initialization".
describe('crash state: waiting on a container removed meanwhile', function () {
  it('waitForState resolves when the container directory is already gone', async () => {
    const {waitForState} = await import('../../src/libpod/container/ops.js')
    const dir = mkdtempSync(path.join(tmpdir(), 'peapod-wait-gone-'))
    rmSync(dir, {recursive: true})
    const rt = {containers: {containerDir: () => dir, read: () => undefined}} as unknown as Parameters<typeof waitForState>[0]
    expect(await waitForState(rt, 'gone', () => false, 1000)).to.equal(true)
    expect(await waitForState(rt, 'gone', () => false)).to.equal(true)
  })
})
