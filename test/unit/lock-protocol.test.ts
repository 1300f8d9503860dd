// state/lock.ts keeps proper-lockfile's on-disk protocol without loading it:
// mutual exclusion, stale and dead-holder takeover, mtime refresh, release,
// and exclusion against a proper-lockfile holder (an earlier peapod).
import {expect} from 'chai'
import {existsSync, mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import lockfile from 'proper-lockfile'
import {withLock} from '../../src/libpod/state/lock.js'

describe('lock protocol (proper-lockfile compatible)', () => {
  let dir: string
  let file: string
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'peapod-lockp-'))
    file = path.join(dir, 'x')
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  it('excludes: holders of the same lock never overlap; released after each', async () => {
    let inside = 0
    let most = 0
    const work = () => withLock(file, async () => {
      most = Math.max(most, ++inside)
      await new Promise(r => setTimeout(r, 5))
      inside--
    })
    await Promise.all([work(), work(), work(), work()])
    expect(most).to.equal(1)
    expect(existsSync(`${file}.lock`)).to.equal(false)
  })

  it('releases when the work throws', async () => {
    let err: Error | undefined
    await withLock(file, () => { throw new Error('boom') }).catch(e => { err = e })
    expect(err?.message).to.equal('boom')
    expect(existsSync(`${file}.lock`)).to.equal(false)
  })

  it('takes over a stale lock (mtime older than 5 s) and a dead holder\'s at once', async () => {
    mkdirSync(`${file}.lock`)
    const old = new Date(Date.now() - 10_000)
    utimesSync(`${file}.lock`, old, old)
    expect(await withLock(file, () => 'stale taken')).to.equal('stale taken')
    mkdirSync(`${file}.lock`)
    writeFileSync(`${file}.lock/owner`, '999999999:1') // a process that does not exist
    const t = Date.now()
    expect(await withLock(file, () => 'dead taken')).to.equal('dead taken')
    expect(Date.now() - t).to.be.below(2000)
  })

  it('keeps the lock fresh while held (mtime refreshed every 2.5 s)', async function () {
    this.timeout(10_000)
    await withLock(file, async () => {
      const first = statSync(`${file}.lock`).mtimeMs
      await new Promise(r => setTimeout(r, 3000))
      expect(statSync(`${file}.lock`).mtimeMs).to.be.above(first)
      expect(existsSync(`${file}.lock/owner`)).to.equal(true)
    })
  })

  it('excludes a proper-lockfile holder and is excluded by one', async function () {
    this.timeout(10_000)
    const release = await lockfile.lock(file, {realpath: false, stale: 5000})
    let ran = false
    const ours = withLock(file, () => { ran = true })
    await new Promise(r => setTimeout(r, 200))
    expect(ran).to.equal(false)
    await release()
    await ours
    expect(ran).to.equal(true)
    await withLock(file, async () => {
      const e = await lockfile.lock(file, {realpath: false, stale: 5000}).then(() => undefined, (x: NodeJS.ErrnoException) => x)
      expect(e?.code).to.equal('ELOCKED')
    })
  })
})
