// build --ssh ID[=PATH[,PATH...]] as buildah reads it (sshagent.NewSource):
// no path means $SSH_AUTH_SOCK; a path is an agent's socket (alone) or a
// private key file. Checked before the build starts, with Podman's messages.
import {statSync} from 'node:fs'
import {InvalidArgument} from '../libpod/define/errors.js'
import type {SshSource} from '../libpod/specgen/build-ssh.js'

export function parseBuildSsh(values: readonly string[], env: NodeJS.ProcessEnv = process.env): Record<string, SshSource> {
  const bad = (m: string) => new InvalidArgument(`creating build executor: ${m}`)
  const out: Record<string, SshSource> = {}
  for (const v of values) {
    const i = v.indexOf('=')
    const id = i < 0 ? v : v.slice(0, i)
    let paths = i < 0 ? [] : v.slice(i + 1).split(',').filter(Boolean)
    if (!paths.length) {
      const sock = env.SSH_AUTH_SOCK
      if (!sock) throw bad('$SSH_AUTH_SOCK not set')
      paths = [sock]
    }
    const keys: string[] = []
    let socket: string | undefined
    for (const p of paths) {
      let st
      try {
        st = statSync(p)
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code
        throw bad(`stat ${p}: ${code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message}`)
      }
      if (st.isSocket()) socket = p
      else keys.push(p)
    }
    if (socket && paths.length > 1) throw bad('an ssh agent socket must be given alone')
    out[id] = socket ? {socket} : {keys}
  }
  return out
}
