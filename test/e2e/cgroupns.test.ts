// --cgroupns=container:ID joins another container's cgroup namespace (the
// same namespace inode inside both); inspect shows container:<full ID>; the
// joined container can't be removed first; a missing one: Podman's line, 125.
import {expect} from 'chai'
import {expectError, type Mode} from './helpers.js'
import {busyboxEnvs} from './fixtures.js'

describe('--cgroupns=container:ID', function () {
  this.timeout(60000)
  const envs = busyboxEnvs()
  afterEach(() => {
    for (const {env} of envs.values()) env.run(['rm', '-a', '-f', '-t', '0'])
  })

  for (const mode of ['root', 'rootless'] as Mode[]) {
    it(`${mode}: joins the other container's cgroup namespace`, function () {
      const {env} = envs.get(mode) ?? this.skip()
      const id = env.ok(['run', '-d', '--name', 'cgsrc', '--cgroupns', 'private', 'bb', 'sleep', '1000']).trim()
      const ns = (args: string[]) => env.ok(args).trim().replace(/.*-> /, '')
      const theirs = ns(['exec', 'cgsrc', 'ls', '-l', '/proc/self/ns/cgroup'])
      expect(theirs).to.match(/^cgroup:\[\d+\]$/)
      expect(ns(['run', '--rm', '--cgroupns', 'container:cgsrc', 'bb', 'ls', '-l', '/proc/self/ns/cgroup'])).to.equal(theirs)
      expect(ns(['run', '--rm', '--cgroupns', 'private', 'bb', 'ls', '-l', '/proc/self/ns/cgroup'])).not.to.equal(theirs)
      env.ok(['create', '--name', 'cgjoin', '--cgroupns', `container:${id.slice(0, 12)}`, 'bb', 'true'])
      expect(env.ok(['inspect', 'cgjoin', '--format', '{{.HostConfig.CgroupMode}}']).trim()).to.equal(`container:${id}`)
      expectError(env.run(['rm', '-f', '-t', '0', 'cgsrc']), 125, /has dependent containers which must be removed before it/)
    })
  }

  it('a missing container: Podman\'s line, exit 125, nothing created', function () {
    const {env} = envs.get('root') ?? envs.get('rootless') ?? this.skip()
    expectError(env.run(['create', '--cgroupns', 'container:nonexist', 'bb', 'true']), 125, /^Error: looking up container to share cgroup namespace with: no container with name or ID "nonexist" found: no such container$/)
    expectError(env.run(['create', '--cgroupns', 'bogus', 'bb', 'true']), 125, /^Error: unrecognized namespace mode bogus passed$/)
    expect(env.ok(['ps', '-aq'])).to.equal('')
  })
})
