// The engine's unit tests that need no OCI runtime (the Runtime and its
// objects over the fake runtime) pass for a user who is not root: a program
// using peapod as a library needs no privileges to be tested.
import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync, chownSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {expect} from 'chai'
import {REPO, TEST_USER, unavailable} from './helpers.js'

describe('engine unit tests as a non-root user', function () {
  const why = unavailable('rootless')
  before(function () {
    if (why) this.skip()
  })

  it('passes the fake-runtime and object tests without root', function () {
    this.timeout(180000)
    const home = mkdtempSync(path.join(os.tmpdir(), 'peapod-units-'))
    try {
      const id = spawnSync('id', ['-u', TEST_USER], {encoding: 'utf8'}).stdout.trim()
      chownSync(home, Number(id), Number(id))
      const r = spawnSync('su', [TEST_USER, '-s', '/bin/sh', '-c',
        'cd "$0" && HOME="$1" node --import tsx test/run.js test/unit/engine-fake.test.ts test/unit/objects.test.ts', REPO, home],
      {encoding: 'utf8'})
      const summary = /(\d+) passed, (\d+) failed/.exec(r.stdout)
      expect(summary, r.stdout + r.stderr).to.not.equal(null)
      expect(Number(summary![1]), r.stdout).to.be.greaterThan(10)
      expect(Number(summary![2]), r.stdout).to.equal(0)
      expect(r.status).to.equal(0)
    } finally {
      rmSync(home, {recursive: true, force: true})
    }
  })
})
