// The light exit command's argv: written by libpod/container/exit-command.ts
// (engineGlobalArgs), read back by src/exit-command.ts (parseEngineGlobalArgs).
import {expect} from 'chai'
import {engineGlobalArgs, parseEngineGlobalArgs} from '../../src/libpod/config/global-args.js'
import {loadConfig} from '../../src/libpod/config/config.js'

describe('exit command argv', () => {
  it('parseEngineGlobalArgs reads back every flag engineGlobalArgs writes', () => {
    const opts = {
      root: '/r', runroot: '/rr', tmpdir: '/t', eventsBackend: 'none', volumePath: '/v', networkConfigDir: '/n',
      runtimeFlags: ['debug', 'log=/x'], hooksDirs: ['/h1', '/h2'], networkCmdPath: '/usr/bin/slirp4netns',
    }
    const argv = [...engineGlobalArgs(loadConfig(opts)), '--storage-driver', 'vfs', 'ID']
    expect(parseEngineGlobalArgs(argv)).to.deep.equal({opts: {...opts, storageDriver: 'vfs'}, rest: ['ID']})
    // the defaults write nothing more than the store
    expect(parseEngineGlobalArgs([...engineGlobalArgs(loadConfig({root: '/r', runroot: '/rr'})), 'ID'])).to.deep.equal({opts: {root: '/r', runroot: '/rr'}, rest: ['ID']})
  })

  it('an argv it does not know is not read (the full CLI takes it)', () => {
    expect(parseEngineGlobalArgs(['--cgroup-manager', 'cgroupfs', 'ID'])).to.equal(undefined)
    expect(parseEngineGlobalArgs(['--root'])).to.equal(undefined)
    expect(parseEngineGlobalArgs(['--root', '/r', 'container', 'cleanup', 'ID'])?.rest).to.deep.equal(['container', 'cleanup', 'ID'])
  })
})
