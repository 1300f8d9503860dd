// kube play / kube down at the command line: the YAML argument (a file, `-`
// for stdin, or an http(s) URL) read as text, and kube down's report.
import {readFileSync} from 'node:fs'
import {InvalidArgument} from '../libpod/index.js'

export async function readKubeInput(arg: string): Promise<string> {
  if (arg === '-') return readFileSync(0, 'utf8')
  if (/^https?:\/\//.test(arg)) {
    const r = await fetch(arg).catch((e: Error) => {
      throw new InvalidArgument(`fetching ${arg}: ${e.message}`)
    })
    if (!r.ok) throw new InvalidArgument(`fetching ${arg}: HTTP ${r.status}`)
    return r.text()
  }
  try {
    return readFileSync(arg, 'utf8')
  } catch (e) {
    const err = e as NodeJS.ErrnoException
    throw new InvalidArgument(err.code === 'ENOENT' ? `open ${arg}: no such file or directory` : `reading ${arg}: ${err.message}`)
  }
}

/** kube down's report, as Podman prints it. */
export function downText(r: {stopped: string[]; removed: string[]; volumes: string[]}): string {
  const parts: string[] = []
  if (r.stopped.length) parts.push(`Pods stopped:\n${r.stopped.join('\n')}`)
  if (r.removed.length) parts.push(`Pods removed:\n${r.removed.join('\n')}`)
  if (r.volumes.length) parts.push(`Volumes removed:\n${r.volumes.join('\n')}`)
  return parts.join('\n')
}
