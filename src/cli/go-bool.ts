// Go bool flags as Podman takes them: `-a`, `--archive`, `-a=false`,
// `--archive=true`. oclif booleans take no value, so such flags are option
// flags with values true/false, and bare ones are given `=true` here before
// oclif parses (the flags after the first `--` are left alone).
import {Flags} from './oclif.js'

export const goBool = (description: string, char?: string) =>
  Flags.string({description, options: ['true', 'false'], ...(char ? {char: char as 'a'} : {})})

/** Rewrites bare Go bool flags (long names, with their one-letter forms) to `--name=true`. */
export function goBoolArgv(argv: string[], flags: Record<string, string | undefined>): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--') {
      out.push(...argv.slice(i))
      break
    }
    let done = false
    for (const [name, char] of Object.entries(flags)) {
      if (a === `--${name}` || (char && a === `-${char}`)) {
        out.push(`--${name}=true`)
        done = true
      } else if (char && a.startsWith(`-${char}=`)) {
        out.push(`--${name}=${a.slice(3)}`)
        done = true
      }
      if (done) break
    }
    if (!done) out.push(a)
  }
  return out
}

export function boolValue(v: string | undefined, dflt: boolean): boolean {
  return v === undefined ? dflt : v === 'true'
}
