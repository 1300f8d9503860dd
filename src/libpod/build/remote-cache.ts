// --cache-to / --cache-from (as Podman's): each step's image is pushed to a
// repository tagged by its layer-cache key; a later build, in any store,
// looks the key up there before running the step and pulls the image on a
// hit, so the step is not run again.
import {InvalidArgument} from '../define/errors.js'
import type {ImageDoc} from '../image/images.js'
import type {PullOptions} from '../image/pull.js'
import {parseReference} from '../image/reference.js'
import type {Runtime} from '../runtime.js'

/** A --cache-to/--cache-from value: a repository with its registry, no tag or digest (Podman's message otherwise). */
export function checkCacheRepo(flagName: string, repo: string): void {
  const bad = (why: string) => new InvalidArgument(`unable to parse value provided \`${flagName === 'cache-from' ? '' : repo}\` to --${flagName}: invalid repo ${JSON.stringify(repo)}: must contain registry and repository: ${why}`)
  let ref
  try {
    ref = parseReference(repo)
  } catch (e) {
    throw bad((e as Error).message.replace(/: "[^"]*"$/, ''))
  }
  if (!ref.domain || ref.tag || ref.digest) throw bad('invalid reference format')
}

/** The step's image in one of the repositories, pulled (untagged: a dangling layer image, as a local build's). */
export async function pullCached(rt: Runtime, repos: string[], key: string, opts: PullOptions): Promise<ImageDoc | undefined> {
  const {pullImages} = await import('../image/pull.js')
  const {untagImage} = await import('../image/manage.js')
  for (const repo of repos) {
    const ref = `${repo}:${key}`
    let doc: ImageDoc | undefined
    try {
      doc = (await pullImages(rt, ref, opts))[0]
    } catch (e) {
      // a miss (or an unreachable registry): the step runs
      rt.logger.debug(`cache lookup ${ref}: ${(e as Error).message}`)
      continue
    }
    if (doc.names.length) await untagImage(rt.store, doc.id, doc.names.filter(n => n.endsWith(`:${key}`)))
    return rt.store.images.get(doc.id)
  }
  return undefined
}

/** The step's image pushed to REPO:KEY. */
export async function pushCached(rt: Runtime, repo: string, key: string, imageId: string, opts: PullOptions): Promise<void> {
  const {pushImage} = await import('../image/push.js')
  await pushImage(rt, imageId, `${repo}:${key}`, {tlsVerify: opts.tlsVerify, certDir: opts.certDir, creds: opts.creds, authfile: opts.authfile})
}
