// build --output as buildah parses it (GetBuildOutput): "-" (a tar on
// stdout), a bare path (a directory), or type=local|tar,dest=PATH; Podman's
// messages, checked before the build starts.
import {InvalidArgument} from '../libpod/define/errors.js'
import type {BuildOutput} from '../libpod/specgen/build-output.js'

export function parseBuildOutput(v: string): BuildOutput {
  const bad = (m: string) => new InvalidArgument(`failed to parse build output: ${m}`)
  if (v === '-') return {type: 'tar'}
  if (v === '') throw bad('invalid build output option "", accepted keys are type and dest must be present')
  if (!v.includes(',')) return {type: 'local', dest: v}
  let type: 'local' | 'tar' | undefined
  let dest: string | undefined
  for (const opt of v.split(',')) {
    const i = opt.indexOf('=')
    const key = i < 0 ? opt : opt.slice(0, i)
    const val = opt.slice(i + 1)
    if (i < 0) throw bad(`invalid build output options ${JSON.stringify(v)}, expected format key=value`)
    if (key === 'type') {
      if (type) throw bad('duplicate "type" not supported')
      if (val !== 'local' && val !== 'tar') throw bad(`invalid type ${JSON.stringify(val)} selected for build output options ${JSON.stringify(v)}`)
      type = val
    } else if (key === 'dest') {
      if (dest !== undefined) throw bad('duplicate "dest" not supported')
      dest = val
    } else {
      throw bad(`unrecognized key ${JSON.stringify(key)} in build output option: ${JSON.stringify(v)}`)
    }
  }
  if (!type || dest === undefined) throw bad(`invalid build output option ${JSON.stringify(v)}, accepted keys are type and dest must be present`)
  if (dest === '-') {
    if (type === 'local') throw bad(`invalid build output option ${JSON.stringify(v)}, type=local and dest=- is not supported`)
    return {type: 'tar'}
  }
  return {type, dest}
}
