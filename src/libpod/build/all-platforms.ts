// build --all-platforms: buildah first asks the registry for each base
// image's manifest list (never local storage) to learn the platforms to
// build. Those checks and their messages are Podman 4.3.1's; where every
// base is a list, peapod refuses: it builds for one platform (no emulation
// of other architectures here), and never silently for the host's only.
import {BuildError} from '../define/errors.js'
import type {Runtime} from '../runtime.js'
import {Registries, type PullOptions} from '../image/pull.js'
import {resolvePullName} from '../image/registry/config.js'
import {isListType} from '../image/registry/manifest.js'
import {expandWord, type Vars} from './expand.js'
import type {Containerfile} from './parse.js'

/** The stages' base images as buildah lists them: not scratch, not an earlier stage; an image build context stands for its name. */
function baseImages(cf: Containerfile, vars: Vars, contexts: Record<string, {image?: string}>): string[] {
  const out: string[] = []
  const stageNames = new Set<string>()
  for (const s of cf.stages) {
    const base = expandWord(s.base, vars, cf.escape)
    if (base !== '' && base !== 'scratch' && !stageNames.has(base.toLowerCase())) {
      const img = contexts[base] ? contexts[base].image : base
      if (img !== undefined && !out.includes(img)) out.push(img)
    }
    if (s.name) stageNames.add(s.name)
  }
  return out
}

export async function checkAllPlatforms(rt: Runtime, cf: Containerfile, vars: Vars, opts: {buildContexts?: Record<string, {image?: string}>; pullOptions?: PullOptions}): Promise<never> {
  const bases = baseImages(cf, vars, opts.buildContexts ?? {})
  // Podman 4.3.1's message, its Go formatting slip included
  if (!bases.length) throw new BuildError('build uses no non-scratch base images: %!w(<nil>)')
  const po = opts.pullOptions ?? {}
  const regs = new Registries(rt, {tlsVerify: po.tlsVerify, certDir: po.certDir, creds: po.creds, authfile: po.authfile})
  try {
    for (const base of bases) {
      let candidates
      try {
        candidates = resolvePullName(regs.conf, base, false).candidates
      } catch (e) {
        throw new BuildError(`resolving image name ${JSON.stringify(base)}: ${(e as Error).message}`)
      }
      let list = false
      for (const c of candidates) {
        try {
          const ep = regs.conf.pullEndpoints(c)
          const primary = ep[ep.length - 1]
          const m = await regs.get(primary.ref.domain, primary.insecure || undefined).getManifest(primary.ref.path, primary.ref.digest ?? primary.ref.tag ?? 'latest')
          if (isListType(m.mediaType)) {
            list = true
            break
          }
        } catch (e) {
          rt.logger.debug(`reading image manifest for ${JSON.stringify(base)}: ${(e as Error).message}`)
        }
      }
      if (!list) throw new BuildError(`base image name ${JSON.stringify(base)} didn't resolve to ${candidates.length ? 'a manifest list' : 'anything'}`)
    }
  } finally {
    regs.close()
  }
  throw new BuildError('building for all platforms of the base images is not supported: peapod builds for one platform at a time (--platform), without emulation of other architectures')
}
