import {expect} from 'chai'
import {GLOBALS_ENV, liftGlobalFlags, splitAtPositional} from '../../src/cli/argv.js'

describe('argv pre-processing', () => {
  afterEach(() => { delete process.env[GLOBALS_ENV] })

  it('lifts global flags given before the command', () => {
    const rest = liftGlobalFlags(['--root', '/r', '--runroot=/rr', '--storage-opt', 'a', '--storage-opt', 'b', 'images', '--root', 'x'])
    expect(rest).to.deep.equal(['images', '--root', 'x'])
    expect(JSON.parse(process.env[GLOBALS_ENV]!)).to.deep.equal({root: '/r', runroot: '/rr', 'storage-opt': ['a', 'b']})
  })

  it('leaves argv alone without leading globals', () => {
    expect(liftGlobalFlags(['image', 'ls', '-q'])).to.deep.equal(['image', 'ls', '-q'])
    expect(process.env[GLOBALS_ENV]).to.equal(undefined)
  })

  it('stops flag parsing at the first positional (podman run IMAGE ls -la)', () => {
    const vf = new Set(['--name', '-e'])
    expect(splitAtPositional(['-e', 'A=1', '--rm', 'img', 'ls', '-la'], vf, 1)).to.deep.equal({flags: ['-e', 'A=1', '--rm', 'img'], rest: ['ls', '-la']})
    expect(splitAtPositional(['ls', '-la'], vf)).to.deep.equal({flags: [], rest: ['ls', '-la']})
    expect(splitAtPositional(['--', 'echo', '--rm'], vf)).to.deep.equal({flags: [], rest: ['echo', '--rm']})
  })
})
