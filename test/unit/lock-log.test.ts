// A lock wait shows at --log-level=debug (state/lock.ts).
import {expect} from 'chai'
import {mkdtempSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {withLock} from '../../src/libpod/state/lock.js'
import {log} from '../../src/libpod/util/log.js'

describe('lock waits in the debug log', () => {
  let dir: string
  let written: string
  const write = process.stderr.write.bind(process.stderr)
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'peapod-lock-'))
    written = ''
    process.stderr.write = ((s: string) => { written += s; return true }) as typeof process.stderr.write
  })
  afterEach(() => {
    process.stderr.write = write
    log.setLevel('warn')
    rmSync(dir, {recursive: true, force: true})
  })

  const contend = async () => {
    const file = path.join(dir, 'x')
    let release!: () => void
    let held!: () => void
    const isHeld = new Promise<void>(r => { held = r })
    const first = withLock(file, () => new Promise<void>(r => { release = r; held() }))
    await isHeld
    const second = withLock(file, () => 'second')
    // the second is refused and retries: free the first once it says so (bounded poll)
    for (let i = 0; i < 500 && !written.includes('waiting'); i++) await new Promise(r => setTimeout(r, 10))
    release()
    await first
    expect(await second).to.equal('second')
    return file
  }

  it('says when a lock is busy and when it was acquired', async () => {
    log.setLevel('debug')
    const file = await contend()
    expect(written).to.match(new RegExp(`level=debug msg="Lock ${file}.lock is held by another command: waiting"`))
    expect(written).to.match(/level=debug msg="Lock .* acquired after \d+ ms"/)
  })
})
