// The container's argv from the image's ENTRYPOINT/CMD and the user's
// --entrypoint and command, by Podman's rules (specgen makeCommand).
import {InvalidArgument} from '../define/errors.js'
import {CONTAINER_INIT_PATH} from './defaults.js'

/** --entrypoint: a JSON array of strings, else the string itself ('' included). */
export function parseEntrypoint(raw: string): string[] {
  try {
    const v: unknown = JSON.parse(raw)
    if (Array.isArray(v) && v.every(x => typeof x === 'string')) return v as string[]
  } catch {
    // not JSON: a single path
  }
  return [raw]
}

export interface CommandInput {
  imageEntrypoint?: readonly string[] | null
  imageCmd?: readonly string[] | null
  entrypoint?: string | readonly string[]
  command?: readonly string[]
  init?: boolean
}

/**
 * entrypoint + cmd. A user entrypoint replaces the image's and drops the
 * image's Cmd; `[""]` (from `--entrypoint ''`) means none. A user command
 * replaces the image's Cmd. With init, catatonit runs it after `--`.
 */
export function resolveCommand(input: CommandInput): string[] {
  const userEp = typeof input.entrypoint === 'string' ? parseEntrypoint(input.entrypoint) : input.entrypoint
  const entrypoint = userEp ?? input.imageEntrypoint ?? []
  const out: string[] = []
  if (!(entrypoint.length === 1 && entrypoint[0] === '')) out.push(...entrypoint)
  let command = input.command ?? []
  if (command.length === 0 && (userEp === undefined || userEp.length === 0)) command = input.imageCmd ?? []
  out.push(...command)
  if (out.length === 0) throw new InvalidArgument('no command or entrypoint provided, and no CMD or ENTRYPOINT from image')
  return input.init ? [CONTAINER_INIT_PATH, '--', ...out] : out
}
