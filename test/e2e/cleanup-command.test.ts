// `container cleanup` as Podman's user command (--all, --latest, --rm,
// --rmi): it prints each container, refuses running ones (exit 125), and
// --rm removes the container; without these flags it stays the monitor's
// quiet exit command.
import {expect} from 'chai'
import {expectError, type Mode} from './helpers.js'
import {busyboxEnvs} from './fixtures.js'

describe('container cleanup --all/--latest/--rm/--rmi', function () {
  this.timeout(60000)
  const envs = busyboxEnvs()
  afterEach(() => {
    for (const {env} of envs.values()) env.run(['rm', '-a', '-f', '-t', '0'])
  })

  for (const mode of ['root', 'rootless'] as Mode[]) {
    it(`${mode}: cleans up stopped containers, refuses running ones, --rm removes`, function () {
      const {env} = envs.get(mode) ?? this.skip()
      const running = env.ok(['run', '-d', '--name', 'k1', 'bb', 'sleep', '1000']).trim()
      const created = env.ok(['create', '--name', 'k2', 'bb', 'true']).trim()
      const r = env.run(['container', 'cleanup', '--all'])
      expect(r.code).to.equal(125)
      expect(r.stdout).to.equal(`${created}\n`)
      expect(r.stderr.trim()).to.equal(`Error: failed to clean up container ${running}: container ${running} is running or paused, refusing to clean up: container state improper`)
      expect(env.ok(['inspect', 'k1', '--format', '{{.State.Status}}']).trim()).to.equal('running')
      expect(env.ok(['container', 'cleanup', '--rm', 'k2'])).to.equal('k2\n')
      expect(env.ok(['ps', '-a', '--format', '{{.Names}}']).trim()).to.equal('k1')
      env.ok(['run', '--name', 'k3', 'bb', 'true'])
      expectError(env.run(['container', 'cleanup', '--rmi', 'k3']), 125, /image is in use by a container/)
      expect(env.ok(['container', 'cleanup', '--latest', '--rm'])).to.match(/^[0-9a-f]{64}\n$/)
      expect(env.ok(['ps', '-a', '--format', '{{.Names}}']).trim()).to.equal('k1')
    })
  }

  it('bad arguments: Podman\'s line, exit 125', function () {
    const {env} = envs.get('root') ?? envs.get('rootless') ?? this.skip()
    expectError(env.run(['container', 'cleanup', '--rm']), 125, /^Error: you must provide at least one name or id$/)
    expectError(env.run(['container', 'cleanup', '-a', 'x']), 125, /^Error: no arguments are needed with --all$/)
    expectError(env.run(['container', 'cleanup', '--rm', 'nonexist']), 125, /^Error: no container with name or ID "nonexist" found: no such container$/)
    // the monitor's form: a container already gone is no error
    expect(env.run(['container', 'cleanup', 'nonexist']).code).to.equal(0)
  })
})
