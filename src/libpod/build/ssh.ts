// build --ssh: the agents RUN --mount=type=ssh forwards. A given socket is
// used as it is; key files are loaded into an ssh-agent of this build
// (started here, killed at the end), as buildah loads them into its own.
import {spawn, type ChildProcess} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import path from 'node:path'
import {BuildError} from '../define/errors.js'
import type {SshSource} from '../specgen/build-ssh.js'

export interface SshAgents {
  /** id → the agent's socket on the host. */
  sockets: Record<string, string>
  close(): void
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, input?: Buffer): Promise<{code: number | null; stderr: string}> {
  return new Promise(resolve => {
    const p = spawn(cmd, args, {env, stdio: ['pipe', 'ignore', 'pipe']})
    let stderr = ''
    p.stderr.on('data', d => { stderr += d })
    p.on('error', e => resolve({code: null, stderr: e.message}))
    p.on('close', code => resolve({code, stderr}))
    p.stdin.on('error', () => {})
    p.stdin.end(input)
  })
}

/** Starts `ssh-agent -D -a SOCK`; resolves once it says it listens. */
function startAgent(sock: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const p = spawn('ssh-agent', ['-D', '-a', sock], {stdio: ['ignore', 'pipe', 'pipe']})
    let err = ''
    p.stderr!.on('data', d => { err += d })
    p.on('error', e => reject(new BuildError(`creating build executor: starting ssh-agent: ${e.message}`)))
    p.on('exit', code => reject(new BuildError(`creating build executor: ssh-agent exited ${code}: ${err.trim()}`)))
    p.stdout!.once('data', () => resolve(p))
  })
}

export async function startSshAgents(sources: Record<string, SshSource>, tmpParent: string): Promise<SshAgents> {
  const sockets: Record<string, string> = {}
  const agents: ChildProcess[] = []
  let dir: string | undefined
  const close = () => {
    for (const a of agents) a.kill('SIGTERM')
    if (dir) rmSync(dir, {recursive: true, force: true})
  }
  try {
    for (const [id, src] of Object.entries(sources)) {
      if ('socket' in src) {
        sockets[id] = src.socket
        continue
      }
      dir ??= mkdtempSync(path.join(tmpParent, 'ssh-'))
      const sock = path.join(dir, `agent.${agents.length}`)
      agents.push(await startAgent(sock))
      for (const key of src.keys) {
        // through stdin: ssh-add's check of the file's mode is for a user's own keys
        const r = await run('ssh-add', ['-q', '-'], {...process.env, SSH_AUTH_SOCK: sock}, readFileSync(key))
        if (r.code !== 0) throw new BuildError(`creating build executor: loading ssh key ${key}: ${r.stderr.trim() || `ssh-add exited ${r.code}`}`)
      }
      sockets[id] = sock
    }
  } catch (e) {
    close()
    throw e
  }
  return {sockets, close}
}
