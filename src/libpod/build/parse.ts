// Containerfile parsing. dockerfile-ast (the parser behind VS Code's
// Dockerfile support) finds the instructions, their keywords and lines and
// the `# escape=` directive; the text of each instruction is then taken from
// the source lines with Docker's rules: continuation lines joined, comment
// lines inside a continuation dropped, leading `--flag=value` options split
// off, heredoc bodies (`<<EOF`, `<<-EOF`, quoted names) collected.
import {DockerfileParser} from 'dockerfile-ast'
import {BuildError} from '../define/errors.js'

export const INSTRUCTIONS = [
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL',
  'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
] as const

export type Keyword = typeof INSTRUCTIONS[number]

export interface Heredoc {
  name: string
  content: string
  /** Quoted name: no expansion of the body. */
  quoted: boolean
}

export interface Instruction {
  keyword: Keyword
  /** 1-based line of the keyword. */
  line: number
  /** The arguments after the flags, continuations joined (heredoc bodies not included). */
  args: string
  flags: Array<{name: string; value: string | undefined}>
  heredocs: Heredoc[]
  /** The exec (JSON array) form, when the arguments are one. */
  json?: string[]
  /** The instruction as written after the keyword, flags included (Podman's step text). */
  original: string
}

export interface Stage {
  index: number
  name?: string
  /** FROM's image argument, unexpanded. */
  base: string
  line: number
  platform?: string
  instructions: Instruction[]
}

export interface Containerfile {
  file: string
  escape: string
  /** ARG instructions before the first FROM. */
  headerArgs: Instruction[]
  stages: Stage[]
}

/** The JSON (exec) form: a JSON array of strings, else undefined. */
export function jsonArray(s: string): string[] | undefined {
  const t = s.trim()
  if (!t.startsWith('[')) return undefined
  try {
    const v = JSON.parse(t) as unknown
    if (Array.isArray(v) && v.every(x => typeof x === 'string')) return v as string[]
  } catch {
    // not JSON: the shell form
  }
  return undefined
}

const HEREDOC = /<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g
const HEREDOC_KEYWORDS = new Set(['RUN', 'COPY', 'ADD'])

function splitFlags(text: string): {flags: Instruction['flags']; rest: string} {
  const flags: Instruction['flags'] = []
  let rest = text.trimStart()
  for (;;) {
    const m = /^--([A-Za-z][A-Za-z0-9-]*)(?:=((?:"[^"]*"|[^\s])*))?(\s+|$)/.exec(rest)
    if (!m) break
    flags.push({name: m[1], value: m[2]})
    rest = rest.slice(m[0].length)
  }
  return {flags, rest}
}

export function parseContainerfile(text: string, file: string): Containerfile {
  const df = DockerfileParser.parse(text)
  const esc = df.getEscapeCharacter()
  const lines = text.split(/\r?\n/)
  const out: Containerfile = {file, escape: esc, headerArgs: [], stages: []}
  let stage: Stage | undefined
  let consumedTo = -1
  for (const ins of df.getInstructions()) {
    const start = ins.getRange().start.line
    if (start <= consumedTo) continue // inside a heredoc body we already read
    const where = `${file}:${start + 1}`
    const keyword = ins.getKeyword().toUpperCase()
    if (!(INSTRUCTIONS as readonly string[]).includes(keyword)) throw new BuildError(`${where}: unknown instruction: ${keyword}`)
    // the instruction's text: its first line after the keyword, continuations joined
    let first = lines[start].replace(/^\s*\S+/, '')
    let i = start
    let joined = ''
    for (;;) {
      const l = i === start ? first : lines[i]
      if (i > start && /^\s*#/.test(l)) {
        i++
        if (i >= lines.length) break
        continue
      }
      const trimmed = l.replace(/\s+$/, '')
      if (trimmed.endsWith(esc) && i + 1 < lines.length) {
        joined += trimmed.slice(0, -1)
        i++
        continue
      }
      joined += l
      break
    }
    first = joined
    consumedTo = i
    const {flags, rest} = splitFlags(first)
    const heredocs: Heredoc[] = []
    if (HEREDOC_KEYWORDS.has(keyword) && rest.includes('<<') && !rest.trimStart().startsWith('[')) {
      for (const m of rest.matchAll(HEREDOC)) {
        const strip = m[1] === '-'
        const name = m[3]
        const body: string[] = []
        let found = false
        while (++i < lines.length) {
          const l = strip ? lines[i].replace(/^\t+/, '') : lines[i]
          if (l === name) {
            found = true
            break
          }
          body.push(l)
        }
        if (!found) throw new BuildError(`${where}: unterminated heredoc <<${name}: no line "${name}" ends it`)
        heredocs.push({name, content: body.length ? body.join('\n') + '\n' : '', quoted: m[2] !== ''})
      }
      consumedTo = i
    }
    const inst: Instruction = {
      keyword: keyword as Keyword,
      line: start + 1,
      args: rest.trim(),
      flags,
      heredocs,
      original: first.trim(),
    }
    if (['RUN', 'CMD', 'ENTRYPOINT', 'SHELL', 'COPY', 'ADD', 'VOLUME'].includes(keyword)) inst.json = jsonArray(inst.args)
    if (keyword === 'FROM') {
      const words = inst.args.split(/\s+/).filter(Boolean)
      if (words.length !== 1 && !(words.length === 3 && words[1].toUpperCase() === 'AS')) {
        throw new BuildError(`${where}: FROM requires either one or three arguments`)
      }
      stage = {
        index: out.stages.length,
        name: words[2]?.toLowerCase(),
        base: words[0],
        line: inst.line,
        platform: flags.find(f => f.name === 'platform')?.value,
        instructions: [],
      }
      out.stages.push(stage)
      continue
    }
    if (!stage) {
      if (keyword !== 'ARG') throw new BuildError(`${where}: no FROM before ${keyword}: a Containerfile must begin with FROM (or ARG)`)
      out.headerArgs.push(inst)
      continue
    }
    stage.instructions.push(inst)
  }
  if (out.stages.length === 0) throw new BuildError(`${file}: no FROM instruction: nothing to build`)
  return out
}
