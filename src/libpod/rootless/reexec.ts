// Re-running a rootless command inside peapod's user namespace, as root
// there: `nsenter --user --mount --target PAUSE_PID` and a second Node.
import {spawn} from 'node:child_process'
import {constants} from 'node:os'
import {fileURLToPath} from 'node:url'
import {commandWords} from '../../cli/argv.js'
import {errorMessage} from '../define/errors.js'
import {ensurePauseProcess} from './pause.js'

/**
 * Commands that only read state documents run outside the namespace (a
 * second Node start-up costs ~50 ms); everything else joins it.
 */
const OUTSIDE = new Set([
  '', 'version', 'help', 'images', 'image ls', 'image list', 'image inspect', 'inspect',
  'history', 'image history', 'tag', 'image tag', 'untag', 'image untag', 'image exists',
  'system migrate', 'info', 'system info', 'ps', 'container ps', 'container ls', 'container list',
  'container inspect', 'container exists', 'login', 'logout', 'search', 'autocomplete', 'commands',
  'network ls', 'network list', 'network inspect', 'network exists', // NETWORK: read-only
  'volume ls', 'volume list', 'volume inspect', 'volume exists',
  'pod ps', 'pod ls', 'pod list', 'pod inspect', 'pod exists', // POD: read-only
  // exec enters the namespace itself, for the runtime only (one Node start
  // instead of two); mount must fail outside `peapod unshare`, as Podman's.
  'exec', 'container exec', 'mount', 'container mount', 'port', 'container port',
  // stats reads cgroup and /proc files; rootless on cgroup v1 it only refuses.
  'stats', 'container stats', 'pod stats',
])

export function needsUserNamespace(argv: string[]): boolean {
  if (argv.includes('--help') || argv.includes('-h') && argv.length <= 2) return false
  const words = commandWords(argv)
  if (words.length === 0) return false
  const one = words[0]
  const two = words.slice(0, 2).join(' ')
  return !(OUTSIDE.has(two) || OUTSIDE.has(one))
}

export async function reexecInUserNamespace(argv: string[]): Promise<number> {
  const uid = process.getuid!()
  let pid: number
  try {
    pid = await ensurePauseProcess(uid)
  } catch (e) {
    process.stderr.write(`Error: ${errorMessage(e)}\n`)
    return 125
  }
  const entry = fileURLToPath(new URL('../../../bin/run.js', import.meta.url))
  const child = spawn('nsenter', ['--user', '--mount', `--target=${pid}`, `--wd=${process.cwd()}`, '--',
    process.execPath, ...process.execArgv, '--', entry, ...argv], {
    stdio: 'inherit',
    env: {...process.env, PEAPOD_ROOTLESS_UID: String(uid), PEAPOD_PAUSE_PID: String(pid)},
  })
  // Signals meant for the command go to the command; a terminal's ^C reaches
  // both of us through the process group, so SIGINT is only swallowed here.
  const forward = (sig: NodeJS.Signals) => () => { child.kill(sig) }
  process.on('SIGTERM', forward('SIGTERM'))
  process.on('SIGHUP', forward('SIGHUP'))
  process.on('SIGINT', () => {})
  return new Promise(resolve => {
    child.on('error', e => {
      process.stderr.write(`Error: joining the user namespace: ${e.message}\n`)
      resolve(125)
    })
    child.on('exit', (code, signal) => resolve(code ?? 128 + (signal ? constants.signals[signal] : 0)))
  })
}
