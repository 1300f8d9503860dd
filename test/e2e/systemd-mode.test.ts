// run/create --systemd=true|false|always (Podman 4.3.1's systemd mode), seen
// from inside the container and in inspect. systemd itself as PID 1 is
// proved in systemd-pid1.test.ts.
import {expect} from 'chai'
import {existsSync} from 'node:fs'
import {expectError} from './helpers.js'
import {busyboxEnvs} from './fixtures.js'

/** The container's mounts as `dest type options`, from /proc/mounts. */
function mountsOf(text: string, dests: string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const l of text.split('\n')) {
    const f = l.split(' ')
    if (dests.includes(f[1])) out[f[1]] = `${f[2]} ${f[3]}`
  }
  return out
}

describe('run/create --systemd', function () {
  const envs = busyboxEnvs()

  for (const mode of ['root', 'rootless'] as const) {
    it(`${mode}: --systemd=always gives tmpfs on /run, /run/lock, /tmp, /var/log/journal, container_uuid, the systemd cgroup and SIGRTMIN+3`, function () {
      const e = envs.get(mode)
      if (!e) this.skip()
      const {env} = e
      const id = env.ok(['create', '--systemd=always', '--name', 'sd', 'bb', 'sh', '-c', 'cat /proc/self/mounts; env']).trim()
      expect(env.ok(['inspect', '--format', '{{.Config.SystemdMode}} {{.Config.StopSignal}}', 'sd']).trim()).to.equal('true 37')
      env.ok(['start', 'sd'])
      // start returns once the command runs, not once it has printed: its exit
      env.ok(['wait', 'sd'])
      const out = env.ok(['logs', 'sd'])
      const m = mountsOf(out, ['/run', '/run/lock', '/tmp', '/var/log/journal', '/sys/fs/cgroup/systemd', '/run/.containerenv'])
      for (const d of ['/run', '/run/lock', '/tmp', '/var/log/journal']) expect(m[d], d).to.match(/^tmpfs rw,nosuid,nodev/)
      // the file is bound over the tmpfs
      expect(m['/run/.containerenv']).to.match(/ rw?/)
      if (!existsSync('/sys/fs/cgroup/cgroup.controllers') && existsSync('/sys/fs/cgroup/systemd')) {
        // cgroup v1: the name=systemd hierarchy, writable
        expect(m['/sys/fs/cgroup/systemd']).to.match(/^cgroup rw,.*name=systemd/)
      }
      expect(out).to.include(`container_uuid=${id.slice(0, 32)}\n`)
      expect(out).to.include('container=podman\n')
      env.ok(['rm', 'sd'])
    })
  }

  it('true (the default) turns it on for /sbin/init, /usr/sbin/init, …/systemd, also behind /bin/sh -c; false and other commands do not', function () {
    const e = envs.values().next().value
    if (!e) this.skip()
    const {env} = e
    const cases: Array<[string[], string]> = [
      [['bb', '/sbin/init'], 'true 37'],
      [['bb', '/usr/lib/systemd/systemd'], 'true 37'],
      [['--entrypoint', '["/bin/sh","-c"]', 'bb', '/usr/sbin/init'], 'true 37'],
      [['--systemd=TRUE', 'bb', '/usr/local/sbin/init'], 'true 37'],
      [['bb', 'sh', '-c', '/sbin/init'], 'false 15'],
      [['--systemd=false', 'bb', '/sbin/init'], 'false 15'],
      [['--init', 'bb', '/sbin/init'], 'false 15'],
      [['--systemd=always', '--stop-signal=SIGHUP', 'bb', 'sh'], 'true 1'],
    ]
    for (const [args, want] of cases) {
      const id = env.ok(['create', ...args]).trim()
      expect(env.ok(['inspect', '--format', '{{.Config.SystemdMode}} {{.Config.StopSignal}}', id]).trim(), args.join(' ')).to.equal(want)
      env.ok(['rm', id])
    }
  })

  it('a user mount on /tmp wins over the tmpfs; a bad value is Podman\'s error, exit 125, nothing created', function () {
    const e = envs.values().next().value
    if (!e) this.skip()
    const {env} = e
    const out = env.ok(['run', '--rm', '--systemd=always', '--tmpfs', '/tmp:size=1m', 'bb', 'grep', ' /tmp ', '/proc/self/mounts'])
    expect(out.trim().split('\n')).to.have.length(1)
    expect(out).to.match(/size=1024k/)
    const before = env.ok(['ps', '-aq'])
    expectError(env.run(['run', '--rm', '--systemd=maybe', 'bb', 'true']), 125, /^Error: invalid config provided: --systemd values must be one of "true, false, always": invalid configuration$/)
    expect(env.ok(['ps', '-aq'])).to.equal(before)
  })
})
