// The launcher's decisions before oclif loads: argv words → command (as
// oclif resolves them with the space topic separator), the rootless
// namespace from each command's `static userNamespace`, the log level.
import {expect} from 'chai'
import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {GLOBALS_ENV} from '../../src/cli/argv.js'
import {indexFromManifest, logLevelError, logLevelOf, needsUserNamespace, resolveCommand} from '../../src/cli/launcher.js'

// A manifest shaped like oclif's, with peapod's aliases.
const index = indexFromManifest({commands: {
  'container:list': {id: 'container:list', aliases: ['ps', 'container:ls', 'container:ps'], args: {}, userNamespace: false},
  'container:run': {id: 'container:run', aliases: ['run'], strict: false, args: {image: {}}},
  'container:rm': {id: 'container:rm', aliases: ['rm', 'container:remove'], strict: false, args: {}, userNamespace: true},
  'image:list': {id: 'image:list', aliases: ['images', 'image:ls'], args: {image: {}}, userNamespace: false},
  'image:rm': {id: 'image:rm', aliases: ['rmi', 'image:remove'], strict: false},
  'image:load': {id: 'image:load', aliases: ['load']},
  'pod:ps': {id: 'pod:ps', aliases: ['pod:ls', 'pod:list'], userNamespace: false},
  'pod:create': {id: 'pod:create', args: {}},
  inspect: {id: 'inspect', strict: false, userNamespace: false},
  version: {id: 'version', userNamespace: false},
  unshare: {id: 'unshare', strict: false},
}})
const id = (argv: string[]) => {
  const r = resolveCommand(argv, index)
  return r && `${r.entry.id}/${r.words}`
}

describe('launcher: command resolution', () => {
  it('resolves ids, aliases and topics with spaces', () => {
    expect(id(['ps'])).to.equal('container:list/1')
    expect(id(['ps', '-a'])).to.equal('container:list/1')
    expect(id(['container', 'ls', '-a'])).to.equal('container:list/2')
    expect(id(['container', 'list'])).to.equal('container:list/2')
    expect(id(['container:ls'])).to.equal('container:list/1')
    expect(id(['image', 'list', '--format', 'x'])).to.equal('image:list/2')
    expect(id(['images'])).to.equal('image:list/1')
    expect(id(['pod', 'ls'])).to.equal('pod:ps/2')
    expect(id(['image', 'rm', 'busybox'])).to.equal('image:rm/2')
    expect(id(['rmi', '-f', 'busybox'])).to.equal('image:rm/1')
  })

  it('stops at the first argument of a command that takes them', () => {
    expect(id(['run', 'image', 'ls'])).to.equal('container:run/1')
    expect(id(['container', 'run', '--rm', 'ps'])).to.equal('container:run/2')
    expect(id(['inspect', 'container', 'ls'])).to.equal('inspect/1')
    expect(id(['image', 'list', 'pod'])).to.equal('image:list/2')
  })

  it('finds no command for a topic alone, an unknown word or nothing', () => {
    expect(id([])).to.equal(undefined)
    expect(id(['container'])).to.equal(undefined)
    expect(id(['bogus', 'ps'])).to.equal(undefined)
    expect(id(['help', 'ps'])).to.equal(undefined)
    expect(id(['--version'])).to.equal(undefined)
  })

  it('joins the user namespace only for commands that say so', () => {
    expect(needsUserNamespace(['images'], index)).to.equal(false)
    expect(needsUserNamespace(['image', 'ls'], index)).to.equal(false)
    expect(needsUserNamespace(['version'], index)).to.equal(false)
    expect(needsUserNamespace(['ps', '-a'], index)).to.equal(false)
    expect(needsUserNamespace(['load', '-i', 'x'], index)).to.equal(true)
    expect(needsUserNamespace(['image', 'rm', 'x'], index)).to.equal(true)
    expect(needsUserNamespace(['unshare'], index)).to.equal(true)
    expect(needsUserNamespace(['run', '--rm', 'img', 'ps'], index)).to.equal(true)
    // the default (no userNamespace in the manifest) is inside
    expect(needsUserNamespace(['pod', 'create'], index)).to.equal(true)
    // help, no command and unknown commands stay outside
    expect(needsUserNamespace(['load', '--help'], index)).to.equal(false)
    expect(needsUserNamespace(['load', '-h'], index)).to.equal(false)
    expect(needsUserNamespace([], index)).to.equal(false)
    expect(needsUserNamespace(['bogus'], index)).to.equal(false)
  })

  it('matches the built manifest (npm run build)', function () {
    const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
    const file = path.join(repo, 'oclif.manifest.json')
    if (!existsSync(file)) this.skip()
    const real = indexFromManifest(JSON.parse(readFileSync(file, 'utf8')))
    const inside = (...argv: string[]) => needsUserNamespace(argv, real)
    for (const a of [['ps', '-a'], ['container', 'ls'], ['image', 'list'], ['images'], ['inspect', 'x'], ['version'],
      ['exec', 'c', 'ls'], ['container', 'exec', 'c'], ['mount'], ['port', 'c'], ['stats'], ['pod', 'stats'], ['pod', 'ps'],
      ['volume', 'ls'], ['network', 'inspect', 'n'], ['system', 'migrate'], ['search', 'x'], ['help']]) expect(inside(...a), a.join(' ')).to.equal(false)
    for (const a of [['run', '--rm', 'x'], ['create', 'x'], ['container', 'create'], ['rm', 'c'], ['rmi', 'i'], ['load'], ['pod', 'create'],
      ['volume', 'create'], ['unshare'], ['container', 'cleanup', 'c'], ['healthcheck', 'run', 'c']]) expect(inside(...a), a.join(' ')).to.equal(true)
  })
})

describe('launcher: log level', () => {
  afterEach(() => { delete process.env[GLOBALS_ENV] })

  it("accepts logrus's levels in any case and refuses others with Podman's message", () => {
    for (const l of ['trace', 'debug', 'info', 'warn', 'warning', 'error', 'fatal', 'panic', 'Debug', 'WARN']) expect(logLevelError(l)).to.equal(undefined)
    expect(logLevelError('foo')).to.equal('Log Level "foo" is not supported, choose from: trace, debug, info, warn, warning, error, fatal, panic')
    expect(logLevelError('')).to.match(/^Log Level "" is not supported/)
  })

  it('takes the flag after the command, else the lifted one, else --debug', () => {
    expect(logLevelOf(['ps', '--log-level=info'], index)).to.equal('info')
    expect(logLevelOf(['container', 'ls', '-a', '--log-level', 'debug'], index)).to.equal('debug')
    // after run's image the words are the container's command
    expect(logLevelOf(['run', '--rm', 'img', '--log-level=bogus'], index)).to.equal(undefined)
    expect(logLevelOf(['run', '--log-level=debug', 'img'], index)).to.equal('debug')
    process.env[GLOBALS_ENV] = JSON.stringify({'log-level': 'error'})
    expect(logLevelOf(['ps'], index)).to.equal('error')
    expect(logLevelOf(['ps', '--log-level=info'], index)).to.equal('info')
    process.env[GLOBALS_ENV] = JSON.stringify({debug: true})
    expect(logLevelOf(['ps'], index)).to.equal('debug')
  })
})
