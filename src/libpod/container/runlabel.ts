// `container runlabel LABEL IMAGE [ARG...]`: the image's label as a command
// on the host, as Podman's generateRunlabelCommand builds it: the words
// IMAGE/$IMAGE/${IMAGE}/=IMAGE become the image's name, NAME (same forms) the
// --name (default: the image name's last path part without its tag),
// $PWD/$OPT1-3 expand, the user's arguments are appended, and a leading
// podman (or peapod) runs this very peapod, with the same store.
import {spawn} from 'node:child_process'
import {InvalidArgument, RuntimeFailure} from '../define/errors.js'
import type {ImageDoc} from '../image/images.js'
import {parseConfig} from '../image/inspect.js'

/** Splits like Go's shlex: blanks separate words; quotes and backslashes group. */
export function shellSplit(s: string): string[] {
  const out: string[] = []
  let cur = ''
  let inWord = false
  let quote: '"' | "'" | undefined
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]
    if (quote) {
      if (ch === quote) quote = undefined
      else if (ch === '\\' && quote === '"' && i + 1 < s.length && '"\\$`'.includes(s[i + 1])) cur += s[++i]
      else cur += ch
    } else if (ch === '"' || ch === "'") {
      quote = ch
      inWord = true
    } else if (ch === '\\' && i + 1 < s.length) {
      cur += s[++i]
      inWord = true
    } else if (/\s/.test(ch)) {
      if (inWord) out.push(cur)
      cur = ''
      inWord = false
    } else {
      cur += ch
      inWord = true
    }
  }
  if (quote) throw new InvalidArgument('EOF found when expecting closing quote')
  if (inWord) out.push(cur)
  return out
}

export interface RunlabelCommand {
  argv: string[]
  /** Added to the command's environment. */
  env: Record<string, string>
  /** NAME's value (what --replace removes). */
  name: string
}

/** The label's command for the image, or Podman's error when it has no such label. */
export function runlabelCommand(img: ImageDoc, label: string, inputName: string, opts: {name?: string; args?: string[]; cwd: string; self: string[]}): RunlabelCommand {
  let text = parseConfig(img).config?.Labels?.[label]
  if (!text) throw new InvalidArgument(`cannot find the value of label: ${label} in image: ${inputName}`)
  const imageName = img.names[0] ?? img.id
  let name = opts.name
  if (!name) {
    const base = (img.id.startsWith(inputName) ? imageName : inputName).split('/').pop()!
    name = base.split(':')[0]
  }
  if (opts.args?.length) text = `${text} ${opts.args.join(' ')}`
  const words = shellSplit(text).map(w => {
    switch (w) {
      case 'IMAGE': case '$IMAGE': case '${IMAGE}': return imageName
      case '=IMAGE': return `=${imageName}`
      case 'NAME': case '$NAME': case '${NAME}': return name!
      case '=NAME': return `=${name}`
      default: return w
    }
  })
  const env: Record<string, string> = {OPT1: process.env.OPT1 ?? '', OPT2: process.env.OPT2 ?? '', OPT3: process.env.OPT3 ?? '', PODMAN_RUNLABEL_NESTED: '1'}
  // Go's os.Expand over the joined words: $PWD and $OPTn; anything else expands to nothing.
  const expanded = words.join(' ').replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_m, a: string | undefined, b: string | undefined) => {
    const k = a ?? b!
    if (k === 'PWD') return opts.cwd
    return ['OPT1', 'OPT2', 'OPT3'].includes(k) ? env[k] : ''
  })
  const argv = shellSplit(expanded)
  if (argv.length && ['podman', '/usr/bin/podman', 'peapod'].includes(argv[0])) argv.splice(0, 1, ...opts.self)
  return {argv, env, name}
}

/** Runs the command with the caller's stdio; Podman's error when it fails. */
export async function execRunlabel(cmd: RunlabelCommand, shown: string[]): Promise<void> {
  if (!cmd.argv.length) throw new InvalidArgument('the label\'s command is empty')
  const code = await new Promise<number | string>(resolve => {
    const p = spawn(cmd.argv[0], cmd.argv.slice(1), {stdio: 'inherit', env: {...process.env, ...cmd.env}})
    p.on('error', e => resolve((e as NodeJS.ErrnoException).code === 'ENOENT' ? `exec: "${cmd.argv[0]}": executable file not found in $PATH` : e.message))
    p.on('close', (c, sig) => resolve(c ?? `signal: ${sig}`))
  })
  if (code === 0) return
  throw new RuntimeFailure(`\`${shown.join(' ')}\` failed: ${typeof code === 'number' ? `exit status ${code}` : code}`)
}
