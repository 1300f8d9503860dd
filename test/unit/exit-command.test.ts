// The light exit command's argv: written by libpod/container/exit-command.ts
// (engineGlobalArgs), read back by src/exit-command.ts (parseEngineGlobalArgs).
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
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

describe('exit command bundle', () => {
  it('dist/exit-command.cjs compiles from the cache the build wrote', function () {
    const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
    const bundle = path.join(repo, 'dist/exit-command.cjs')
    if (!existsSync(bundle)) this.skip()
    const r = spawnSync(process.execPath, ['-e', `
      const {requireWithCodeCache, compiledFromCache} = require(${JSON.stringify(path.join(repo, 'dist/cli/code-cache.cjs'))})
      const m = requireWithCodeCache(${JSON.stringify(bundle)})
      console.log(compiledFromCache(${JSON.stringify(bundle)}), typeof m.run, typeof m.runExitCommand)`], {encoding: 'utf8', env: {...process.env, NODE_OPTIONS: ''}})
    expect(r.stdout.trim(), r.stderr).to.equal('true function function')
  })
})
