// The monitor without a resident runtime (conmon/protocol.ts, DETACHED
// RUNTIME), through peapod, as root and rootless: `runc create` + `runc
// start` leave the container's init as the monitor's only child, exit codes
// and output still come through, --pid=host keeps `runc run` (it reaps the
// container's orphans), and a foreground `run --rm` cleans up itself (no
// exit command).
import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import {Containers, Env, waitUntil, type Mode} from './helpers.js'
import {busyboxEnvs} from './fixtures.js'

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return ''
  }
}

function children(pid: number): number[] {
  return read(`/proc/${pid}/task/${pid}/children`).trim().split(/\s+/).filter(Boolean).map(Number)
}

const comm = (pid: number): string => read(`/proc/${pid}/comm`).trim()

describe('monitor: no resident runtime', function () {
  const envs = busyboxEnvs()
  for (const mode of ['root', 'rootless'] as Mode[]) {
    describe(mode, () => {
      let env: Env
      let ct: Containers
      before(function () {
        const e = envs.get(mode)
        if (!e) this.skip()
        env = e!.env
        ct = e!.ct
      })
      afterEach(() => env && env.run(['rm', '-a', '-f', '-t', '0']))
      const inspect = (c: string, f: string) => env.ok(['inspect', '--format', f, c]).trim()

      it('run -d: the container is the monitor\'s only child; stop records 137, logs are whole', async () => {
        env.ok(['run', '-d', '--name', 'd', 'bb', 'sh', '-c', 'seq 1 2000; exec sleep 1000'])
        const monitor = Number(inspect('d', '{{.State.ConmonPid}}'))
        const pid = Number(inspect('d', '{{.State.Pid}}'))
        // runc start may still be exiting when run -d returns (the start is recorded after create)
        await waitUntil('only the container under the monitor', () => children(monitor).join() === String(pid) && comm(pid) === 'sleep')
        await waitUntil('2000 lines logged', () => env.ok(['logs', 'd']).split('\n').length === 2001)
        env.ok(['stop', '-t', '0', 'd'])
        expect(inspect('d', '{{.State.Status}} {{.State.ExitCode}}')).to.equal('exited 137')
        env.ok(['start', 'd'])
        expect(inspect('d', '{{.State.Status}}')).to.equal('running')
        env.ok(['rm', '-f', '-t', '0', 'd'])
        await ct.settled()
      })

      it('exit codes and start failures come through; run --rm leaves nothing', async () => {
        const r = env.run(['run', '--rm', 'bb', 'sh', '-c', 'echo out; echo err >&2; exit 3'])
        expect(r).to.include({code: 3, stdout: 'out\n', stderr: 'err\n'})
        expect(env.run(['run', '--rm', 'bb', 'nonexistent']).code).to.equal(127)
        expect(env.run(['run', '--rm', 'bb', '/etc/passwd']).code).to.equal(126)
        expect(env.ok(['ps', '-a', '-q'])).to.equal('')
        await ct.settled()
      })

      it('--pid=host keeps `runc run` as the container\'s parent', async function () {
        if (mode === 'rootless') this.skip() // the host pid namespace needs root here
        env.ok(['run', '-d', '--pid=host', '--name', 'h', 'bb', 'sleep', '1000'])
        const monitor = Number(inspect('h', '{{.State.ConmonPid}}'))
        expect(children(monitor).map(comm)).to.deep.equal(['runc'])
        env.ok(['rm', '-f', '-t', '0', 'h'])
        await ct.settled()
      })
    })
  }
})
