// The launcher (bin/run.js) and the engine's logger, end to end: rootless,
// read-only commands (their class says `static userNamespace = false`) run
// without starting the user namespace, the others start and join it;
// --log-level=debug shows the steps that matter in logrus's format; a bad
// level fails as in Podman 4.3.1.
import {expect} from 'chai'
import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {Env, unavailable, type Mode} from './helpers.js'
import {busyboxTar} from './fixtures.js'

const DEBUG_LINE = /^time="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ" level=debug msg=".*"$/
/** Podman 4.3.1: `podman --log-level foo ps` prints this on stderr and exits 1. */
const BAD_LEVEL = 'Log Level "bogus" is not supported, choose from: trace, debug, info, warn, warning, error, fatal, panic\n'

describe('launcher: the rootless user namespace (rootless)', function () {
  let env: Env
  let pauseFile: string

  before(function () {
    if (unavailable('rootless')) this.skip()
    env = new Env('rootless')
    pauseFile = path.join(env.dir, 'xdg', 'peapod', 'pause.pid')
  })
  after(() => env?.cleanup())

  it('runs read-only commands outside it and starts it for the others', () => {
    // A fresh runtime dir: nothing has started the pause process yet.
    for (const args of [['ps', '-a'], ['container', 'ls'], ['images'], ['image', 'list'], ['pod', 'ps'], ['volume', 'ls'],
      ['network', 'ls'], ['version'], ['ps', '--help']]) {
      const r = env.run(['--log-level=debug', ...args])
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).to.equal(0)
      expect(r.stderr, args.join(' ')).not.to.match(/user namespace/)
      expect(existsSync(pauseFile), `${args.join(' ')} started the pause process`).to.equal(false)
    }
    env.ok(['import', busyboxTar(), 'bb'])
    const r = env.run(['--log-level=debug', 'create', '--name', 'c1', 'bb', 'true'])
    expect(r.code, r.stderr).to.equal(0)
    const pid = Number(readFileSync(pauseFile, 'utf8'))
    expect(r.stderr).to.include(`level=debug msg="Joining the rootless user namespace of pause process ${pid}"`)
    // still outside afterwards, and it sees what the namespace's commands wrote
    const ps = env.run(['ps', '-a', '--log-level=debug', '--format', '{{.Names}}'])
    expect(ps.stdout).to.equal('c1\n')
    expect(ps.stderr).not.to.match(/user namespace/)
    env.ok(['rm', 'c1'])
  })
})

for (const mode of ['root', 'rootless'] as Mode[]) {
  describe(`launcher: --log-level (${mode})`, function () {
    let env: Env

    before(function () {
      if (unavailable(mode)) this.skip()
      env = new Env(mode)
      env.ok(['import', busyboxTar(), 'bb'])
    })
    after(() => env?.cleanup())

    it('debug: config, storage, mount, network, runtime and monitor lines on stderr', () => {
      const r = env.run(['--log-level=debug', 'run', '--rm', 'bb', 'echo', 'hi'])
      expect(r.code, r.stderr).to.equal(0)
      expect(r.stdout).to.equal('hi\n')
      const lines = r.stderr.trim().split('\n')
      for (const l of lines) expect(l).to.match(DEBUG_LINE)
      const has = (re: RegExp) => expect(lines.some(l => re.test(l)), `${re} in\n${r.stderr}`).to.equal(true)
      has(/msg="Reading configuration file \\"\/(etc|usr\/share)\/containers\/containers.conf\\""/)
      has(/msg="Using graph driver (overlay|vfs)"/)
      has(/msg="Using graph root /)
      has(/msg="(overlay: mounting .* mount_data=lowerdir=.*upperdir=.*workdir=|vfs: rootfs .* is a copy)/)
      has(/msg="Setting up (bridge|slirp4netns|pasta) network for container [0-9a-f]{64}"/)
      has(/msg="Made network namespace at /)
      has(mode === 'rootless' ? /msg="slirp4netns command: \S*slirp4netns .*--netns-type=path / : /msg="netavark setup /)
      has(/msg="Using OCI runtime \\"\/\S+\/(runc|crun)\\"/)
      has(/msg="Starting the monitor of container [0-9a-f]{64}: /)
      if (mode === 'rootless') has(/msg="Joining the rootless user namespace of pause process \d+"/)
    })

    it('the flag works after the command too', () => {
      const r = env.run(['images', '--log-level', 'debug'])
      expect(r.code).to.equal(0)
      expect(r.stderr).to.match(/level=debug msg="Using graph driver/)
    })

    it('info and the default (warn) print no debug line', () => {
      for (const pre of [['--log-level=info'], ['--log-level=warning'], []]) {
        const r = env.run([...pre, 'run', '--rm', 'bb', 'true'])
        expect(r, pre.join(' ')).to.include({code: 0, stderr: ''})
      }
    })

    it('refuses a bad level as Podman does', () => {
      for (const args of [['--log-level=bogus', 'ps'], ['--log-level', 'bogus', 'run', '--rm', 'bb', 'true'], ['ps', '--log-level=bogus'], ['inspect', 'bb', '--log-level=bogus']]) {
        expect(env.run(args), args.join(' ')).to.include({code: 1, stdout: '', stderr: BAD_LEVEL})
      }
      // help wins, as in Podman; after run's image the word is the container's
      expect(env.run(['--log-level=bogus', 'ps', '--help']).code).to.equal(0)
      expect(env.run(['run', '--rm', 'bb', 'echo', '--log-level=bogus'])).to.include({code: 0, stdout: '--log-level=bogus\n'})
    })
  })
}

describe('launcher: bin/peapod starts Node once, inside the namespace (rootless)', function () {
  let env: Env

  before(function () {
    if (unavailable('rootless')) this.skip()
    env = new Env('rootless')
  })
  after(() => env?.cleanup())

  /** The command line of the parent of the peapod process that runs `unshare sh -c`. */
  const grandparent = () => env.ok(['unshare', 'sh', '-c', 'set -- $(grep PPid /proc/$PPID/status); tr "\\0" " " </proc/$2/cmdline'])

  it('the first command re-execs (no pause process yet); later ones are one Node, joined by nsenter', () => {
    // first: bin/run.cjs starts the pause process and a second Node inside
    expect(grandparent()).to.include('bin/run.cjs')
    // then: bin/peapod's own parent (this test) runs the command's Node
    expect(grandparent()).not.to.include('bin/run.')
    const r = env.run(['--log-level=debug', 'unshare', 'sh', '-c', 'cat /proc/self/uid_map; pwd'])
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout.trim().split('\n')[0].trim().split(/\s+/)).to.deep.equal(['0', String(Number(readFileSync('/etc/passwd', 'utf8').split('\n').find(l => l.startsWith('peapodtest:'))!.split(':')[2])), '1'])
    expect(r.stdout.trim().split('\n').pop()).to.equal(env.dir)
    const pid = Number(readFileSync(path.join(env.dir, 'xdg', 'peapod', 'pause.pid'), 'utf8'))
    expect(r.stderr).to.include(`level=debug msg="Joining the rootless user namespace of pause process ${pid}"`)
  })

  it("passes the command's exit code on", () => {
    expect(env.run(['unshare', 'sh', '-c', 'exit 7']).code).to.equal(7)
    expect(env.run(['unshare', 'false']).code).to.equal(1)
  })
})
