// Health checks end to end, as root and as the rootless test user, checked
// against Podman 4.3.1 on this machine: --health-* on create/run,
// `healthcheck run` (output and exit codes), the state in inspect and ps,
// the monitor's interval timer and the on-failure actions.
import {expect} from 'chai'
import {Env, processes, waitUntil, type Mode} from './helpers.js'
import {busyboxEnv} from './fixtures.js'

interface Health {
  Status: string
  FailingStreak: number
  Log: Array<{Start: string; End: string; ExitCode: number; Output: string}> | null
}

const RFC3339NANO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/

for (const mode of ['root', 'rootless'] as Mode[]) {
  describe(`healthcheck (${mode})`, function () {
    let env: Env
    busyboxEnv(mode, e => { env = e })

    const health = (ref: string): Health => JSON.parse(env.ok(['inspect', '--format', '{{json .State.Health}}', ref])) as Health
    const status = (ref: string): string => env.ok(['ps', '-a', '--filter', `name=^${ref}$`, '--format', '{{.Status}}']).trim()

    it('starts "starting", records each check and turns unhealthy after the retries, healthy on success', () => {
      env.ok(['run', '-d', '--name', 'h1', '--health-cmd', 'test -e /tmp/ok', '--health-interval', '1h', '--health-retries', '2', 'bb', 'sleep', '100000'])
      expect(health('h1')).to.deep.equal({Status: 'starting', FailingStreak: 0, Log: null})
      expect(status('h1')).to.match(/^Up .* \(starting\)$/)
      expect(env.run(['healthcheck', 'run', 'h1'])).to.deep.include({code: 1, stdout: 'unhealthy\n', stderr: ''})
      let h = health('h1')
      expect(h).to.deep.include({Status: 'starting', FailingStreak: 1})
      expect(h.Log).to.have.length(1)
      expect(h.Log![0]).to.deep.include({ExitCode: 1, Output: ''})
      expect(h.Log![0].Start).to.match(RFC3339NANO)
      expect(h.Log![0].End).to.match(RFC3339NANO)
      expect(env.run(['healthcheck', 'run', 'h1']).code).to.equal(1)
      expect(health('h1')).to.deep.include({Status: 'unhealthy', FailingStreak: 2})
      expect(status('h1')).to.match(/\(unhealthy\)$/)
      env.ok(['exec', 'h1', 'touch', '/tmp/ok'])
      expect(env.run(['healthcheck', 'run', 'h1'])).to.deep.include({code: 0, stdout: ''})
      h = health('h1')
      expect(h).to.deep.include({Status: 'healthy', FailingStreak: 0})
      expect(h.Log!.map(l => l.ExitCode)).to.deep.equal([1, 1, 0])
      expect(status('h1')).to.match(/^Up .* \(healthy\)$/)
      expect(JSON.parse(env.ok(['inspect', '--format', '{{json .Config.Healthcheck}}', 'h1']))).to.deep.equal({Test: ['CMD-SHELL', 'test -e /tmp/ok'], Interval: 3600e9, Timeout: 30e9, Retries: 2})
      expect(env.ok(['inspect', '--format', '{{.Config.HealthcheckOnFailureAction}}', 'h1'])).to.equal('none\n')
    })

    it('keeps the check\'s output (stdout and stderr), counts no failure in the start period, keeps 5 results', () => {
      env.ok(['run', '-d', '--name', 'h2', '--health-cmd', 'echo hi; echo err >&2; exit 3', '--health-start-period', '1h', 'bb', 'sleep', '100000'])
      for (let i = 0; i < 6; i++) expect(env.run(['healthcheck', 'run', 'h2']).code).to.equal(1)
      const h = health('h2')
      expect(h).to.deep.include({Status: 'starting', FailingStreak: 0})
      expect(h.Log).to.have.length(5)
      // (stdout and stderr are two pipes, as in Podman: their order is the order they are read in)
      expect(h.Log![4].ExitCode).to.equal(1)
      expect(h.Log![4].Output.split('\n').sort()).to.deep.equal(['err', 'hi'])
    })

    it('takes Podman\'s command forms', () => {
      const hc = (cmd: string) => {
        const name = `f${Math.random().toString(36).slice(2, 8)}`
        env.ok(['create', '--name', name, '--health-cmd', cmd, 'bb', 'true'])
        return JSON.parse(env.ok(['inspect', '--format', '{{json .Config.Healthcheck.Test}}', name])) as string[]
      }
      expect(hc('CMD echo hi')).to.deep.equal(['CMD', 'echo', 'hi'])
      expect(hc('["echo","hi there"]')).to.deep.equal(['CMD', 'echo', 'hi there'])
      expect(hc('["echo"]')).to.deep.equal(['CMD-SHELL', 'echo'])
      expect(hc('CMD-SHELL echo hi')).to.deep.equal(['CMD-SHELL', 'echo hi'])
      expect(hc('none')).to.deep.equal(['NONE'])
    })

    it('a missing or non-executable check command is a failed check (exit 1), a check over its timeout an error', () => {
      env.ok(['run', '-d', '--name', 'h3', '--health-cmd', 'CMD nosuch', 'bb', 'sleep', '100000'])
      expect(env.run(['healthcheck', 'run', 'h3'])).to.deep.include({code: 1, stdout: 'unhealthy\n'})
      expect(health('h3').Log![0]).to.deep.include({ExitCode: 1, Output: ''})
      env.ok(['run', '-d', '--name', 'h4', '--health-cmd', 'sleep 1.2', '--health-timeout', '1s', 'bb', 'sleep', '100000'])
      expect(env.run(['healthcheck', 'run', 'h4'])).to.deep.include({code: 125, stdout: '', stderr: 'Error: healthcheck command exceeded timeout of 1s\n'})
      expect(health('h4')).to.deep.include({Status: 'starting', FailingStreak: 1})
      expect(health('h4').Log![0].ExitCode).to.equal(-1)
    })

    it('refuses a container without a check, one that does not run, and a missing one (125)', () => {
      env.ok(['run', '-d', '--name', 'plain', 'bb', 'sleep', '100000'])
      const id = env.ok(['inspect', '--format', '{{.Id}}', 'plain']).trim()
      expect(env.run(['healthcheck', 'run', 'plain'])).to.deep.include({code: 125, stderr: `Error: container ${id} has no defined healthcheck\n`})
      expect(health('plain')).to.deep.equal({Status: '', FailingStreak: 0, Log: null})
      expect(status('plain')).to.match(/^Up [^(]*$/)
      env.ok(['create', '--name', 'created', '--health-cmd', 'true', 'bb', 'true'])
      const cid = env.ok(['inspect', '--format', '{{.Id}}', 'created']).trim()
      expect(env.run(['healthcheck', 'run', 'created'])).to.deep.include({code: 125, stderr: `Error: container ${cid} is not running\n`})
      expect(status('created')).to.equal('Created')
      expect(env.run(['healthcheck', 'run', 'nosuch'])).to.deep.include({code: 125, stderr: 'Error: unable to look up nosuch to perform a health check: no container with name or ID "nosuch" found: no such container\n'})
      env.ok(['run', '-d', '--name', 'none', '--health-cmd', 'none', 'bb', 'sleep', '100000'])
      expect(status('none')).to.match(/^Up [^(]*$/)
      expect(env.run(['healthcheck', 'run', 'none']).code).to.equal(125)
    })

    it('rejects bad --health-* values with Podman\'s messages, creating nothing', () => {
      const bad = (args: string[], msg: string) => expect(env.run(['create', '--name', 'broken', ...args, 'bb', 'true'])).to.deep.include({code: 125, stderr: `Error: ${msg}\n`})
      bad(['--health-cmd', 'true', '--health-retries', '0'], 'healthcheck-retries must be greater than 0')
      bad(['--health-cmd', 'true', '--health-interval', 'bogus'], 'invalid healthcheck-interval: time: invalid duration "bogus"')
      bad(['--health-cmd', 'true', '--health-interval', '1'], 'invalid healthcheck-interval: time: missing unit in duration "1"')
      bad(['--health-cmd', 'true', '--health-timeout', 'bogus'], 'invalid healthcheck-timeout: time: invalid duration "bogus"')
      bad(['--health-cmd', 'true', '--health-start-period', '-1s'], 'healthcheck-start-period must be 0 seconds or greater')
      bad(['--health-cmd', 'true', '--health-on-failure', 'bogus'], 'invalid on-failure action "bogus" for health check: supported actions are none,kill,restart,stop')
      expect(env.run(['container', 'exists', 'broken']).code).to.equal(1)
      // interval options without a command are ignored, as Podman
      env.ok(['create', '--name', 'nocmd', '--health-interval', '5s', 'bb', 'true'])
      expect(env.ok(['inspect', '--format', '{{json .State.Health}}', 'nocmd'])).to.equal('{"Status":"","FailingStreak":0,"Log":null}\n')
    })

    it('the monitor runs the check every interval and takes the on-failure action (kill)', async () => {
      env.ok(['run', '-d', '--name', 'k', '--health-cmd', 'false', '--health-interval', '1s', '--health-retries', '2', '--health-on-failure', 'kill', 'bb', 'sleep', '100000'])
      expect(env.run(['wait', 'k']).stdout).to.equal('137\n')
      expect(health('k')).to.deep.include({Status: 'unhealthy', FailingStreak: 2})
      expect(status('k')).to.match(/^Exited \(137\) .* \(unhealthy\)$/)
      expect(env.ok(['inspect', '--format', '{{.Config.HealthcheckOnFailureAction}}', 'k'])).to.equal('kill\n')
    })

    it('on-failure restart restarts the container; the timer stops with the container', async () => {
      env.ok(['run', '-d', '--name', 'r', '--stop-timeout', '0', '--health-cmd', 'false', '--health-interval', '1s', '--health-retries', '1', '--health-on-failure', 'restart', 'bb', 'sleep', '100000'])
      const id = env.ok(['inspect', '--format', '{{.Id}}', 'r']).trim()
      await waitUntil('a restart', () => Number(env.ok(['inspect', '--format', '{{.RestartCount}}', 'r']).trim()) >= 1, 30000)
      // healthy from now on: the timer keeps running and finds it so
      env.ok(['run', '-d', '--name', 'healthy', '--health-cmd', 'true', '--health-interval', '1s', 'bb', 'sleep', '100000'])
      await waitUntil('a healthy check', () => health('healthy').Status === 'healthy', 30000)
      env.ok(['rm', '-f', '-t', '0', 'r'])
      expect(env.run(['container', 'exists', id]).code).to.equal(1)
      const hid = env.ok(['inspect', '--format', '{{.Id}}', 'healthy']).trim()
      env.ok(['stop', '-t', '0', 'healthy'])
      await waitUntil('no health checks left', () => processes().every(p => !(p.cmdline.includes('healthcheck run') && p.cmdline.includes(hid))))
      expect(health('healthy').Status).to.equal('healthy')
      expect(status('healthy')).to.match(/^Exited \(137\) .* \(healthy\)$/)
    })
  })
}
