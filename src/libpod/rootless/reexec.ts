// Re-running a rootless command inside peapod's user namespace, as root
// there: `nsenter --user --mount --target PAUSE_PID` and a second Node.
// Which commands need it is the CLI's business (each command class says so,
// read by bin/run.js from the manifest); this only does the joining.
// A raw spawn, not util/process.ts: the launcher's start-up counts.
import {spawn} from 'node:child_process'
import {constants} from 'node:os'
import {RootlessSetupError} from '../define/errors.js'
import {deferredExtraCaFile} from '../util/extra-ca.js'
import {log} from '../util/log.js'
import {ensurePauseProcess} from './pause.js'

/**
 * Runs `node [execArgv] entry ...argv` inside the namespace (starting its
 * pause process if absent) and resolves with the child's exit code. Throws
 * RootlessSetupError when the namespace cannot be set up or joined.
 */
export async function reexecInUserNamespace(entry: string, argv: string[]): Promise<number> {
  const uid = process.getuid!()
  const pid = await ensurePauseProcess(uid)
  log.debug(`Joining the rootless user namespace of pause process ${pid}`)
  const child = spawn('nsenter', ['--user', '--mount', `--target=${pid}`, `--wd=${process.cwd()}`, '--',
    process.execPath, ...process.execArgv, '--', entry, ...argv], {
    stdio: 'inherit',
    env: {...caEnv(), PEAPOD_ROOTLESS_UID: String(uid), PEAPOD_PAUSE_PID: String(pid), PEAPOD_ARGV: process.env.PEAPOD_ARGV ?? JSON.stringify(process.argv.slice(2))},
  })
  // Signals meant for the command go to the command; a terminal's ^C reaches
  // both of us through the process group, so SIGINT is only swallowed here.
  const forward = (sig: NodeJS.Signals) => () => { child.kill(sig) }
  process.on('SIGTERM', forward('SIGTERM'))
  process.on('SIGHUP', forward('SIGHUP'))
  process.on('SIGINT', () => {})
  return new Promise((resolve, reject) => {
    child.on('error', e => reject(new RootlessSetupError(`joining the user namespace: ${e.message}`)))
    child.on('exit', (code, signal) => resolve(code ?? 128 + (signal ? constants.signals[signal] : 0)))
  })
}

/** Our env for the child; a NODE_EXTRA_CA_CERTS we deferred stays deferred (bin/peapod). */
function caEnv(): NodeJS.ProcessEnv {
  const file = deferredExtraCaFile()
  if (!file) return process.env
  const {NODE_EXTRA_CA_CERTS: _, ...env} = process.env
  return {...env, PEAPOD_EXTRA_CA_CERTS: file}
}
