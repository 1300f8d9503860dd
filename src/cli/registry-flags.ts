// Flags shared by the commands that talk to registries (pull, push, login,
// search, manifest ...), with Podman's names. Podman's `--tls-verify` is a
// Go bool flag: bare means true, `--tls-verify=false` turns it off; oclif
// booleans don't take `=false`, so it is an option flag and a bare one is
// rewritten to `=true` before parsing (boolArgv).
import {Flags} from './oclif.js'
import {InvalidArgument, type Credentials, load} from '../libpod/index.js'

const bool = (description: string) => Flags.string({description, options: ['true', 'false']})

export const tlsFlags = {
  'cert-dir': Flags.string({description: 'Path to a directory containing TLS certificates and keys'}),
  'tls-verify': bool('Require HTTPS and verify certificates when contacting registries (default true)'),
}

export const authFlags = {
  authfile: Flags.string({description: 'Path of the authentication file. Use REGISTRY_AUTH_FILE environment variable to override'}),
  creds: Flags.string({description: 'Use `[username[:password]]` for accessing the registry'}),
}

/** Go-style bool flags given bare (`--tls-verify`) become `--tls-verify=true`. */
export function boolArgv(argv: string[], names: string[] = ['tls-verify']): string[] {
  const out: string[] = []
  for (const a of argv) {
    if (a === '--') {
      out.push(...argv.slice(out.length))
      break
    }
    out.push(names.some(n => a === `--${n}`) ? `${a}=true` : a)
  }
  return out
}

/** --tls-verify as a tri-state: undefined when not given (registries.conf decides). */
export function tlsVerify(flags: {'tls-verify'?: string}): boolean | undefined {
  const v = flags['tls-verify']
  return v === undefined ? undefined : v === 'true'
}

/** --creds USER[:PASSWORD]; a missing password is asked for on a terminal. */
export async function credsFlag(creds: string | undefined): Promise<Credentials | undefined> {
  if (creds === undefined) return undefined
  const {parseCreds} = await load.registryAuth()
  const c = parseCreds(creds)
  if (!creds.includes(':')) {
    if (!process.stdin.isTTY) throw new InvalidArgument('--creds: no password given and stdin is not a terminal')
    c.password = await readSecret('Password: ')
  }
  return c
}

/** Reads a line from the terminal without echo. */
export async function readSecret(prompt: string): Promise<string> {
  process.stderr.write(prompt)
  const stdin = process.stdin
  const wasRaw = stdin.isRaw
  if (stdin.isTTY) stdin.setRawMode(true)
  stdin.resume()
  try {
    return await new Promise<string>((resolve, reject) => {
      let buf = ''
      const onData = (d: Buffer) => {
        for (const ch of d.toString('utf8')) {
          if (ch === '\r' || ch === '\n') {
            stdin.off('data', onData)
            process.stderr.write('\n')
            resolve(buf)
            return
          }
          if (ch === '\u0003') {
            stdin.off('data', onData)
            reject(new InvalidArgument('interrupted'))
            return
          }
          if (ch === '\u007f') buf = buf.slice(0, -1)
          else buf += ch
        }
      }
      stdin.on('data', onData)
    })
  } finally {
    if (stdin.isTTY) stdin.setRawMode(wasRaw)
    stdin.pause()
  }
}

/** Reads a line (without its newline) from the terminal, echoed. */
export async function readLine(prompt: string): Promise<string> {
  const {createInterface} = await import('node:readline/promises')
  const rl = createInterface({input: process.stdin, output: process.stderr})
  try {
    return (await rl.question(prompt)).trim()
  } finally {
    rl.close()
  }
}
