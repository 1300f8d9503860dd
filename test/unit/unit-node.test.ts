// Which node a generated unit pins (PEAPOD_NODE): none when systemd's PATH
// finds the node that generates it, else that node.
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {nodeOnPath, SYSTEMD_DEFAULT_PATH, unitNodePin} from '../../src/libpod/systemd/unit-node.js'

describe('units: the node a unit starts', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'unit-node-'))
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  it('pins nothing when the unit\'s PATH finds this node, through a symbolic link too', () => {
    mkdirSync(path.join(dir, 'bin'))
    symlinkSync(process.execPath, path.join(dir, 'bin/node'))
    expect(unitNodePin(process.execPath, `/nonexistent:${dir}/bin`)).to.equal(undefined)
  })

  it('pins this node when the PATH has none, or another one first; a directory or a non-executable is no node', () => {
    expect(unitNodePin(process.execPath, `${dir}:relative/bin`)).to.equal(process.execPath)
    mkdirSync(path.join(dir, 'a/node'), {recursive: true})
    writeFileSync(path.join(dir, 'b'), '')
    mkdirSync(path.join(dir, 'c'))
    writeFileSync(path.join(dir, 'c/node'), 'not executable')
    expect(nodeOnPath(`${dir}/a:${dir}/c`)).to.equal(undefined)
    mkdirSync(path.join(dir, 'd'))
    writeFileSync(path.join(dir, 'd/node'), '#!/bin/sh\n')
    chmodSync(path.join(dir, 'd/node'), 0o755)
    mkdirSync(path.join(dir, 'e'))
    symlinkSync(process.execPath, path.join(dir, 'e/node'))
    expect(nodeOnPath(`${dir}/a:${dir}/d:${dir}/e`)).to.equal(path.join(dir, 'd/node'))
    expect(unitNodePin(process.execPath, `${dir}/a:${dir}/d:${dir}/e`)).to.equal(process.execPath)
  })

  it('systemd\'s default PATH is what systemd-path says here', function () {
    const r = spawnSync('systemd-path', ['search-binaries-default'], {encoding: 'utf8'})
    if (r.status !== 0) this.skip()
    expect(r.stdout.trim()).to.equal(SYSTEMD_DEFAULT_PATH)
  })
})
