// The light exit command (bin/exit-command.cjs, src/exit-command.ts): what a
// container's monitor runs when the container exits, the engine's cleanup
// without the CLI. It must do what `container cleanup ID` does: the exit
// recorded, the rootfs released, --rm removal, restart policies; and work
// with a stale or missing code cache, and hand an argv it does not know to
// the full CLI.
import {execFileSync} from 'node:child_process'
import {chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {expect} from 'chai'
import {busyboxEnvs, envOf} from './fixtures.js'
import {pidGone, REPO, waitUntil, type Env, type Mode} from './helpers.js'

const ENTRY = path.join(REPO, 'bin/exit-command.cjs')

function runDir(env: Env, id: string): string {
  return path.join(env.runroot, 'containers', id)
}

/** The container's state document as the store holds it (no peapod reader to sync it). */
function storedState(env: Env, id: string): {status: string; exitCode?: number; mountPoint?: string} {
  return JSON.parse(readFileSync(path.join(env.root, 'containers', id, 'state.json'), 'utf8'))
}

function storedIds(env: Env): string[] {
  return existsSync(path.join(env.root, 'containers')) ? readdirSync(path.join(env.root, 'containers')) : []
}

describe('the light exit command', function () {
  this.timeout(120000)
  const envs = busyboxEnvs({removeContainersAfterEach: true})

  for (const mode of ['root', 'rootless'] as Mode[]) {
    it(`${mode}: the monitor runs it; the exit is recorded and the container released, --rm removes it, a restart policy restarts it`, async function () {
      const {env} = envOf(envs, this, mode)
      const id = env.ok(['run', '-d', '--name', 'x0', 'bb', 'sleep', '1000']).trim()
      const monitor = JSON.parse(readFileSync(path.join(runDir(env, id), 'monitor.json'), 'utf8'))
      expect(monitor.exitCommand.slice(1, 6)).to.deep.equal([ENTRY, '--root', env.root, '--runroot', env.runroot])
      expect(monitor.exitCommand.at(-1)).to.equal(id)

      // exits by itself: nothing but its monitor and exit command act on it
      // (it waits for its go: its monitor's pid is read before the exit command removes the run dir)
      const x1 = env.ok(['run', '-d', '--name', 'x1', 'bb', 'sh', '-c', 'while [ ! -e /go ]; do sleep 0.05; done; exit 3']).trim()
      const monitorPid = Number(readFileSync(path.join(runDir(env, x1), 'conmon.pid'), 'utf8').trim())
      env.ok(['exec', 'x1', 'touch', '/go'])
      await pidGone(monitorPid) // it waits for its exit command
      expect(storedState(env, x1)).to.include({status: 'exited', exitCode: 3})
      expect(storedState(env, x1).mountPoint).to.equal(undefined)
      expect(existsSync(runDir(env, x1))).to.equal(false)
      const events = env.ok(['events', '--stream=false', '--filter', `container=${x1}`, '--format', '{{.Status}}']).trim().split('\n')
      expect(events).to.include.members(['died', 'cleanup'])

      // --rm
      const x2 = env.ok(['run', '-d', '--rm', '--name', 'x2', 'bb', 'true']).trim()
      await waitUntil('x2 removed', () => !storedIds(env).includes(x2))
      expect(env.ok(['ps', '-a', '--format', '{{.Names}}'])).to.not.include('x2')

      // --restart: the exit command starts it again, whose own exit command does the next restart
      env.ok(['run', '-d', '--restart', 'on-failure:2', '--name', 'x3', 'bb', 'sh', '-c', 'exit 1'])
      await waitUntil('x3 restarted twice', () => env.ok(['inspect', 'x3', '--format', '{{.RestartCount}} {{.State.Status}}']).trim() === '2 exited')
    })
  }

  it('an argv it does not know goes to the full CLI', function () {
    const {env} = envs.get('root') ?? this.skip()
    const run = (args: string[]) => {
      try {
        return {code: 0, out: execFileSync(process.execPath, [ENTRY, '--root', env.root, '--runroot', env.runroot, ...args], {encoding: 'utf8', stdio: 'pipe'})}
      } catch (e) {
        return {code: (e as {status: number}).status, out: String((e as {stderr: string}).stderr)}
      }
    }
    // the CLI's quiet form: a container that is not there is no error
    expect(run(['nosuch']).code).to.equal(0)
    expect(run(['--cgroup-manager', 'cgroupfs', 'nosuch']).code).to.equal(0)
    // (the CLI's own answer to a flag it does not know)
    const bad = run(['--no-such-flag', 'x', 'nosuch'])
    expect(bad.code).to.not.equal(0)
    expect(bad.out).to.match(/Error: .*--no-such-flag/)
  })

  describe('with a missing, stale or rejected code cache', function () {
    // A copy of the built tree (hard links) whose cache can be changed without touching the repo's.
    let tree: string
    before(function () {
      if (!existsSync(path.join(REPO, 'dist/exit-command.cjs'))) this.skip()
      tree = mkdtempSync(path.join(os.tmpdir(), 'peapod-exit-tree-'))
      chmodSync(tree, 0o755)
      execFileSync('cp', ['-al', path.join(REPO, 'bin'), path.join(REPO, 'dist'), path.join(REPO, 'package.json'), tree])
      symlinkSync(path.join(REPO, 'node_modules'), path.join(tree, 'node_modules'))
    })
    after(() => {
      if (tree) rmSync(tree, {recursive: true, force: true})
    })

    const cache = () => path.join(tree, 'dist/exit-command.cjs.cache')
    const cases: Array<[string, () => void]> = [
      ['missing', () => rmSync(cache(), {force: true})],
      ['stale (another bundle\'s stamp)', () => writeFileSync(cache(), '1:1\nnot a cache')],
      ['rejected by V8 (right stamp, bad data)', () => {
        const {size, mtimeMs} = statSync(path.join(tree, 'dist/exit-command.cjs'))
        writeFileSync(cache(), `${size}:${Math.trunc(mtimeMs)}\nnot a cache`)
      }],
    ]
    for (const mode of ['root', 'rootless'] as Mode[]) {
      for (const [what, make] of cases) {
        it(`${mode}: ${what}: the container is still cleaned up and --rm removes it`, async function () {
          const {env} = envOf(envs, this, mode)
          rmSync(cache(), {force: true}) // a new file: the repo's (hard-linked) cache stays as it is
          make()
          const launcher = path.join(tree, 'bin/peapod')
          const id = execFileSync(...asUser(env, launcher, ['run', '-d', '--rm', '--network=none', 'bb', 'true'])).toString().trim()
          expect(id).to.match(/^[0-9a-f]{64}$/)
          await waitUntil('removed', () => !storedIds(env).includes(id))
        })
      }
    }
  })
})

/** execFileSync's arguments to run LAUNCHER ARGS on ENV's store as ENV's user. */
function asUser(env: Env, launcher: string, args: string[]): [string, string[], {env: NodeJS.ProcessEnv; cwd: string}] {
  const base = ['--root', env.root, '--runroot', env.runroot, ...args]
  const pathEnv = {PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8'}
  if (env.mode === 'root') return [launcher, base, {env: {...pathEnv, HOME: '/root'}, cwd: env.dir}]
  const user = process.env.PEAPOD_TEST_USER || 'peapodtest'
  const [uid, gid, home] = execFileSync('sh', ['-c', `id -u ${user}; id -g ${user}; getent passwd ${user} | cut -d: -f6`]).toString().trim().split('\n')
  return ['setpriv', [`--reuid=${uid}`, `--regid=${gid}`, '--init-groups', '--', launcher, ...base],
    {env: {...pathEnv, HOME: home, USER: user, LOGNAME: user, XDG_RUNTIME_DIR: path.join(env.dir, 'xdg')}, cwd: env.dir}]
}
